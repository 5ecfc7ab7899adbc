"""The cap on concurrent sessions of one ``serve`` process.

A slot is taken during the handshake, before the socket opens, so a full server can answer with
HTTP 503 instead of accepting a session it cannot serve. The slot is given back when the TCP
connection closes, whatever happened in between (a handshake that failed half-way included), so
slots never leak and concurrent handshakes can never exceed the cap. A session the server ends to make
room for a new one gives its slot back at once (:meth:`SessionSlots.release`).
"""

from __future__ import annotations

import asyncio

from websockets.asyncio.server import ServerConnection


class SessionSlots:
    """At most ``limit`` connections hold a slot at a time; ``None`` means no limit."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self._holders: dict[ServerConnection, asyncio.Future[None]] = {}

    def claim(self, connection: ServerConnection) -> bool:
        """Takes a slot for ``connection`` until it closes; False when all slots are taken."""
        if self.limit is not None and len(self._holders) >= self.limit:
            return False
        closed = asyncio.ensure_future(connection.wait_closed())
        self._holders[connection] = closed
        closed.add_done_callback(lambda _: self._holders.pop(connection, None))
        return True

    def release(self, connection: ServerConnection) -> None:
        """Gives ``connection``'s slot back before it has closed (it is being ended to make room)."""
        self._holders.pop(connection, None)
