"""Helpers for feeding real audio through a recognition stream the way the server does."""

from __future__ import annotations

import numpy as np

from dictation_daemon.protocol.messages import TranscribeConfig
from dictation_daemon.server.recognizer import RecognitionStream, RecognizedSegment
from testkit.speech import SAMPLE_RATE

CHUNK = SAMPLE_RATE // 4
"""Audio arrives in 250 ms chunks, as Corti recommends clients send it."""


def english(**options: object) -> TranscribeConfig:
    return TranscribeConfig(primary_language="en", **options)


def stream_through(stream: RecognitionStream, samples: np.ndarray) -> list[RecognizedSegment]:
    """Everything ``accept_audio`` returns for ``samples`` fed in 250 ms chunks (no ``finish``)."""
    results: list[RecognizedSegment] = []
    for start in range(0, len(samples), CHUNK):
        results.extend(stream.accept_audio(samples[start : start + CHUNK]))
    return results


def voiced_bounds(samples: np.ndarray) -> tuple[float, float]:
    """Where a clean synthetic clip's sound starts and stops: the first and last 10 ms above -50 dBFS."""
    frame = SAMPLE_RATE // 100
    frames = samples[: len(samples) // frame * frame].reshape(-1, frame).astype(np.float64)
    levels = 20 * np.log10(np.sqrt(np.mean(frames**2, axis=1)) + 1e-10)
    loud = np.flatnonzero(levels > -50)
    return loud[0] * frame / SAMPLE_RATE, (loud[-1] + 1) * frame / SAMPLE_RATE


def words_of(text: str) -> str:
    """Lower case with punctuation removed, for comparing what was heard with what was said."""
    return " ".join("".join(c for c in text.lower() if c.isalnum() or c.isspace()).split())
