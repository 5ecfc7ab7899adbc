"""Tone-burst audio for the scripted recognizer: each pitch stands for a known phrase."""

from __future__ import annotations

import io
import wave

import av
import numpy as np

RATE = 16000
SCRIPT = {440.0: "patient is stable", 660.0: "next section", 880.0: "plan as discussed"}


def tones(*parts: tuple[float | None, float], amplitude: float = 0.4) -> bytes:
    """PCM16 at 16 kHz: ``(frequency, seconds)`` bursts, ``(None, seconds)`` for silence."""
    pieces = []
    for frequency, seconds in parts:
        t = np.arange(int(RATE * seconds)) / RATE
        pieces.append(np.zeros_like(t) if frequency is None else amplitude * np.sin(2 * np.pi * frequency * t))
    return (np.concatenate(pieces) * 32767).astype(np.int16).tobytes()


def as_wav(pcm16: bytes) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(pcm16)
    return buffer.getvalue()


def encode_with_pyav(pcm16: bytes, container: str, codec: str, rate: int = 48000) -> bytes:
    """Encodes PCM16 into a whole file in memory (webm/opus, mp3, ...) to stream in chunks."""
    buffer = io.BytesIO()
    with av.open(buffer, "w", format=container) as output:
        stream = output.add_stream(codec, rate=rate, layout="mono")
        frame = av.AudioFrame.from_ndarray(np.frombuffer(pcm16, np.int16).reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = RATE
        resampler = av.AudioResampler(format=stream.codec_context.format.name, layout="mono", rate=rate)
        for resampled in resampler.resample(frame) + resampler.resample(None):
            for packet in stream.encode(resampled):
                output.mux(packet)
        for packet in stream.encode(None):
            output.mux(packet)
    return buffer.getvalue()
