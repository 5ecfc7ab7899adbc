"""A small blocking client for the control socket, used by the trigger commands and scripts."""

from __future__ import annotations

import collections
import itertools
import json
import socket
from pathlib import Path
from typing import Any

from .jsonrpc import MAX_MESSAGE_BYTES, encode
from .paths import ENDPOINT_FILE


class DaemonNotRunning(ConnectionError):
    """Nothing listens on the socket: the daemon is not running (or runs with another socket path)."""


class RpcCallError(RuntimeError):
    """The daemon answered with a JSON-RPC error."""

    def __init__(self, code: int, message: str, data: Any = None) -> None:
        super().__init__(message)
        self.code = code
        self.data = data


class RpcClient:
    """One connection; :meth:`call` sends a request and returns its result, and :meth:`receive` returns the
    notifications in arrival order, including those that came while a call waited for its answer."""

    def __init__(self, path: Path, *, timeout: float = 10.0, _tcp: tuple[str, int] | None = None) -> None:
        self.path = path
        self._ids = itertools.count(1)
        self._socket = socket.socket(socket.AF_INET if _tcp else socket.AF_UNIX, socket.SOCK_STREAM)
        self._socket.settimeout(timeout)
        try:
            self._socket.connect(_tcp or str(path))
        except (FileNotFoundError, ConnectionRefusedError) as error:
            self._socket.close()
            raise DaemonNotRunning(f"no dictation daemon is running (nothing listens on {_tcp or path})") from error
        self._reader = self._socket.makefile("rb")
        self._notifications: collections.deque[dict[str, Any]] = collections.deque()

    @classmethod
    def over_tcp(cls, endpoint_file: Path, *, timeout: float = 10.0) -> RpcClient:
        """Connects to a daemon serving loopback TCP, with the address and token from its endpoint file."""
        try:
            endpoint = json.loads(endpoint_file.read_text(encoding="utf-8"))
        except FileNotFoundError as error:
            raise DaemonNotRunning(f"no dictation daemon is running (no endpoint file {endpoint_file})") from error
        client = cls(endpoint_file, timeout=timeout, _tcp=(endpoint["host"], endpoint["port"]))
        try:
            client.call("authenticate", {"token": endpoint["token"]})
        except BaseException:
            client.close()
            raise
        return client

    @classmethod
    def connect(cls, socket_path: Path, *, timeout: float = 10.0) -> RpcClient:
        """The Unix socket if it is there, else loopback TCP through the endpoint file in the same folder."""
        endpoint_file = socket_path.parent / ENDPOINT_FILE
        if not socket_path.exists() and endpoint_file.exists():
            return cls.over_tcp(endpoint_file, timeout=timeout)
        return cls(socket_path, timeout=timeout)

    def settimeout(self, seconds: float | None) -> None:
        """How long :meth:`call` and :meth:`receive` wait for the daemon (``None``: for ever)."""
        self._socket.settimeout(seconds)

    def __enter__(self) -> RpcClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._reader.close()
        self._socket.close()

    def call(self, method: str, params: dict[str, Any] | list[Any] | None = None) -> Any:
        request_id = next(self._ids)
        request: dict[str, Any] = {"jsonrpc": "2.0", "method": method, "id": request_id}
        if params is not None:
            request["params"] = params
        self._socket.sendall(encode(request))
        while True:
            message = self._read()
            if "method" in message:
                self._notifications.append(message)
            elif message.get("id") == request_id:
                if "error" in message:
                    error = message["error"]
                    raise RpcCallError(error.get("code", 0), error.get("message", ""), error.get("data"))
                return message.get("result")

    def receive(self) -> dict[str, Any]:
        """The next notification from the daemon."""
        if self._notifications:
            return self._notifications.popleft()
        message = self._read()
        while "method" not in message:  # answers belong to call(), never to a listener
            message = self._read()
        return message

    def _read(self) -> dict[str, Any]:
        line = self._reader.readline(MAX_MESSAGE_BYTES + 2)
        if not line:
            raise ConnectionError("the daemon closed the connection")
        return json.loads(line)
