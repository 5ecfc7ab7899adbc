"""How much audio one session may have the engine decode per second of wall time, with no I/O and no clock.

A shared server decodes for many sessions on a few cores. Microphones send audio at real time, and a file
upload may go faster, but one session must never take the engine for minutes while the others wait: a
file sent at full speed, or a header that declares a rate low enough to make a few kilobytes expand into
hours. Each session draws on a bucket of audio seconds that fills at ``speed`` seconds of audio per wall
second, up to ``burst_seconds``; audio beyond it waits, and only that session waits.
"""

from __future__ import annotations

DEFAULT_SPEED = 16.0
"""Audio seconds per wall second a session may have decoded, sustained: above what a file upload gets
from the embedded engine on one core, so it binds only a session that would crowd the others out."""
DEFAULT_BURST_SECONDS = 120.0
"""Audio seconds a session may have decoded at once before the pace applies: a long dictation's backlog."""


class DecodeBudget:
    """A session's allowance of audio to decode; :meth:`charge` says how long to wait before decoding more."""

    def __init__(self, speed: float = DEFAULT_SPEED, burst_seconds: float = DEFAULT_BURST_SECONDS) -> None:
        if speed <= 0 or burst_seconds < 0:
            raise ValueError("the decode speed must be positive and the burst not negative")
        self.speed = speed
        self.burst_seconds = burst_seconds
        self._available = burst_seconds
        self._at: float | None = None

    def charge(self, audio_seconds: float, now: float) -> float:
        """Takes ``audio_seconds`` from the allowance at time ``now`` (seconds, any monotonic origin); the
        seconds to wait before decoding them, ``0.0`` when they may go at once."""
        if self._at is not None:
            self._available = min(self.burst_seconds, self._available + (now - self._at) * self.speed)
        self._at = now
        self._available -= audio_seconds
        return 0.0 if self._available >= 0 else -self._available / self.speed
