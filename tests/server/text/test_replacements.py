"""Replacements (spec §4): case-insensitive, whole words where the find is a word, last, finals only."""

from __future__ import annotations

from typing import Any

from dictation_daemon.protocol.messages import Replacement
from dictation_daemon.server.text.replacements import MAX_GROWTH, runaway_replacements

from .helpers import final, pipeline, text_of


def replaced(words: str, *pairs: tuple[str, str], **configuration: Any) -> str:
    replacements = [{"find": find, "replace": replace} for find, replace in pairs]
    return text_of(words, replacements=replacements, **configuration)


def test_case_insensitive_whole_word() -> None:
    assert replaced("Pt is apt to PT.", ("pt", "patient")) == "patient is apt to patient"


def test_replacement_text_is_inserted_literally() -> None:
    assert replaced("see note", ("note", r"\1 note$")) == r"see \1 note$"


def test_applied_after_punctuation_and_formatting() -> None:
    assert replaced("blood pressure 120 over 80 period", ("BP", "B.P."), spokenPunctuation=True) == "B.P. 120/80."
    assert replaced("fifty milligrams", ("mg", "milligrams")) == "50 milligrams"


def test_a_find_that_is_not_word_like_matches_anywhere() -> None:
    assert replaced("and slash or", ("/", " or "), spokenPunctuation=True) == "and or or"


def test_multi_word_find() -> None:
    assert replaced("Heart rate regular.", ("heart rate", "HR")) == "HR regular"


def test_applied_in_order() -> None:
    assert replaced("alpha", ("alpha", "beta"), ("beta", "gamma")) == "gamma"


def test_interims_are_not_replaced() -> None:
    text_pipeline = pipeline(replacements=[{"find": "pt", "replace": "patient"}])
    interim = final("Pt is stable")
    (data,) = text_pipeline.process(type(interim)(interim.words, 0.0, 1.0, False))
    assert data.text == "Pt is stable"


def test_raw_text_is_not_replaced() -> None:
    (data,) = pipeline(replacements=[{"find": "pt", "replace": "patient"}]).process(final("Pt is stable."))
    assert data.text == "patient is stable"
    assert data.raw_transcript_text == "pt is stable"


def test_replacements_that_double_the_text_stop_at_the_growth_bound() -> None:
    """Twenty rules that each double the spaces would make a million characters; the rules past the bound
    are skipped and every word stays."""
    said = "the patient is comfortable and resting at home today with family"
    text = replaced(said, *[(" ", "  ")] * 20)
    assert len(text) <= len(said) + MAX_GROWTH
    assert text.split() == said.split()


def test_one_huge_replacement_is_skipped_and_the_others_still_apply() -> None:
    text = replaced("pt is stable", ("is", "x" * 1_000_000), ("pt", "patient"))
    assert text == "patient is stable"


def test_rules_that_run_away_are_found_before_any_dictation() -> None:
    doubling = [Replacement(find=" ", replace="  ")] * 20
    assert runaway_replacements(doubling) == list(range(20))
    expansions = [Replacement(find="pt", replace="patient"), Replacement(find="bp", replace="blood pressure"),
                  Replacement(find="normal exam", replace="Normal examination. " * 100)]
    assert runaway_replacements(expansions) == []
