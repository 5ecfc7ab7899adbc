"""The daemon's own socket server, in-process on a private socket, with a few methods for exercising clients.

The server (framing, dispatch, per-client queues) is the daemon's real one; only the methods behind it are
small ones written here, so each client behaviour can be driven on purpose: an answer that comes late,
an error, notifications sent while a call is in flight, a server that goes away.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from dictation_daemon.rpc.jsonrpc import (
    INVALID_PARAMS,
    Dispatcher,
    Params,
    Peer,
    RpcError,
)
from dictation_daemon.rpc.server import RpcServer
from dictation_daemon.rpc.stream import UnixTransport

T = TypeVar("T")


class ServerThread:
    """An :class:`RpcServer` running on an event loop in a background thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.loop = asyncio.new_event_loop()
        self.server = RpcServer(_dispatcher(self), [UnixTransport(path)])
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def start(self) -> None:
        self._thread.start()
        self.run(self.server.start())

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(10)

    def broadcast(self, method: str, params: dict[str, Any]) -> None:
        """Send to every client once the server has taken at least one connection: a client's connect
        returns when the kernel accepts it, which can be before the server's loop has admitted it."""
        self.run(self._broadcast_when_connected(method, params))

    async def _broadcast_when_connected(self, method: str, params: dict[str, Any]) -> None:
        while self.server.client_count == 0:
            await asyncio.sleep(0.005)
        self.server.notify(method, params)

    def stop(self) -> None:
        self.run(self.server.close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join()
        self.loop.close()


def _dispatcher(thread: ServerThread) -> Dispatcher:
    """``echo`` returns its params; ``sleep`` answers after ``seconds``; ``fail`` answers an invalid-params
    error with data; ``announce`` broadcasts ``count`` notifications before answering; ``shut`` closes the
    server with the call unanswered."""
    dispatcher = Dispatcher()

    async def echo(params: Params, peer: Peer) -> Any:
        return params

    async def sleep(params: Params, peer: Peer) -> Any:
        assert isinstance(params, dict)
        await asyncio.sleep(params["seconds"])
        return params["seconds"]

    async def fail(params: Params, peer: Peer) -> Any:
        raise RpcError(INVALID_PARAMS, "bad params", {"given": params})

    async def announce(params: Params, peer: Peer) -> Any:
        assert isinstance(params, dict)
        for number in range(params["count"]):
            thread.server.notify("tick", {"number": number})
        return params["count"]

    async def shut(params: Params, peer: Peer) -> Any:
        asyncio.get_running_loop().create_task(thread.server.close())
        await asyncio.sleep(3600)

    for name, handler in {"echo": echo, "sleep": sleep, "fail": fail, "announce": announce, "shut": shut}.items():
        dispatcher.register(name, handler)
    return dispatcher


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerThread]:
    thread = ServerThread(tmp_path / "rpc" / "rpc.sock")
    thread.start()
    yield thread
    thread.stop()
