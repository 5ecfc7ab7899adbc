"""``serve`` with static tokens, as a real process: who gets in, and when it refuses to start at all."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from dictation_daemon.client.errors import SocketRefusedError

from .dictation import HELLO, bearer, dictate, with_token_query
from .processes import ServeProcess, run_serve, running_serve
from .tokens import OTHER, TOKEN, tokens_file


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServeProcess]:
    """Listens on every address, so a token is required; the tests talk to it on loopback only."""
    tmp_path = tmp_path_factory.mktemp("tokens")
    with running_serve(tmp_path, "--host", "0.0.0.0", "--tokens-file", str(tokens_file(tmp_path))) as process:
        yield process


def refused_status(url: str, headers: dict[str, str] | None = None) -> int:
    with pytest.raises(SocketRefusedError) as refused:
        asyncio.run(dictate(url, headers))
    return refused.value.status


def test_a_missing_token_is_refused(server: ServeProcess) -> None:
    assert refused_status(server.url) == 401


@pytest.mark.parametrize("token", ["wrong-token", TOKEN[:-1], TOKEN + "x", "# ward 3 workstations", ""])
def test_a_wrong_token_is_refused_in_the_header_and_the_query(server: ServeProcess, token: str) -> None:
    assert refused_status(server.url, bearer(token)) == 401
    assert refused_status(with_token_query(server.url, token)) == 401


def test_a_token_of_another_scheme_is_refused(server: ServeProcess) -> None:
    assert refused_status(server.url, {"Authorization": f"Basic {TOKEN}"}) == 401


@pytest.mark.parametrize("token", [TOKEN, OTHER])
def test_a_listed_token_opens_a_whole_session(server: ServeProcess, token: str) -> None:
    for dictation in (asyncio.run(dictate(server.url, bearer(token))),
                      asyncio.run(dictate(with_token_query(server.url, token)))):
        assert dictation.finals == ["patient is stable"]
        assert dictation.usage is not None and dictation.usage.credits == pytest.approx(len(HELLO) / 32000 / 60, rel=0.05)
        assert dictation.ended
        assert dictation.session_id in server.opened_sessions()


def test_tokens_never_reach_the_log(server: ServeProcess) -> None:
    asyncio.run(dictate(server.url, bearer(TOKEN)))
    refused_status(with_token_query(server.url, "wrong-token"))
    log = server.log_text()
    assert "refused 127.0.0.1" in log and "opened for 127.0.0.1" in log
    assert TOKEN not in log and OTHER not in log and "wrong-token" not in log


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.1", "example.org"])
def test_listening_beyond_loopback_without_a_token_source_is_refused(tmp_path: Path, host: str) -> None:
    result = run_serve(tmp_path, "--host", host, "--port", "0")
    assert result.returncode == 2 and result.stdout == ""
    assert f"refusing to listen on {host} without authentication" in result.stderr
    assert "--tokens-file" in result.stderr


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1"])
def test_loopback_needs_no_token(tmp_path: Path, host: str) -> None:
    with running_serve(tmp_path, "--host", host) as process:
        assert asyncio.run(dictate(process.url)).finals == ["patient is stable"]


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660])
def test_a_tokens_file_others_can_read_is_refused(tmp_path: Path, mode: int) -> None:
    path = tokens_file(tmp_path, mode)
    result = run_serve(tmp_path, "--host", "0.0.0.0", "--port", "0", "--tokens-file", str(path))
    assert result.returncode == 2
    assert f"is accessible to other users (mode {mode:04o})" in result.stderr
    assert f"chmod 600 {path}" in result.stderr
    assert TOKEN not in result.stderr


def test_a_tokens_file_without_tokens_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "tokens"
    path.write_text("# nothing yet\n\n")
    path.chmod(0o600)
    result = run_serve(tmp_path, "--tokens-file", str(path))
    assert result.returncode == 2 and "lists no tokens" in result.stderr


def test_a_tokens_file_that_is_not_text_is_refused_plainly(tmp_path: Path) -> None:
    path = tmp_path / "tokens"
    path.write_bytes(b"\xff\xfe" + os.urandom(64))
    path.chmod(0o600)
    result = run_serve(tmp_path, "--tokens-file", str(path))
    assert result.returncode == 2 and "is not UTF-8 text" in result.stderr and "Traceback" not in result.stderr


def test_a_missing_tokens_file_is_refused(tmp_path: Path) -> None:
    result = run_serve(tmp_path, "--tokens-file", str(tmp_path / "absent"))
    assert result.returncode == 2 and "cannot read the tokens file" in result.stderr
