"""The control socket as the daemon runs it: server, methods, the EHR layer and field configuration together."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from ..config.model import RpcSection
from ..controller.daemon import Controller
from ..controller.events import EventHub
from ..controller.field_config import FieldConfigurator
from ..protocol.messages import TranscribeConfig
from .ehr import EhrApi
from .jsonrpc import Dispatcher
from .methods import register_daemon_methods
from .paths import default_socket_path
from .server import RpcServer, WebSocketOptions, unix_sockets_available


def choose_transport(section: RpcSection) -> str:
    """``auto`` is a Unix socket where the platform has them, loopback TCP elsewhere."""
    if section.transport != "auto":
        return section.transport
    return "unix" if unix_sockets_available() else "tcp"


class RpcService:
    """Everything behind the control socket; :meth:`start` binds it, :meth:`close` ends it."""

    def __init__(
        self,
        section: RpcSection,
        controller: Controller,
        events: EventHub,
        *,
        status: Callable[[], dict[str, Any]],
        paste: Callable[[str], Awaitable[bool]],
        base_config: Callable[[], TranscribeConfig],
    ) -> None:
        self.dispatcher = Dispatcher(timeout=section.request_timeout_seconds)
        register_daemon_methods(self.dispatcher, controller, status, paste)
        websocket = (WebSocketOptions(section.websocket.port, tuple(section.websocket.allowed_origins))
                     if section.websocket.enabled else None)
        self.server = RpcServer(self.dispatcher, section.socket_path or default_socket_path(),
                                transport=choose_transport(section), tcp_port=section.tcp_port, websocket=websocket,
                                max_clients=section.max_clients, queue_size=section.queue_size)
        self.configurator = FieldConfigurator(controller, events, base_config)
        self.api = EhrApi(self.server, base_config=base_config, configure=self.configurator.configure)
        self.api.register_methods(self.dispatcher)
        self._events = events
        self._unsubscribe: Callable[[], None] = lambda: None

    async def start(self) -> RpcServer:
        await self.server.start()
        self._unsubscribe = self._events.subscribe(self.api.route)
        return self.server

    def status(self) -> dict[str, Any]:
        """The ``rpc`` part of ``status``: where clients connect, how many, who registered, who holds the target."""
        return {"socket": self.server.address, "transport": self.server.transport,
                "websocket": self.server.websocket_url, "clients": self.server.client_count, **self.api.status()}

    async def close(self) -> None:
        self._unsubscribe()
        await self.configurator.close()
        await self.server.close()
