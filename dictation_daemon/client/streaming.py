"""Feeding recorded audio into a session in chunks, at real-time pace when the server needs it.

Corti asks for 250 ms chunks sent at the pace they were spoken: faster may drop audio or end the stream.
The local server has no such limit, so files can be sent as fast as it decodes them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable

from ..protocol.audio_format import BYTES_PER_SECOND
from .session import TranscribeSession

DEFAULT_CHUNK_SECONDS = 0.25


async def stream_pcm(
    session: TranscribeSession,
    pcm16: bytes,
    *,
    realtime: bool,
    chunk_seconds: float = DEFAULT_CHUNK_SECONDS,
    on_progress: Callable[[float], None] | None = None,
) -> None:
    """Sends 16 kHz mono PCM16 in chunks; ``on_progress`` receives the seconds sent so far."""
    await stream_chunks(session, [pcm16], realtime=realtime, chunk_seconds=chunk_seconds, on_progress=on_progress)


async def stream_chunks(
    session: TranscribeSession,
    pieces: Iterable[bytes],
    *,
    realtime: bool,
    chunk_seconds: float = DEFAULT_CHUNK_SECONDS,
    on_progress: Callable[[float], None] | None = None,
) -> int:
    """Sends 16 kHz mono PCM16 that arrives in pieces of any size (a file decoded as it goes) as chunks of
    ``chunk_seconds``; returns how many bytes were sent. ``on_progress`` receives the seconds sent so far."""
    chunk_bytes = max(2, int(BYTES_PER_SECOND * chunk_seconds) // 2 * 2)
    loop = asyncio.get_running_loop()
    started = loop.time()
    pending = bytearray()
    sent = 0

    async def send(chunk: bytes) -> None:
        nonlocal sent
        await session.send_audio(chunk)
        sent += len(chunk)
        if on_progress is not None:
            on_progress(sent / BYTES_PER_SECOND)
        if realtime:
            await asyncio.sleep(max(0.0, started + sent / BYTES_PER_SECOND - loop.time()))
        else:
            await asyncio.sleep(0)

    for piece in pieces:
        pending += piece
        while len(pending) >= chunk_bytes:
            await send(bytes(pending[:chunk_bytes]))
            del pending[:chunk_bytes]
    if pending:
        await send(bytes(pending))
    return sent
