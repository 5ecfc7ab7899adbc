"""The socket shell around :class:`~.jsonrpc.Dispatcher`: connections, peer checks and bounded queues.

Each client has a reader task (lines in, answers queued) and a writer task (queue out). The queue is
bounded: a client that does not read its notifications fills it and is disconnected, with the reason
logged, instead of making the daemon hold ever more memory or wait for it. Answers go through the same
queue, so a client sees answers and notifications in the order they were produced.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import itertools
import logging
import os
import socket
import struct
from pathlib import Path
from typing import Any

from .jsonrpc import Dispatcher, LineSplitter, Peer, notification
from .paths import prepare_folder

logger = logging.getLogger(__name__)

READ_SIZE = 65536


class SocketInUse(RuntimeError):
    """Another daemon answers on the socket path."""


def peer_credentials(sock: socket.socket) -> tuple[int, int] | None:
    """``(pid, uid)`` of the process at the other end (Linux ``SO_PEERCRED``), or ``None`` where unsupported."""
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return None
    pid, uid, _gid = struct.unpack("3i", sock.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i")))
    return pid, uid


class _Connection:
    """One client: its peer record, its outgoing queue and the two tasks that serve it."""

    def __init__(self, peer: Peer, writer: asyncio.StreamWriter, queue_size: int) -> None:
        self.peer = peer
        self.writer = writer
        self.queue: asyncio.Queue[bytes] = asyncio.Queue(queue_size)
        self.closed = False

    def send(self, line: bytes) -> None:
        """Queues a line; a client whose queue is full has stopped reading and is disconnected."""
        if self.closed:
            return
        try:
            self.queue.put_nowait(line)
        except asyncio.QueueFull:
            logger.warning("rpc client %d disconnected: it fell %d messages behind",
                           self.peer.number, self.queue.maxsize)
            self.close()

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.writer.close()


class RpcServer:
    """Serves a :class:`Dispatcher` on a Unix socket and broadcasts notifications to every client."""

    def __init__(self, dispatcher: Dispatcher, path: Path, *, max_clients: int = 64, queue_size: int = 1000) -> None:
        self.dispatcher = dispatcher
        self.path = path
        self._max_clients = max_clients
        self._queue_size = queue_size
        self._server: asyncio.AbstractServer | None = None
        self._connections: set[_Connection] = set()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._numbers = itertools.count(1)

    @property
    def client_count(self) -> int:
        return len(self._connections)

    async def start(self) -> None:
        """Creates the private folder, refuses if another daemon listens there, binds with mode 0600."""
        prepare_folder(self.path.parent)
        if self.path.exists() or self.path.is_symlink():
            if await _answers(self.path):
                raise SocketInUse(f"another daemon is already listening on {self.path}")
            self.path.unlink()
        self._server = await asyncio.start_unix_server(self._serve, path=str(self.path), limit=READ_SIZE)
        os.chmod(self.path, 0o600)
        logger.info("control socket at %s", self.path)

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
        for connection in list(self._connections):
            connection.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._server is not None:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()

    def broadcast(self, method: str, params: dict[str, Any]) -> None:
        """Sends a notification to every connected client."""
        line = notification(method, params)
        for connection in list(self._connections):
            connection.send(line)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            await self._serve_checked(reader, writer)
        finally:
            self._tasks.discard(task)

    async def _serve_checked(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peer = Peer(next(self._numbers))
        credentials = peer_credentials(writer.get_extra_info("socket"))
        if credentials is not None:
            peer.pid, peer.uid = credentials
            if peer.uid != os.getuid():
                logger.warning("refused an rpc connection from uid %d (pid %d)", peer.uid, peer.pid)
                writer.close()
                return
        if len(self._connections) >= self._max_clients:
            logger.warning("refused an rpc connection: %d clients already connected", self._max_clients)
            writer.close()
            return
        connection = _Connection(peer, writer, self._queue_size)
        self._connections.add(connection)
        sender = asyncio.create_task(self._write(connection))
        try:
            await self._read(reader, connection)
        except (ConnectionError, OSError) as error:
            if error.errno not in (None, errno.ECONNRESET, errno.EPIPE):
                logger.info("rpc client %d: %s", peer.number, error)
        finally:
            self._connections.discard(connection)
            connection.close()
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sender

    async def _read(self, reader: asyncio.StreamReader, connection: _Connection) -> None:
        splitter = LineSplitter()
        while not connection.closed:
            data = await reader.read(READ_SIZE)
            if not data:
                return
            for line in splitter.feed(data):
                answer = await self.dispatcher.handle(line, connection.peer)
                if answer is not None:
                    connection.send(answer)

    async def _write(self, connection: _Connection) -> None:
        with contextlib.suppress(ConnectionError, OSError):
            while True:
                line = await connection.queue.get()
                connection.writer.write(line)
                await connection.writer.drain()


async def _answers(path: Path) -> bool:
    """Whether something accepts connections on ``path`` (a live daemon rather than a stale socket file)."""
    try:
        _, writer = await asyncio.open_unix_connection(str(path))
    except (ConnectionRefusedError, FileNotFoundError, OSError):
        return False
    writer.close()
    return True
