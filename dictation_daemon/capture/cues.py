"""Start and stop sounds that can never end up in the dictation.

A beep played at the key press reaches the microphone (through the air, or straight through a sound
server's loopback) while the user may already be speaking, and the pre-roll means the utterance covers
that moment too. Cutting the cue's time out of the audio would cut the user's first word with it, and
guessing where it lands needs output and input latencies that no driver reports reliably.

So the cues are built from a single pure tone, :data:`CUE_HZ`, and the utterance audio passes through a
narrow band-stop filter at that frequency (:func:`without_cues`). The filter works wherever and whenever
the cue lands, echo included, and takes only a sliver of the spectrum from speech (about 4.2-4.8 kHz,
well above where vowels and most consonants carry their identity). The tone sits above 4 kHz on purpose:
a loudspeaker's harmonics of it fall above 8 kHz, which 16 kHz capture cannot represent and filters away.
What this cannot remove is a cue distorted into other frequencies, such as a rattling loudspeaker.
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import AsyncIterator

import numpy as np
import sounddevice as sd

from ..protocol.audio_format import SAMPLE_RATE

CUE_HZ = 4500.0
"""Frequency of every cue tone, the centre of the band :class:`CueFilter` removes."""

_STOP_HALF_WIDTH_HZ = 300.0
_TAPS = 511  # odd, so the filter delays by a whole number of samples: (_TAPS - 1) // 2


class Cue(enum.Enum):
    """The two cues: one beep when listening starts, two when it stops."""

    START = "start"
    STOP = "stop"


def cue_samples(cue: Cue, *, volume: float = 0.3) -> np.ndarray:
    """Float32 mono samples of a cue at 16 kHz: :data:`CUE_HZ` beeps with soft 10 ms edges, which keep the
    tone's energy inside the filtered band (a hard edge would splash clicks across the spectrum)."""
    beeps = [0.12] if cue is Cue.START else [0.06, 0.06]
    gap = np.zeros(int(0.05 * SAMPLE_RATE), dtype=np.float32)
    parts: list[np.ndarray] = []
    for seconds in beeps:
        if parts:
            parts.append(gap)
        t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
        edge = int(0.01 * SAMPLE_RATE)
        envelope = np.ones_like(t)
        ramp = 0.5 - 0.5 * np.cos(np.pi * np.arange(edge) / edge)
        envelope[:edge] = ramp
        envelope[-edge:] = ramp[::-1]
        parts.append((volume * envelope * np.sin(2 * np.pi * CUE_HZ * t)).astype(np.float32))
    return np.concatenate(parts)


def _band_stop_taps() -> np.ndarray:
    """Windowed-sinc band-stop FIR: an impulse minus a band-pass around :data:`CUE_HZ` (Blackman window,
    about 70 dB down at the cue, 170 Hz transitions)."""
    n = np.arange(_TAPS) - (_TAPS - 1) / 2
    window = np.blackman(_TAPS)

    def low_pass(cutoff_hz: float) -> np.ndarray:
        return 2 * cutoff_hz / SAMPLE_RATE * np.sinc(2 * cutoff_hz / SAMPLE_RATE * n) * window

    band_pass = low_pass(CUE_HZ + _STOP_HALF_WIDTH_HZ) - low_pass(CUE_HZ - _STOP_HALF_WIDTH_HZ)
    taps = -band_pass
    taps[(_TAPS - 1) // 2] += 1.0
    return taps


class CueFilter:
    """Streaming band-stop filter for PCM16 chunks, aligned so output sample *i* is input sample *i* filtered.

    The linear-phase filter looks ahead by half its length; :meth:`finish` returns the last stretch of audio.
    """

    _taps = _band_stop_taps()
    _delay = (_TAPS - 1) // 2

    def __init__(self) -> None:
        self._history = np.zeros(_TAPS - 1, dtype=np.float64)
        self._to_skip = self._delay

    def process(self, chunk: bytes) -> bytes:
        samples = np.frombuffer(chunk, dtype="<i2").astype(np.float64)
        return self._filter(samples)

    def finish(self) -> bytes:
        return self._filter(np.zeros(self._delay, dtype=np.float64))

    def _filter(self, samples: np.ndarray) -> bytes:
        buffer = np.concatenate([self._history, samples])
        self._history = buffer[len(buffer) - (_TAPS - 1) :]
        output = np.convolve(buffer, self._taps, mode="valid")
        skip = min(self._to_skip, len(output))
        self._to_skip -= skip
        return np.clip(np.rint(output[skip:]), -32768, 32767).astype("<i2").tobytes()


async def without_cues(chunks: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    """The utterance audio with the cue band removed; use it whenever cues are enabled."""
    cue_filter = CueFilter()
    async for chunk in chunks:
        filtered = cue_filter.process(chunk)
        if filtered:
            yield filtered
    yield cue_filter.finish()


class CuePlayer:
    """Plays cues on an output device without blocking the event loop; one cue at a time."""

    def __init__(self, device: str | int | None = None, *, volume: float = 0.3) -> None:
        self._device = device
        self._sounds = {cue: cue_samples(cue, volume=volume) for cue in Cue}
        self._lock = asyncio.Lock()

    async def play(self, cue: Cue) -> None:
        """Returns once the cue has been played out."""
        async with self._lock:
            await asyncio.to_thread(self._play_blocking, self._sounds[cue])

    def _play_blocking(self, samples: np.ndarray) -> None:
        with sd.OutputStream(samplerate=SAMPLE_RATE, channels=1, dtype="float32", device=self._device) as stream:
            stream.write(samples)
