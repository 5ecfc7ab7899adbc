"""Editing by voice in a real text field: auto-texts with blanks, "select", "cap that", and the refusal after
the user clicks. The daemon, the virtual microphone, xdotool on the hotkey, a Tk field read back.

Each command is its own push-to-talk utterance, as a clinician says it. Words the model decides are
compared normalised; the structure the daemon decides (which words were replaced, the blanks, the
capitals it retyped) is compared exactly.
"""

from __future__ import annotations

import re

import pytest

from testkit.rig.daemon import spoken, words
from testkit.rig.textfield import TextFieldWindow

from .test_desktop import hold_and_speak
from .test_indicator import indicator_geometry, screenshot

pytestmark = [pytest.mark.desktop, pytest.mark.engine]

AUTOTEXTS = {"texts": [{"id": "normal_exam", "phrases": ["insert normal exam"],
                        "text": "Lungs: ***. Heart: ***."}]}
EDITING = {"editing": {"voice_commands": True}}


def say(daemon, microphone, tmp_path, name: str, text: str, window: TextFieldWindow) -> str:
    hold_and_speak(daemon, microphone, spoken(tmp_path, name, text))
    return window.settle(1.0)


def test_an_autotext_is_inserted_and_its_two_blanks_are_filled_by_voice(start_daemon, microphone, x_display, tmp_path):
    daemon = start_daemon({"autotexts": AUTOTEXTS})
    with TextFieldWindow(x_display) as window:
        assert say(daemon, microphone, tmp_path, "insert", "insert normal exam", window) == "Lungs: ***. Heart: ***."
        first = say(daemon, microphone, tmp_path, "lungs", "clear with good air entry", window)
        assert re.fullmatch(r"Lungs: ([^*]+)\. Heart: \*\*\*\.", first), first
        say(daemon, microphone, tmp_path, "next", "next blank", window)
        text = say(daemon, microphone, tmp_path, "heart", "regular rate and rhythm", window)
    filled = re.fullmatch(r"Lungs: ([^*]+)\. Heart: ([^*]+)\.", text)
    assert filled, text
    assert words(filled.group(1)) == "clear with good air entry".split()
    assert words(filled.group(2)) == "regular rate and rhythm".split()


def test_select_replaces_words_and_cap_that_retypes_the_last_dictation(start_daemon, microphone, x_display, tmp_path):
    daemon = start_daemon(EDITING)
    with TextFieldWindow(x_display) as window:
        before = say(daemon, microphone, tmp_path, "pain", "the patient reports chest pain period", window)
        assert words(before) == "the patient reports chest pain".split()
        say(daemon, microphone, tmp_path, "select", "select chest pain", window)
        replaced = say(daemon, microphone, tmp_path, "abdominal", "abdominal pain", window)
        assert words(replaced) == "the patient reports abdominal pain".split()
        new = re.fullmatch(r"The patient reports (.+)\.", replaced)
        assert new, replaced
        text = say(daemon, microphone, tmp_path, "cap", "cap that", window)
    assert text == "The patient reports " + " ".join(word[:1].upper() + word[1:] for word in new.group(1).split(" ")) + "."


def test_after_a_click_in_the_field_select_changes_nothing(start_daemon, microphone, x_display, tmp_path):
    daemon = start_daemon(EDITING)
    with TextFieldWindow(x_display) as window:
        before = say(daemon, microphone, tmp_path, "pain", "the patient reports chest pain period", window)
        daemon.xdotool("mousemove", "--window", str(window.window_id), "40", "20", "click", "1")
        clicked = window.settle(0.5)
        ready = indicator_geometry(daemon)
        say(daemon, microphone, tmp_path, "select", "select chest pain", window)
        after = window.settle(1.0)
        explained = indicator_geometry(daemon)
        screenshot(x_display, explained, tmp_path / "why.png")
    assert after == clicked == before
    assert "command select_words not carried out: the daemon no longer knows this field's text: you clicked" \
        in daemon.log.read_text()
    assert explained[3] > ready[3], "the indicator grew the line that says why"
