"""The test rig itself works: the screen answers and the virtual microphone records what is played."""

from __future__ import annotations

import subprocess
import time
import wave

import numpy as np


def test_display_answers(x_display: str) -> None:
    result = subprocess.run(["xdpyinfo"], env={"DISPLAY": x_display}, capture_output=True, text=True)
    assert result.returncode == 0
    assert "1280x800" in result.stdout


def test_microphone_records_what_is_played(microphone, tmp_path) -> None:
    tone = (0.5 * np.sin(2 * np.pi * 440 * np.arange(16000) / 16000) * 32767).astype(np.int16)
    source = tmp_path / "tone.wav"
    with wave.open(str(source), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(tone.tobytes())
    recording = tmp_path / "recorded.wav"
    recorder = subprocess.Popen(
        ["parecord", f"--device={microphone.source}", "--rate=16000", "--channels=1", "--file-format=wav", str(recording)],
        env=microphone.env,
    )
    time.sleep(0.5)
    microphone.play(str(source))
    time.sleep(0.5)
    recorder.terminate()
    recorder.wait(timeout=10)
    with wave.open(str(recording)) as recorded_file:
        recorded = np.frombuffer(recorded_file.readframes(recorded_file.getnframes()), dtype=np.int16)
    assert np.abs(recorded).max() > 8000, "the tone did not reach the monitor source"
