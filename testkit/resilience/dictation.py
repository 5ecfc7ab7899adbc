"""Runs one dictation through a :class:`ResilientSession` at the pace of speech, with faults at set moments.

A fault is a coroutine function started (not awaited) when the audio fed so far reaches its time, so the
feed goes on at real-time pace whatever the fault does, as a microphone would.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from dictation_daemon.client.backend import Backend
from dictation_daemon.client.backoff import RetryPolicy
from dictation_daemon.client.resilient import ResilientSession
from dictation_daemon.events.connection import ConnectionState, ConnectionStatus
from dictation_daemon.protocol.messages import (
    Command,
    CommandDefinition,
    ServerMessage,
    TranscribeConfig,
    Transcript,
    TranscriptData,
)
from testkit.tones import tones

from .proxy import FaultProxy

CONFIG = TranscribeConfig(
    primary_language="en",
    interim_results=True,
    spoken_punctuation=True,
    commands=[CommandDefinition(id="next_section", phrases=["next section"])],
)
SPEECH = tones((None, 0.3), (440, 0.6), (None, 0.6), (880, 2.4), (None, 0.6), (660, 0.6), (None, 0.6),
               (440, 0.6), (None, 0.6))
"""A phrase, a long utterance (1.5 s to 3.9 s), a voice command, a phrase: 6.9 s in all."""
LONG_UTTERANCE = (1.5, 3.9)
FAST_RETRY = RetryPolicy(initial_delay=0.1, max_delay=1.0)
BYTES_PER_SECOND = 32000

Fault = Callable[[ResilientSession], Awaitable[None]]


@dataclass
class Dictated:
    """What a dictation delivered, and the statuses it reported on the way."""

    messages: list[ServerMessage]
    statuses: list[ConnectionStatus] = field(default_factory=list)
    before_flush: int = 0
    """How many messages had been delivered when the flush was asked for."""

    @property
    def finals(self) -> list[TranscriptData]:
        return [m.data for m in self.messages if isinstance(m, Transcript) and m.data.is_final]

    @property
    def text(self) -> str:
        return " ".join(final.text for final in self.finals)

    @property
    def commands(self) -> list[tuple[str, dict[str, str] | None]]:
        return [(m.data.id, m.data.variables) for m in self.messages if isinstance(m, Command)]

    @property
    def final_times(self) -> list[tuple[float, float]]:
        return [(final.start, final.end) for final in self.finals]

    def states(self, state: ConnectionState) -> list[ConnectionStatus]:
        return [status for status in self.statuses if status.state is state]


async def dictate(
    backend: Backend,
    audio: bytes = SPEECH,
    *,
    faults: Mapping[float, Fault] | None = None,
    flush_before_end: bool = False,
    chunk_seconds: float = 0.1,
    config: TranscribeConfig = CONFIG,
    **options: object,
) -> Dictated:
    """Feeds ``audio`` in real time, optionally flushes, ends, and returns everything delivered."""
    dictated = Dictated([])
    options.setdefault("retry", FAST_RETRY)
    session = await ResilientSession.open(backend, config, on_status=dictated.statuses.append, **options)
    collector = asyncio.create_task(_collect(session, dictated.messages))
    pending = sorted((faults or {}).items())
    running: list[asyncio.Task[None]] = []
    try:
        loop = asyncio.get_running_loop()
        started = loop.time()
        chunk = int(BYTES_PER_SECOND * chunk_seconds) // 2 * 2
        for offset in range(0, len(audio), chunk):
            await session.send_audio(audio[offset : offset + chunk])
            fed = min(len(audio), offset + chunk) / BYTES_PER_SECOND
            while pending and pending[0][0] <= fed:
                running.append(asyncio.create_task(pending.pop(0)[1](session)))
            await asyncio.sleep(max(0.0, started + fed - loop.time()))
        if flush_before_end:
            dictated.before_flush = len(dictated.messages)
            await session.flush()
        await session.end()
        await collector
        await asyncio.gather(*running)
    finally:
        await session.close()
    return dictated


async def streaming(session: ResilientSession, proxy: FaultProxy, timeout: float = 20.0) -> None:
    """Waits until the session streams through ``proxy`` (so a cut hits a live stream, not a handshake)."""
    async with asyncio.timeout(timeout):
        while session.status.state not in (ConnectionState.CONNECTED, ConnectionState.REPLAYING) or not proxy.live:
            await asyncio.sleep(0.01)


async def _collect(session: ResilientSession, into: list[ServerMessage]) -> None:
    async for message in session.events():
        into.append(message)
