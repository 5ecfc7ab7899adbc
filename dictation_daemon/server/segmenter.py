"""Streaming speech segmentation by energy: finds where utterances start and where a pause ends them.

Pure computation on sample arrays, no I/O. A segment closes after ``pause_seconds`` of quiet, so the
recognizer can decode each stretch of speech while the speaker goes on, and only the last, short stretch
is left to decode when the client flushes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..protocol.audio_format import SAMPLE_RATE

FRAME_SECONDS = 0.02


@dataclass(frozen=True)
class SpeechSpan:
    """Speech found in the stream: its samples (with a little padding) and where they lie, in seconds.

    ``start``/``end`` bound the padded samples; ``voiced_start``/``voiced_end`` bound the frames that were
    actually loud enough, which is where the words are, and ``voiced_seconds`` says how much of the span
    was voiced: a recognizer can treat a span with very little voice as a likely click or breath.
    """

    samples: np.ndarray
    start: float
    end: float
    voiced_start: float
    voiced_end: float
    voiced_seconds: float


class SpeechSegmenter:
    """Splits a stream into speech spans at pauses.

    A frame counts as speech when its RMS level is above ``threshold_dbfs`` and clearly above the noise
    floor measured so far, so a quiet room and a hissy microphone both work.
    """

    def __init__(
        self,
        sample_rate: int = SAMPLE_RATE,
        pause_seconds: float = 0.5,
        threshold_dbfs: float = -45.0,
        padding_seconds: float = 0.2,
        max_span_seconds: float = 25.0,
        min_speech_seconds: float = 0.1,
    ) -> None:
        self.sample_rate = sample_rate
        self.pause_seconds = pause_seconds
        self._frame = int(sample_rate * FRAME_SECONDS)
        self._pause_frames = max(1, round(pause_seconds / FRAME_SECONDS))
        self._padding = int(sample_rate * padding_seconds)
        self._max_span = int(sample_rate * max_span_seconds)
        self._min_speech_frames = max(1, round(min_speech_seconds / FRAME_SECONDS))
        self._threshold_dbfs = threshold_dbfs
        self._noise_floor_dbfs = -90.0
        self._buffer = np.zeros(0, dtype=np.float32)
        self._buffer_start = 0  # stream sample index of _buffer[0]
        self._analysed = 0  # stream samples already classified into frames
        self._speech_start: int | None = None
        self._first_voiced = 0
        self._last_voiced_end = 0
        self._closed_until = 0  # stream sample index where the last span ended; padding never reaches back past it
        self._voiced_frames = 0

    @property
    def samples_seen(self) -> int:
        return self._buffer_start + len(self._buffer)

    def feed(self, samples: np.ndarray) -> list[SpeechSpan]:
        """Adds samples; returns the spans that a pause (or the length limit) closed."""
        self._buffer = np.concatenate([self._buffer, samples.astype(np.float32, copy=False)])
        closed: list[SpeechSpan] = []
        while self.samples_seen - self._analysed >= self._frame:
            frame_start = self._analysed
            offset = frame_start - self._buffer_start
            frame = self._buffer[offset : offset + self._frame]
            self._analysed += self._frame
            span = self._classify(frame, frame_start)
            if span is not None:
                closed.append(span)
        self._trim()
        return closed

    def open_span(self) -> SpeechSpan | None:
        """The speech heard so far in a span that has not closed yet (for interim results)."""
        if self._speech_start is None or self._voiced_frames < self._min_speech_frames:
            return None
        return self._span(self._speech_start, self.samples_seen)

    @property
    def trailing_silence_seconds(self) -> float:
        """How long the open span has been quiet: 0 while its last frame is voiced or no span is open."""
        if self._speech_start is None:
            return 0.0
        return (self._analysed - self._last_voiced_end) / self.sample_rate

    def ending_span(self) -> SpeechSpan | None:
        """The open span as :meth:`close` would return it now, without closing it.

        A recognizer can decode this ahead while a short silence may still turn out to be the end.
        """
        if self._speech_start is None or self._voiced_frames < self._min_speech_frames:
            return None
        return self._span(self._speech_start, min(self.samples_seen, self._last_voiced_end + self._padding))

    def close(self) -> SpeechSpan | None:
        """Closes the current span now (the client flushed), if it holds enough speech to decode."""
        if self._speech_start is None:
            return None
        enough = self._voiced_frames >= self._min_speech_frames
        span = self._close_at(min(self.samples_seen, self._last_voiced_end + self._padding))
        self._trim()
        return span if enough else None

    # --- internals ------------------------------------------------------------------------------

    def _classify(self, frame: np.ndarray, frame_start: int) -> SpeechSpan | None:
        level = 20 * np.log10(float(np.sqrt(np.mean(frame.astype(np.float64) ** 2))) + 1e-10)
        voiced = level > max(self._threshold_dbfs, self._noise_floor_dbfs + 12.0)
        if not voiced:
            # The floor follows quiet frames quickly downwards and slowly upwards.
            rate = 0.3 if level < self._noise_floor_dbfs else 0.02
            self._noise_floor_dbfs += rate * (level - self._noise_floor_dbfs)
        frame_end = frame_start + len(frame)
        if voiced:
            if self._speech_start is None:
                self._speech_start = max(self._buffer_start, self._closed_until, frame_start - self._padding)
                self._first_voiced = frame_start
                self._voiced_frames = 0
            self._voiced_frames += 1
            self._last_voiced_end = frame_end
            if frame_end - self._speech_start >= self._max_span:
                return self._close_at(frame_end)
            return None
        if self._speech_start is None:
            return None
        if frame_end - self._last_voiced_end >= self._pause_frames * self._frame:
            if self._voiced_frames < self._min_speech_frames:  # a click, not speech
                self._speech_start = None
                return None
            return self._close_at(min(frame_end, self._last_voiced_end + self._padding))
        return None

    def _close_at(self, end: int) -> SpeechSpan:
        assert self._speech_start is not None
        span = self._span(self._speech_start, end)
        self._speech_start = None
        self._voiced_frames = 0
        self._closed_until = end
        return span

    def _span(self, start: int, end: int) -> SpeechSpan:
        samples = self._buffer[start - self._buffer_start : end - self._buffer_start].copy()
        rate = self.sample_rate
        return SpeechSpan(
            samples,
            start / rate,
            end / rate,
            voiced_start=self._first_voiced / rate,
            voiced_end=min(self._last_voiced_end, end) / rate,
            voiced_seconds=self._voiced_frames * self._frame / rate,
        )

    def _trim(self) -> None:
        """Keeps only what a future span can still need: the open span, or the padding before the next one."""
        keep_from = self._speech_start if self._speech_start is not None else self._analysed - self._padding
        drop = max(0, keep_from - self._buffer_start)
        if drop:
            self._buffer = self._buffer[drop:]
            self._buffer_start += drop
