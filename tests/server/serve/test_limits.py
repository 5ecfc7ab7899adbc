"""The session cap of one ``serve`` process: HTTP 503 with a reason when full, a free slot once one closes."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from dictation_daemon.client.errors import SocketRefusedError
from dictation_daemon.client.session import TranscribeSession

from .dictation import CONFIG, close_in_use, dictate, open_in_use
from .processes import running_serve


async def open_accepted(url: str) -> TranscribeSession:
    session = await TranscribeSession.open(url, CONFIG)
    await session.wait_accepted()
    return session


async def refusal(url: str) -> tuple[int, bytes]:
    with pytest.raises(InvalidStatus) as refused:
        async with connect(url):
            pass
    return refused.value.response.status_code, refused.value.response.body


def test_sessions_beyond_the_cap_get_503_until_one_closes(tmp_path: Path) -> None:
    async def test(url: str) -> None:
        first, second = await open_in_use(url), await open_in_use(url)
        status, body = await refusal(url)  # after waiting for a slot: sessions in use are never ended
        assert status == 503 and b"the server is full (2 sessions)" in body
        await close_in_use(*first)
        for _ in range(100):  # the slot frees when the server sees the TCP connection close
            try:
                third = await open_in_use(url)
                break
            except SocketRefusedError:
                await asyncio.sleep(0.05)
        else:
            pytest.fail("no slot came free after a session closed")
        assert (await refusal(url))[0] == 503
        await close_in_use(*second)
        await close_in_use(*third)

    with running_serve(tmp_path, "--max-sessions", "2") as server:
        asyncio.run(asyncio.wait_for(test(server.url), 60))
        assert "all 2 sessions are in use" in server.log_text()


def test_refused_and_finished_sessions_leave_every_slot_free(tmp_path: Path) -> None:
    async def test(url: str) -> None:
        for _ in range(4):
            await dictate(url)
            await refusal(url.replace("/transcribe", "/elsewhere"))  # a 404 does not hold a slot either
        sessions = [await open_accepted(url) for _ in range(2)]
        for session in sessions:
            await session.close()

    with running_serve(tmp_path, "--max-sessions", "2") as server:
        asyncio.run(asyncio.wait_for(test(server.url), 60))


def test_the_cap_comes_from_the_config_file(tmp_path: Path) -> None:
    config = tmp_path / "limited.yaml"
    config.write_text("server:\n  max_sessions: 1\n")

    async def test(url: str) -> None:
        session = await open_in_use(url)
        assert (await refusal(url))[0] == 503
        await close_in_use(*session)

    with running_serve(tmp_path, "--config", str(config)) as server:
        asyncio.run(asyncio.wait_for(test(server.url), 60))
