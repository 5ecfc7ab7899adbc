"""A loopback TCP proxy the tests control, to fail the network between a client and a server on demand.

It passes bytes through untouched (the WebSocket inside never notices it), and on request cuts every open
connection with a reset, as a dropped Wi-Fi link or a restarted load balancer does, or stops accepting new
connections for a while, as an unreachable host does.
"""

from __future__ import annotations

import asyncio
import contextlib


class FaultProxy:
    """Forwards ``127.0.0.1:port`` to ``127.0.0.1:target_port``; ``port=0`` picks a free port at start."""

    def __init__(self, target_port: int, port: int = 0) -> None:
        self.target_port = target_port
        self.port = port
        self.connections = 0
        """Connections forwarded so far (ones whose target was reachable)."""
        self.cuts = 0
        """Connections cut by :meth:`cut` so far."""
        self._server: asyncio.Server | None = None
        self._links: set[tuple[asyncio.StreamWriter, asyncio.StreamWriter]] = set()
        self._handlers: set[asyncio.Task[None]] = set()

    @property
    def live(self) -> int:
        """Connections open right now."""
        return len(self._links)

    async def start(self) -> None:
        """Listens (again) on :attr:`port`."""
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    def refuse(self) -> None:
        """Stops listening: new connections are refused until :meth:`start`; open ones stay up."""
        if self._server is not None:
            self._server.close()
            self._server = None

    def cut(self) -> int:
        """Resets every open connection at both ends; returns how many there were."""
        links = list(self._links)
        for client, upstream in links:
            client.transport.abort()
            upstream.transport.abort()
        self._links.clear()
        self.cuts += len(links)
        return len(links)

    async def stop(self) -> None:
        self.refuse()
        self.cut()
        for handler in list(self._handlers):
            handler.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await handler

    async def __aenter__(self) -> FaultProxy:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._handlers.add(asyncio.current_task())  # type: ignore[arg-type]
        try:
            try:
                upstream_reader, upstream = await asyncio.open_connection("127.0.0.1", self.target_port)
            except OSError:
                writer.transport.abort()  # the target is down: the client sees its connection fail
                return
            link = (writer, upstream)
            self._links.add(link)
            self.connections += 1
            try:
                await asyncio.gather(_pipe(reader, upstream), _pipe(upstream_reader, writer))
            finally:
                self._links.discard(link)
                writer.transport.abort()
                upstream.transport.abort()
        finally:
            self._handlers.discard(asyncio.current_task())  # type: ignore[arg-type]


async def _pipe(source: asyncio.StreamReader, target: asyncio.StreamWriter) -> None:
    """Copies one direction until end of stream, then closes the target gracefully (a WebSocket close)."""
    with contextlib.suppress(ConnectionError, OSError):
        while data := await source.read(1 << 16):
            target.write(data)
            await target.drain()
        target.close()
