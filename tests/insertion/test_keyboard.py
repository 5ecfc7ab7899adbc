"""Typing into a real Tk text field on the test screen, read back from the field itself."""

from __future__ import annotations

import subprocess
import threading
import time

import pytest

from dictation_daemon.insertion.outcome import InsertionError, KeysHeld
from dictation_daemon.insertion.rules import FieldText
from testkit.rig.textfield import CONTROL_MASK, TextFieldWindow

MEDICAL_UNICODE = "Temp 38.5 °C, 5 µg ± 0.5, naïve – café “quoted”"


def xdotool(display: str, *arguments: str) -> None:
    subprocess.run(["xdotool", *arguments], env={"DISPLAY": display}, check=True)


def test_types_ascii_sentences(typer, field: TextFieldWindow) -> None:
    text = "Blood pressure 120/80, heart rate 72. Lungs clear; no edema (bilateral)! Plan: 100% follow-up?"
    report = typer.type_text(text)
    assert field.settle() == text
    assert report.typed == len(text)
    assert report.window is not None and report.window.has_class({field.window_class})


def test_types_unicode_exactly(typer, field: TextFieldWindow) -> None:
    typer.type_text(MEDICAL_UNICODE)
    assert field.settle() == MEDICAL_UNICODE


def test_unicode_stays_exact_over_repeated_runs(typer, field: TextFieldWindow) -> None:
    for _ in range(4):
        typer.type_text(MEDICAL_UNICODE + "\n")
    typer.type_text("ü ß ² ≤ →")
    assert field.settle() == (MEDICAL_UNICODE + "\n") * 4 + "ü ß ² ≤ →"


def test_refuses_text_needing_more_keycodes_than_are_spare(typer, field: TextFieldWindow) -> None:
    greek = "αβγδεζηθικλμνξοπρστυφχψω ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ"
    with pytest.raises(InsertionError, match="spare keycodes") as refused:
        typer.type_text(greek)
    assert refused.value.typed == 0
    typer.type_text(MEDICAL_UNICODE)
    assert field.settle() == MEDICAL_UNICODE


def test_key_presses_are_real_not_synthetic(typer, field: TextFieldWindow) -> None:
    typer.type_text("a°b")
    field.settle()
    assert [(keysym, synthetic) for keysym, _, synthetic in field.key_presses()] == [
        ("a", False), ("degree", False), ("b", False),
    ]


def test_newlines_are_return(typer, field: TextFieldWindow) -> None:
    typer.type_text("Findings:\nnormal.\n\nPlan")
    assert field.settle() == "Findings:\nnormal.\n\nPlan"


def test_types_into_a_one_line_entry(typer, field: TextFieldWindow) -> None:
    field.focus("entry")
    typer.type_text("Entry 5 µg")
    assert field.settle(field="entry") == "Entry 5 µg"
    assert field.read("text") == ""


def test_backspace_and_interim_replacement(typer, field: TextFieldWindow) -> None:
    field.set("Exam:")
    model = FieldText("Exam:")
    for segment in [
        ("heart sound", 0.0, 0.5, False),
        ("heart sounds normal", 0.0, 1.0, False),
        ("heart sounds normal.", 0.0, 1.1, True),
        ("lungs", 1.1, 1.5, False),
        ("lungs clear", 1.1, 1.9, False),
    ]:
        edit = model.apply(_segment(*segment))
        assert edit is not None
        typer.apply(edit)
    assert field.settle() == "Exam: heart sounds normal. Lungs clear" == model.text
    typer.apply(model.apply(_segment("lungs clear.", 1.1, 2.0, True)))
    assert field.settle() == "Exam: heart sounds normal. Lungs clear."
    report = typer.apply(model.scratch_that())
    assert report.deleted == len(" Lungs clear.")
    assert field.settle() == "Exam: heart sounds normal."
    typer.backspace(len(" normal."))
    assert field.settle() == "Exam: heart sounds"


def test_waits_for_a_held_modifier_then_types_everything(typer, field: TextFieldWindow) -> None:
    display = field.display
    xdotool(display, "keydown", "ctrl")
    released_at: list[float] = []

    def release_later() -> None:
        time.sleep(0.6)
        released_at.append(time.monotonic())
        xdotool(display, "keyup", "ctrl")

    releaser = threading.Thread(target=release_later)
    try:
        releaser.start()
        report = typer.type_text("hello world today")
        finished_at = time.monotonic()
    finally:
        releaser.join()
    assert report.modifier_wait >= 0.5
    assert finished_at >= released_at[0]
    assert field.settle() == "hello world today"
    letters = [(keysym, state) for keysym, state, _ in field.key_presses() if keysym not in ("Control_L",)]
    assert letters and all(not state & CONTROL_MASK for _, state in letters)


def test_refuses_while_a_modifier_stays_down(display_env: str, field: TextFieldWindow) -> None:
    from dictation_daemon.insertion.keyboard import KeystrokeTyper

    xdotool(field.display, "keydown", "ctrl")
    try:
        with KeystrokeTyper(held_keys_timeout=0.3) as typer, pytest.raises(KeysHeld) as refused:
            typer.type_text("hello")
    finally:
        xdotool(field.display, "keyup", "ctrl")
    assert refused.value.held == ["Control_L"]
    assert refused.value.typed == 0
    assert field.settle() == ""
    assert [keysym for keysym, _, _ in field.key_presses()] == ["Control_L"]


def test_caps_lock_does_not_change_the_case_and_stays_on(typer, field: TextFieldWindow) -> None:
    xdotool(field.display, "key", "Caps_Lock")
    try:
        typer.type_text("Hello World é")
        assert field.settle() == "Hello World é"
        assert typer._keys.caps_lock_on()
    finally:
        xdotool(field.display, "key", "Caps_Lock")


def test_press_chord_sends_modifiers_with_the_key(typer, field: TextFieldWindow) -> None:
    typer.type_text("abc")
    field.settle()
    typer.press_chord("ctrl+a")
    presses = field.key_presses()
    assert ("a", CONTROL_MASK) in [(keysym, state & CONTROL_MASK) for keysym, state, _ in presses[-2:]]
    typer.type_text("X")
    assert field.settle() == "Xabc"  # Ctrl+A moves a Tk text cursor to the start of the line


def test_typing_speed(typer, field: TextFieldWindow) -> None:
    ascii_text = "The patient is a 54 year old man with chest pain. " * 4
    started = time.monotonic()
    typer.type_text(ascii_text)
    ascii_rate = len(ascii_text) / (time.monotonic() - started)
    symbols = "°µ±–“”ïé" * 25
    started = time.monotonic()
    typer.type_text(symbols)
    symbol_rate = len(symbols) / (time.monotonic() - started)
    assert field.settle() == ascii_text + symbols
    print(f"typing speed: {ascii_rate:.0f} ASCII characters/s, {symbol_rate:.0f} non-ASCII characters/s")
    assert ascii_rate > 100 and symbol_rate > 100


def _segment(text: str, start: float, end: float, is_final: bool):
    from dictation_daemon.protocol.messages import TranscriptData

    return TranscriptData(text=text, raw_transcript_text=text, start=start, end=end, is_final=is_final)
