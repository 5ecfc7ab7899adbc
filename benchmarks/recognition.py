"""Runs recorded audio through a recognition stream the way the server does, and times it.

Audio is fed in 250 ms chunks (the chunk size Corti recommends) as fast as the stream takes it, so the
time spent is the engine's own processing time; :mod:`.latency` measures at real-time pace instead.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from dictation_daemon.protocol.messages import TranscribeConfig
from dictation_daemon.server.recognizer import RecognizedSegment, Recognizer
from testkit.speech import SAMPLE_RATE

CHUNK_SAMPLES = SAMPLE_RATE // 4


@dataclass(frozen=True)
class Recognition:
    """What a stream returned for one recording (finals and interims, in order) and how long it took."""

    segments: list[RecognizedSegment]
    audio_seconds: float
    processing_seconds: float

    @property
    def finals(self) -> list[RecognizedSegment]:
        return [segment for segment in self.segments if segment.is_final]

    @property
    def words(self) -> str:
        """The words of all finals, as the engine wrote them."""
        return " ".join(segment.words for segment in self.finals)


def recognise(recognizer: Recognizer, samples: np.ndarray, config: TranscribeConfig) -> Recognition:
    """Streams ``samples`` through a new stream and finishes it, as one flushed dictation."""
    stream = recognizer.open_stream(config)
    segments: list[RecognizedSegment] = []
    started = time.perf_counter()
    for start in range(0, len(samples), CHUNK_SAMPLES):
        segments.extend(stream.accept_audio(samples[start : start + CHUNK_SAMPLES]))
    segments.extend(stream.finish())
    return Recognition(segments, len(samples) / SAMPLE_RATE, time.perf_counter() - started)
