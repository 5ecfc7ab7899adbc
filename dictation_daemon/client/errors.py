"""Typed failures of a ``/transcribe`` session, each carrying the server's reason."""

from __future__ import annotations

from ..protocol.messages import (
    ConfigAlreadyReceived,
    ConfigDenied,
    ConfigMissing,
    ConfigRejected,
    ConfigTimeout,
    ErrorDetail,
    WireModel,
)


class SessionError(Exception):
    """Base of everything a session can fail with."""


class ConfigRefused(SessionError):
    """The server did not accept the config; :attr:`reason` is its explanation, if it gave one."""

    def __init__(self, message: WireModel, reason: str | None) -> None:
        self.message = message
        self.reason = reason
        super().__init__(f"{message.type}: {reason}" if reason else str(message.type))


class ConfigDeniedError(ConfigRefused):
    """``CONFIG_DENIED``: an invalid config (unknown language, a command without id or phrases...)."""


class ConfigTimeoutError(ConfigRefused):
    """``CONFIG_TIMEOUT``: the config did not arrive in time."""


class ConfigMissingError(ConfigRefused):
    """``CONFIG_MISSING``: something other than a config came first."""


class ConfigAlreadyReceivedError(ConfigRefused):
    """``CONFIG_ALREADY_RECEIVED``: a second config on the same socket."""


class ConfigRejectedError(ConfigRefused):
    """``CONFIG_REJECTED``: the declared ``audioFormat`` is not supported."""


REFUSAL_ERRORS: dict[type[WireModel], type[ConfigRefused]] = {
    ConfigDenied: ConfigDeniedError,
    ConfigTimeout: ConfigTimeoutError,
    ConfigMissing: ConfigMissingError,
    ConfigAlreadyReceived: ConfigAlreadyReceivedError,
    ConfigRejected: ConfigRejectedError,
}


class ServerError(SessionError):
    """The server sent an ``error`` message that ended the stream."""

    def __init__(self, detail: ErrorDetail) -> None:
        self.detail = detail
        super().__init__(f"{detail.title} ({detail.id}, {detail.status}): {detail.details or ''}".rstrip(": "))


class ConnectionLostError(SessionError):
    """The socket closed before the session ended, or could not be opened."""


class SocketRefusedError(ConnectionLostError):
    """The server answered the WebSocket handshake with an HTTP error (401: the token was not accepted)."""

    def __init__(self, status: int) -> None:
        self.status = status
        super().__init__(f"the server refused the connection: HTTP {status}")
