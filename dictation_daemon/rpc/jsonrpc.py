"""JSON-RPC 2.0 framing and dispatch without I/O: bytes in, bytes out.

Messages are newline-delimited UTF-8 JSON, one per line, at most :data:`MAX_MESSAGE_BYTES` each. The
socket shell feeds received bytes to a :class:`LineSplitter`, hands each line to a :class:`Dispatcher`
and writes back what it returns. Every bad input gets the JSON-RPC error it calls for, and the
connection stays usable: a client that sent one broken line can go on with the next.

Methods are registered by name with an async handler ``handler(params, peer)``; later features (client
registration, targets, per-field configuration) add methods and keep per-connection state on the
:class:`Peer` without touching the framing.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from ..protocol.strict_json import load_json

logger = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 1 << 20
"""The largest message, newline excluded, either way."""

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603
MESSAGE_TOO_LARGE = -32000
"""Server error (JSON-RPC reserves -32000 to -32099 for these): a message, or the answer to it, exceeded
:data:`MAX_MESSAGE_BYTES`."""
TOO_MANY_CLIENTS = -32001
"""Sent once to a connection beyond the client cap, which is then closed."""
NOT_INITIALIZED = -32002
ALREADY_INITIALIZED = -32003
REQUEST_TIMEOUT = -32004
NOT_AUTHENTICATED = -32005
"""Over loopback TCP every method but ``authenticate`` needs the endpoint file's token first."""
NOT_FOR_SITES = -32006
"""A method only the user's own clients may call, called by a paired web page."""

AUTHENTICATE = "authenticate"
"""The method a connection that must authenticate calls first."""

Params = dict[str, Any] | list[Any] | None


class RpcError(Exception):
    """An error answer: raise it from a handler to send ``code``, ``message`` and optional ``data``."""

    def __init__(self, code: int, message: str, data: Any = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data

    def to_json(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.data is not None:
            error["data"] = self.data
        return error


@dataclass
class Peer:
    """One connected client, as handlers see it."""

    number: int
    uid: int | None = None
    pid: int | None = None
    authenticated: bool = True
    """False on a loopback TCP connection until it proved it read the user's token file."""
    origin: str | None = None
    """The web page's ``Origin`` (WebSocket connections only)."""
    site: str | None = None
    """The pairing a web page authenticated with; ``None`` for the user's own clients."""
    waits_until: float | None = None
    """While unauthenticated: the event-loop time until which the connection may stay (a pairing request
    waiting for the user), past the transport's usual deadline."""
    close_after_answer: bool = False
    """Set by a handler whose answer must be the last message on this connection (a wrong token)."""


Handler = Callable[[Params, Peer], Awaitable[Any]]


@dataclass(frozen=True)
class Oversized:
    """A line longer than the limit: its content was thrown away as it arrived."""

    size: int


class LineSplitter:
    """Cuts a byte stream into lines, discarding any line over ``limit`` bytes without holding it in memory."""

    def __init__(self, limit: int = MAX_MESSAGE_BYTES) -> None:
        self._limit = limit
        self._buffer = bytearray()
        self._skipped: int | None = None  # bytes of an oversized line dropped so far

    def feed(self, data: bytes) -> list[bytes | Oversized]:
        lines: list[bytes | Oversized] = []
        while data:
            newline = data.find(b"\n")
            part, data = (data, b"") if newline < 0 else (data[:newline], data[newline + 1 :])
            if self._skipped is not None:
                self._skipped += len(part)
            else:
                self._buffer += part
                if len(self._buffer) > self._limit:
                    self._skipped = len(self._buffer)
                    self._buffer.clear()
            if newline < 0:
                break
            if self._skipped is not None:
                lines.append(Oversized(self._skipped))
                self._skipped = None
            else:
                line = bytes(self._buffer).rstrip(b"\r")
                self._buffer.clear()
                if line.strip():
                    lines.append(line)
        return lines


def encode(message: dict[str, Any] | list[dict[str, Any]]) -> bytes:
    """One line of compact UTF-8 JSON."""
    return json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def notification(method: str, params: dict[str, Any]) -> bytes | None:
    """The notification's line; ``None`` when it would exceed :data:`MAX_MESSAGE_BYTES`, which every client
    may refuse (the daemon's own client does), so it is not sent to anyone (logged as a warning)."""
    line = encode({"jsonrpc": "2.0", "method": method, "params": params})
    if len(line) > MAX_MESSAGE_BYTES + 1:
        logger.warning("%s notification of %d bytes exceeds the limit of %d bytes: not sent", method, len(line),
                       MAX_MESSAGE_BYTES)
        return None
    return line


def _bounded(line: bytes, request_id: Any) -> bytes:
    """``line``, or an error answer in its place when it exceeds :data:`MAX_MESSAGE_BYTES` (a batch of ten
    thousand calls): the limit holds both ways, so no client has to read more than it may send."""
    if len(line) <= MAX_MESSAGE_BYTES + 1:
        return line
    return encode(error_response(request_id, RpcError(
        MESSAGE_TOO_LARGE, f"answer of {len(line) - 1} bytes exceeds the limit of {MAX_MESSAGE_BYTES} bytes; "
                           "send fewer calls per batch")))


def error_response(request_id: Any, error: RpcError) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "error": error.to_json(), "id": request_id}


def expect_no_params(params: Params) -> None:
    """For methods without parameters: ``null``, ``{}`` and ``[]`` are all fine, anything else is not."""
    if params:
        raise RpcError(INVALID_PARAMS, "this method takes no parameters")


class Dispatcher:
    """Parses lines, calls the registered handlers and builds the answers."""

    def __init__(self, *, timeout: float = 30.0) -> None:
        self._methods: dict[str, Handler] = {}
        self._open: set[str] = set()
        self._for_sites: set[str] = set()
        self.timeout = timeout
        """Seconds a handler may run before its request is answered with :data:`REQUEST_TIMEOUT`."""

    def register(self, name: str, handler: Handler, *, before_authentication: bool = False, for_sites: bool = False) -> None:
        """``before_authentication``: callable before authenticating (``authenticate`` itself, a page asking to pair).
        ``for_sites``: callable by a paired web page; the rest (reading the last dictation, managing
        pairings) only the user's own clients may call."""
        if name in self._methods:
            raise ValueError(f"method {name!r} is already registered")
        self._methods[name] = handler
        if before_authentication:
            self._open.add(name)
        if for_sites:
            self._for_sites.add(name)

    @property
    def methods(self) -> list[str]:
        return sorted(self._methods)

    async def handle(self, line: bytes | Oversized, peer: Peer) -> bytes | None:
        """The answer line for one received line, or ``None`` when it held only notifications."""
        if isinstance(line, Oversized):
            return encode(error_response(None, RpcError(
                MESSAGE_TOO_LARGE, f"message of {line.size} bytes exceeds the limit of {MAX_MESSAGE_BYTES} bytes")))
        try:
            message = load_json(line)
        except ValueError as error:
            return encode(error_response(None, RpcError(PARSE_ERROR, f"parse error: {error}")))
        if isinstance(message, list):
            if not message:
                return encode(error_response(None, RpcError(INVALID_REQUEST, "empty batch")))
            answers = [answer for item in message if (answer := await self._call(item, peer)) is not None]
            return _bounded(encode(answers), None) if answers else None
        answer = await self._call(message, peer)
        return _bounded(encode(answer), answer.get("id")) if answer is not None else None

    async def _call(self, message: Any, peer: Peer) -> dict[str, Any] | None:
        request_id = message.get("id") if isinstance(message, dict) else None
        if not isinstance(request_id, (str, int, float, type(None))) or isinstance(request_id, bool):
            request_id = None
        try:
            method, params, is_notification = _validate(message)
        except RpcError as error:
            return error_response(request_id, error)
        try:
            if not peer.authenticated and method not in self._open:
                raise RpcError(NOT_AUTHENTICATED, "not authenticated: call authenticate with the endpoint file's token")
            handler = self._methods.get(method)
            if handler is None:
                raise RpcError(METHOD_NOT_FOUND, f"method not found: {method}")
            if peer.site is not None and method not in self._for_sites | self._open:
                raise RpcError(NOT_FOR_SITES, f"{method} is not available to a paired web page")
            try:
                result = await asyncio.wait_for(handler(params, peer), self.timeout)
            except TimeoutError:
                raise RpcError(REQUEST_TIMEOUT, f"{method} did not finish within {self.timeout:g} s") from None
        except RpcError as error:
            return None if is_notification else error_response(request_id, error)
        except Exception:
            logger.exception("method %s failed", method)
            return None if is_notification else error_response(request_id, RpcError(INTERNAL_ERROR, "internal error"))
        return None if is_notification else {"jsonrpc": "2.0", "result": result, "id": request_id}


def _validate(message: Any) -> tuple[str, Params, bool]:
    """Method, params and whether it is a notification; raises ``INVALID_REQUEST`` for anything malformed."""
    if not isinstance(message, dict):
        raise RpcError(INVALID_REQUEST, "a request must be a JSON object")
    if message.get("jsonrpc") != "2.0":
        raise RpcError(INVALID_REQUEST, 'missing "jsonrpc": "2.0"')
    method = message.get("method")
    if not isinstance(method, str):
        raise RpcError(INVALID_REQUEST, '"method" must be a string')
    params = message.get("params")
    if "params" in message and not isinstance(params, (dict, list)):
        raise RpcError(INVALID_REQUEST, '"params" must be an object or an array')
    if "id" in message:
        request_id = message["id"]
        if isinstance(request_id, bool) or not isinstance(request_id, (str, int, float, type(None))):
            raise RpcError(INVALID_REQUEST, '"id" must be a string, a number or null')
    return method, params, "id" not in message
