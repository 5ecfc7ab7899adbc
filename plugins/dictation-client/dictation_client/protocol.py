"""JSON-RPC 2.0 as the daemon's socket speaks it: one compact UTF-8 JSON message per line, at most 1 MiB.

Only message building and classification live here, without I/O, so the asyncio client and anything
else that talks to the socket share one definition of the wire format.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

MAX_MESSAGE_BYTES = 1 << 20
"""The largest message the daemon accepts or sends, newline excluded."""

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603

Params = dict[str, Any] | list[Any] | None


@dataclass(frozen=True)
class Notification:
    """A message from the daemon that answers no request: a state change, a transcript, a command."""

    method: str
    params: Any


def request(method: str, params: Params, request_id: int | None) -> dict[str, Any]:
    """A request object; with ``request_id`` ``None`` it is a notification, which gets no answer."""
    message: dict[str, Any] = {"jsonrpc": "2.0", "method": method}
    if params is not None:
        message["params"] = params
    if request_id is not None:
        message["id"] = request_id
    return message


def encode(message: dict[str, Any] | list[dict[str, Any]]) -> bytes:
    """One line of compact JSON; raises ``ValueError`` for a message the daemon would refuse as too large."""
    line = json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode()
    if len(line) > MAX_MESSAGE_BYTES:
        raise ValueError(f"message of {len(line)} bytes exceeds the socket's limit of {MAX_MESSAGE_BYTES} bytes")
    return line + b"\n"


def decode(line: bytes) -> list[dict[str, Any]]:
    """The messages one received line holds: one, or the members of a batch answer."""
    message = json.loads(line)
    items = message if isinstance(message, list) else [message]
    return [item for item in items if isinstance(item, dict)]
