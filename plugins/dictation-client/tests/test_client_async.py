"""The asyncio client against the daemon's socket server: calls, errors, batches, notifications, endings."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from dictation_client import (
    AsyncClient,
    ConnectionClosed,
    DaemonNotRunning,
    Notification,
    RpcError,
    default_socket_path,
)
from dictation_client.protocol import (
    INVALID_PARAMS,
    MAX_MESSAGE_BYTES,
    METHOD_NOT_FOUND,
)


def test_calls_get_their_own_results_when_many_are_in_flight(server):
    async def scenario() -> list[object]:
        async with await AsyncClient.connect(server.path) as client:
            return await asyncio.gather(*(client.call("echo", {"n": n}) for n in range(200)))

    assert asyncio.run(scenario()) == [{"n": n} for n in range(200)]


def test_error_answers_raise_with_code_message_and_data(server):
    async def scenario() -> tuple[RpcError, RpcError, object]:
        async with await AsyncClient.connect(server.path) as client:
            with pytest.raises(RpcError) as failed:
                await client.call("fail", [1, 2])
            with pytest.raises(RpcError) as missing:
                await client.call("no.such.method")
            return failed.value, missing.value, await client.call("echo", ["still usable"])

    failed, missing, after = asyncio.run(scenario())
    assert (failed.code, failed.message, failed.data) == (INVALID_PARAMS, "bad params", {"given": [1, 2]})
    assert missing.code == METHOD_NOT_FOUND
    assert after == ["still usable"]


def test_a_batch_returns_results_in_order_with_errors_as_values(server):
    async def scenario() -> list[object]:
        async with await AsyncClient.connect(server.path) as client:
            return await client.batch([("echo", {"a": 1}), ("fail", None), ("echo", ["b"])])

    first, error, last = asyncio.run(scenario())
    assert first == {"a": 1} and last == ["b"]
    assert isinstance(error, RpcError) and error.code == INVALID_PARAMS


def test_notifications_reach_listeners_and_streams_in_order_before_the_answer(server):
    async def scenario() -> tuple[list[Notification], list[Notification], int]:
        async with await AsyncClient.connect(server.path) as client:
            heard: list[Notification] = []
            client.add_listener(heard.append)
            stream = client.subscribe("tick")
            answer = await client.call("announce", {"count": 50})
            server.broadcast("other", {})
            streamed = []
            async for notification in stream:
                streamed.append(notification)
                if len(streamed) == 50:
                    stream.close()
            return heard, streamed, answer

    heard, streamed, answer = asyncio.run(scenario())
    assert answer == 50
    assert [n.params["number"] for n in heard[:50]] == list(range(50))
    assert streamed == heard[:50] and all(n.method == "tick" for n in streamed)


def test_a_notification_sent_to_the_daemon_gets_no_answer(server):
    async def scenario() -> tuple[list[Notification], object]:
        async with await AsyncClient.connect(server.path) as client:
            heard: list[Notification] = []
            client.add_listener(heard.append)
            await client.notify("announce", {"count": 1})
            return heard, await client.call("echo", ["after"])

    heard, answer = asyncio.run(scenario())
    assert answer == ["after"] and heard == [Notification("tick", {"number": 0})]


def test_when_the_daemon_goes_away_waiting_calls_fail_and_streams_end(server):
    async def scenario() -> tuple[list[Notification], AsyncClient]:
        client = await AsyncClient.connect(server.path)
        stream = client.subscribe()
        with pytest.raises(ConnectionClosed):
            await client.call("shut")
        with pytest.raises(ConnectionClosed):
            await client.call("echo")
        remaining = [notification async for notification in stream]
        await client.close()
        return remaining, client

    remaining, client = asyncio.run(scenario())
    assert remaining == [] and client.closed


def test_a_message_over_the_limit_is_refused_before_it_is_sent(server):
    async def scenario() -> object:
        async with await AsyncClient.connect(server.path) as client:
            with pytest.raises(ValueError, match="exceeds"):
                await client.call("echo", ["x" * MAX_MESSAGE_BYTES])
            return await client.call("echo", ["fits"])

    assert asyncio.run(scenario()) == ["fits"]


def test_a_timeout_gives_up_on_one_call_only(server):
    async def scenario() -> object:
        async with await AsyncClient.connect(server.path) as client:
            with pytest.raises(TimeoutError):
                await client.call("sleep", {"seconds": 1}, timeout=0.05)
            return await client.call("echo", ["next"])

    assert asyncio.run(scenario()) == ["next"]


def test_connecting_where_nothing_listens_says_the_daemon_is_not_running(tmp_path: Path):
    with pytest.raises(DaemonNotRunning, match="no dictation daemon is running"):
        asyncio.run(AsyncClient.connect(tmp_path / "rpc.sock"))


def test_the_default_path_follows_the_runtime_folder():
    assert default_socket_path({"XDG_RUNTIME_DIR": "/run/user/7"}) == Path("/run/user/7/dictation-daemon/rpc.sock")
    assert default_socket_path({}).name == "rpc.sock" and str(os.getuid()) in str(default_socket_path({}))
