"""The optional loopback WebSocket transport, for EHRs that run in a browser.

A browser cannot open a Unix socket, and any web page the user visits (or another user of the same
machine) can open a WebSocket to loopback. So the page's ``Origin`` must be on the administrator's
allow-list (else HTTP 403 at the handshake: other sites in the same browser never get further), and the
connection must then prove it is the user's: with the token of the user's private endpoint file or the
token a paired page was given (:mod:`.sites`), either in ``?token=`` (a wrong one is refused with 401) or
in ``authenticate`` as its first call. Until then it may only authenticate or ask to pair, and it is closed
after :data:`~.stream.AUTHENTICATION_SECONDS`, or when its pairing request expires. Each text frame is one
JSON-RPC message; everything else is the same server.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from .jsonrpc import (
    MAX_MESSAGE_BYTES,
    TOO_MANY_CLIENTS,
    Oversized,
    RpcError,
    encode,
    error_response,
)
from .server import RpcServer
from .stream import AUTHENTICATION_SECONDS

logger = logging.getLogger(__name__)

MAX_READ_BYTES = 4 * MAX_MESSAGE_BYTES
"""The largest frame read: one over :data:`MAX_MESSAGE_BYTES` is answered with the same error as on the
other transports and the connection goes on; past this, reading it would cost the memory the limit is
there to save, and the connection is closed (1009)."""


class WebSocketTransport:
    """``ws://127.0.0.1:port/`` (0 picks a port) for pages from ``allowed_origins`` that carry the token."""

    name = "websocket"
    needs_token = True

    def __init__(self, port: int, allowed_origins: Sequence[str]) -> None:
        self._port = port
        self.allowed_origins = tuple(allowed_origins)
        self._endpoint: Server | None = None
        self.url: str | None = None
        self.address = ""

    async def start(self, server: RpcServer) -> None:
        def check(connection: ServerConnection, request: Request) -> Response | None:
            origin = request.headers.get("Origin")
            if origin is None or origin not in self.allowed_origins:
                logger.warning("refused a websocket connection from origin %r (not in rpc.websocket.allowed_origins)",
                               origin)
                return connection.respond(HTTPStatus.FORBIDDEN, "origin not allowed\n")
            token = _query_token(request)
            if token is not None and _authenticated_as(server, token, origin) is None:
                logger.warning("refused a websocket connection: wrong token")
                return connection.respond(HTTPStatus.UNAUTHORIZED, "wrong token\n")
            return None

        async def handler(websocket: ServerConnection) -> None:
            assert websocket.request is not None
            origin = websocket.request.headers["Origin"]
            token = _query_token(websocket.request)
            await _serve(server, websocket, origin, None if token is None else _authenticated_as(server, token, origin))

        self._endpoint = await serve(handler, "127.0.0.1", self._port, process_request=check,
                                     max_size=MAX_READ_BYTES, compression=None)
        host, port = next(iter(self._endpoint.sockets)).getsockname()[:2]
        self.url = self.address = f"ws://{host}:{port}/"
        logger.info("websocket endpoint at %s", self.url)

    async def close(self) -> None:
        if self._endpoint is not None:
            self._endpoint.close()

    def endpoint(self) -> dict[str, Any]:
        return {"websocket": self.url}


def _query_token(request: Request) -> str | None:
    return parse_qs(urlsplit(request.path).query).get("token", [None])[0]


def _authenticated_as(server: RpcServer, token: str, origin: str) -> tuple[str | None] | None:
    """``(None,)`` for the endpoint file's token, ``(pairing id,)`` for a paired page's, ``None`` for neither."""
    if server.check_token(token):
        return (None,)
    site = server.sites.check(token, origin) if server.sites is not None else None
    return None if site is None else (site,)


async def _serve(server: RpcServer, websocket: ServerConnection, origin: str,
                 authenticated_as: tuple[str | None] | None) -> None:
    peer = server.new_peer(authenticated=authenticated_as is not None)
    peer.origin = origin
    if authenticated_as is not None:
        peer.site = authenticated_as[0]

    async def write(line: bytes) -> None:
        await websocket.send(line.rstrip(b"\n").decode())

    def close() -> None:
        server.track(asyncio.ensure_future(websocket.close()))

    connection = server.admit(peer, write, close)
    if connection is None:
        with contextlib.suppress(ConnectionClosed):
            await websocket.send(encode(error_response(None, RpcError(TOO_MANY_CLIENTS, "too many clients"))).decode())
        return
    sender = asyncio.create_task(connection.write_queued())
    loop = asyncio.get_running_loop()
    deadline = loop.time() + AUTHENTICATION_SECONDS
    try:
        while not connection.closed:
            try:
                async with asyncio.timeout_at(None if peer.authenticated else max(deadline, peer.waits_until or 0)):
                    message = await websocket.recv()
            except TimeoutError:
                if peer.authenticated or (peer.waits_until or 0) > loop.time():
                    continue  # authenticated, or asked to pair, while the frame was awaited
                logger.warning("rpc client %d disconnected: it did not authenticate in time", peer.number)
                break
            data = message.encode() if isinstance(message, str) else message
            await server.handle(connection, data if len(data) <= MAX_MESSAGE_BYTES else Oversized(len(data)))
    except ConnectionClosed:
        pass
    finally:
        server.forget(connection)
        sender.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sender
