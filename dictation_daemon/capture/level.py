"""Loudness of a PCM16 block in dBFS, for `status` and `doctor` to show whether the microphone hears anything."""

from __future__ import annotations

import math

import numpy as np

SILENCE_DBFS = -120.0
"""Reported for empty or all-zero blocks, so callers always get a finite number they can print or send as JSON."""

_FULL_SCALE = 32768.0


def rms_dbfs(block: bytes | np.ndarray) -> float:
    """RMS level relative to full scale: a full-scale square wave is 0 dBFS, a full-scale sine about -3 dBFS.

    Accepts little-endian PCM16 bytes or an int16 array; the result is clamped at :data:`SILENCE_DBFS`.
    """
    samples = np.frombuffer(block, dtype="<i2") if isinstance(block, (bytes, bytearray, memoryview)) else block
    if samples.size == 0:
        return SILENCE_DBFS
    mean_square = float(np.mean(np.square(samples.astype(np.float64))))
    if mean_square == 0.0:
        return SILENCE_DBFS
    return max(SILENCE_DBFS, 10.0 * math.log10(mean_square / (_FULL_SCALE * _FULL_SCALE)))
