"""Feeding recorded audio into a session in chunks, at real-time pace when the server needs it.

Corti asks for 250 ms chunks sent at the pace they were spoken: faster may drop audio or end the stream.
The local server has no such limit, so files can be sent as fast as it decodes them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

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
    chunk_bytes = max(2, int(BYTES_PER_SECOND * chunk_seconds) // 2 * 2)
    loop = asyncio.get_running_loop()
    started = loop.time()
    for offset in range(0, len(pcm16), chunk_bytes):
        await session.send_audio(pcm16[offset : offset + chunk_bytes])
        sent_seconds = min(len(pcm16), offset + chunk_bytes) / BYTES_PER_SECOND
        if on_progress is not None:
            on_progress(sent_seconds)
        if realtime:
            await asyncio.sleep(max(0.0, started + sent_seconds - loop.time()))
        else:
            await asyncio.sleep(0)
