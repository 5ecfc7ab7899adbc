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
import weakref
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
from .server import Credential, RpcServer
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
            token = parse_qs(urlsplit(request.path).query).get("token", [None])[0]
            if token is not None:
                credential = server.credential(token, origin)
                if credential is None:
                    logger.warning("refused a websocket connection: wrong token")
                    return connection.respond(HTTPStatus.UNAUTHORIZED, "wrong token\n")
                credentials[connection] = credential
            return None

        async def handler(websocket: ServerConnection) -> None:
            assert websocket.request is not None
            await _serve(server, websocket, websocket.request.headers["Origin"], credentials.pop(websocket, None))

        credentials: weakref.WeakKeyDictionary[ServerConnection, Credential] = weakref.WeakKeyDictionary()
        """What the handshake's ``?token=`` proved, for the connection's handler."""

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


async def _serve(server: RpcServer, websocket: ServerConnection, origin: str, credential: Credential | None) -> None:
    peer = server.new_peer(authenticated=credential is not None)
    peer.origin = origin
    peer.site = credential.site if credential is not None else None

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
