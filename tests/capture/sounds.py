"""Test sounds written as WAV files and tone detection in captured PCM16."""

from __future__ import annotations

import subprocess
import wave
from pathlib import Path

import numpy as np

RATE = 16_000
WINDOW = 320  # 20 ms


def write_tone(path: Path, hz: float, seconds: float, *, amplitude: float = 0.5, lead_silence: float = 0.0) -> Path:
    t = np.arange(int(seconds * RATE)) / RATE
    tone = amplitude * np.sin(2 * np.pi * hz * t)
    samples = np.concatenate([np.zeros(int(lead_silence * RATE)), tone])
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes((samples * 32767).astype("<i2").tobytes())
    return path


def write_word(path: Path, text: str) -> Path:
    subprocess.run(["espeak-ng", "-w", str(path), text], check=True, timeout=30)
    return path


def read_pcm(path: Path) -> np.ndarray:
    return np.frombuffer(path.read_bytes(), dtype="<i2").astype(np.float64) / 32768.0


def window_rms(samples: np.ndarray) -> np.ndarray:
    """Per 20 ms window, the RMS level (full scale = 1)."""
    count = len(samples) // WINDOW
    return np.sqrt(np.mean(samples[: count * WINDOW].reshape(count, WINDOW) ** 2, axis=1))


def tone_level(samples: np.ndarray, hz: float) -> np.ndarray:
    """Per 20 ms window, the amplitude (dBFS of a sine) of the component at ``hz``."""
    count = len(samples) // WINDOW
    frames = samples[: count * WINDOW].reshape(count, WINDOW) * np.hanning(WINDOW)
    spectrum = np.abs(np.fft.rfft(frames, axis=1)) * 2 / np.hanning(WINDOW).sum()
    bin_index = int(round(hz * WINDOW / RATE))
    amplitude = spectrum[:, bin_index - 1 : bin_index + 2].max(axis=1)
    return 20 * np.log10(np.maximum(amplitude, 1e-9))


def windows_with_tone(samples: np.ndarray, hz: float, threshold_db: float = -30.0) -> np.ndarray:
    """Indices of the 20 ms windows in which the tone is clearly present."""
    return np.flatnonzero(tone_level(samples, hz) > threshold_db)
