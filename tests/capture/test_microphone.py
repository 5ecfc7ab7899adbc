"""The microphone against the virtual PulseAudio microphone, with real played sounds."""

from __future__ import annotations

import json
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

import numpy as np

from testkit.rig.pulse import VirtualMicrophone, virtual_microphone
from tests.capture.sounds import (
    RATE,
    WINDOW,
    read_pcm,
    tone_level,
    window_rms,
    windows_with_tone,
    write_tone,
    write_word,
)

ROOT = Path(__file__).resolve().parents[2]


def run_child(microphone: VirtualMicrophone, scenario: str, out: Path, *arguments: str) -> dict:
    subprocess.run(
        [sys.executable, "-m", "tests.capture.mic_child", scenario, str(out), *arguments],
        env=microphone.env, cwd=ROOT, check=True, timeout=90,
    )
    result = out / "result.json"
    return json.loads(result.read_text()) if result.exists() else {}


def test_utterance_has_the_word_from_its_beginning_and_the_tail_but_nothing_after(microphone, tmp_path) -> None:
    early = write_tone(tmp_path / "early.wav", 440, 0.4)
    late = write_tone(tmp_path / "late.wav", 1000, 0.2)
    after = write_tone(tmp_path / "after.wav", 2000, 0.3)
    result = run_child(microphone, "preroll_and_tail", tmp_path, microphone.sink, str(early), str(late), str(after))
    assert result["outcome"] == "completed"
    audio = read_pcm(tmp_path / "utterance.pcm")

    early_windows = windows_with_tone(audio, 440)
    assert len(early_windows) > 0
    assert early_windows[0] > 0, "the utterance must begin before the word, in the pre-roll"
    tone_seconds = (early_windows[-1] - early_windows[0] + 1) * WINDOW / RATE
    assert 0.34 <= tone_seconds <= 0.46, f"the whole 400 ms word is there, found {tone_seconds:.2f} s"

    assert len(windows_with_tone(audio, 1000)) >= 5, "the sound played during the tail is captured"
    assert len(windows_with_tone(audio, 2000)) == 0, "nothing played after the tail"
    assert result["overruns"] >= 0 and result["drops"] == 0


def test_a_loop_that_falls_behind_drops_blocks_and_counts_them(microphone, tmp_path) -> None:
    result = run_child(microphone, "fall_behind", tmp_path)
    assert result["drops"] > 0 and result["idle_drops"] == 0


def test_between_utterances_the_loop_is_left_alone_and_the_pre_roll_stays_fresh(microphone, tmp_path) -> None:
    result = run_child(microphone, "idle_quiet", tmp_path)
    assert result["idle_drains"] <= 2, "woken for blocks while nothing was recorded"
    assert result["recording_drains"] >= 5, "recording wakes the loop for every batch"
    assert result["captured"] >= 2 * RATE * (0.3 + 0.4), "the 300 ms pre-roll and the half second after"


def test_cancel_discards_the_utterance(microphone, tmp_path) -> None:
    result = run_child(microphone, "cancel", tmp_path)
    assert result["outcome"] == "cancelled"
    assert result["captured"] > 0 and result["left"] == 0
    assert result["following_outcome"] == "completed"
    assert result["following"] >= 2 * RATE * 0.4, "pre-roll (300 ms) and tail (200 ms), less block rounding"


def test_missing_device_error_names_the_available_ones(microphone, tmp_path) -> None:
    message = run_child(microphone, "missing_device", tmp_path)["error"]
    assert "'no such microphone' matches no input device" in message
    assert "pulse" in message and "default" in message


def test_a_vanished_device_is_reported_and_the_microphone_reopens(microphone, tmp_path) -> None:
    with ExitStack() as stack:
        doomed = stack.enter_context(virtual_microphone("doomed_mic"))
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.capture.mic_child", "lose_and_reopen", str(tmp_path),
             microphone.env["XDG_RUNTIME_DIR"]],
            env=doomed.env, cwd=ROOT, stdout=subprocess.PIPE, text=True,
        )
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    assert child.wait(timeout=60) == 0
    result = json.loads((tmp_path / "result.json").read_text())
    assert result["state"] == "failed"
    assert result["outcome"] == "failed"
    assert len(result["failures"]) == 1 and result["utterance_error"] == result["failures"][0]
    assert result["reopened_state"] == "running"
    assert result["reopened_bytes"] >= 2 * RATE * 0.3


def test_cue_never_reaches_the_dictation_but_speech_over_it_and_after_it_does(microphone, tmp_path) -> None:
    during = write_tone(tmp_path / "during.wav", 440, 0.3, amplitude=0.3)
    word = write_word(tmp_path / "word.wav", "patient")
    run_child(microphone, "cue_then_word", tmp_path, microphone.sink, str(during), str(word))
    raw = read_pcm(tmp_path / "raw.pcm")
    filtered = read_pcm(tmp_path / "filtered.pcm")
    assert len(raw) == len(filtered)
    assert tone_level(raw, 4500).max() > -25, "the cue really reached the microphone"
    assert tone_level(filtered, 4500).max() < -60, "and none of it is left in the dictation"
    assert len(windows_with_tone(filtered, 440)) >= 10, "speech over the cue survives"
    cue_end = np.flatnonzero(tone_level(raw, 4500) > -25)[-1]
    after_cue = window_rms(filtered)[cue_end + 1 :]
    assert (after_cue > 0.01).sum() >= 15, "the word after the cue is there"
