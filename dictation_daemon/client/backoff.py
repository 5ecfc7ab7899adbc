"""How long to wait before each reconnection attempt: exponential, capped, jittered.

Jitter matters on a hospital network: when a server restarts, every workstation loses its socket at the
same moment, and without it they would all come back in lock-step and knock the server over again.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class RetryPolicy:
    """Delay before attempt ``n`` (1-based): ``initial_delay * multiplier**(n-1)``, at most ``max_delay``,
    then spread by ``±jitter`` (a fraction). ``max_attempts`` consecutive failures without progress make
    the session give up; ``None`` keeps trying for as long as the session is open, because giving up
    while the user dictates loses nothing only if someone saves the audio, and retrying costs little.
    """

    initial_delay: float = 0.2
    multiplier: float = 2.0
    max_delay: float = 20.0
    jitter: float = 0.25
    max_attempts: int | None = None
    accept_timeout: float = 15.0
    """Seconds to wait for ``CONFIG_ACCEPTED`` on a new socket before counting the attempt as failed."""

    def __post_init__(self) -> None:
        if self.initial_delay < 0 or self.max_delay < self.initial_delay or self.multiplier < 1:
            raise ValueError("need 0 <= initial_delay <= max_delay and multiplier >= 1")
        if not 0 <= self.jitter < 1:
            raise ValueError("jitter is a fraction in [0, 1)")
        if self.max_attempts is not None and self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1 (or None for no limit)")

    def delay(self, attempt: int, rng: random.Random | None = None) -> float:
        """Seconds to wait before attempt ``attempt``."""
        if attempt < 1:
            raise ValueError("attempts count from 1")
        base = min(self.max_delay, self.initial_delay * self.multiplier ** min(attempt - 1, 64))
        spread = (rng or random).uniform(-self.jitter, self.jitter)
        return base * (1 + spread)

    def exhausted(self, attempt: int) -> bool:
        """Whether ``attempt`` is beyond the allowed number of consecutive attempts."""
        return self.max_attempts is not None and attempt > self.max_attempts
