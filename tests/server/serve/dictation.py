"""One short dictation through a real client, with what a test needs to check about it."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote

from dictation_daemon.client.session import TranscribeSession
from dictation_daemon.client.streaming import stream_pcm
from dictation_daemon.protocol.messages import (
    Ended,
    TranscribeConfig,
    Transcript,
    Usage,
)
from testkit.tones import tones

CONFIG = TranscribeConfig(primary_language="en")
HELLO = tones((None, 0.2), (440, 0.5), (None, 0.5))
"""One burst the scripted recognizer hears as "patient is stable"."""


@dataclass
class Dictation:
    session_id: str
    finals: list[str]
    usage: Usage | None
    ended: bool


async def dictate(url: str, headers: Mapping[str, str] | None = None) -> Dictation:
    """Opens a session, streams one phrase, ends it, and returns everything the server said."""
    session = await TranscribeSession.open(url, CONFIG, headers=headers)
    async with session:
        accepted = await session.wait_accepted()
        await stream_pcm(session, HELLO, realtime=False, chunk_seconds=0.1)
        usage = await session.end()
        messages = [message async for message in session.events()]
    finals = [m.data.raw_transcript_text for m in messages if isinstance(m, Transcript) and m.data.is_final]
    return Dictation(accepted.session_id, finals, usage, any(isinstance(m, Ended) for m in messages))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def with_token_query(url: str, token: str) -> str:
    """The URL as Corti's clients send it: ``?token=Bearer%20<token>``."""
    return f"{url}?token=Bearer%20{quote(token, safe='')}"


async def open_in_use(url: str, headers: Mapping[str, str] | None = None,
                      ) -> tuple[TranscribeSession, asyncio.Task[None]]:
    """A session sending silence every 0.2 s, as one being dictated into: a full server never ends it."""
    session = await TranscribeSession.open(url, CONFIG, headers=headers)
    await session.wait_accepted()

    async def speak() -> None:
        while True:
            await session.send_audio(bytes(6400))
            await asyncio.sleep(0.2)

    return session, asyncio.create_task(speak())


async def close_in_use(session: TranscribeSession, speaking: asyncio.Task[None]) -> None:
    speaking.cancel()
    await asyncio.gather(speaking, return_exceptions=True)
    await session.close()
