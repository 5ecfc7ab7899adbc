"""The control socket as the daemon runs it: server and transports, methods, the EHR layer and field
configuration put together from the ``rpc`` section."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from ..config.model import RpcSection
from ..controller.controller import Controller
from ..events.delivery import Delivery
from ..events.dictation import Event
from ..events.hub import EventHub
from ..protocol.messages import TranscribeConfig
from ..rpc.ehr import EhrApi
from ..rpc.jsonrpc import Dispatcher
from ..rpc.paths import ENDPOINT_FILE, default_socket_path
from ..rpc.server import RpcServer, Transport
from ..rpc.stream import TcpTransport, UnixTransport, unix_sockets_available
from ..rpc.pairing_file import default_pairings_file
from ..rpc.sites import SiteAccess
from ..rpc.websocket import WebSocketTransport
from .field_config import FieldConfigurator
from .methods import register_daemon_methods
from .pairing_notice import PairingNotice


def choose_transport(section: RpcSection) -> str:
    """``auto`` is a Unix socket where the platform has them, loopback TCP elsewhere."""
    if section.transport != "auto":
        return section.transport
    return "unix" if unix_sockets_available() else "tcp"


class ControlSocket:
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
        autotext: Callable[[str], str | None],
        notice: Callable[[str, float], None],
    ) -> None:
        self.dispatcher = Dispatcher(timeout=section.request_timeout_seconds)
        register_daemon_methods(self.dispatcher, controller, status, paste)
        path = section.socket_path or default_socket_path()
        transports: list[Transport] = [UnixTransport(path) if choose_transport(section) == "unix"
                                       else TcpTransport(section.tcp_port)]
        self.websocket = (WebSocketTransport(section.websocket.port, section.websocket.allowed_origins)
                          if section.websocket.enabled else None)
        if self.websocket is not None:
            transports.append(self.websocket)
        self.server = RpcServer(self.dispatcher, transports, endpoint_file=path.parent / ENDPOINT_FILE,
                                max_clients=section.max_clients, queue_size=section.queue_size)
        self.configurator = FieldConfigurator(controller, events, base_config)
        self.api = EhrApi(self.server, base_config=base_config, configure=self.configurator.configure,
                          autotext=autotext)
        self.api.register_methods(self.dispatcher)
        self.pairing_notice = PairingNotice(notice)
        if self.websocket is not None and section.websocket.pairing:
            SiteAccess(self.server, section.websocket.pairings_file or default_pairings_file(),
                       announce=self.pairing_notice).register_methods(self.dispatcher)

    async def start(self) -> None:
        await self.server.start()

    def route(self, event: Event) -> Delivery | None:
        """Notifies the socket's clients of ``event``; the delivery when an editor or client took it."""
        return self.api.route(event)

    def paste(self, text: str) -> bool:
        """paste-last to an inserting editor holding the target; ``True`` if it took the text."""
        return self.api.paste(text)

    def status(self) -> dict[str, Any]:
        """The ``rpc`` part of ``status``: where clients connect, how many, who registered, who holds the target."""
        return {"socket": self.server.address, "transport": self.server.transport,
                "websocket": self.websocket.url if self.websocket else None,
                "clients": self.server.client_count, **self.api.status()}

    async def close(self) -> None:
        await self.configurator.close()
        await self.server.close()
        await self.pairing_notice.close()
