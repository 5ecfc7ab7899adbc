"""The optional loopback WebSocket transport, for EHRs that run in a browser.

A browser cannot open a Unix socket, and any web page the user visits can open a WebSocket to
localhost, so the endpoint checks two things at the handshake: the token from the user's private
endpoint file (``?token=``, refused with 401), which a page only has if the user's EHR got it from the
daemon's machine, and the page's ``Origin`` against an allow-list (refused with 403), which stops other
sites in the same browser. Each text frame is one JSON-RPC message; everything else is the same server.
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
            token = parse_qs(urlsplit(request.path).query).get("token", [""])[0]
            if not server.check_token(token):
                logger.warning("refused a websocket connection: wrong or missing token")
                return connection.respond(HTTPStatus.UNAUTHORIZED, "wrong or missing token\n")
            origin = request.headers.get("Origin")
            if origin is None or origin not in self.allowed_origins:
                logger.warning("refused a websocket connection from origin %r (not in rpc.websocket.allowed_origins)",
                               origin)
                return connection.respond(HTTPStatus.FORBIDDEN, "origin not allowed\n")
            return None

        async def handler(websocket: ServerConnection) -> None:
            await _serve(server, websocket)

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


async def _serve(server: RpcServer, websocket: ServerConnection) -> None:
    peer = server.new_peer(authenticated=True)  # the handshake checked the token

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
    try:
        async for message in websocket:
            data = message.encode() if isinstance(message, str) else message
            await server.handle(connection, data if len(data) <= MAX_MESSAGE_BYTES else Oversized(len(data)))
            if connection.closed:
                break
    except ConnectionClosed:
        pass
    finally:
        server.forget(connection)
        sender.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sender
