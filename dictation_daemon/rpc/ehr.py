"""The EHR integration methods (``initialize``, ``shutdown``, ``target.*``, ``session.configure``) and the
router that turns the controller's events into each client's notifications.

Routing happens when an event is published, so notifications leave at once and in order; the router
also answers whether an event was *claimed* (an editor holding the target took the text, a client handles
the command), and that answer travels with the event to the plugin host, so keystroke insertion and the
desktop command mapping see exactly the events no client took.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError

from .. import __version__
from ..events.delivery import Delivery
from ..events.dictation import (
    CommandEvent,
    Event,
    SessionErrorEvent,
    StateEvent,
    TranscriptEvent,
    UsageEvent,
)
from ..insertion.rules import FieldText, lowercase_words_for
from ..protocol.messages import TranscribeConfig, describe_validation_error
from .jsonrpc import (
    ALREADY_INITIALIZED,
    INVALID_PARAMS,
    NOT_INITIALIZED,
    Dispatcher,
    Params,
    Peer,
    RpcError,
    expect_no_params,
)
from .registry import Registration, Registry, Target
from .schema import NOTIFICATIONS, PROTOCOL_VERSIONS
from .server import RpcServer
from .wire import ClaimParams, InitializeParams, SessionConfiguration

logger = logging.getLogger(__name__)

UNSUPPORTED_VERSION = -32020
TARGET_NOT_HELD = -32021
CLAIMED_BY = "rpc"
"""The name observers see (:class:`~dictation_daemon.events.delivery.Delivery`) for what an editor took."""


def parse(model: type[BaseModel], params: Params) -> Any:
    """Validates an object's params; every problem is ``INVALID_PARAMS`` naming the field."""
    if params is None:
        params = {}
    if not isinstance(params, dict):
        raise RpcError(INVALID_PARAMS, "params must be an object")
    try:
        return model.model_validate(params)
    except ValidationError as error:
        raise RpcError(INVALID_PARAMS, describe_validation_error(error)) from None


class EhrApi:
    """The registration, target and configuration methods, and the notifications for each client."""

    def __init__(self, server: RpcServer, *, base_config: Callable[[], TranscribeConfig],
                 configure: Callable[[TranscribeConfig | None], None],
                 autotext: Callable[[str], str | None] = lambda command_id: None) -> None:
        """``base_config`` gives the daemon's transcription config; ``configure`` sets the next utterance's
        (``None``: the daemon's own); ``autotext`` gives the text of the auto-text a command id names."""
        self.server = server
        self.registry = Registry()
        self._base_config = base_config
        self._configure = configure
        self._autotext = autotext
        server.on_disconnect(self._disconnected)

    def register_methods(self, dispatcher: Dispatcher) -> None:
        for name, handler in (("initialize", self._initialize), ("shutdown", self._shutdown),
                              ("target.claim", self._claim), ("target.release", self._release),
                              ("session.configure", self._session_configure)):
            dispatcher.register(name, handler, for_sites=True)
        self._dispatcher = dispatcher

    def status(self) -> dict[str, Any]:
        target = self.registry.target
        return {"registered": [r.to_json() for r in self.registry.registrations.values()],
                "target": {"clientId": target.client_id, "field": target.field} if target else None}

    # --- events → notifications ---------------------------------------------------------------------

    def route(self, event: Event) -> Delivery | None:
        """Notifies the clients of ``event``; the delivery when a client took it, ``None`` otherwise."""
        if isinstance(event, TranscriptEvent):
            routed = self.registry.route_transcript(event)
            self.server.notify("transcript", routed.params, to=self._may_hear(None))
        elif isinstance(event, CommandEvent):
            text = self._autotext(event.id)
            if text is not None and self.paste(text):  # an editor gets an auto-text as text, blanks included
                target = self.registry.target
                return Delivery(CLAIMED_BY, target.field if target else None)
            routed = self.registry.route_command(event)
            recipients = self._may_hear(routed.recipients)
            if not recipients:
                return None
            self.server.notify("command", routed.params, to=recipients)
        elif isinstance(event, StateEvent):
            self.server.notify("state", event.to_json())
            return None
        elif isinstance(event, UsageEvent):
            self.server.notify("usage", event.to_json())
            return None
        elif isinstance(event, SessionErrorEvent):
            target = self.registry.target
            self.server.notify("error", {**event.to_json(), "field": target.field if target else None})
            if event.source == "configuration" and target is not None:
                target.configuration = None
            return None
        else:
            return None
        return Delivery(CLAIMED_BY, routed.params["field"]) if routed.claimed else None

    def paste(self, text: str) -> bool:
        """paste-last while an inserting editor holds the target: the text goes to it; ``True`` if it did."""
        routed = self.registry.paste(text)
        if routed is None:
            return False
        client_id, params = routed
        self.server.notify("transcript", params, to=(client_id,))
        return True

    def _may_hear(self, recipients: tuple[int, ...] | None) -> list[int]:
        """``recipients`` (``None``: every client) less the paired web pages that do not hold the target: a
        page hears what is dictated into its own fields, not what the user dictates elsewhere."""
        holder = self.registry.target.client_id if self.registry.target else None
        return self.server.clients(lambda peer: (peer.site is None or peer.number == holder)
                                   and (recipients is None or peer.number in recipients))

    # --- methods ------------------------------------------------------------------------------------

    async def _initialize(self, params: Params, peer: Peer) -> dict[str, Any]:
        if peer.number in self.registry.registrations:
            raise RpcError(ALREADY_INITIALIZED, "already initialized; call shutdown first to register again")
        request = parse(InitializeParams, params)
        version = next((v for v in PROTOCOL_VERSIONS if v in request.protocol_versions), None)
        if version is None:
            raise RpcError(UNSUPPORTED_VERSION, "no protocol version in common", {"supported": list(PROTOCOL_VERSIONS)})
        self.registry.register(Registration(peer.number, request.client.name, request.client.version,
                                            frozenset(request.commands), request.inserts_text))
        logger.info("rpc client %d registered as %s %s", peer.number, request.client.name, request.client.version)
        return {"protocolVersion": version, "server": {"name": "dictation-daemon", "version": __version__},
                "clientId": peer.number, "methods": self._dispatcher.methods, "notifications": sorted(NOTIFICATIONS)}

    async def _shutdown(self, params: Params, peer: Peer) -> dict[str, Any]:
        expect_no_params(params)
        self._require_registration(peer)
        if self.registry.unregister(peer.number) is not None:
            self._configure(None)
        return {"registered": False}

    async def _claim(self, params: Params, peer: Peer) -> dict[str, Any]:
        self._require_registration(peer)
        request = parse(ClaimParams, params)
        configuration = self._merged(request.configuration)
        language = (configuration or self._base_config()).primary_language
        target = Target(peer.number, request.field, FieldText(request.before, request.after, lowercase_words=lowercase_words_for(language),
                                  minimal_edits=False),
                        configuration)
        previous = self.registry.claim(target)
        if previous is not None:
            self.server.notify("target.lost", {"field": previous.field, "reason": "another client claimed the target"},
                               to=(previous.client_id,))
        self._configure(configuration)
        return self._effective(target)

    async def _release(self, params: Params, peer: Peer) -> dict[str, Any]:
        expect_no_params(params)
        self._require_registration(peer)
        released = self.registry.release(peer.number) is not None
        if released:
            self._configure(None)
        return {"released": released}

    async def _session_configure(self, params: Params, peer: Peer) -> dict[str, Any]:
        self._require_registration(peer)
        target = self.registry.target
        if target is None or target.client_id != peer.number:
            raise RpcError(TARGET_NOT_HELD, "session.configure needs the target: call target.claim first")
        target.configuration = self._merged(parse(SessionConfiguration, params))
        self._configure(target.configuration)
        return self._effective(target)

    # --- helpers ------------------------------------------------------------------------------------

    def _merged(self, configuration: SessionConfiguration | None) -> TranscribeConfig | None:
        if configuration is None or not configuration.model_fields_set:
            return None
        try:
            return configuration.apply_to(self._base_config())
        except ValidationError as error:
            raise RpcError(INVALID_PARAMS, describe_validation_error(error)) from None

    def _effective(self, target: Target) -> dict[str, Any]:
        config = target.configuration or self._base_config()
        return {"field": target.field, "language": config.primary_language,
                "commands": [command.id for command in config.commands or []]}

    def _require_registration(self, peer: Peer) -> None:
        if peer.number not in self.registry.registrations:
            raise RpcError(NOT_INITIALIZED, "not initialized: call initialize first")

    def _disconnected(self, peer: Peer) -> None:
        if self.registry.unregister(peer.number) is not None:
            self._configure(None)
