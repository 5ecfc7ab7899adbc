"""The socket shell around :class:`~.jsonrpc.Dispatcher`: connections, peer checks and bounded queues.

Each client has a reader task (lines in, answers queued) and a writer task (queue out). The queue is
bounded: a client that does not read its notifications fills it and is disconnected, with the reason
logged, instead of making the daemon hold ever more memory or wait for it. Answers go through the same
queue, so a client sees answers and notifications in the order they were produced. Answers never cost a
client its connection: while half its queue holds unread messages, the daemon stops reading that
client's requests (back-pressure on it alone), so only notifications can overflow the queue.

Transports: a Unix socket (0600 in a 0700 folder, the peer's uid checked with ``SO_PEERCRED``), or where
Unix sockets are missing loopback TCP, whose clients prove they are the user by sending the random
token from the endpoint file (readable by the user only) in ``authenticate``; optionally a loopback
WebSocket endpoint (:mod:`.websocket`) for browser-based editors. All share one client cap and one
broadcast.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import hmac
import itertools
import json
import logging
import os
import secrets
import socket
import struct
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .jsonrpc import (
    AUTHENTICATE,
    NOT_AUTHENTICATED,
    TOO_MANY_CLIENTS,
    Dispatcher,
    LineSplitter,
    Params,
    Peer,
    RpcError,
    encode,
    error_response,
    notification,
)
from .client import ENDPOINT_FILE
from .paths import prepare_folder

logger = logging.getLogger(__name__)

READ_SIZE = 65536
AUTHENTICATION_SECONDS = 10.0
"""A TCP connection that has not authenticated by then is closed."""


class SocketInUse(RuntimeError):
    """Another daemon answers on the socket path."""


def peer_credentials(sock: socket.socket) -> tuple[int, int] | None:
    """``(pid, uid)`` of the process at the other end (Linux ``SO_PEERCRED``), or ``None`` where unsupported."""
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None or sock is None or sock.family != socket.AF_UNIX:
        return None
    pid, uid, _gid = struct.unpack("3i", sock.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i")))
    return pid, uid


def unix_sockets_available() -> bool:
    return hasattr(socket, "AF_UNIX")


def write_private_file(path: Path, text: str) -> None:
    """Writes ``text`` to a file only the user can read (0600 from creation on), replacing it atomically."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)
    os.replace(temporary, path)


@dataclass(frozen=True)
class WebSocketOptions:
    """The optional browser endpoint: loopback port (0 picks one) and the Origins allowed to connect."""

    port: int
    allowed_origins: tuple[str, ...]


_LAST = b""
"""Queued after a connection's last message: the writer closes the connection when it gets there."""


class Connection:
    """One client of any transport: its peer record, its outgoing queue and its writer."""

    def __init__(self, peer: Peer, write: Callable[[bytes], Awaitable[None]], close: Callable[[], None],
                 queue_size: int, abort: Callable[[], None] | None = None) -> None:
        """``close`` ends the connection after what is buffered; ``abort`` drops the buffer too (a client that
        does not read would otherwise keep the connection, and its buffer, for ever)."""
        self.peer = peer
        self._write = write
        self._close = close
        self._abort = abort or close
        self.queue: asyncio.Queue[bytes] = asyncio.Queue(queue_size)
        self._taken = asyncio.Event()
        self._accepting = True
        self.closed = False

    def send(self, line: bytes) -> None:
        """Queues a line; a client whose queue is full has stopped reading and is disconnected."""
        if self.closed or not self._accepting:
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


class RpcServer:
    """Serves a :class:`Dispatcher` on a Unix socket or loopback TCP (plus optionally a WebSocket endpoint)
    and sends notifications to every client or to chosen ones."""

    def __init__(
        self,
        dispatcher: Dispatcher,
        path: Path,
        *,
        transport: str = "unix",
        tcp_port: int = 0,
        websocket: WebSocketOptions | None = None,
        max_clients: int = 64,
        queue_size: int = 1000,
    ) -> None:
        """``path`` is the Unix socket; for TCP its folder holds the endpoint file."""
        if transport not in ("unix", "tcp"):
            raise ValueError(f"unknown rpc transport {transport!r}")
        self.dispatcher = dispatcher
        self.path = path
        self.transport = transport
        self._tcp_port = tcp_port
        self._websocket_options = websocket
        self._max_clients = max_clients
        self._queue_size = queue_size
        self.token = secrets.token_hex(32)
        self.tcp_address: tuple[str, int] | None = None
        self.websocket_url: str | None = None
        self._server: asyncio.AbstractServer | None = None
        self._websocket: Any = None
        self._connections: dict[int, Connection] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._closing = False
        self._numbers = itertools.count(1)
        self._disconnect_hooks: list[Callable[[Peer], None]] = []
        dispatcher.register(AUTHENTICATE, self._authenticate)

    @property
    def client_count(self) -> int:
        return len(self._connections)

    @property
    def endpoint_file(self) -> Path:
        return self.path.parent / ENDPOINT_FILE

    @property
    def address(self) -> str:
        """Where clients connect: the socket path, or ``host:port``."""
        if self.tcp_address is not None:
            return f"{self.tcp_address[0]}:{self.tcp_address[1]}"
        return str(self.path)

    def on_disconnect(self, hook: Callable[[Peer], None]) -> None:
        """Calls ``hook(peer)`` when a client goes, so per-client registrations and claims end with it."""
        self._disconnect_hooks.append(hook)

    async def start(self) -> None:
        """Creates the private folder; binds the socket (0600) or the loopback port; writes the endpoint file."""
        prepare_folder(self.path.parent)
        if self.transport == "unix":
            if self.path.exists() or self.path.is_symlink():
                if await _answers(self.path):
                    raise SocketInUse(f"another daemon is already listening on {self.path}")
                self.path.unlink()
            self._server = await asyncio.start_unix_server(self._serve_stream, path=str(self.path), limit=READ_SIZE)
            os.chmod(self.path, 0o600)
            logger.info("control socket at %s", self.path)
        else:
            self._server = await asyncio.start_server(self._serve_stream, "127.0.0.1", self._tcp_port, limit=READ_SIZE)
            self.tcp_address = self._server.sockets[0].getsockname()[:2]
            logger.info("control socket on tcp %s (token in %s)", self.address, self.endpoint_file)
        if self._websocket_options is not None:
            from .websocket import serve_websocket

            self._websocket, self.websocket_url = await serve_websocket(self, self._websocket_options)
            logger.info("websocket endpoint at %s", self.websocket_url)
        if self.transport == "tcp" or self._websocket is not None:
            write_private_file(self.endpoint_file, json.dumps({
                "transport": self.transport,
                "host": self.tcp_address[0] if self.tcp_address else None,
                "port": self.tcp_address[1] if self.tcp_address else None,
                "token": self.token,
                "websocket": self.websocket_url,
            }))

    async def close(self) -> None:
        self._closing = True
        if self._server is not None:
            self._server.close()
        if self._websocket is not None:
            self._websocket.close()
        for connection in list(self._connections.values()):
            connection.close(abort=True)
        if self._tasks:  # the readers see their connections end; only a stuck one is cancelled
            _, stuck = await asyncio.wait(list(self._tasks), timeout=2.0)
            for task in stuck:
                task.cancel()
            await asyncio.gather(*stuck, return_exceptions=True)
        if self._server is not None and self.transport == "unix":
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
        with contextlib.suppress(FileNotFoundError):
            self.endpoint_file.unlink()

    async def drain(self) -> None:
        """Returns once every connected client's queue has been handed to its transport (stopping: the last
        notifications of a dictation reach the clients before the socket closes); the caller bounds the wait."""
        while any(not connection.closed and not connection.queue.empty() for connection in self._connections.values()):
            await asyncio.sleep(0.01)

    def broadcast(self, method: str, params: dict[str, Any]) -> None:
        """Sends a notification to every connected client."""
        self.notify(method, params)

    def notify(self, method: str, params: dict[str, Any], to: Iterable[int] | None = None) -> None:
        """Sends a notification to the clients numbered ``to`` (every client when ``None``), encoded once.

        A TCP connection that has not authenticated gets nothing: any local user can open one.
        """
        line = notification(method, params)
        if to is None:
            recipients = list(self._connections.values())
        else:
            recipients = [connection for number in to if (connection := self._connections.get(number))]
        for connection in recipients:
            if connection.peer.authenticated:
                connection.send(line)

    # --- connections ---------------------------------------------------------------------------------

    def admit(self, peer: Peer, write: Callable[[bytes], Awaitable[None]], close: Callable[[], None],
              abort: Callable[[], None] | None = None) -> Connection | None:
        """Registers a connection; ``None`` when the cap is reached (the caller answers ``TOO_MANY_CLIENTS``)."""
        if len(self._connections) >= self._max_clients:
            logger.warning("refused an rpc connection: %d clients already connected", self._max_clients)
            return None
        connection = Connection(peer, write, close, self._queue_size, abort)
        self._connections[peer.number] = connection
        return connection

    def new_peer(self) -> Peer:
        return Peer(next(self._numbers))

    def forget(self, connection: Connection) -> None:
        """The connection is over: drops it and lets the hooks end what the client held."""
        if self._connections.pop(connection.peer.number, None) is None:
            return
        connection.close()
        for hook in self._disconnect_hooks:
            try:
                hook(connection.peer)
            except Exception:
                logger.exception("an rpc disconnect hook failed")

    async def handle(self, connection: Connection, line: Any) -> None:
        """Answers one received message through the connection's queue, after waiting for room."""
        await connection.room_for_answers()
        answer = await self.dispatcher.handle(line, connection.peer)
        if answer is not None:
            connection.send(answer)
        if connection.peer.close_after_answer:
            connection.close_when_sent()

    def track(self, task: asyncio.Task[Any]) -> None:
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _serve_stream(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self.track(task)
        try:
            await self._serve_checked(reader, writer)
        except asyncio.CancelledError:
            # Closing cancels a connection stuck in a handler; the task then ends normally, since Python 3.11's
            # stream callback reports a cancelled connection task as an error.
            if not self._closing:
                raise
        finally:
            writer.close()

    async def _serve_checked(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peer = self.new_peer()
        credentials = peer_credentials(writer.get_extra_info("socket"))
        if credentials is not None:
            peer.pid, peer.uid = credentials
            if peer.uid != os.getuid():
                logger.warning("refused an rpc connection from uid %d (pid %d)", peer.uid, peer.pid)
                return
        peer.authenticated = self.transport == "unix"

        async def write(line: bytes) -> None:
            writer.write(line)
            await writer.drain()

        connection = self.admit(peer, write, writer.close, writer.transport.abort)
        if connection is None:
            with contextlib.suppress(ConnectionError, OSError):
                writer.write(encode(error_response(None, RpcError(TOO_MANY_CLIENTS, "too many clients"))))
                await asyncio.wait_for(writer.drain(), 1.0)
            return
        sender = asyncio.create_task(connection.write_queued())
        try:
            await self._read(reader, connection)
        except (ConnectionError, OSError) as error:
            if error.errno not in (None, errno.ECONNRESET, errno.EPIPE):
                logger.info("rpc client %d: %s", peer.number, error)
        except TimeoutError:
            logger.warning("rpc client %d disconnected: it did not authenticate within %g s",
                           peer.number, AUTHENTICATION_SECONDS)
        finally:
            self.forget(connection)
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sender

    async def _read(self, reader: asyncio.StreamReader, connection: Connection) -> None:
        splitter = LineSplitter()
        while not connection.closed:
            if connection.peer.authenticated:
                data = await reader.read(READ_SIZE)
            else:
                data = await asyncio.wait_for(reader.read(READ_SIZE), AUTHENTICATION_SECONDS)
            if not data:
                return
            for line in splitter.feed(data):
                await self.handle(connection, line)
                if connection.closed:
                    return

    async def _authenticate(self, params: Params, peer: Peer) -> dict[str, Any]:
        token = params.get("token") if isinstance(params, dict) else None
        if not isinstance(token, str) or not hmac.compare_digest(token.encode(), self.token.encode()):
            if not peer.authenticated:  # on a connection already trusted (Unix socket) a wrong token changes nothing
                logger.warning("rpc client %d gave a wrong token; disconnected", peer.number)
                peer.close_after_answer = True
            raise RpcError(NOT_AUTHENTICATED, "wrong token")
        peer.authenticated = True
        return {"authenticated": True}


async def _answers(path: Path) -> bool:
    """Whether something accepts connections on ``path`` (a live daemon rather than a stale socket file)."""
    try:
        _, writer = await asyncio.open_unix_connection(str(path))
    except (ConnectionRefusedError, FileNotFoundError, OSError):
        return False
    writer.close()
    return True
