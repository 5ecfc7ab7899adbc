"""More dictation into real text fields: live interim text, scratch that, paste-last, cancel, auto mode,
auto-repeat of a held combo and sound cues, each through the daemon as users run it.

The helpers of ``test_desktop`` hold and release the combo the way a user does; this file adds the
variants those tests leave out.
"""

from __future__ import annotations

import signal
import subprocess
import time
import wave
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import Xlib.display
from Xlib import X

from dictation_daemon.capture.cues import CUE_HZ
from dictation_daemon.rpc.client import RpcClient
from testkit.rig.daemon import TALK, spoken, words
from testkit.rig.keys import recorded_keys
from testkit.rig.textfield import TextFieldWindow
from tests.app.test_desktop import EXPECTED, SENTENCE, hold_and_speak, press, release

pytestmark = [pytest.mark.desktop, pytest.mark.engine]

CANCEL = "ctrl+alt+c"
PASTE_LAST = "ctrl+alt+v"


def _notifications(listener: RpcClient, until_state: str = "idle") -> tuple[list[str], list[str]]:
    """Reads notifications until ``until_state`` is announced; returns (final texts, states in order)."""
    finals: list[str] = []
    states: list[str] = []
    while until_state not in states:
        message = listener.receive()
        if message.get("method") == "transcript" and message["params"]["isFinal"]:
            finals.append(message["params"]["text"])
        elif message.get("method") == "state":
            states.append(message["params"]["state"])
    return finals, states


def _listener(daemon: Any) -> RpcClient:
    """A connected socket client that receives the daemon's notifications from now on."""
    client = RpcClient(daemon.socket)
    client.call("status")  # the server has registered the client once it answered
    return client


def test_live_interim_text_is_replaced_in_place_by_exactly_the_final_text(start_daemon, microphone, x_display, tmp_path):
    # Toggle mode: with a held Ctrl+Alt combo nothing may be typed before the release, so no interim would show.
    daemon = start_daemon({"hotkeys": {"mode": "toggle"}, "plugins": {"keystroke": {"interim": True}}})
    wav = spoken(tmp_path, "long", "the patient reports mild chest pain radiating to the left arm since yesterday evening period")
    seen_while_speaking: set[str] = set()
    with _listener(daemon) as listener, TextFieldWindow(x_display) as window:
        daemon.xdotool("key", TALK)
        daemon.wait_for(lambda status: status["state"] == "listening", "a tap to start dictation")
        player = microphone.play(str(wav), wait=False)
        while player.poll() is None:
            seen_while_speaking.add(window.read())
            time.sleep(0.05)
        daemon.xdotool("key", TALK)
        finals, _ = _notifications(listener)
        text = window.settle(1.0)
    assert seen_while_speaking - {""}, "no interim text was typed while the speech played"
    assert text.casefold() == " ".join(final.strip() for final in finals).casefold()
    assert text[0].isupper() and text.endswith(".")


def test_scratch_that_removes_the_last_inserted_segment(start_daemon, microphone, x_display, tmp_path):
    daemon = start_daemon()
    with TextFieldWindow(x_display) as window:
        hold_and_speak(daemon, microphone, spoken(tmp_path, "one", SENTENCE))
        first = window.settle(0.5)
        hold_and_speak(daemon, microphone, spoken(tmp_path, "two", "she denies fever period"))
        both = window.settle(0.5)
        hold_and_speak(daemon, microphone, spoken(tmp_path, "scratch", "scratch that"))
        text = window.settle(1.0)
    assert words(first) == EXPECTED and words(both) == [*EXPECTED, "she", "denies", "fever"]
    assert text == first


def test_paste_last_hotkey_and_command_insert_the_last_dictation_into_another_window(
        start_daemon, microphone, x_display, tmp_path):
    daemon = start_daemon({"hotkeys": {"paste_last": PASTE_LAST}})
    with TextFieldWindow(x_display) as wrong, TextFieldWindow(x_display, window_class="otherfield") as right:
        wrong.focus("text")
        hold_and_speak(daemon, microphone, spoken(tmp_path, "one", SENTENCE))
        dictated = wrong.settle(1.0)
        right.focus("entry")
        daemon.xdotool("key", PASTE_LAST)
        by_hotkey = right.settle(1.0, field="entry", changed_from="")  # nothing says when the hotkey's paste begins
        assert daemon.cli("paste-last").returncode == 0
        by_command = right.settle(1.0, field="entry")
    assert words(dictated) == EXPECTED
    assert by_hotkey == dictated, "a new window starts a field: the text lands exactly as dictated"
    assert by_command == f"{dictated} {dictated}", "joined to the text before it like any dictation"


def test_cancel_hotkey_discards_the_utterance(start_daemon, microphone, x_display, tmp_path):
    daemon = start_daemon({"hotkeys": {"cancel": CANCEL}})
    with _listener(daemon) as listener, TextFieldWindow(x_display) as window:
        press(daemon)
        try:
            microphone.play(str(spoken(tmp_path, "one", SENTENCE)))
            daemon.xdotool("keydown", "c")  # Ctrl and Alt are still down: Ctrl+Alt+C
            daemon.xdotool("keyup", "c")
        finally:
            release(daemon)
        _, states = _notifications(listener)
        status = daemon.wait_idle()
        text = window.settle(1.0)
    assert states == ["listening", "idle"], "a cancel while listening goes straight back to idle"
    assert text == ""
    assert status["history"] == 0


def test_auto_mode_tap_toggles_and_a_hold_is_push_to_talk(start_daemon, microphone, x_display, tmp_path):
    daemon = start_daemon({"hotkeys": {"mode": "auto"}})
    with TextFieldWindow(x_display) as window:
        daemon.xdotool("key", TALK)  # a tap: a few milliseconds between press and release
        daemon.wait_for(lambda status: status["state"] == "listening", "a tap to start dictation")
        microphone.play(str(spoken(tmp_path, "one", SENTENCE)))
        # Seconds after the tap, its release has been handled: a hold would have stopped dictation by now.
        assert daemon.call("status")["state"] == "listening", "a tap keeps dictation on"
        daemon.xdotool("key", TALK)
        daemon.wait_for(lambda status: status["state"] != "listening", "a second tap to stop dictation")
        daemon.wait_idle()
        first = window.settle(0.5)
        hold_and_speak(daemon, microphone, spoken(tmp_path, "two", "she denies fever period"))
        text = window.settle(1.0)
    assert words(first) == EXPECTED and first.endswith("pain.")
    assert words(text) == [*EXPECTED, "she", "denies", "fever"] and text.endswith("pain. She denies fever.")


def test_auto_repeat_while_holding_the_combo_is_one_utterance(start_daemon, microphone, x_display, tmp_path):
    screen = Xlib.display.Display(x_display)
    screen.change_keyboard_control(auto_repeat_mode=X.AutoRepeatModeOn)
    screen.sync()
    screen.close()
    daemon = start_daemon()
    with _listener(daemon) as listener, TextFieldWindow(x_display) as window:
        with recorded_keys(x_display) as keys:
            hold_and_speak(daemon, microphone, spoken(tmp_path, "one", SENTENCE, 1.0))
        _, states = _notifications(listener)
        text = window.settle(1.0)
    assert keys.count(("press", "d")) > 10, "the held key did not auto-repeat"
    assert states == ["listening", "finishing", "idle"]
    assert words(text) == EXPECTED and text.endswith("pain.")


def _cue_level(recording: Path) -> float:
    """Share of the recording's spectral energy within 100 Hz of the cue tone."""
    with wave.open(str(recording)) as wav:
        samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2").astype(np.float64)
        rate = wav.getframerate()
    spectrum = np.abs(np.fft.rfft(samples)) ** 2
    frequencies = np.fft.rfftfreq(len(samples), 1 / rate)
    return float(spectrum[np.abs(frequencies - CUE_HZ) < 100].sum() / spectrum.sum())


def test_sound_cues_reach_the_microphone_but_never_the_dictation(start_daemon, microphone, x_display, tmp_path):
    # The virtual microphone is the default output's monitor, so the cues are played straight into it.
    daemon = start_daemon({"audio": {"cues": True, "cue_volume": 0.8}})
    recording = tmp_path / "heard.wav"
    recorder = subprocess.Popen(["parecord", f"--device={microphone.source}", "--rate=16000", "--channels=1",
                                 "--format=s16le", "--file-format=wav", str(recording)], env=microphone.env)
    try:
        with TextFieldWindow(x_display) as window:
            hold_and_speak(daemon, microphone, spoken(tmp_path, "one", SENTENCE))
            text = window.settle(1.0)
    finally:
        recorder.send_signal(signal.SIGINT)  # parecord finishes the WAV header on SIGINT
        recorder.wait(timeout=10)
    assert _cue_level(recording) > 0.01, "the cues did not reach the microphone"
    assert words(text) == EXPECTED
    assert text.startswith("The ") and text.endswith("pain.")
