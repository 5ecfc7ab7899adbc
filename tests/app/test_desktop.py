"""Dictation into a real text field: the daemon, the virtual microphone, xdotool on the hotkey, Tk reading back.

Recognition of synthetic speech varies in small ways, so words are compared normalised where exactness
is not the point; punctuation, capitals and spacing at joins, which the daemon decides, are compared exactly.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from testkit.rig.daemon import TALK, spoken, words
from testkit.rig.textfield import CONTROL_MASK, TextFieldWindow

pytestmark = [pytest.mark.desktop, pytest.mark.engine]

SENTENCE = "the patient reports mild chest pain period"
EXPECTED = "the patient reports mild chest pain".split()


def press(daemon) -> None:
    daemon.xdotool("keydown", TALK)


def release(daemon) -> None:
    """Lets go of the letter before the modifiers: a letter still auto-repeating after the modifiers came up
    would type itself into the field (the daemon listens to keys, it does not take them from the application)."""
    daemon.xdotool("keyup", *reversed(TALK.split("+")))


def hold_and_speak(daemon, microphone, wav: Path) -> None:
    """Holds the push-to-talk combo while the speech plays into the microphone, then lets go."""
    press(daemon)
    try:
        microphone.play(str(wav))
    finally:
        release(daemon)
    daemon.wait_for(lambda status: status["state"] != "listening", "the release to be noticed")
    daemon.wait_idle()


def test_push_to_talk_types_punctuated_text_into_the_focused_field(start_daemon, microphone, x_display, tmp_path):
    daemon = start_daemon()
    with TextFieldWindow(x_display) as window:
        hold_and_speak(daemon, microphone, spoken(tmp_path, "one", SENTENCE))
        text = window.settle(1.0)
    assert words(text) == EXPECTED
    assert text.startswith("The ") and text.endswith("pain.")


def test_two_utterances_join_with_one_space_and_a_capital(start_daemon, microphone, x_display, tmp_path):
    daemon = start_daemon()
    with TextFieldWindow(x_display) as window:
        hold_and_speak(daemon, microphone, spoken(tmp_path, "one", SENTENCE))
        window.settle(0.5)
        hold_and_speak(daemon, microphone, spoken(tmp_path, "two", "she denies fever period"))
        text = window.settle(1.0)
    assert words(text) == [*EXPECTED, "she", "denies", "fever"]
    assert "pain. She denies" in text and "  " not in text
    assert text.startswith("The ") and text.endswith("fever.")


def test_toggle_mode_starts_on_one_press_and_stops_on_the_next(start_daemon, microphone, x_display, tmp_path):
    daemon = start_daemon({"hotkeys": {"mode": "toggle"}})
    with TextFieldWindow(x_display) as window:
        daemon.xdotool("key", TALK)
        daemon.wait_for(lambda status: status["state"] == "listening", "a tap to start dictation")
        microphone.play(str(spoken(tmp_path, "one", SENTENCE)))
        assert daemon.call("status")["state"] == "listening"
        daemon.xdotool("key", TALK)
        daemon.wait_for(lambda status: status["state"] != "listening", "a second tap to stop dictation")
        daemon.wait_idle()
        text = window.settle(1.0)
    assert words(text) == EXPECTED
    assert text.endswith("pain.")


def test_a_first_word_spoken_before_the_key_press_is_kept(start_daemon, microphone, x_display, tmp_path):
    daemon = start_daemon()
    wav = spoken(tmp_path, "prompt", "patient reports mild chest pain period")
    with TextFieldWindow(x_display) as window:
        player = microphone.play(str(wav), wait=False)
        time.sleep(0.3)  # the file opens with 0.2 s of silence: "patient" starts about 0.1 s before the press
        press(daemon)
        try:
            player.wait(timeout=60)
        finally:
            release(daemon)
        daemon.wait_for(lambda status: status["state"] != "listening", "the release to be noticed")
        daemon.wait_idle()
        text = window.settle(1.0)
    assert words(text)[:2] == ["patient", "reports"]


def test_spoken_new_paragraph_starts_a_capitalised_paragraph(start_daemon, microphone, x_display, tmp_path):
    daemon = start_daemon()
    wav = spoken(tmp_path, "paragraph", "mild chest pain period", 0.8, "new paragraph", 0.8, "she denies fever period")
    with TextFieldWindow(x_display) as window:
        hold_and_speak(daemon, microphone, wav)
        text = window.settle(1.0)
    first, _, second = text.partition("\n\n")
    assert words(first) == ["mild", "chest", "pain"] and first.endswith(".")
    assert second.startswith("She ") and words(second) == ["she", "denies", "fever"]


def test_next_section_moves_focus_to_the_next_field(start_daemon, microphone, x_display, tmp_path):
    daemon = start_daemon()
    wav = spoken(tmp_path, "sections", "mild chest pain period", 0.8, "next section", 0.8, "no fever period")
    with TextFieldWindow(x_display) as window:
        window.focus("entry")  # Tab in a Tk Text inserts a tab; from the Entry it moves focus to the Text
        hold_and_speak(daemon, microphone, wav)
        second = window.settle(1.0, field="text")
        first = window.read("entry")
    assert words(first) == ["mild", "chest", "pain"] and first == "Mild chest pain."
    assert second.startswith("No ") and words(second) == ["no", "fever"] and second.endswith(".")


def _clipboard(daemon) -> str:
    return subprocess.run(["xclip", "-selection", "clipboard", "-o"], env=daemon.env, capture_output=True,
                          text=True, timeout=10).stdout


def test_clipboard_mode_pastes_and_restores_the_previous_clipboard(start_daemon, microphone, x_display, tmp_path):
    daemon = start_daemon({"plugins": {"enabled": ["clipboard", "commands"]}})
    previous = subprocess.Popen(["xclip", "-selection", "clipboard", "-i"], env=daemon.env, stdin=subprocess.PIPE)
    previous.communicate(b"copied by the user", timeout=10)
    with TextFieldWindow(x_display) as window:
        hold_and_speak(daemon, microphone, spoken(tmp_path, "one", SENTENCE))
        text = window.settle(1.0)
        pasted = [keysym for keysym, state, *_ in window.key_presses() if keysym.lower() == "v" and state & CONTROL_MASK]
    assert words(text) == EXPECTED and text.endswith("pain.")
    assert pasted, "the text did not arrive by a paste chord"
    deadline = time.monotonic() + 10
    while _clipboard(daemon) != "copied by the user" and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _clipboard(daemon) == "copied by the user"


def test_unicode_from_a_replacement_lands_exactly(start_daemon, microphone, x_display, tmp_path):
    replacements = [{"find": "chest pain", "replace": "Brustschmerz ± 38.5 °C, 5 µg – naïve"}]
    daemon = start_daemon({"transcription": {"replacements": replacements}})
    with TextFieldWindow(x_display) as window:
        hold_and_speak(daemon, microphone, spoken(tmp_path, "one", SENTENCE))
        text = window.settle(1.0)
    assert text.endswith(" mild Brustschmerz ± 38.5 °C, 5 µg – naïve.")
    assert words(text) == [*EXPECTED[:-2], *words("Brustschmerz ± 38.5 °C, 5 µg – naïve")]
