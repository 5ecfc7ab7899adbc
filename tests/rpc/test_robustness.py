"""Garbage, floods, stalls, disconnects and clients that never read cannot hurt the daemon or other clients."""

from __future__ import annotations

import json
import logging
import socket
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dictation_daemon.events.dictation import TranscriptEvent
from dictation_daemon.rpc.client import RpcClient
from dictation_daemon.rpc.jsonrpc import MAX_MESSAGE_BYTES

from .messages import check_notification, notifications
from testkit.rig.in_process import running_daemon


@pytest.fixture(scope="module")
def rig(tmp_path_factory):
    with running_daemon(tmp_path_factory.mktemp("robust"), rpc={"queue_size": 40, "max_clients": 8}) as running:
        yield running


def raw(rig) -> socket.socket:
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.settimeout(20)
    connection.connect(str(rig.socket))
    return connection


def answers(connection: socket.socket, count: int) -> list:
    """The next ``count`` answers, notifications in between skipped."""
    reader = connection.makefile("rb")
    found: list = []
    while len(found) < count:
        message = json.loads(reader.readline())
        if not (isinstance(message, dict) and "method" in message):
            found.append(message)
    return found


def status_works(rig) -> None:
    with RpcClient(rig.socket) as client:
        assert client.call("status")["state"] in ("idle", "error")


@pytest.mark.parametrize(("line", "code"), [
    (b"{nope", -32700),
    (b"\xc3\x28", -32700),
    (b"42", -32600),
    (b'{"jsonrpc":"1.0","method":"status","id":1}', -32600),
    (b'{"jsonrpc":"2.0","method":["status"],"id":1}', -32600),
    (b'{"jsonrpc":"2.0","method":"status","params":"x","id":1}', -32600),
    (b'{"jsonrpc":"2.0","method":"dictation.start","params":{"now":true},"id":1}', -32602),
    (b'{"jsonrpc":"2.0","method":"initialize","params":{"protocolVersions":"1.0","client":{"name":"x"}},"id":1}',
     -32602),
    (b'{"jsonrpc":"2.0","method":"initialize","params":[1,2],"id":1}', -32602),
    (b'{"jsonrpc":"2.0","method":"target.claim","params":{"field":7},"id":1}', -32002),
    (b'{"jsonrpc":"2.0","method":"no.such.method","id":1}', -32601),
    (b"[]", -32600),
    (b"[" * 10_000 + b"]" * 10_000, -32700),
    (b'{"jsonrpc":"2.0","method":"status","params":' + b"[" * 100 + b"]" * 100 + b',"id":1}', -32700),
    (b'{"jsonrpc":"2.0","method":"status\\\\ud800","id":1}', -32601),
    (b'{"jsonrpc":"2.0","method":"status\\ud800","id":1}', -32700),
    (b'{"jsonrpc":"2.0","method":"status","id":"\\udc00"}', -32700),
    (b'{"jsonrpc":"2.0","method":"status","id":NaN}', -32700),
    (b'{"jsonrpc":"2.0","method":"status","id":-Infinity}', -32700),
])
def test_every_bad_input_gets_its_error_and_the_connection_goes_on(rig, line, code):
    with raw(rig) as connection:
        connection.sendall(line + b"\n" + b'{"jsonrpc":"2.0","method":"status","id":"after"}\n')
        error, after = answers(connection, 2)
        assert error["error"]["code"] == code
        assert after["id"] == "after" and "state" in after["result"]


def test_a_huge_line_is_refused_without_being_held_and_the_next_line_works(rig):
    with raw(rig) as connection:
        chunk = b"x" * 65536
        for _ in range(MAX_MESSAGE_BYTES // len(chunk) + 2):
            connection.sendall(chunk)
        connection.sendall(b"\n" + b'{"jsonrpc":"2.0","method":"status","id":2}\n')
        too_large, after = answers(connection, 2)
        assert too_large["error"]["code"] == -32000 and after["id"] == 2


def test_a_burst_of_1000_requests_is_answered_in_full_and_in_order(rig):
    with raw(rig) as connection:
        burst = b"".join(b'{"jsonrpc":"2.0","method":"status","id":%d}\n' % number for number in range(1000))
        connection.sendall(burst)
        replies = answers(connection, 1000)
        assert [reply["id"] for reply in replies] == list(range(1000))
        assert all("result" in reply for reply in replies)


def test_a_batch_whose_answer_would_exceed_the_limit_gets_one_error_instead(rig):
    with raw(rig) as connection:
        batch = b"[" + b",".join(b'{"jsonrpc":"2.0","method":"status","id":%d}' % number for number in range(10_000))
        connection.sendall(batch + b"]\n" + b'{"jsonrpc":"2.0","method":"status","id":"after"}\n')
        reader = connection.makefile("rb")
        lines = [reader.readline() for _ in range(2)]
        while b'"method"' in lines[0]:  # a notification of an earlier test
            lines = [lines[1], reader.readline()]
        assert all(len(line) <= MAX_MESSAGE_BYTES + 1 for line in lines)
        too_large, after = (json.loads(line) for line in lines)
        assert too_large["error"]["code"] == -32000 and after["id"] == "after"


def test_a_notification_over_the_limit_is_not_sent_and_the_clients_stay(rig, caplog):
    with RpcClient(rig.socket) as client:
        with caplog.at_level(logging.WARNING):
            rig.publish(TranscriptEvent("x" * (MAX_MESSAGE_BYTES + 10), "x", 1.0, 2.0, True))
        rig.publish(TranscriptEvent("Continue aspirin.", "continue aspirin", 3.0, 4.0, True))
        assert client.call("status")["state"] in ("idle", "error")
    assert "exceeds the limit" in caplog.text and "xxxx" not in caplog.text


def test_a_batch_and_notifications_in_one_line(rig):
    with raw(rig) as connection:
        connection.sendall(b'[{"jsonrpc":"2.0","method":"status","id":1},{"jsonrpc":"2.0","method":"status"},'
                           b'{"jsonrpc":"2.0","method":"nope","id":2}]\n')
        (batch,) = answers(connection, 1)
        assert [item["id"] for item in batch] == [1, 2] and batch[1]["error"]["code"] == -32601


def test_stalled_and_vanished_clients_do_not_hold_up_others(rig):
    stalled = raw(rig)
    stalled.sendall(b'{"jsonrpc":"2.0","method":"sta')  # half a request, then nothing
    for _ in range(5):
        gone = raw(rig)
        gone.sendall(b'{"jsonrpc":"2.0","method":"status","id":1}\n{"jsonrpc":"2.0","meth')
        gone.close()  # disconnects mid-request, before reading its answer
    status_works(rig)
    stalled.close()
    status_works(rig)


def test_the_client_cap_answers_then_closes(rig):
    held = [raw(rig) for _ in range(8)]
    try:
        with raw(rig) as extra:
            reader = extra.makefile("rb")
            refusal = json.loads(reader.readline())
            assert refusal["error"]["code"] == -32001 and reader.readline() == b""
    finally:
        for connection in held:
            connection.close()
    deadline = time.monotonic() + 10
    while True:
        try:
            status_works(rig)
            break
        except (ConnectionError, json.JSONDecodeError, KeyError):
            assert time.monotonic() < deadline
            time.sleep(0.05)


def test_a_client_that_never_reads_is_disconnected_and_the_others_lose_nothing(rig, caplog):
    caplog.set_level(logging.WARNING, logger="dictation_daemon.rpc.connection")
    sleeper = raw(rig)
    sleeper.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sleeper.sendall(b'{"jsonrpc":"2.0","method":"status","id":1}\n')
    with RpcClient(rig.socket) as reader:
        reader.call("status")
        words = "patient is stable " * 400
        events = [TranscriptEvent(f"{number} {words}", "", number, number + 0.5, True) for number in range(300)]
        got = []
        for start in range(0, 300, 20):  # the sleeper's queue (40) overflows, the reader keeps up
            rig.publish(*events[start:start + 20])
            got += notifications(reader, "transcript", 20)
        assert [int(params["text"].split()[0]) for params in got] == list(range(300))
        assert reader.call("status")["rpc"]["clients"] == 1
    assert any("fell 40 messages behind" in record.getMessage() for record in caplog.records)
    sleeper.close()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(
    st.binary(max_size=300).filter(lambda data: b"\n" not in data),
    st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
                 lambda children: st.lists(children, max_size=4) | st.dictionaries(
                     st.sampled_from(["jsonrpc", "method", "params", "id", "field", "client", "x"]), children,
                     max_size=5),
                 max_leaves=12).map(lambda value: json.dumps(value).encode()),
    st.fixed_dictionaries({
        "jsonrpc": st.just("2.0"),
        "method": st.sampled_from(["status", "initialize", "target.claim", "session.configure", "shutdown",
                                   "target.release", "history.paste_last", "authenticate", "x"]),
        "params": st.dictionaries(st.text(max_size=12), st.none() | st.integers() | st.text(max_size=12), max_size=3),
        "id": st.integers(),
    }).map(lambda value: json.dumps(value).encode()),
))
def test_fuzzed_lines_get_a_jsonrpc_answer_or_none_and_the_connection_survives(rig, line):
    with raw(rig) as connection:
        connection.sendall(line + b'\n{"jsonrpc":"2.0","method":"status","id":"probe"}\n')
        reader = connection.makefile("rb")
        while True:
            message = json.loads(reader.readline())
            if isinstance(message, dict) and "method" in message:
                check_notification(message)
                continue
            if isinstance(message, dict) and message.get("id") == "probe":
                assert "state" in message["result"]
                break
            for item in message if isinstance(message, list) else [message]:
                assert item["jsonrpc"] == "2.0" and ("result" in item) != ("error" in item)
                if "error" in item:
                    assert isinstance(item["error"]["code"], int) and isinstance(item["error"]["message"], str)
