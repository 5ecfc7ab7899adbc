"""Real test audio: synthetic signals, synthesised speech, and the same audio encoded in other formats."""

from __future__ import annotations

import io
import subprocess
import threading
from pathlib import Path

import av
import numpy as np

from dictation_daemon.audio.whole import decode_whole

RATE = 16000
FRAME = RATE // 50  # 20 ms envelope frames


def chirp(rate: int, seconds: float) -> np.ndarray:
    """A 200 Hz → 3 kHz sweep with a slow tremolo, so its envelope and its phase both show errors.

    A function of time, so the same call at 16 kHz is the expected output of a decoder that resamples.
    """
    t = np.arange(int(rate * seconds)) / rate
    phase = 2 * np.pi * (200 * t + (2800 / (2 * seconds)) * t**2)
    return (0.5 * np.sin(phase) * (0.6 + 0.4 * np.sin(2 * np.pi * 1.5 * t))).astype(np.float32)


def to_pcm16(samples: np.ndarray) -> bytes:
    return (np.clip(samples, -1, 1) * 32767).round().astype("<i2").tobytes()


def synthesize_speech(folder: Path, text: str) -> np.ndarray:
    """Speech from espeak-ng, as float32 mono at 16 kHz."""
    path = folder / "speech.wav"
    subprocess.run(["espeak-ng", "-w", str(path), text], check=True, capture_output=True)
    return decode_whole(str(path))


class _Sink:
    """A non-seekable output, so muxers write as they would to a live socket."""

    def __init__(self) -> None:
        self.data = bytearray()

    def write(self, data: bytes) -> int:
        self.data += data
        return len(data)


def encode(
    samples: np.ndarray,
    container: str,
    codec: str,
    rate: int = RATE,
    stereo: bool = False,
    options: dict[str, str] | None = None,
    seekable: bool = False,
) -> bytes:
    """Encodes 16 kHz float32 mono with PyAV into ``container``, as a recorder writing to a pipe (or a file)."""
    sink = io.BytesIO() if seekable else _Sink()
    with av.open(sink, "w", format=container, options=options or {}) as output:
        layout = "stereo" if stereo else "mono"
        # FFmpeg's own Vorbis encoder is experimental (and stereo only).
        codec_options = {"strict": "experimental"} if codec == "vorbis" else {}
        stream = output.add_stream(codec, rate=rate, layout=layout, options=codec_options)
        interleaved = np.repeat(samples, 2) if stereo else samples
        frame = av.AudioFrame.from_ndarray(interleaved.reshape(1, -1).astype(np.float32), format="flt", layout=layout)
        frame.sample_rate = RATE
        frame.pts = 0
        for packet in stream.encode(frame):
            output.mux(packet)
        for packet in stream.encode(None):
            output.mux(packet)
    return sink.getvalue() if seekable else bytes(sink.data)


def envelope(samples: np.ndarray) -> np.ndarray:
    frames = len(samples) // FRAME
    return np.sqrt(np.mean(samples[: frames * FRAME].reshape(frames, FRAME) ** 2, axis=1))


def envelope_similarity(a: np.ndarray, b: np.ndarray, max_shift_frames: int = 5) -> float:
    """Best correlation of the 20 ms loudness envelopes over small shifts (codecs add a little delay)."""
    ea, eb = envelope(a), envelope(b)
    best = -1.0
    for shift in range(-max_shift_frames, max_shift_frames + 1):
        x, y = (ea[shift:], eb) if shift >= 0 else (ea, eb[-shift:])
        n = min(len(x), len(y))
        best = max(best, float(np.corrcoef(x[:n], y[:n])[0, 1]))
    return best


def decoder_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name.startswith("audio-decode")]
