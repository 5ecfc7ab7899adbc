"""The control socket of a running daemon: private modes, methods, notifications to every client, bad input."""

from __future__ import annotations

import json
import socket
import stat

import pytest

from dictation_daemon.rpc.client import RpcClient
from dictation_daemon.rpc.jsonrpc import PARSE_ERROR

pytestmark = [pytest.mark.desktop, pytest.mark.engine]


def states(client: RpcClient, until: str) -> list[str]:
    """The ``state`` notifications a client receives, up to and including ``until``."""
    seen: list[str] = []
    while until not in seen:
        message = client.receive()
        if message.get("method") == "state":
            seen.append(message["params"]["state"])
    return seen


def test_the_socket_is_private_and_serves_several_clients(start_daemon):
    daemon = start_daemon({}, "--headless")
    assert stat.S_IMODE(daemon.socket.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(daemon.socket.stat().st_mode) == 0o600
    assert stat.S_ISSOCK(daemon.socket.stat().st_mode)

    with RpcClient(daemon.socket) as first, RpcClient(daemon.socket) as second:
        second.call("status")  # an answer means the server has taken both connections (accepted in order)
        status = first.call("status")
        assert status["state"] == "idle" and status["rpc"]["clients"] == 2
        assert status["plugins"]["running"] == ["commands"]  # the socket is no plugin: its clients claim upstream

        assert first.call("dictation.start") == {"state": "listening"}
        assert second.call("dictation.stop") == {"state": "finishing"}
        assert states(first, "idle") == ["listening", "finishing", "idle"]
        assert states(second, "idle") == ["listening", "finishing", "idle"]
        assert first.call("dictation.toggle") == {"state": "listening"}
        assert first.call("dictation.cancel") == {"state": "idle"}
        assert states(second, "idle") == ["listening", "idle"]


def test_a_bad_line_gets_a_parse_error_and_the_connection_keeps_working(start_daemon):
    daemon = start_daemon({}, "--headless")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as raw:
        raw.settimeout(10)
        raw.connect(str(daemon.socket))
        replies = raw.makefile("rb")
        raw.sendall(b'{"jsonrpc": "2.0", "method": "status", "id": \n')
        error = json.loads(replies.readline())
        assert error["error"]["code"] == PARSE_ERROR and error["id"] is None
        raw.sendall(b'{"jsonrpc": "2.0", "method": "status", "id": "again"}\n')
        answer = json.loads(replies.readline())
        assert answer["id"] == "again" and answer["result"]["state"] == "idle"
        raw.sendall(b'{"jsonrpc": "2.0", "method": "history.paste_last", "id": 3}\n')
        assert json.loads(replies.readline())["error"]["message"] == "there is no dictation to paste yet"
