"""The server's incremental decoder: audio chunks from a ``/transcribe`` socket in, float32 samples out.

Raw PCM, and 16-bit PCM in WAV, are converted in place. Other containers are demuxed and decoded by FFmpeg
(PyAV) in one thread per stream, reading from a :class:`~.feed.ByteFeed` that the socket side pushes into,
so samples come out while the stream is still open rather than at its end.

How soon samples come out depends on the container (measured with 250 ms chunks): Ogg and WebM give each
chunk's samples as it is fed, MP3 from the second chunk on, fragmented MP4 per fragment. FFmpeg's FLAC
parser holds about a second of frames until it has seen the headers that follow them, so for FLAC
:meth:`StreamDecoder.drain` returns only what that parser has let through. MP4 whose index (``moov``)
follows the samples, which is how MP4 is written unless it is fragmented, cannot be decoded before the index
arrives: such a stream is kept whole and decoded at :meth:`StreamDecoder.finish`.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Callable
from typing import Protocol

import av
import numpy as np

from ..protocol.audio_format import (
    SAMPLE_RATE,
    AudioFormat,
    UnsupportedAudioFormat,
    check_source_rate,
    sniff_audio_format,
)
from .feed import ByteFeed
from .headers import IncompleteHeader, mp4_index_first, read_wav_pcm_header
from .pcm import PcmConverter, frames_to_mono
from .whole import decode_whole

SNIFF_BYTES = 12
"""Bytes needed to check that a stream starts like the container it was declared as."""

FEED_CATCH_UP_SECONDS = 0.1
"""How long :meth:`StreamDecoder.feed` waits for the decoding thread to reach the end of the new chunk.
Decoding a 250 ms chunk takes about a millisecond, so the wait only runs out on an overloaded machine."""

# FFmpeg reads ahead to learn the codec parameters before it returns any packet; with its defaults that is
# up to 5 s of audio, which would delay the first samples by as much. The containers here declare the
# parameters in their headers (or, for MP3, in every frame), so minimal probing suffices.
_OPEN_OPTIONS = {"probesize": "32", "analyzeduration": "1"}

_EMPTY = np.zeros(0, dtype=np.float32)


class AudioDecodeError(Exception):
    """The audio cannot be decoded: the message says what is wrong with it."""


class _Backend(Protocol):
    """How one kind of stream is decoded; every call returns only samples not returned before."""

    def feed(self, data: bytes) -> np.ndarray: ...
    def drain(self) -> np.ndarray: ...
    def finish(self) -> np.ndarray: ...
    def close(self) -> None: ...


class _PcmBackend:
    """Raw PCM, or the samples of a WAV stream, which stop after ``limit`` bytes when the header says so."""

    def __init__(self, layout: AudioFormat, sample_rate: int, limit: int | None = None) -> None:
        self._converter = PcmConverter(layout, sample_rate)
        self._remaining = limit

    def feed(self, data: bytes) -> np.ndarray:
        if self._remaining is not None:
            data = data[: self._remaining]
            self._remaining -= len(data)
        return self._converter.feed(data)

    def drain(self) -> np.ndarray:
        return _EMPTY

    def finish(self) -> np.ndarray:
        return self._converter.finish()

    def close(self) -> None:
        """Nothing to release."""


class _WholeStreamBackend:
    """Keeps every byte and decodes them at the end: for MP4 with its index after the samples."""

    def __init__(self, container: str, sample_rate: int) -> None:
        self._container = container
        self._sample_rate = sample_rate
        self._data = bytearray()

    def feed(self, data: bytes) -> np.ndarray:
        self._data += data
        return _EMPTY

    def drain(self) -> np.ndarray:
        return _EMPTY

    def finish(self) -> np.ndarray:
        try:
            return decode_whole(io.BytesIO(bytes(self._data)), self._container, self._sample_rate)
        except (av.FFmpegError, ValueError) as exc:
            raise AudioDecodeError(f"the {self._container} audio cannot be decoded: {exc}") from None

    def close(self) -> None:
        self._data = bytearray()


class _ThreadedBackend:
    """Demuxes and decodes one container stream in a thread, collecting mono samples at ``sample_rate``."""

    def __init__(self, container: str, sample_rate: int) -> None:
        self._container = container
        self._sample_rate = sample_rate
        self._condition = threading.Condition()
        self._feed = ByteFeed(self._condition)
        self._output: list[np.ndarray] = []
        self._error: AudioDecodeError | None = None
        self._done = False
        self._thread = threading.Thread(target=self._run, name=f"audio-decode-{container}", daemon=True)
        self._thread.start()

    def feed(self, data: bytes) -> np.ndarray:
        self._feed.push(data)
        self._wait_idle(time.monotonic() + FEED_CATCH_UP_SECONDS)
        return self._take()

    def drain(self) -> np.ndarray:
        self._wait_idle(None)
        return self._take()

    def finish(self) -> np.ndarray:
        self._feed.finish()
        self._thread.join()
        return self._take()

    def close(self) -> None:
        self._feed.abandon()
        self._thread.join()

    def _wait_idle(self, deadline: float | None) -> None:
        """Waits until the thread has decoded every byte pushed so far, or ended, or the deadline passed."""
        with self._condition:
            while not (self._done or self._feed.caught_up):
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return
                self._condition.wait(remaining)

    def _take(self) -> np.ndarray:
        with self._condition:
            if self._error is not None:
                raise self._error
            output, self._output = self._output, []
        return np.concatenate(output) if output else _EMPTY

    def _emit(self, samples: np.ndarray) -> None:
        if len(samples):
            with self._condition:
                self._output.append(samples)
                self._condition.notify_all()

    def _run(self) -> None:
        error: AudioDecodeError | None = None
        try:
            self._decode()
        except AudioDecodeError as exc:
            error = exc
        except Exception as exc:  # noqa: BLE001 - any failure inside FFmpeg ends this stream, not the server
            error = AudioDecodeError(f"the {self._container} audio cannot be decoded: {exc}")
        with self._condition:
            self._error = error
            self._done = True
            self._condition.notify_all()

    def _decode(self) -> None:
        resampler = av.AudioResampler(format="flt", layout="mono", rate=self._sample_rate)
        with av.open(self._feed, format=self._container, options=_OPEN_OPTIONS) as container:
            if not container.streams.audio:
                raise AudioDecodeError(f"the {self._container} stream has no audio track")
            stream = container.streams.audio[0]
            try:
                check_source_rate(stream.sample_rate or 0, f"the {self._container} stream")
            except UnsupportedAudioFormat as refused:
                raise AudioDecodeError(str(refused)) from None
            for packet in container.demux(stream):
                for frame in packet.decode():
                    self._emit(frames_to_mono(resampler.resample(frame)))
        self._emit(frames_to_mono(resampler.resample(None)))


class StreamDecoder:
    """Decodes one ``/transcribe`` audio stream to float32 mono samples at ``sample_rate``, chunk by chunk.

    Every method returns the samples that became ready since the previous call, so the caller sees each
    sample exactly once. A decoding error is raised by the call that notices it and closes the decoder.
    """

    def __init__(self, audio_format: AudioFormat, sample_rate: int = SAMPLE_RATE) -> None:
        self._format = audio_format
        self._sample_rate = sample_rate
        self._backend: _Backend | None = _PcmBackend(audio_format, sample_rate) if audio_format.is_raw_pcm else None
        self._head = b""  # the first bytes of a container stream, until its header has been checked
        self._closed = False

    def feed(self, data: bytes) -> np.ndarray:
        """Takes the next chunk; returns the samples decoded by now (possibly none: a chunk may end mid-packet)."""
        self._require_open()
        if self._backend is None:
            self._head += data
            if not self._choose_backend(at_end=False):
                return _EMPTY
            data, self._head = self._head, b""
        return self._guard(self._backend.feed, data)

    def drain(self) -> np.ndarray:
        """Blocks until every byte fed so far is decoded and returns the samples not yet returned."""
        self._require_open()
        if self._backend is None:
            return _EMPTY
        return self._guard(self._backend.drain)

    def finish(self) -> np.ndarray:
        """The stream ended: decodes everything left, returns it and releases the decoder."""
        self._require_open()
        try:
            if self._backend is None:
                if not self._head:
                    return _EMPTY
                self._choose_backend(at_end=True)
                head, self._head = self._head, b""
                samples = self._backend.feed(head)
                return np.concatenate([samples, self._backend.finish()])
            return self._backend.finish()
        finally:
            self.close()

    def close(self) -> None:
        """Abandons the stream (the connection is gone): stops the decoding thread. Safe to call again."""
        if self._closed:
            return
        self._closed = True
        if self._backend is not None:
            self._backend.close()

    def _choose_backend(self, at_end: bool) -> bool:
        """Picks how to decode once the header is in ``_head``; ``False`` while more of it is needed."""
        container = self._format.container
        if len(self._head) < SNIFF_BYTES and not at_end:
            return False
        sniffed = sniff_audio_format(self._head)
        if sniffed is None or sniffed.container != container:
            found = f"like {sniffed.container}" if sniffed else "with no container header this server knows"
            self._fail(
                f"the stream was declared as {self._format.mime} but starts {found}; "
                "the first chunk must carry the container header"
            )
        try:
            if container == "wav":
                try:
                    header = read_wav_pcm_header(self._head)
                except UnsupportedAudioFormat as refused:
                    self._fail(str(refused))
                if header is not None:
                    self._head = self._head[header.data_offset :]
                    self._backend = _PcmBackend(header.layout, self._sample_rate, header.data_size)
                    return True
            elif container == "mp4" and not mp4_index_first(self._head):
                self._backend = _WholeStreamBackend(container, self._sample_rate)
                return True
        except IncompleteHeader:
            if not at_end:
                return False
            self._fail(f"the {container} stream ended inside its header")
        self._backend = _ThreadedBackend(container, self._sample_rate)
        return True

    def _guard(self, step: Callable[..., np.ndarray], *args: bytes) -> np.ndarray:
        """Runs a decoding step; on an error, releases the thread before raising."""
        try:
            return step(*args)
        except AudioDecodeError:
            self.close()
            raise

    def _fail(self, message: str) -> None:
        self.close()
        raise AudioDecodeError(message)

    def _require_open(self) -> None:
        if self._closed:
            raise AudioDecodeError("the audio stream is already closed")
