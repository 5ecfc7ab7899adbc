"""A loopback TCP proxy the tests control, to fail the network between a client and a server on demand.

It passes bytes through untouched (the WebSocket inside never notices it), and on request cuts every open
connection with a reset, as a dropped Wi-Fi link or a restarted load balancer does, stalls them (nothing
passes either way, yet both TCP connections stay open, as behind a NAT that forgot its mapping or with a
server that is stuck), or stops accepting new connections for a while, as an unreachable host does.
"""

from __future__ import annotations

import asyncio
import contextlib


class _Link:
    """One forwarded connection: the client's end, the target's end, and whether bytes may pass."""

    def __init__(self, client: asyncio.StreamWriter, upstream: asyncio.StreamWriter) -> None:
        self.client = client
        self.upstream = upstream
        self.flowing = asyncio.Event()
        self.flowing.set()

    def abort(self) -> None:
        """Resets both ends; a stalled link's pipes wake up to find them closed and end."""
        self.client.transport.abort()
        self.upstream.transport.abort()
        self.flowing.set()


class FaultProxy:
    """Forwards ``127.0.0.1:port`` to ``127.0.0.1:target_port``; ``port=0`` picks a free port at start."""

    def __init__(self, target_port: int, port: int = 0) -> None:
        self.target_port = target_port
        self.port = port
        self.connections = 0
        """Connections forwarded so far (ones whose target was reachable)."""
        self.cuts = 0
        """Connections cut by :meth:`cut` so far."""
        self.stalls = 0
        """Connections stalled by :meth:`stall` so far."""
        self._server: asyncio.Server | None = None
        self._links: set[_Link] = set()
        self._handlers: set[asyncio.Task[None]] = set()

    @property
    def live(self) -> int:
        """Connections open right now (stalled ones included)."""
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
        for link in links:
            link.abort()
        self._links.clear()
        self.cuts += len(links)
        return len(links)

    def stall(self) -> int:
        """Stops forwarding on every open connection, both ways, for good, and leaves it open; returns how many
        it stalled. Bytes already on their way stay in the proxy; connections made later flow as usual."""
        stalled = [link for link in self._links if link.flowing.is_set()]
        for link in stalled:
            link.flowing.clear()
        self.stalls += len(stalled)
        return len(stalled)

    async def stop(self) -> None:
        """Closes everything. Once reset, a link's handler ends by itself: handlers are awaited, not cancelled,
        since asyncio reports a cancelled connection handler as an error. One still connecting to the target
        may add a link after a cut, hence a cut each time one ends."""
        self.refuse()
        while self._handlers:
            self.cut()
            await asyncio.wait(self._handlers, return_when=asyncio.FIRST_COMPLETED)

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
            link = _Link(writer, upstream)
            self._links.add(link)
            self.connections += 1
            try:
                await asyncio.gather(_pipe(reader, upstream, link.flowing),
                                     _pipe(upstream_reader, writer, link.flowing))
            finally:
                self._links.discard(link)
                link.abort()
        finally:
            self._handlers.discard(asyncio.current_task())  # type: ignore[arg-type]


async def _pipe(source: asyncio.StreamReader, target: asyncio.StreamWriter, flowing: asyncio.Event) -> None:
    """Copies one direction until end of stream, then closes the target gracefully (a WebSocket close).

    While the link is stalled it neither reads nor writes: what either end sends piles up in the socket
    buffers and never arrives, as on a link that silently stopped forwarding.
    """
    with contextlib.suppress(ConnectionError, OSError):
        while True:
            await flowing.wait()
            data = await source.read(1 << 16)
            if not data:
                break
            await flowing.wait()
            target.write(data)
            await target.drain()
        target.close()
