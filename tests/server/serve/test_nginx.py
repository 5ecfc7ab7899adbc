"""Two ``serve`` processes behind nginx with the example config: both take sessions, tokens pass through.

nginx runs in the foreground as a child of the test, with the shipped ``config/nginx`` file pointed at two
real ``serve`` processes on loopback. Each process logs the ids of the sessions it opened, which says
which one served each session.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from dictation_daemon.client.errors import SocketRefusedError
from dictation_daemon.server.app import TRANSCRIBE_PATH

from .dictation import bearer, close_in_use, dictate, open_in_use, with_token_query
from .processes import ServeProcess, running_nginx, running_serve
from .tokens import TOKEN, tokens_file


@pytest.fixture
def upstreams(tmp_path: Path) -> Iterator[tuple[ServeProcess, ServeProcess]]:
    """Two processes with one session slot each, behind a token (as on a shared server)."""
    tokens = str(tokens_file(tmp_path))
    with (running_serve(tmp_path, "--tokens-file", tokens, "--max-sessions", "1", name="first") as first,
          running_serve(tmp_path, "--tokens-file", tokens, "--max-sessions", "1", name="second") as second):
        yield first, second


@pytest.fixture
def balancer(tmp_path: Path, upstreams: tuple[ServeProcess, ServeProcess]) -> Iterator[str]:
    """The ``ws://`` URL of nginx in front of both processes."""
    ports = [urlsplit(process.url).port for process in upstreams]
    with running_nginx(tmp_path, ports) as port:
        yield f"ws://127.0.0.1:{port}{TRANSCRIBE_PATH}"


def served_by(upstreams: tuple[ServeProcess, ServeProcess], session_id: str) -> int:
    [index] = [i for i, process in enumerate(upstreams) if session_id in process.opened_sessions()]
    return index


def test_sessions_spread_over_both_processes(balancer: str, upstreams: tuple[ServeProcess, ServeProcess]) -> None:
    async def test() -> list[str]:
        ids = []
        for number in range(6):
            url, headers = (balancer, bearer(TOKEN)) if number % 2 else (with_token_query(balancer, TOKEN), None)
            dictation = await dictate(url, headers)
            assert dictation.finals == ["patient is stable"] and dictation.usage is not None and dictation.ended
            ids.append(dictation.session_id)
            await asyncio.sleep(0.1)  # let nginx count the closed connection before the next one
        return ids

    ids = asyncio.run(asyncio.wait_for(test(), 120))
    servers = [served_by(upstreams, session_id) for session_id in ids]
    assert sorted(set(servers)) == [0, 1], servers
    for process in upstreams:
        assert "(forwarded for 127.0.0.1)" in process.log_text() and TOKEN not in process.log_text()


def test_open_sessions_go_to_the_idle_process_and_the_third_finds_both_full(
        balancer: str, upstreams: tuple[ServeProcess, ServeProcess]) -> None:
    async def test() -> None:
        held = [await open_in_use(balancer, bearer(TOKEN)) for _ in range(2)]  # in use: never ended for room
        ids = [session.session_id for session, _ in held]
        assert sorted(served_by(upstreams, session_id) for session_id in ids) == [0, 1]
        with pytest.raises(InvalidStatus) as refused:
            async with connect(balancer, additional_headers=bearer(TOKEN)):
                pass
        assert refused.value.response.status_code == 503 and b"the server is full" in refused.value.response.body
        for session in held:
            await close_in_use(*session)

    asyncio.run(asyncio.wait_for(test(), 60))


@pytest.mark.parametrize("headers", [None, bearer("wrong-token")], ids=["missing", "wrong"])
def test_a_missing_or_wrong_token_is_refused_through_nginx(balancer: str, headers: dict[str, str] | None) -> None:
    with pytest.raises(SocketRefusedError) as refused:
        asyncio.run(dictate(balancer, headers))
    assert refused.value.status == 401


def test_the_access_log_leaves_the_token_out(balancer: str, tmp_path: Path) -> None:
    asyncio.run(dictate(with_token_query(balancer, TOKEN)))
    access_log = tmp_path / "nginx" / "logs" / "dictation-daemon.access.log"
    deadline = time.monotonic() + 10
    while f'"GET {TRANSCRIBE_PATH}" 101' not in access_log.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)  # nginx logs a WebSocket request once both sides have closed
    assert f'"GET {TRANSCRIBE_PATH}" 101' in access_log.read_text() and TOKEN not in access_log.read_text()
