"""The joining rules and the two-layer field model of spec §8."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from dictation_daemon.insertion.rules import Edit, FieldText, join, minimal_edit
from dictation_daemon.protocol.messages import TranscriptData


@dataclass(frozen=True)
class Seg:
    text: str
    start: float
    end: float
    is_final: bool


def final(text: str, start: float, end: float) -> Seg:
    return Seg(text, start, end, True)


def interim(text: str, start: float, end: float) -> Seg:
    return Seg(text, start, end, False)


def typed(field: FieldText, before: str, *segments: Seg) -> str:
    """Plays the edits into a string the way a keyboard would, so tests check what a field would show."""
    shown = before
    for segment in segments:
        edit = field.apply(segment)
        if edit is not None:
            shown = shown[: len(shown) - edit.delete] + edit.insert
    return shown


@pytest.mark.parametrize(
    ("before", "new", "expected"),
    [
        ("", "hello there", "Hello there"),
        ("Hello", "there", " there"),
        ("Hello ", "there", "there"),
        ("Hello\n", "there", "there"),
        ("Hello", "  there", " there"),
        ("Hello ", "  there", "there"),
        ("Hello", "there  you   are", " there you are"),
        ("pain (", "left", "left"),
        ("pain [", "left", "left"),
        ("pain {", "left", "left"),
        ('said "', "quoted", "quoted"),
        ("said '", "quoted", "quoted"),
        ("said ‘", "quoted", "quoted"),
        ("said “", "quoted", "quoted"),
        ("said ('", "quoted", "quoted"),
        ('said "stop"', "and", " and"),
        ("the patients'", "notes", " notes"),
    ],
)
def test_spacing(before: str, new: str, expected: str) -> None:
    assert join(before, new) == expected


@pytest.mark.parametrize("mark", list(",.:;!?)]}%"))
def test_no_space_before_punctuation_that_attaches_left(mark: str) -> None:
    assert join("word", mark + " more").startswith(mark + " ")


def test_no_space_at_the_start_of_the_field() -> None:
    assert join("", "word") == "Word"


def test_newlines_are_kept_and_take_no_space() -> None:
    assert join("Heart sounds normal.", "\nlungs clear") == "\nLungs clear"
    assert join("Heart sounds normal.", "\n\nplan") == "\n\nPlan"
    assert join("Findings:", "\n\nlungs clear") == "\n\nlungs clear"
    assert join("one", "two\nthree\n\nfour") == " two\nthree\n\nfour"


def test_never_a_double_space() -> None:
    for before in ["a", "a ", "a\n", "a."]:
        for new in ["b", " b", "  b  c", "\tb"]:
            assert "  " not in before + join(before, new)


def test_capital_at_field_start_and_after_sentence_end() -> None:
    assert join("", "blood pressure") == "Blood pressure"
    assert join("\n\n", "blood pressure") == "Blood pressure"
    assert join("Normal.", "blood pressure") == " Blood pressure"
    assert join("Normal!", "blood pressure") == " Blood pressure"
    assert join("Normal?", "blood pressure") == " Blood pressure"
    assert join("Normal. ", "blood pressure") == "Blood pressure"
    assert join('He said "stop."', "then") == " Then"
    assert join("Normal.", '"quoted" text') == ' "Quoted" text'


def test_no_capital_mid_sentence() -> None:
    assert join("Blood pressure", "normal") == " normal"
    assert join("Blood pressure,", "normal") == " normal"
    assert join("Diagnosis:", "pneumonia") == " pneumonia"
    assert join("38.5", "degrees") == " degrees"


def test_sentence_initial_capital_from_the_server_is_taken_back_mid_sentence() -> None:
    assert join("Blood pressure normal,", "And heart rate 72.") == " and heart rate 72."
    assert join("Seen today", "The patient is well") == " the patient is well"
    assert join("Ready", "It's fine") == " it's fine"


def test_names_and_acronyms_keep_their_capitals_mid_sentence() -> None:
    assert join("History of", "Parkinson disease") == " Parkinson disease"
    assert join("Started", "Lasix") == " Lasix"
    assert join("Then", "I examined") == " I examined"
    assert join("Known", "COPD") == " COPD"
    assert join("Seen today", "The", lowercase_words=frozenset()) == " The"


def test_line_start_keeps_server_casing() -> None:
    assert join("Medications:\n", "Aspirin") == "Aspirin"
    assert join("Medications:\n", "aspirin") == "aspirin"


def test_empty_segment_inserts_nothing() -> None:
    assert join("Hello", "") == ""
    assert join("Hello", "   ") == ""


def test_minimal_edit_keeps_the_common_prefix() -> None:
    assert minimal_edit(" the patient", " the patients") == Edit(delete=0, insert="s")
    assert minimal_edit(" the patient was", " the patient is") == Edit(delete=3, insert="is")
    assert minimal_edit(" hello", "") == Edit(delete=6, insert="")
    assert minimal_edit("", " hi") == Edit(delete=0, insert=" hi")
    assert minimal_edit("same", "same").is_empty


def test_interims_replace_each_other_then_the_final_replaces_them() -> None:
    field = FieldText("Exam:")
    shown = typed(
        field, "Exam:",
        interim("heart", 0.0, 0.5),
        interim("heart sounds", 0.0, 1.0),
        interim("heart sound normal", 0.0, 1.5),
        final("heart sounds normal.", 0.0, 1.6),
    )
    assert shown == "Exam: heart sounds normal."
    assert field.text == shown
    assert field.interim == ""
    assert field.segments == (" heart sounds normal.",)


def test_interim_replacement_is_the_smallest_edit() -> None:
    field = FieldText()
    assert field.apply(interim("the patient", 0.0, 0.5)) == Edit(insert="The patient")
    assert field.apply(interim("the patient was", 0.0, 0.9)) == Edit(insert=" was")
    assert field.apply(interim("the patient is", 0.0, 1.0)) == Edit(delete=3, insert="is")
    assert field.apply(final("The patient is well.", 0.0, 1.2)) == Edit(insert=" well.")


def test_finals_append_with_joining_rules() -> None:
    field = FieldText()
    shown = typed(
        field, "",
        final("blood pressure 120/80", 0.0, 2.0),
        final(", heart rate 72.", 2.0, 3.0),
        final("lungs clear.", 3.0, 4.0),
        final("\n\nplan", 4.0, 5.0),
        final("And follow up", 5.0, 6.0),
    )
    assert shown == "Blood pressure 120/80, heart rate 72. Lungs clear.\n\nPlan and follow up"


def test_interim_starting_before_the_last_final_end_is_dropped() -> None:
    field = FieldText()
    field.apply(final("hello.", 0.0, 1.0))
    assert field.apply(interim("hello again", 0.5, 1.4)) is None
    assert field.text == "Hello."
    assert field.apply(interim("again", 1.0, 1.4)) == Edit(insert=" Again")


def test_repeated_final_with_the_same_start_is_ignored() -> None:
    field = FieldText()
    shown = typed(field, "", final("hello.", 0.0, 1.0), final("hello.", 0.0, 1.0), final("Hello, you.", 0.0, 1.1))
    assert shown == "Hello."
    assert field.segments == ("Hello.",)


def test_command_final_with_no_text_clears_the_interim() -> None:
    field = FieldText("Note")
    shown = typed(field, "Note", interim("scratch that", 0.0, 0.8), final("", 0.0, 0.9))
    assert shown == "Note"
    assert field.segments == ()


def test_scratch_that_takes_back_the_last_segment_and_any_interim() -> None:
    field = FieldText("Note:")
    shown = typed(field, "Note:", final("left knee pain.", 0.0, 1.0), final("right knee.", 1.0, 2.0),
                  interim("scratch", 2.0, 2.3))
    edit = field.scratch_that()
    assert edit == Edit(delete=len(" Right knee.") + len(" scratch"))
    shown = shown[: len(shown) - edit.delete]
    assert shown == "Note: left knee pain."
    assert field.text == shown
    assert typed(field, shown, final("right hip.", 3.0, 4.0)) == "Note: left knee pain. Right hip."


def test_scratch_that_with_nothing_inserted_is_empty() -> None:
    field = FieldText("Existing text")
    assert field.scratch_that().is_empty
    assert field.text == "Existing text"


def test_protocol_transcript_data_is_a_segment() -> None:
    data = TranscriptData(text="hello", raw_transcript_text="hello", start=0.0, end=0.5, is_final=True)
    assert FieldText().apply(data) == Edit(insert="Hello")
