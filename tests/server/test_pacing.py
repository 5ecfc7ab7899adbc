"""The decode budget: a bucket of audio seconds that fills at the session's speed, up to its burst."""

from __future__ import annotations

import pytest

from dictation_daemon.server.pacing import DecodeBudget


def test_audio_within_the_burst_goes_at_once_then_waits_at_the_speed():
    budget = DecodeBudget(speed=10.0, burst_seconds=5.0)
    assert budget.charge(5.0, now=0.0) == 0.0
    assert budget.charge(2.0, now=0.0) == pytest.approx(0.2)  # 2 s of audio at 10x: 0.2 s of wall time


def test_real_time_audio_never_waits():
    budget = DecodeBudget(speed=16.0, burst_seconds=0.5)
    waits = [budget.charge(0.1, now=0.1 * index) for index in range(1000)]
    assert max(waits) == 0.0


def test_the_allowance_refills_with_time_but_never_past_the_burst():
    budget = DecodeBudget(speed=2.0, burst_seconds=4.0)
    assert budget.charge(4.0, now=0.0) == 0.0
    assert budget.charge(4.0, now=100.0) == 0.0  # refilled, capped at 4
    assert budget.charge(1.0, now=100.0) == pytest.approx(0.5)


def test_a_speed_of_zero_is_refused():
    with pytest.raises(ValueError):
        DecodeBudget(speed=0.0)
