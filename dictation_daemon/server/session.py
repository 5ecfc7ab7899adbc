"""One ``/transcribe`` session on the local server: decoding, recognition and text rules, in order.

This is the part of the server shell that does the work between the protocol and the engine. It runs
every blocking step (decoding, recognition) in a worker thread so the event loop keeps serving other
sessions, and it handles one protocol event at a time so results, ``flushed`` and ``ended`` leave in the
order the client asked for them.
"""

from __future__ import annotations

import asyncio
import logging

import numpy as np

from ..audio.decoding import AudioDecodeError, StreamDecoder
from ..protocol.audio_format import SAMPLE_RATE, AudioFormat
from ..protocol.messages import CommandData, TranscriptData
from ..protocol.server import (
    AudioReceived,
    EndRequested,
    FlushRequested,
    ServerEvent,
    ServerProtocol,
    SessionStarted,
)
from .audio_events import AudioEventDetector
from .pacing import DecodeBudget
from .recognizer import RecognitionStream, RecognizedSegment, Recognizer
from .text.pipeline import TextPipeline

logger = logging.getLogger(__name__)

SECONDS_PER_CREDIT = 60.0
"""The local server counts one credit per minute of audio, so ``usage`` reads like Corti's."""


class ServerSession:
    """Carries out a session's :class:`ServerEvent` values against the recognizer; what it has the
    protocol send, the shell writes to the socket after each event."""

    def __init__(self, protocol: ServerProtocol, recognizer: Recognizer, delta_usage_seconds: float,
                 budget: DecodeBudget | None = None) -> None:
        """``budget`` paces how fast this session's audio is decoded (:mod:`.pacing`)."""
        self._protocol = protocol
        self._budget = budget or DecodeBudget()
        self._recognizer = recognizer
        self._delta_usage_seconds = delta_usage_seconds
        self._decoder: StreamDecoder | None = None
        self._stream: RecognitionStream | None = None
        self._pipeline: TextPipeline | None = None
        self._events = AudioEventDetector()
        self._audio_seconds = 0.0
        self._next_delta_usage = delta_usage_seconds
        self._handling = False

    @property
    def credits(self) -> float:
        return round(self._audio_seconds / SECONDS_PER_CREDIT, 6)

    @property
    def busy(self) -> bool:
        """Whether an event is being handled (audio decoded, a flush answered): the session is not idle."""
        return self._handling

    async def handle(self, event: ServerEvent) -> None:
        self._handling = True
        try:
            if isinstance(event, SessionStarted):
                self._stream = await asyncio.to_thread(self._recognizer.open_stream, event.config)
                self._pipeline = await asyncio.to_thread(TextPipeline, event.config)  # thousands of phrases
                if event.audio_format is not None:
                    self._decoder = StreamDecoder(event.audio_format)
            elif isinstance(event, AudioReceived):
                await self._receive_audio(event.data, event.audio_format)
            elif isinstance(event, FlushRequested):
                await self._finish_audio(drain=True)
                self._protocol.send_flushed()
            elif isinstance(event, EndRequested):
                await self._finish_audio(drain=False)
                self._protocol.finish(self.credits)
        except AudioDecodeError as exc:
            logger.info("session %s: bad audio: %s", self._protocol.session_id, exc)
            self._protocol.fail("invalid_audio", "Invalid audio", 400, str(exc), credits=self.credits)
        finally:
            self._handling = False

    def close(self) -> None:
        """The connection is gone: release the decoder's resources."""
        if self._decoder is not None:
            self._decoder.close()

    async def _receive_audio(self, data: bytes, sniffed: AudioFormat | None) -> None:
        if sniffed is not None:
            self._decoder = StreamDecoder(sniffed)
        assert self._decoder is not None
        samples = await asyncio.to_thread(self._decoder.feed, data)
        await self._recognize(samples)

    async def _finish_audio(self, drain: bool) -> None:
        if self._decoder is not None:
            samples = await asyncio.to_thread(self._decoder.drain if drain else self._decoder.finish)
            await self._recognize(samples)
        assert self._stream is not None and self._pipeline is not None
        await self._send(await asyncio.to_thread(self._stream.finish))
        self._send_results(await asyncio.to_thread(self._pipeline.flush))

    async def _recognize(self, samples: np.ndarray) -> None:
        if not len(samples):
            return
        assert self._stream is not None
        seconds = len(samples) / SAMPLE_RATE
        wait = self._budget.charge(seconds, asyncio.get_running_loop().time())
        if wait:
            await asyncio.sleep(wait)
        self._audio_seconds += seconds
        for detected in self._events.feed(samples):
            self._protocol.send_audio_event(detected.event, detected.start_time_ms)
        await self._send(await asyncio.to_thread(self._stream.accept_audio, samples))
        if self._audio_seconds >= self._next_delta_usage:
            self._next_delta_usage += self._delta_usage_seconds
            self._protocol.send_delta_usage(self.credits)

    async def _send(self, segments: list[RecognizedSegment]) -> None:
        """Sends what the text rules make of ``segments``; they run in a worker thread, since matching a
        large configuration's phrases can take a noticeable fraction of a second."""
        if segments:
            self._send_results(await asyncio.to_thread(self._texts_of, segments))

    def _texts_of(self, segments: list[RecognizedSegment]) -> list[TranscriptData | CommandData]:
        assert self._pipeline is not None
        return [result for segment in segments for result in self._pipeline.process(segment)]

    def _send_results(self, results: list[TranscriptData | CommandData]) -> None:
        for result in results:
            if isinstance(result, CommandData):
                self._protocol.send_command(result)
            else:
                self._protocol.send_transcript(result)
