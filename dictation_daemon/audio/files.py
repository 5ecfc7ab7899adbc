"""Reads a recording from disk as 16 kHz mono PCM16, for transcribing files rather than live capture.

A file is decoded as it is sent, a frame at a time: a two-hour recording is about 230 MB as PCM16, and
holding it whole (as the first version did) took nearly 2 GB at its peak.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from ..protocol.audio_format import SAMPLE_RATE, check_source_rate
from .decoding import AudioDecodeError
from .whole import decoded_frames


@dataclass(frozen=True)
class Recording:
    """An audio file on disk, checked to hold an audio track at a rate audio uses."""

    path: Path
    seconds: float | None
    """Its length as the container states it (``None`` when it does not), for a progress bar."""

    @classmethod
    def open(cls, path: str | Path) -> Recording:
        """Raises :class:`AudioDecodeError` naming the file when it is missing, unreadable or holds no audio."""
        with _reading(path):
            with av.open(str(path)) as media:
                if not media.streams.audio:
                    raise ValueError("no audio track")
                check_source_rate(media.streams.audio[0].sample_rate or 0, "the recording")
                seconds = media.duration / av.time_base if media.duration else None
        return cls(Path(path), seconds)

    def pcm16_chunks(self, sample_rate: int = SAMPLE_RATE) -> Iterator[bytes]:
        """The first audio track as little-endian PCM16 mono at ``sample_rate``, decoded frame by frame;
        raises :class:`AudioDecodeError` if the file turns out to be damaged part-way."""
        with _reading(self.path):
            for samples in decoded_frames(str(self.path), sample_rate=sample_rate):
                yield _pcm16(samples)


def read_pcm16(path: str | Path, sample_rate: int = SAMPLE_RATE) -> bytes:
    """A whole (short) file as PCM16 mono: for tests and tools that want it in memory."""
    return b"".join(Recording.open(path).pcm16_chunks(sample_rate))


def _pcm16(samples: np.ndarray) -> bytes:
    return (np.clip(samples, -1.0, 1.0) * 32767.0).round().astype("<i2").tobytes()


@contextmanager
def _reading(path: str | Path) -> Iterator[None]:
    """Turns what FFmpeg, the file system or the rate check raise into an :class:`AudioDecodeError`."""
    try:
        yield
    except (av.FFmpegError, OSError, ValueError) as error:
        raise AudioDecodeError(f"cannot read audio from {path}: {error}") from None
