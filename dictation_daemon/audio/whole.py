"""Decodes a complete recording in one go: files, and MP4 streams whose index comes after their samples."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

import av
import numpy as np

from ..protocol.audio_format import SAMPLE_RATE, check_source_rate
from .pcm import frames_to_mono


def decode_whole(source: str | BinaryIO, container: str | None = None, sample_rate: int = SAMPLE_RATE) -> np.ndarray:
    """Returns the first audio track as float32 mono at ``sample_rate``.

    Raises :class:`ValueError` for input without an audio track or with a sample rate no audio uses
    (:class:`~dictation_daemon.protocol.audio_format.UnsupportedAudioFormat`), and lets FFmpeg's own errors
    (:class:`av.FFmpegError`) through; callers turn both into a message about their input.
    """
    return np.concatenate(list(decoded_frames(source, container, sample_rate)))


def decoded_frames(source: str | BinaryIO, container: str | None = None,
                   sample_rate: int = SAMPLE_RATE) -> Iterator[np.ndarray]:
    """The first audio track as float32 mono at ``sample_rate``, a decoded frame at a time (the last piece
    is what the resampler held back), raising as :func:`decode_whole` does."""
    resampler = av.AudioResampler(format="flt", layout="mono", rate=sample_rate)
    with av.open(source, format=container) as media:
        if not media.streams.audio:
            raise ValueError("no audio track")
        check_source_rate(media.streams.audio[0].sample_rate or 0, "the recording")
        for frame in media.decode(media.streams.audio[0]):
            yield frames_to_mono(resampler.resample(frame))
    yield frames_to_mono(resampler.resample(None))
