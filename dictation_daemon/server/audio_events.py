"""Audio events of the protocol (§3): long silences and speech quality problems, found in decoded audio.

Pure computation: fed samples, it returns the events to report. Only sent when the session enabled
``audioEvents``; computed cheaply either way.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..protocol.audio_format import SAMPLE_RATE

LONG_SILENCE_SECONDS = 10.0
SILENCE_DBFS = -50.0
CLIPPING_LEVEL = 0.99
CLIPPED_FRACTION = 0.01
WINDOW_SECONDS = 1.0


@dataclass(frozen=True)
class DetectedAudioEvent:
    event: str
    start_time_ms: int


class AudioEventDetector:
    """Tracks one stream's audio in one-second windows.

    ``longSilenceDetected`` fires once 10 s of silence have passed (stamped where the silence began) and
    ``longSilenceRecovered`` when sound returns; ``speechQualityIssueDetected`` when a window is clipped
    (over 1% of samples at full scale), ``speechQualityIssueRecovered`` at the next clean window.
    """

    def __init__(self, sample_rate: int = SAMPLE_RATE) -> None:
        self._window = int(sample_rate * WINDOW_SECONDS)
        self._sample_rate = sample_rate
        self._pending = np.zeros(0, dtype=np.float32)
        self._position = 0
        self._silence_start: int | None = None
        self._in_long_silence = False
        self._in_quality_issue = False

    def feed(self, samples: np.ndarray) -> list[DetectedAudioEvent]:
        self._pending = np.concatenate([self._pending, samples.astype(np.float32, copy=False)])
        events: list[DetectedAudioEvent] = []
        while len(self._pending) >= self._window:
            window, self._pending = self._pending[: self._window], self._pending[self._window :]
            events.extend(self._check(window))
            self._position += self._window
        return events

    def _check(self, window: np.ndarray) -> list[DetectedAudioEvent]:
        events = []
        level = 20 * np.log10(float(np.sqrt(np.mean(window.astype(np.float64) ** 2))) + 1e-10)
        if level < SILENCE_DBFS:
            if self._silence_start is None:
                self._silence_start = self._position
            silent_for = (self._position + self._window - self._silence_start) / self._sample_rate
            if silent_for >= LONG_SILENCE_SECONDS and not self._in_long_silence:
                self._in_long_silence = True
                events.append(DetectedAudioEvent("longSilenceDetected", self._ms(self._silence_start)))
        else:
            if self._in_long_silence:
                events.append(DetectedAudioEvent("longSilenceRecovered", self._ms(self._position)))
            self._in_long_silence = False
            self._silence_start = None
        clipped = float(np.mean(np.abs(window) >= CLIPPING_LEVEL)) > CLIPPED_FRACTION
        if clipped != self._in_quality_issue:
            self._in_quality_issue = clipped
            name = "speechQualityIssueDetected" if clipped else "speechQualityIssueRecovered"
            events.append(DetectedAudioEvent(name, self._ms(self._position)))
        return events

    def _ms(self, sample: int) -> int:
        return sample * 1000 // self._sample_rate
