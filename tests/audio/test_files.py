"""Reading recordings from disk for ``transcribe FILE``."""

from __future__ import annotations

import tracemalloc
import wave
from pathlib import Path

import numpy as np
import pytest

from dictation_daemon.audio.decoding import AudioDecodeError
from dictation_daemon.audio.files import Recording, read_pcm16
from tests.audio.media import RATE, encode, envelope_similarity

FILE_FORMATS = {
    "wav": ("wav", "pcm_s16le", 44100),
    "ogg": ("ogg", "libopus", 48000),
    "mp3": ("mp3", "libmp3lame", 22050),
    "flac": ("flac", "flac", 16000),
    "m4a": ("mp4", "aac", 16000),
}


@pytest.mark.parametrize("suffix", FILE_FORMATS)
def test_files_read_as_16khz_mono_pcm16(suffix: str, speech: np.ndarray, tmp_path: Path) -> None:
    container, codec, rate = FILE_FORMATS[suffix]
    path = tmp_path / f"dictation.{suffix}"
    path.write_bytes(encode(speech, container, codec, rate=rate, seekable=True))
    samples = np.frombuffer(read_pcm16(path), dtype="<i2").astype(np.float32) / 32768
    assert abs(len(samples) - len(speech)) < RATE * 0.1
    assert envelope_similarity(samples, speech) > 0.9


def test_unreadable_files_are_named_in_the_error(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not audio at all\n" * 100)
    with pytest.raises(AudioDecodeError, match="notes.txt"):
        read_pcm16(text)
    with pytest.raises(AudioDecodeError, match="missing.wav"):
        read_pcm16(tmp_path / "missing.wav")


def test_a_long_recording_is_decoded_a_frame_at_a_time(tmp_path: Path) -> None:
    """Ten minutes of 44.1 kHz audio (53 MB): reading it through must never hold more than a few frames."""
    path = tmp_path / "long.wav"
    rate, seconds = 44100, 600
    with wave.open(str(path), "wb") as file:
        file.setnchannels(1)
        file.setsampwidth(2)
        file.setframerate(rate)
        tone = (np.sin(np.arange(rate) * 2 * np.pi * 220 / rate) * 8000).astype("<i2").tobytes()
        for _ in range(seconds):
            file.writeframes(tone)
    recording = Recording.open(path)
    assert recording.seconds == pytest.approx(seconds, abs=0.1)
    tracemalloc.start()
    try:
        total = sum(len(chunk) for chunk in recording.pcm16_chunks())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert total == pytest.approx(seconds * 16000 * 2, rel=0.001)
    assert peak < 2_000_000, f"peak {peak} bytes while reading {total} bytes"


def test_a_file_without_samples_reads_as_nothing(tmp_path: Path) -> None:
    path = tmp_path / "empty.wav"
    with wave.open(str(path), "wb") as file:
        file.setnchannels(1)
        file.setsampwidth(2)
        file.setframerate(16000)
    assert read_pcm16(path) == b""
