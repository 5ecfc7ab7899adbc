"""Typing through wtype into a native GTK field on a headless sway, read back from the field itself.

The joining rules are the ones the X11 path uses (:class:`~dictation_daemon.plugins.field.FocusedField`
over :class:`~dictation_daemon.insertion.rules.FieldText`); here they drive the Wayland typer.
"""

from __future__ import annotations

import asyncio

import pytest

from dictation_daemon.events.dictation import TranscriptEvent
from dictation_daemon.insertion.chords import Chord
from dictation_daemon.insertion.clipboard import PasteRules
from dictation_daemon.insertion.rules import Edit
from dictation_daemon.insertion.wtype import WtypeTyper
from dictation_daemon.plugins.field import FocusedField
from testkit.rig.wayland import WaylandTextField

pytestmark = [pytest.mark.desktop]

MEDICAL_UNICODE = "Temp 38.5 °C, 5 µg ± 0.5, naïve – café “quoted”"


def final(text: str, start: float, end: float) -> TranscriptEvent:
    return TranscriptEvent(text, text, start, end, True)


def interim(text: str, start: float, end: float) -> TranscriptEvent:
    return TranscriptEvent(text, text, start, end, False)


def run_segments(*steps: TranscriptEvent | str) -> None:
    """Feeds segments (or ``"scratch that"``) to a focused field that types through wtype."""

    async def feed() -> None:
        focused = FocusedField(WtypeTyper)
        await focused.open()
        try:
            for step in steps:
                if step == "scratch that":
                    await focused.scratch_that()
                else:
                    assert isinstance(step, TranscriptEvent)
                    await focused.segment(step)
        finally:
            await focused.close()

    asyncio.run(feed())


def test_types_a_final(field: WaylandTextField) -> None:
    text = "Blood pressure 120/80, heart rate 72. Lungs clear; no edema (bilateral)! Plan: 100% follow-up?"
    report = WtypeTyper().apply(Edit(insert=text))
    assert field.wait_for(text) == text
    assert report.typed == len(text) and report.method == "keystrokes"
    assert report.window is not None and report.window.instance == field.app_id


def test_types_unicode_exactly(field: WaylandTextField) -> None:
    typer = WtypeTyper()
    typer.apply(Edit(insert=MEDICAL_UNICODE + "\n"))
    typer.apply(Edit(insert="°µ±ï– -5 mg"))
    expected = MEDICAL_UNICODE + "\n°µ±ï– -5 mg"
    assert field.wait_for(expected) == expected


def test_spacing_and_capitals_at_the_join(field: WaylandTextField) -> None:
    run_segments(final("the patient reports mild chest pain.", 0.0, 2.0), final("she denies fever", 2.1, 3.0),
                 final(",", 3.0, 3.1), final("no rash.", 3.2, 4.0))
    expected = "The patient reports mild chest pain. She denies fever, no rash."
    assert field.wait_for(expected) == expected


def test_scratch_that_takes_back_the_last_segment(field: WaylandTextField) -> None:
    run_segments(final("mild chest pain.", 0.0, 1.0), final("she denies fever.", 1.1, 2.0), "scratch that",
                 final("no fever.", 2.1, 3.0))
    assert field.wait_for("Mild chest pain. No fever.") == "Mild chest pain. No fever."


def test_interim_text_is_replaced_in_place(field: WaylandTextField) -> None:
    run_segments(interim("heart sound", 0.0, 0.5), interim("heart sounds normal", 0.0, 1.0),
                 final("heart sounds normal.", 0.0, 1.1), interim("lungs", 1.1, 1.5),
                 interim("lung clear", 1.1, 1.9), final("lungs clear.", 1.1, 2.0))
    assert field.wait_for("Heart sounds normal. Lungs clear.") == "Heart sounds normal. Lungs clear."


def test_a_chord_reaches_the_field(field: WaylandTextField) -> None:
    """Ctrl+A selects all in GTK: the text typed next replaces it."""
    field.set("old text")
    typer = WtypeTyper()
    typer.press_chord(Chord.parse("ctrl+a"))
    typer.apply(Edit(insert="new"))
    assert field.wait_for("new") == "new"


def test_the_window_is_known_by_its_app_id_for_paste_rules(wayland_env) -> None:
    with WaylandTextField(wayland_env, app_id="foot") as terminal:
        window = WtypeTyper().focused_window()
        assert window is not None and window.instance == terminal.app_id
        assert PasteRules().chord_for(window) == Chord.parse("ctrl+shift+v")
