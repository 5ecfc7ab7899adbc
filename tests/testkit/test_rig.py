"""The test rig itself works: the screen answers and the virtual microphone records what is played."""

from __future__ import annotations

import subprocess
import sys
import wave

import numpy as np

# Recording runs in a child process, because PortAudio reads the PulseAudio location once, at start.
RECORD_WHILE_PLAYING = """
import sys, time, subprocess, numpy as np, sounddevice as sd
chunks = []
with sd.InputStream(samplerate=16000, channels=1, dtype="int16", callback=lambda data, *_: chunks.append(data.copy())):
    time.sleep(0.3)
    subprocess.run(["paplay", "--device=" + sys.argv[1], sys.argv[2]], check=True)
    time.sleep(0.3)
print(int(np.abs(np.concatenate(chunks)).max()))
"""


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
    result = subprocess.run(
        [sys.executable, "-c", RECORD_WHILE_PLAYING, microphone.sink, str(source)],
        env=microphone.env, capture_output=True, text=True, timeout=60, check=True,
    )
    assert int(result.stdout) > 8000, "the tone did not reach the capture device"
