"""What can go wrong talking to the daemon, as exceptions a caller can tell apart."""

from __future__ import annotations

from typing import Any


class ClientError(Exception):
    """Base of every error this library raises, so a caller can catch them all in one place."""


class DaemonNotRunning(ClientError, ConnectionError):
    """Nothing listens on the socket: the daemon is not running, or runs with another socket path."""


class ConnectionClosed(ClientError, ConnectionError):
    """The connection ended; calls still waiting for an answer will not get one."""


class RpcError(ClientError):
    """The daemon answered a request with a JSON-RPC error object."""

    def __init__(self, code: int, message: str, data: Any = None) -> None:
        super().__init__(f"{message} (code {code})")
        self.code = code
        self.message = message
        self.data = data

    @classmethod
    def from_json(cls, error: Any) -> RpcError:
        """Builds the exception from a response's ``error`` member, tolerating a malformed one."""
        if not isinstance(error, dict):
            return cls(0, f"malformed error object: {error!r}")
        return cls(int(error.get("code", 0)), str(error.get("message", "")), error.get("data"))
