"""RMS level in dBFS of PCM16 blocks."""

from __future__ import annotations

import numpy as np
import pytest

from dictation_daemon.capture.level import SILENCE_DBFS, rms_dbfs


def sine(amplitude: float) -> np.ndarray:
    return (amplitude * 32767 * np.sin(2 * np.pi * 440 * np.arange(16000) / 16000)).astype(np.int16)


def test_full_scale_sine_is_minus_three() -> None:
    assert rms_dbfs(sine(1.0).tobytes()) == pytest.approx(-3.01, abs=0.02)


def test_each_halving_is_six_db() -> None:
    assert rms_dbfs(sine(0.5)) - rms_dbfs(sine(0.25)) == pytest.approx(6.02, abs=0.02)


def test_full_scale_square_is_zero() -> None:
    assert rms_dbfs(np.full(100, -32768, dtype=np.int16)) == pytest.approx(0.0)


def test_silence_and_empty_are_the_floor() -> None:
    assert rms_dbfs(b"") == rms_dbfs(bytes(640)) == SILENCE_DBFS
    assert rms_dbfs(np.array([1, -1], dtype=np.int16)) > SILENCE_DBFS
