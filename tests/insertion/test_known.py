"""Editing by voice over the text the daemon typed: selections as cursor movements, and what the next
dictation does with them."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from dictation_daemon.insertion.known import KnownField, UnknownText
from dictation_daemon.insertion.rules import Edit


@dataclass(frozen=True)
class Final:
    text: str
    start: float
    end: float = 0.0
    is_final: bool = True


class Field:
    """A text field that applies the daemon's edits and key movements, as an application would."""

    def __init__(self) -> None:
        self.text = ""
        self.cursor = 0
        self.anchor: int | None = None

    def edit(self, edit: Edit | None) -> None:
        if edit is None:
            return
        if self.anchor is not None:
            start, end = sorted((self.anchor, self.cursor))
            self.text, self.cursor, self.anchor = self.text[:start] + self.text[end:], start, None
        self.text = self.text[: self.cursor - edit.delete] + edit.insert + self.text[self.cursor:]
        self.cursor += len(edit.insert) - edit.delete

    def select(self, selection) -> None:
        self.anchor = None
        self.cursor += selection.move
        self.anchor = self.cursor
        self.cursor += selection.extend

    @property
    def selected(self) -> str:
        return self.text[min(self.anchor, self.cursor): max(self.anchor, self.cursor)]


def dictated(*finals: str) -> tuple[KnownField, Field]:
    known, field = KnownField(), Field()
    for number, text in enumerate(finals):
        field.edit(known.apply(Final(text, float(number))))
    return known, field


def test_select_words_then_dictate_replaces_them_and_the_rest_stays():
    known, field = dictated("the patient reports chest pain.", "no fever.")
    assert field.text == "The patient reports chest pain. No fever."
    field.select(known.select_words("chest pain"))
    assert field.selected == "chest pain"
    field.edit(known.apply(Final("abdominal pain", 5.0)))
    assert field.text == "The patient reports abdominal pain. No fever."
    assert known.text == field.text and known.cursor == field.cursor
    field.select(known.select_words("no fever"))  # after the cursor now: the cursor moves right
    assert field.selected == "No fever"
    field.edit(known.apply(Final("afebrile", 6.0)))
    assert field.text == "The patient reports abdominal pain. Afebrile."


def test_the_last_occurrence_is_selected_and_words_not_there_are_refused():
    known, field = dictated("pain in the left knee.", "pain worse at night.")
    field.select(known.select_words("PAIN"))
    assert field.cursor == len("Pain in the left knee. Pain") and field.selected == "Pain"
    with pytest.raises(UnknownText, match="not in what was dictated"):
        known.select_words("shoulder")


def test_correct_that_and_cap_that_work_on_the_last_dictation():
    known, field = dictated("seen today.", "history of atrial fibrillation")
    field.select(known.select_last())
    assert field.selected == "History of atrial fibrillation"
    field.edit(known.retype_selection(known.last_dictation().upper()))
    assert field.text == "Seen today. HISTORY OF ATRIAL FIBRILLATION"
    field.select(known.select_last())
    field.edit(known.retype_selection("history of atrial fibrillation"))
    assert field.text == "Seen today. history of atrial fibrillation"
    field.edit(known.apply(Final("on apixaban.", 9.0)))
    assert field.text == "Seen today. history of atrial fibrillation on apixaban."


def test_blanks_are_selected_in_turn_and_filled_by_dictation():
    known, field = KnownField(), Field()
    field.edit(known.insert("Lungs: ***. Heart: ***."))
    field.select(known.select_next("***"))
    field.edit(known.apply(Final("clear", 1.0)))
    field.select(known.select_next("***"))
    field.edit(known.apply(Final("regular rate and rhythm", 2.0)))
    assert field.text == "Lungs: clear. Heart: regular rate and rhythm."
    with pytest.raises(UnknownText, match="no blank"):
        known.select_next("***")


def test_after_the_user_touched_the_field_only_what_is_dictated_next_can_be_selected():
    known, field = dictated("chest pain since monday.")
    known.forget("you clicked")
    with pytest.raises(UnknownText, match="clicked"):
        known.select_words("chest pain")
    with pytest.raises(UnknownText, match="clicked"):
        known.select_last()
    field.edit(known.apply(Final("no chest pain at rest.", 3.0)))
    assert field.text == "Chest pain since monday. No chest pain at rest."  # dictation still joins
    selection = known.select_words("chest pain")
    assert (selection.start, selection.end) == (len("Chest pain since monday. No "), len(field.text) - len(" at rest."))
    assert known.select_last().start == len("Chest pain since monday. ")


def test_a_long_field_keeps_its_head_beyond_the_joining_window():
    known, field = dictated(*(f"sentence number {n}." for n in range(30)))
    assert known.text == field.text and len(field.text) > 400
    field.select(known.select_words("number 3"))
    field.edit(known.apply(Final("number three", 99.0)))
    assert "Sentence number three. Sentence number 4." in field.text
    assert known.text == field.text
