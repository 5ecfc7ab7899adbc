"""The client against a stand-in for Corti: a real token endpoint and a token-checking socket, on loopback.

This is the whole cloud path (credentials from the environment, OAuth client credentials, the token in
the socket URL, Ogg/Opus at real-time pace) with only the hosts replaced.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import pytest

from dictation_daemon.app.backend import open_backend
from dictation_daemon.client.errors import SocketRefusedError
from dictation_daemon.client.streaming import stream_pcm
from dictation_daemon.config import DaemonConfig
from dictation_daemon.corti.auth import InvalidClientError, RealmNotFoundError
from dictation_daemon.protocol.messages import Transcript
from dictation_daemon.server.app import LocalServer
from testkit.corti import CLIENT_ID, SECRET, TokenServer
from testkit.scripted import ScriptedRecognizer
from testkit.tones import SCRIPT, tones

SPEECH = tones((None, 0.2), (440, 0.6), (None, 0.6))


@pytest.fixture
def token_server() -> Iterator[TokenServer]:
    server = TokenServer()
    server.start()
    yield server
    server.stop()


def corti_environment(token_server: TokenServer, socket_port: int, **overrides: str) -> dict[str, str]:
    return {
        "CORTI_CLIENT_ID": CLIENT_ID, "CORTI_CLIENT_SECRET": SECRET, "CORTI_AUTH_URL": token_server.url,
        "CORTI_API_URL": f"ws://127.0.0.1:{socket_port}", **overrides,
    }


def with_fake_corti(token_server: TokenServer, test) -> None:
    """Runs ``test(server, revoked)``: the socket admits tokens the endpoint issued and that are not revoked."""
    revoked: set[str] = set()

    async def main() -> None:
        check = lambda token: token in token_server.issued and token not in revoked  # noqa: E731
        async with LocalServer(ScriptedRecognizer(SCRIPT), token_check=check) as server:
            await asyncio.wait_for(test(server, revoked), 60)

    asyncio.run(main())


async def dictate(backend) -> list[str]:
    session = await backend.open_session(DaemonConfig().transcription.to_transcribe_config())
    await session.wait_accepted()
    await stream_pcm(session, SPEECH, realtime=backend.realtime_required)
    await session.end()
    return [m.data.raw_transcript_text async for m in session.events() if isinstance(m, Transcript) and m.data.is_final]


def test_sessions_share_one_token_and_stream_ogg_opus_at_real_time_pace(token_server: TokenServer) -> None:
    async def test(server: LocalServer, revoked: set[str]) -> None:
        environment = corti_environment(token_server, server.port)
        async with open_backend(DaemonConfig(), environ=environment) as backend:
            assert backend.kind == "corti" and backend.encoder().mime == "audio/ogg; codecs=opus"
            started = time.monotonic()
            assert await dictate(backend) == ["patient is stable"]
            assert time.monotonic() - started >= 0.9 * len(SPEECH) / 32000, "audio went faster than real time"
            assert await dictate(backend) == ["patient is stable"]
        assert len(token_server.requests) == 1

    with_fake_corti(token_server, test)


def test_a_token_refused_by_the_socket_is_replaced_once(token_server: TokenServer) -> None:
    async def test(server: LocalServer, revoked: set[str]) -> None:
        async with open_backend(DaemonConfig(), environ=corti_environment(token_server, server.port)) as backend:
            assert await dictate(backend) == ["patient is stable"]
            revoked.update(token_server.issued)  # the server no longer honours it (expired, revoked)
            assert await dictate(backend) == ["patient is stable"]
        assert len(token_server.requests) == 2

    with_fake_corti(token_server, test)


def test_expired_tokens_are_refreshed_before_a_new_socket(token_server: TokenServer) -> None:
    token_server.expires_in = 2  # refreshed once less than half the lifetime is left

    async def test(server: LocalServer, revoked: set[str]) -> None:
        async with open_backend(DaemonConfig(), environ=corti_environment(token_server, server.port)) as backend:
            await dictate(backend)
            await asyncio.sleep(1.2)
            await dictate(backend)
        assert len(token_server.requests) == 2

    with_fake_corti(token_server, test)


@pytest.mark.parametrize("overrides, error, words", [
    ({"CORTI_CLIENT_SECRET": "wrong"}, InvalidClientError, "client"),
    ({"CORTI_TENANT": "elsewhere"}, RealmNotFoundError, "elsewhere"),
])
def test_auth_failures_name_the_problem_and_never_the_secret(token_server: TokenServer, overrides, error, words) -> None:
    async def test(server: LocalServer, revoked: set[str]) -> None:
        environment = corti_environment(token_server, server.port, **overrides)
        async with open_backend(DaemonConfig(), environ=environment) as backend:
            with pytest.raises(error) as failure:
                await dictate(backend)
        assert words in str(failure.value) and environment["CORTI_CLIENT_SECRET"] not in str(failure.value)

    with_fake_corti(token_server, test)


def test_a_shared_server_token_comes_from_the_environment_as_a_header() -> None:
    async def main() -> None:
        async with LocalServer(ScriptedRecognizer(SCRIPT), token_check=lambda token: token == "shared-secret") as server:
            for environment, admitted in (({"DICTATION_SERVER_TOKEN": "shared-secret"}, True), ({}, False)):
                async with open_backend(DaemonConfig(), url=server.url, environ=environment) as backend:
                    if admitted:
                        assert await dictate(backend) == ["patient is stable"]
                    else:
                        with pytest.raises(SocketRefusedError) as refused:
                            await dictate(backend)
                        assert refused.value.status == 401

    asyncio.run(main())
