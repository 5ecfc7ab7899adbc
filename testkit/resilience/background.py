"""The scripted server behind the fault proxy on an event loop of its own, for tests that drive a daemon process.

The daemon runs as a subprocess and the test talks to it through blocking calls, so the server and the
proxy live on a thread; the test cuts connections or restarts the server through the methods here.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Coroutine
from typing import Any, TypeVar

from dictation_daemon.server.app import TRANSCRIBE_PATH, LocalServer
from dictation_daemon.server.recognizer import Recognizer

from .proxy import FaultProxy

T = TypeVar("T")
CALL_TIMEOUT = 60.0


class BackgroundRig:
    """``recognizer`` served on loopback behind a :class:`FaultProxy`; use it as a context manager."""

    def __init__(self, recognizer: Recognizer) -> None:
        self.recognizer = recognizer
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="fault-rig", daemon=True)
        self._server: LocalServer | None = None
        self._proxy: FaultProxy | None = None

    @property
    def url(self) -> str:
        """Where the daemon connects: the proxy."""
        assert self._proxy is not None
        return f"ws://127.0.0.1:{self._proxy.port}{TRANSCRIBE_PATH}"

    @property
    def connections(self) -> int:
        """Connections the proxy forwarded so far."""
        return self._call(self._read(lambda proxy: proxy.connections))

    @property
    def live(self) -> int:
        """Connections open through the proxy right now."""
        return self._call(self._read(lambda proxy: proxy.live))

    def cut(self) -> int:
        """Resets every open connection; returns how many there were."""
        return self._call(self._read(lambda proxy: proxy.cut()))

    def wait_reconnected(self, connections_before: int, timeout: float = 30.0) -> None:
        """Waits until a connection after the first ``connections_before`` is open through the proxy."""
        deadline = time.monotonic() + timeout
        while not (self.connections > connections_before and self.live):
            if time.monotonic() > deadline:
                raise AssertionError("the daemon did not reconnect")
            time.sleep(0.02)

    def restart_server(self, down_for: float) -> None:
        """Stops the server (its sessions close) and starts a new one on the same port ``down_for`` later."""
        self._call(self._restart(down_for))

    def __enter__(self) -> BackgroundRig:
        self._thread.start()
        self._call(self._start())
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self._call(self._stop())
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=CALL_TIMEOUT)
            self._loop.close()

    def _call(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(CALL_TIMEOUT)

    async def _read(self, action: Any) -> Any:
        assert self._proxy is not None
        return action(self._proxy)

    async def _start(self) -> None:
        self._server = LocalServer(self.recognizer)
        await self._server.start()
        self._proxy = FaultProxy(self._server.port)
        await self._proxy.start()

    async def _restart(self, down_for: float) -> None:
        assert self._server is not None
        await self._server.stop()
        await asyncio.sleep(down_for)
        self._server = LocalServer(self.recognizer, port=self._server.port)
        await self._server.start()

    async def _stop(self) -> None:
        if self._proxy is not None:
            await self._proxy.stop()
        if self._server is not None:
            await self._server.stop()
