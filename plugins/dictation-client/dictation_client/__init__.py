"""Client library for the dictation daemon's JSON-RPC 2.0 control socket.

:class:`AsyncClient` is the asyncio client; :class:`Client` wraps it for code without an event loop.
Both connect to ``$XDG_RUNTIME_DIR/dictation-daemon/rpc.sock`` unless given another path. The library
uses only the standard library, so an editor can embed it without installing the daemon's package.
"""

from .aio import AsyncClient, NotificationStream
from .blocking import Client, Subscription
from .errors import ClientError, ConnectionClosed, DaemonNotRunning, RpcError
from .paths import default_socket_path
from .protocol import Notification

__all__ = [
    "AsyncClient",
    "Client",
    "ClientError",
    "ConnectionClosed",
    "DaemonNotRunning",
    "Notification",
    "NotificationStream",
    "RpcError",
    "Subscription",
    "default_socket_path",
]
