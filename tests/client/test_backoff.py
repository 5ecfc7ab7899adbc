"""The reconnection backoff: growing, capped, spread, bounded in attempts when asked."""

from __future__ import annotations

import random

import pytest

from dictation_daemon.client.backoff import RetryPolicy


def test_delays_double_up_to_the_cap() -> None:
    policy = RetryPolicy(initial_delay=0.5, multiplier=2, max_delay=3, jitter=0)
    assert [policy.delay(n) for n in range(1, 6)] == [0.5, 1.0, 2.0, 3.0, 3.0]
    assert policy.delay(10_000) == 3.0


def test_jitter_spreads_delays_within_its_fraction() -> None:
    policy = RetryPolicy(initial_delay=1, max_delay=1, jitter=0.25)
    delays = [policy.delay(1, random.Random(seed)) for seed in range(200)]
    assert all(0.75 <= delay <= 1.25 for delay in delays)
    assert max(delays) - min(delays) > 0.3


def test_attempts_are_unbounded_unless_limited() -> None:
    assert not RetryPolicy().exhausted(10_000)
    assert not RetryPolicy(max_attempts=3).exhausted(3)
    assert RetryPolicy(max_attempts=3).exhausted(4)


@pytest.mark.parametrize("options", [
    {"initial_delay": -1}, {"initial_delay": 5, "max_delay": 1}, {"multiplier": 0.5}, {"jitter": 1.0},
    {"max_attempts": 0},
])
def test_nonsense_policies_are_refused(options) -> None:
    with pytest.raises(ValueError):
        RetryPolicy(**options)
