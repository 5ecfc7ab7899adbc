"""One client of the control socket, whatever its transport: its peer record, its outgoing queue, its writer.

The queue is bounded: a client that does not read its notifications fills it and is disconnected, with
the reason logged, instead of making the daemon hold ever more memory or wait for it. Answers go through
the same queue, so a client sees answers and notifications in the order they were produced. Answers never
cost a client its connection: while half its queue holds unread messages, the daemon stops reading that
client's requests (back-pressure on it alone), so only notifications can overflow the queue.

A transport that can write without waiting (a stream whose kernel buffer has room) takes a line at once
while nothing is queued before it: a notification to fifty clients then costs fifty writes, not fifty
task switches, and reaches them all within the same turn of the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from .jsonrpc import Peer

logger = logging.getLogger(__name__)

_LAST = b""
"""Queued after a connection's last message: the writer closes the connection when it gets there."""


class Connection:
    """One client of any transport, as the server sees it."""

    def __init__(
        self,
        peer: Peer,
        write: Callable[[bytes], Awaitable[None]],
        close: Callable[[], None],
        queue_size: int,
        *,
        abort: Callable[[], None] | None = None,
        write_now: Callable[[bytes], bool] | None = None,
    ) -> None:
        """``close`` ends the connection after what is buffered; ``abort`` drops the buffer too (a client that
        does not read would otherwise keep the connection, and its buffer, for ever). ``write_now`` hands a
        line to the transport without waiting and says whether it could (``False``: queue it instead)."""
        self.peer = peer
        self._write = write
        self._close = close
        self._abort = abort or close
        self._write_now = write_now
        self.queue: asyncio.Queue[bytes] = asyncio.Queue(queue_size)
        self._taken = asyncio.Event()
        self._accepting = True
        self.closed = False

    def send(self, line: bytes) -> None:
        """Sends or queues a line; a client whose queue is full has stopped reading and is disconnected."""
        if self.closed or not self._accepting:
            return
        if self.queue.empty() and self._write_now is not None and self._write_now(line):
            return
        try:
            self.queue.put_nowait(line)
        except asyncio.QueueFull:
            logger.warning("rpc client %d disconnected: it fell %d messages behind",
                           self.peer.number, self.queue.maxsize)
            self.close(abort=True)

    async def room_for_answers(self) -> None:
        """Waits while half the queue is unread: a client's own requests slow only its own reading."""
        while not self.closed and self.queue.qsize() >= max(1, self.queue.maxsize // 2):
            self._taken.clear()
            await self._taken.wait()

    async def write_queued(self) -> None:
        """The writer task: sends queued lines in order until the connection closes."""
        with contextlib.suppress(ConnectionError, OSError):
            while True:
                line = await self.queue.get()
                self._taken.set()
                if line == _LAST:  # real lines end with a newline, never empty
                    self.close()
                    return
                await self._write(line)

    def close_when_sent(self) -> None:
        """Closes the connection once what is queued now has been sent (the answer to a wrong token)."""
        self._accepting = False
        try:
            self.queue.put_nowait(_LAST)
        except asyncio.QueueFull:
            self.close()

    def close(self, *, abort: bool = False) -> None:
        if not self.closed:
            self.closed = True
            self._taken.set()
            (self._abort if abort else self._close)()
