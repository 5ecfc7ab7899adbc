"""Reading recordings from disk for ``transcribe FILE``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from dictation_daemon.audio.decoding import AudioDecodeError
from dictation_daemon.audio.files import read_pcm16
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
