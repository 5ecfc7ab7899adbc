"""The blocking client: calls from several threads, subscriptions filled while nobody calls, closing."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from dictation_client import (
    Client,
    ConnectionClosed,
    DaemonNotRunning,
    Notification,
    RpcError,
)
from dictation_client.protocol import INVALID_PARAMS


def test_calls_from_several_threads_each_get_their_answer(server):
    results: dict[int, object] = {}
    with Client(server.path) as client:
        def work(number: int) -> None:
            results[number] = client.call("echo", {"thread": number})

        threads = [threading.Thread(target=work, args=(number,)) for number in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert results == {number: {"thread": number} for number in range(8)}


def test_errors_and_batches_behave_as_in_the_async_client(server):
    with Client(server.path) as client:
        with pytest.raises(RpcError) as failed:
            client.call("fail")
        assert failed.value.code == INVALID_PARAMS
        echoed, error = client.batch([("echo", ["x"]), ("fail", None)])
    assert echoed == ["x"] and isinstance(error, RpcError)


def test_a_subscription_collects_notifications_while_the_program_does_other_things(server):
    with Client(server.path) as client, client.subscribe("tick") as ticks:
        heard: list[Notification] = []
        client.add_listener(heard.append)
        server.broadcast("tick", {"number": 0})
        server.broadcast("other", {})
        assert client.call("announce", {"count": 2}) == 2
        received = [ticks.get(timeout=10) for _ in range(3)]
        assert ticks.get_nowait() is None
    assert [n.params["number"] for n in received] == [0, 0, 1]
    assert [n.method for n in heard] == ["tick", "other", "tick", "tick"]


def test_a_subscription_ends_with_connection_closed_when_the_daemon_goes_away(server):
    client = Client(server.path, timeout=30)
    subscription = client.subscribe()
    server.broadcast("last", {})
    with pytest.raises(ConnectionClosed):
        client.call("shut")
    assert subscription.get(timeout=10) == Notification("last", {})
    with pytest.raises(ConnectionClosed):
        subscription.get(timeout=10)
    assert client.closed
    client.close()


def test_get_times_out_when_nothing_arrives(server):
    with Client(server.path) as client, client.subscribe() as subscription:
        with pytest.raises(TimeoutError):
            subscription.get(timeout=0.05)


def test_connecting_where_nothing_listens_raises_and_leaves_no_thread(tmp_path: Path):
    before = threading.active_count()
    with pytest.raises(DaemonNotRunning):
        Client(tmp_path / "rpc.sock")
    assert threading.active_count() == before
