"""The optional loopback WebSocket endpoint, for EHRs that run in a browser.

A browser cannot open a Unix socket, and any web page the user visits can open a WebSocket to
localhost, so the endpoint checks two things at the handshake: the token from the user's private
endpoint file (``?token=``, refused with 401), which a page only has if the user's EHR got it from the
daemon's machine, and the page's ``Origin`` against an allow-list (refused with 403), which stops other
sites in the same browser. Each text frame is one JSON-RPC message; everything else is the same server.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
from http import HTTPStatus
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from .jsonrpc import MAX_MESSAGE_BYTES, TOO_MANY_CLIENTS, RpcError, encode, error_response

if TYPE_CHECKING:
    from .server import RpcServer, WebSocketOptions

logger = logging.getLogger(__name__)


async def serve_websocket(server: RpcServer, options: WebSocketOptions) -> tuple[Server, str]:
    """Starts the endpoint on 127.0.0.1; returns the websockets server and its URL."""

    def check(connection: ServerConnection, request: Request) -> Response | None:
        token = parse_qs(urlsplit(request.path).query).get("token", [""])[0]
        if not hmac.compare_digest(token.encode(), server.token.encode()):
            logger.warning("refused a websocket connection: wrong or missing token")
            return connection.respond(HTTPStatus.UNAUTHORIZED, "wrong or missing token\n")
        origin = request.headers.get("Origin")
        if origin is None or origin not in options.allowed_origins:
            logger.warning("refused a websocket connection from origin %r (not in rpc.websocket.allowed_origins)",
                           origin)
            return connection.respond(HTTPStatus.FORBIDDEN, "origin not allowed\n")
        return None

    async def handler(websocket: ServerConnection) -> None:
        await _serve(server, websocket)

    endpoint = await serve(handler, "127.0.0.1", options.port, process_request=check,
                           max_size=MAX_MESSAGE_BYTES, compression=None)
    host, port = next(iter(endpoint.sockets)).getsockname()[:2]
    return endpoint, f"ws://{host}:{port}/"


async def _serve(server: RpcServer, websocket: ServerConnection) -> None:
    peer = server.new_peer()

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
            await server.handle(connection, data)
            if connection.closed:
                break
    except ConnectionClosed:
        pass
    finally:
        server.forget(connection)
        sender.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sender
