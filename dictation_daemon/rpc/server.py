"""The control socket's server: the clients of every transport behind one :class:`Connection` type, the
token that proves a client is the user, and notifications to all clients or to chosen ones.

Transports are peers (:mod:`.stream` for the Unix socket and loopback TCP, :mod:`.websocket` for browser
editors): each accepts its connections, checks who is at the other end, and hands them to the server,
which admits them up to one client cap, dispatches their requests and fans notifications out. The server
knows none of them beyond the small :class:`Transport` interface.
"""

from __future__ import annotations

import asyncio
import fcntl
import hmac
import itertools
import json
import logging
import os
import secrets
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from pydantic import ValidationError

from ..files.private import private_folder, write_private_file
from .connection import Connection
from .jsonrpc import (
    AUTHENTICATE,
    NOT_AUTHENTICATED,
    TOO_MANY_CLIENTS,
    Dispatcher,
    Params,
    Peer,
    RpcError,
    notification,
)
from .wire import AuthenticateParams

logger = logging.getLogger(__name__)

MAX_UNAUTHENTICATED = 64
"""Connections waiting to authenticate at once (each for at most the transport's deadline)."""


class SocketInUse(RuntimeError):
    """Another daemon of this user already serves the control socket."""


class Transport(Protocol):
    """A way in for clients: started with the server it hands connections to, closed with it."""

    name: str
    """``unix``, ``tcp`` or ``websocket``."""
    address: str
    """Where clients connect, once started."""
    needs_token: bool
    """Whether its clients must prove with the token that they are the user (any local user can connect)."""

    async def start(self, server: RpcServer) -> None: ...

    async def close(self) -> None: ...

    def endpoint(self) -> dict[str, Any]:
        """What a client needs to reach it, for the private endpoint file."""
        ...


class SiteTokens(Protocol):
    """Tokens of paired web pages (:class:`~dictation_daemon.rpc.sites.SiteAccess`)."""

    def check(self, token: str, origin: str | None) -> str | None:
        """The pairing id ``token`` was issued to for ``origin``, or ``None``."""
        ...


@dataclass(frozen=True)
class Credential:
    """Who a token proves a client is: the user (``site`` is ``None``) or the paired web page ``site``."""

    site: str | None = None


class RpcServer:
    """Serves a :class:`Dispatcher` on its transports; the first is the main one (``status`` names it)."""

    def __init__(
        self,
        dispatcher: Dispatcher,
        transports: Sequence[Transport],
        *,
        endpoint_file: Path | None = None,
        max_clients: int = 64,
        queue_size: int = 1000,
    ) -> None:
        """``endpoint_file`` is written (0600) with the token and every transport's address when one of
        them needs the token."""
        if not transports:
            raise ValueError("the control socket needs at least one transport")
        self.dispatcher = dispatcher
        self.transports = tuple(transports)
        self.endpoint_file = endpoint_file
        self._max_clients = max_clients
        self._queue_size = queue_size
        self.token = secrets.token_hex(32)
        self._connections: dict[int, Connection] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self.closing = False
        self._wrote_endpoint = False
        self._numbers = itertools.count(1)
        self._disconnect_hooks: list[Callable[[Peer], None]] = []
        self._lock: int | None = None
        self.sites: SiteTokens | None = None
        """Set when web pages may pair; their tokens are then accepted from their own origin."""
        dispatcher.register(AUTHENTICATE, self._authenticate, before_authentication=True, for_sites=True)

    @property
    def client_count(self) -> int:
        return len(self._connections)

    def _authenticated_count(self) -> int:
        return sum(connection.peer.authenticated for connection in self._connections.values())

    @property
    def transport(self) -> str:
        return self.transports[0].name

    @property
    def address(self) -> str:
        """Where clients of the main transport connect: the socket path, or ``host:port``."""
        return self.transports[0].address

    def on_disconnect(self, hook: Callable[[Peer], None]) -> None:
        """Calls ``hook(peer)`` when a client goes, so per-client registrations and claims end with it."""
        self._disconnect_hooks.append(hook)

    async def start(self) -> None:
        """Starts every transport, then writes the endpoint file if a transport needs the token.

        With an endpoint file, the server first takes an exclusive lock next to it, held until it closes:
        loopback TCP has no socket file to find a running daemon by, and a second daemon would overwrite the
        first one's endpoint file, open the microphone as well, and leave the first one unreachable.
        """
        if self.endpoint_file is not None and any(transport.needs_token for transport in self.transports):
            self._lock = _lock_next_to(self.endpoint_file)
        started: list[Transport] = []
        try:
            for transport in self.transports:
                await transport.start(self)
                started.append(transport)
        except BaseException:
            for transport in reversed(started):
                await transport.close()
            self._unlock()
            raise
        if self.endpoint_file is not None and any(transport.needs_token for transport in self.transports):
            endpoint: dict[str, Any] = {"transport": self.transport, "host": None, "port": None,
                                        "token": self.token, "websocket": None}
            for transport in self.transports:
                endpoint.update(transport.endpoint())
            private_folder(self.endpoint_file.parent)
            write_private_file(self.endpoint_file, json.dumps(endpoint))
            self._wrote_endpoint = True

    async def close(self) -> None:
        self.closing = True
        for transport in self.transports:
            await transport.close()
        for connection in list(self._connections.values()):
            connection.close(abort=True)
        if self._tasks:  # the readers see their connections end; only a stuck one is cancelled
            _, stuck = await asyncio.wait(list(self._tasks), timeout=2.0)
            for task in stuck:
                task.cancel()
            await asyncio.gather(*stuck, return_exceptions=True)
        if self._wrote_endpoint and self.endpoint_file is not None and self._endpoint_is_mine():
            self.endpoint_file.unlink(missing_ok=True)
        self._unlock()

    def _endpoint_is_mine(self) -> bool:
        """Whether the endpoint file still holds this server's token (only then is it removed)."""
        assert self.endpoint_file is not None
        try:
            return json.loads(self.endpoint_file.read_text(encoding="utf-8")).get("token") == self.token
        except (OSError, ValueError, AttributeError):
            return False

    def _unlock(self) -> None:
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None

    async def drain(self) -> None:
        """Returns once every connected client's queue has been handed to its transport (stopping: the last
        notifications of a dictation reach the clients before the socket closes); the caller bounds the wait."""
        while any(not connection.closed and not connection.queue.empty() for connection in self._connections.values()):
            await asyncio.sleep(0.01)

    def notify(self, method: str, params: dict[str, Any], to: Iterable[int] | None = None) -> None:
        """Sends a notification to the clients numbered ``to`` (every client when ``None``), encoded once.

        A connection that has not authenticated gets nothing: any local user can open one.
        """
        line = notification(method, params)
        if line is None:
            return
        if to is None:
            recipients = list(self._connections.values())
        else:
            recipients = [connection for number in to if (connection := self._connections.get(number))]
        for connection in recipients:
            if connection.peer.authenticated:
                connection.send(line)

    def clients(self, chosen: Callable[[Peer], bool]) -> list[int]:
        """The numbers of the connected clients ``chosen`` picks."""
        return [number for number, connection in self._connections.items() if chosen(connection.peer)]

    def grant(self, number: int, *, site: str) -> bool:
        """Lets the waiting connection ``number`` in as the paired site ``site``; ``False`` if it is gone or the
        client cap is reached (the page then connects again with its token)."""
        connection = self._connections.get(number)
        if connection is None or connection.closed or self._authenticated_count() >= self._max_clients:
            return False
        connection.peer.authenticated = True
        connection.peer.site = site
        connection.peer.waits_until = None
        return True

    def disconnect(self, chosen: Callable[[Peer], bool]) -> int:
        """Closes the connections ``chosen`` picks (a revoked site's); how many."""
        picked = [connection for connection in self._connections.values() if chosen(connection.peer)]
        for connection in picked:
            connection.close()
        return len(picked)

    # --- what transports call -------------------------------------------------------------------------

    def new_peer(self, *, authenticated: bool) -> Peer:
        return Peer(next(self._numbers), authenticated=authenticated)

    def admit(
        self,
        peer: Peer,
        write: Callable[[bytes], Awaitable[None]],
        close: Callable[[], None],
        *,
        abort: Callable[[], None] | None = None,
        write_now: Callable[[bytes], bool] | None = None,
    ) -> Connection | None:
        """Registers a connection; ``None`` when the cap is reached (the caller answers ``TOO_MANY_CLIENTS``).

        Only the user's clients count against ``max_clients``: a connection that has yet to authenticate
        (which any local user can open) is held to :data:`MAX_UNAUTHENTICATED` of its own kind and to a
        deadline, so such connections can never keep the user out; it takes a client's place only when it
        authenticates.
        """
        if peer.authenticated and self._authenticated_count() >= self._max_clients:
            logger.warning("refused an rpc connection: %d clients already connected", self._max_clients)
            return None
        if not peer.authenticated and len(self._connections) - self._authenticated_count() >= MAX_UNAUTHENTICATED:
            logger.warning("refused an rpc connection: %d connections are waiting to authenticate",
                           MAX_UNAUTHENTICATED)
            return None
        connection = Connection(peer, write, close, self._queue_size, abort=abort, write_now=write_now)
        self._connections[peer.number] = connection
        return connection

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

    def credential(self, token: object, origin: str | None) -> Credential | None:
        """What ``token`` proves: the endpoint file's token the user, a paired page's token (from the origin
        it was given to) that page; ``None`` for anything else."""
        if self.check_token(token):
            return Credential()
        site = self.sites.check(token, origin) if self.sites is not None and isinstance(token, str) else None
        return Credential(site) if site is not None else None

    def check_token(self, token: object) -> bool:
        """Whether ``token`` is this server's, compared in constant time."""
        return isinstance(token, str) and hmac.compare_digest(token.encode(), self.token.encode())

    def track(self, task: asyncio.Task[Any]) -> None:
        """Keeps a connection's task until it ends, so closing the server can wait for it."""
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _authenticate(self, params: Params, peer: Peer) -> dict[str, Any]:
        try:
            token: str | None = AuthenticateParams.model_validate(params).token
        except ValidationError:
            token = None
        credential = self.credential(token, peer.origin)
        if credential is None:
            if not peer.authenticated:  # on a connection already trusted (Unix socket) a wrong token changes nothing
                logger.warning("rpc client %d gave a wrong token; disconnected", peer.number)
                peer.close_after_answer = True
            raise RpcError(NOT_AUTHENTICATED, "wrong token")
        if not peer.authenticated and self._authenticated_count() >= self._max_clients:
            logger.warning("rpc client %d authenticated but %d clients are already connected; disconnected",
                           peer.number, self._max_clients)
            peer.close_after_answer = True
            raise RpcError(TOO_MANY_CLIENTS, "too many clients")
        peer.authenticated = True
        peer.site = credential.site
        peer.waits_until = None
        return {"authenticated": True}


def _lock_next_to(endpoint_file: Path) -> int:
    """An exclusive lock on ``<endpoint>.lock`` in the private folder, as an open descriptor; raises
    :class:`SocketInUse` when another process holds it. The kernel lets go when the process ends, however."""
    private_folder(endpoint_file.parent)
    descriptor = os.open(endpoint_file.with_name(endpoint_file.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        raise SocketInUse(f"another dictation daemon of this user is already running (it holds "
                          f"{endpoint_file.name}.lock in {endpoint_file.parent})") from None
    return descriptor
