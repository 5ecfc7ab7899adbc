"""Reads a recording from disk as 16 kHz mono PCM16, for transcribing files rather than live capture."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np

from ..protocol.audio_format import SAMPLE_RATE
from .decoding import AudioDecodeError
from .whole import decode_whole


def read_pcm16(path: str | Path, sample_rate: int = SAMPLE_RATE) -> bytes:
    """Decodes any audio file FFmpeg reads (WAV, Ogg/Opus, MP3, FLAC, M4A, ...) to little-endian PCM16 mono.

    Raises :class:`AudioDecodeError` naming the file when it is missing, unreadable or holds no audio.
    """
    try:
        samples = decode_whole(str(path), sample_rate=sample_rate)
    except (av.FFmpegError, OSError, ValueError) as exc:
        raise AudioDecodeError(f"cannot read audio from {path}: {exc}") from None
    return (np.clip(samples, -1.0, 1.0) * 32767.0).round().astype("<i2").tobytes()
