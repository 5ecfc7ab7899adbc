"""The stream transports of the control socket: a Unix socket, or loopback TCP where there are none.

A Unix socket is the user's alone: 0600 in a 0700 folder, and on Linux the connecting process's uid is
checked (``SO_PEERCRED``). Any local user can open a loopback TCP connection, so such a client proves it is
the user by sending the token from the user's private endpoint file in ``authenticate``, within
:data:`AUTHENTICATION_SECONDS` of connecting, however it spaces its bytes; until then it receives nothing.
One UTF-8 JSON message per line, either way.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import os
import socket
import stat
import struct
from pathlib import Path
from typing import Any

from ..files.private import private_folder
from .connection import Connection
from .jsonrpc import TOO_MANY_CLIENTS, LineSplitter, RpcError, encode, error_response
from .server import RpcServer, SocketInUse

logger = logging.getLogger(__name__)

READ_SIZE = 65536
AUTHENTICATION_SECONDS = 10.0
"""A TCP connection that has not authenticated this long after it connected is closed."""


class SocketPathTaken(SocketInUse):
    """Something that is not a socket (a user's file) is where the socket would go; it is never deleted."""


class AuthenticationTimeout(Exception):
    """A connection that must authenticate did not within :data:`AUTHENTICATION_SECONDS`."""


def peer_credentials(sock: socket.socket | None) -> tuple[int, int] | None:
    """``(pid, uid)`` of the process at the other end (Linux ``SO_PEERCRED``), or ``None`` where unsupported."""
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None or sock is None or sock.family != socket.AF_UNIX:
        return None
    pid, uid, _gid = struct.unpack("3i", sock.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i")))
    return pid, uid


def unix_sockets_available() -> bool:
    return hasattr(socket, "AF_UNIX")


class _StreamTransport:
    """What the Unix and TCP transports share: serving one connection's lines through the server."""

    name: str
    needs_token: bool

    def __init__(self) -> None:
        self._listener: asyncio.AbstractServer | None = None
        self._server: RpcServer | None = None

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.close()

    def endpoint(self) -> dict[str, Any]:
        return {}

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        server = self._server
        assert server is not None
        task = asyncio.current_task()
        assert task is not None
        server.track(task)
        try:
            await self._serve_checked(server, reader, writer)
        except asyncio.CancelledError:
            # Closing cancels a connection stuck in a handler; the task then ends normally, since Python 3.11's
            # stream callback reports a cancelled connection task as an error.
            if not server.closing:
                raise
        finally:
            writer.close()

    async def _serve_checked(self, server: RpcServer, reader: asyncio.StreamReader,
                             writer: asyncio.StreamWriter) -> None:
        peer = server.new_peer(authenticated=not self.needs_token)
        credentials = peer_credentials(writer.get_extra_info("socket"))
        if credentials is not None:
            peer.pid, peer.uid = credentials
            if peer.uid != os.getuid():
                logger.warning("refused an rpc connection from uid %d (pid %d)", peer.uid, peer.pid)
                return
        transport = writer.transport

        async def write(line: bytes) -> None:
            writer.write(line)
            await writer.drain()

        def write_now(line: bytes) -> bool:
            if transport.is_closing() or transport.get_write_buffer_size():
                return False
            transport.write(line)
            return True

        connection = server.admit(peer, write, writer.close, abort=transport.abort, write_now=write_now)
        if connection is None:
            with contextlib.suppress(ConnectionError, OSError):
                writer.write(encode(error_response(None, RpcError(TOO_MANY_CLIENTS, "too many clients"))))
                await asyncio.wait_for(writer.drain(), 1.0)
            return
        sender = asyncio.create_task(connection.write_queued())
        try:
            await self._read(server, reader, connection)
        except (ConnectionError, OSError) as error:
            if error.errno not in (None, errno.ECONNRESET, errno.EPIPE):
                logger.info("rpc client %d: %s", peer.number, error)
        except AuthenticationTimeout:
            logger.warning("rpc client %d disconnected: it did not authenticate within %g s",
                           peer.number, AUTHENTICATION_SECONDS)
        finally:
            server.forget(connection)
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sender

    @staticmethod
    async def _read(server: RpcServer, reader: asyncio.StreamReader, connection: Connection) -> None:
        splitter = LineSplitter()
        deadline = asyncio.get_running_loop().time() + AUTHENTICATION_SECONDS
        while not connection.closed:
            if connection.peer.authenticated:
                data = await reader.read(READ_SIZE)
            else:
                try:
                    async with asyncio.timeout_at(deadline):
                        data = await reader.read(READ_SIZE)
                except TimeoutError:
                    raise AuthenticationTimeout from None
            if not data:
                return
            for line in splitter.feed(data):
                await server.handle(connection, line)
                if connection.closed:
                    return


class UnixTransport(_StreamTransport):
    """A Unix socket at ``path`` (0600, in a private 0700 folder); only the user's processes get in."""

    name = "unix"
    needs_token = False

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.address = str(path)

    async def start(self, server: RpcServer) -> None:
        """Creates the private folder and binds the socket; a stale socket file is replaced, a live one refused."""
        self._server = server
        private_folder(self.path.parent)
        if self.path.exists() or self.path.is_symlink():
            if not stat.S_ISSOCK(self.path.lstat().st_mode):
                raise SocketPathTaken(f"{self.path} exists and is not a socket; refusing to replace it "
                                      "(choose another rpc.socket_path)")
            if await _answers(self.path):
                raise SocketInUse(f"another daemon is already listening on {self.path}")
            self.path.unlink()  # a stale socket of a daemon that is gone
        self._listener = await asyncio.start_unix_server(self._serve, path=str(self.path), limit=READ_SIZE)
        os.chmod(self.path, 0o600)
        logger.info("control socket at %s", self.path)

    async def close(self) -> None:
        await super().close()
        if self._listener is not None:
            self.path.unlink(missing_ok=True)


class TcpTransport(_StreamTransport):
    """Loopback TCP on ``port`` (0 picks one); clients authenticate with the endpoint file's token."""

    name = "tcp"
    needs_token = True

    def __init__(self, port: int = 0) -> None:
        super().__init__()
        self._port = port
        self.host_port: tuple[str, int] | None = None
        self.address = ""

    async def start(self, server: RpcServer) -> None:
        self._server = server
        self._listener = await asyncio.start_server(self._serve, "127.0.0.1", self._port, limit=READ_SIZE)
        host, port = self._listener.sockets[0].getsockname()[:2]
        self.host_port = (host, port)
        self.address = f"{host}:{port}"
        logger.info("control socket on tcp %s", self.address)

    def endpoint(self) -> dict[str, Any]:
        assert self.host_port is not None
        return {"host": self.host_port[0], "port": self.host_port[1]}


async def _answers(path: Path) -> bool:
    """Whether something accepts connections on ``path`` (a live daemon rather than a stale socket file)."""
    try:
        _, writer = await asyncio.open_unix_connection(str(path))
    except (ConnectionRefusedError, FileNotFoundError, OSError):
        return False
    writer.close()
    return True
