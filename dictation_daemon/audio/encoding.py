"""Turns captured 16-bit mono PCM into the bytes a ``/transcribe`` client sends, chunk by chunk.

Every :meth:`AudioEncoder.encode` returns what can go on the socket right away, so a live stream runs at
most a frame or two behind the microphone; the first non-empty result carries the container header, as
the protocol requires.
"""

from __future__ import annotations

import abc
from typing import Literal

import av
import numpy as np

from ..protocol.audio_format import SAMPLE_RATE, AudioFormat

OPUS_SAMPLE_RATES = (8000, 12000, 16000, 24000, 48000)
"""The input rates libopus accepts without resampling."""

OGG_PAGE_MICROSECONDS = 20000
"""Ogg page length. The muxer otherwise holds pages back until the stream closes, so nothing would be sent."""


class AudioEncoder(abc.ABC):
    """Encodes a live PCM16 stream; ``mime`` is the ``audioFormat`` the config must declare."""

    mime: str

    @abc.abstractmethod
    def encode(self, pcm16: bytes) -> bytes:
        """Takes little-endian 16-bit mono samples and returns the bytes ready to send now (possibly none)."""

    @abc.abstractmethod
    def close(self) -> bytes:
        """Ends the stream and returns its remaining bytes; the encoder cannot be used afterwards."""


class Pcm16Encoder(AudioEncoder):
    """Sends the samples as they are: raw PCM, which the server must be told the layout of."""

    def __init__(self, sample_rate: int = SAMPLE_RATE) -> None:
        self.mime = AudioFormat("pcm", sample_rate=sample_rate).mime

    def encode(self, pcm16: bytes) -> bytes:
        return bytes(pcm16)

    def close(self) -> bytes:
        return b""


class _Sink:
    """A write-only, non-seekable target for the muxer, emptied after every encode so memory stays flat."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


class OggOpusEncoder(AudioEncoder):
    """Opus in Ogg, what Corti's own browser clients send: about 1.3 kB per 250 ms of speech at 32 kbit/s.

    libopus takes fixed frames (20 ms), so samples short of a whole frame wait for the next call;
    only :meth:`close` pads the last frame with silence. The Ogg muxer also keeps its latest page
    (one frame) until the next, to be able to mark the end of the stream on it: a stream runs at most
    two frames behind the captured audio.
    """

    mime = "audio/ogg; codecs=opus"

    def __init__(self, sample_rate: int = SAMPLE_RATE, bit_rate: int = 32000) -> None:
        if sample_rate not in OPUS_SAMPLE_RATES:
            raise ValueError(f"Opus cannot encode {sample_rate} Hz; capture at one of {OPUS_SAMPLE_RATES}")
        self._sink = _Sink()
        self._container = av.open(self._sink, "w", format="ogg", options={"page_duration": str(OGG_PAGE_MICROSECONDS)})
        self._stream = self._container.add_stream("libopus", rate=sample_rate, layout="mono")
        self._stream.bit_rate = bit_rate
        self._stream.codec_context.open()
        self._frame_size = self._stream.codec_context.frame_size
        self._sample_rate = sample_rate
        self._pending = bytearray()
        self._next_pts = 0
        self._closed = False

    def encode(self, pcm16: bytes) -> bytes:
        if self._closed:
            raise ValueError("the encoder is closed")
        self._pending += pcm16
        whole = len(self._pending) // (2 * self._frame_size) * 2 * self._frame_size
        if whole:
            self._encode_samples(np.frombuffer(bytes(self._pending[:whole]), dtype="<i2"))
            del self._pending[:whole]
        return self._sink.take()

    def close(self) -> bytes:
        if self._closed:
            return b""
        self._closed = True
        samples = np.frombuffer(bytes(self._pending[: len(self._pending) // 2 * 2]), dtype="<i2")
        self._pending.clear()
        if len(samples):
            padded = np.zeros(-(-len(samples) // self._frame_size) * self._frame_size, dtype=np.int16)
            padded[: len(samples)] = samples
            self._encode_samples(padded)
        for packet in self._stream.encode(None):
            self._container.mux(packet)
        self._container.close()
        return self._sink.take()

    def _encode_samples(self, samples: np.ndarray) -> None:
        """Encodes a whole number of frames, one codec frame at a time."""
        for start in range(0, len(samples), self._frame_size):
            frame = av.AudioFrame.from_ndarray(
                samples[start : start + self._frame_size].reshape(1, -1), format="s16", layout="mono"
            )
            frame.sample_rate = self._sample_rate
            frame.pts = self._next_pts
            self._next_pts += frame.samples
            for packet in self._stream.encode(frame):
                self._container.mux(packet)


def make_encoder(name: Literal["pcm", "ogg-opus"], sample_rate: int = SAMPLE_RATE) -> AudioEncoder:
    """The encoder a client configuration names."""
    if name == "pcm":
        return Pcm16Encoder(sample_rate)
    if name == "ogg-opus":
        return OggOpusEncoder(sample_rate)
    raise ValueError(f"unknown audio encoding {name!r}; expected 'pcm' or 'ogg-opus'")
