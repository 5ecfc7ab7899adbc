"""Dictation history: bounded, in memory, texts joined as they were inserted."""

from __future__ import annotations

from dictation_daemon.controller.history import DictationText, History


def test_finals_of_one_utterance_join_with_spacing_and_capitals():
    text = DictationText()
    for segment in ("the patient reports chest pain.", "she denies fever", ", no nausea."):
        text.add(segment)
    assert text.text == "The patient reports chest pain. She denies fever, no nausea."


def test_history_keeps_the_newest_up_to_its_size_and_skips_empty_text():
    history = History(2)
    for text in ("one", "two", "three", "   ", ""):
        history.add(text)
    assert len(history) == 2
    assert history.last().text == "three"  # the blank ones, added last, were not kept


def test_a_history_of_size_zero_keeps_nothing():
    history = History(0)
    history.add("text")
    assert len(history) == 0 and history.last() is None
