"""Web pages as clients: the pairing methods, and the check of a page's own token.

The rules are in :mod:`.pairing`; this shell keeps the book in its file, hands a confirmed token to the
page that waits for it, and closes a revoked site's connections. Who may call what is decided by the
dispatcher: a page may ask to pair before it is authenticated, and only the user's own clients (the Unix
socket, or the endpoint file's token) may confirm, list or revoke.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .ehr import parse
from .jsonrpc import INVALID_PARAMS, Dispatcher, Params, Peer, RpcError, expect_no_params
from .pairing import PairingBook, PairingRefused, Request
from .pairing_file import PairingFileError, load_pairings, save_pairings
from .server import RpcServer
from .wire import PairingConfirmParams, PairingRequestParams, PairingRevokeParams

logger = logging.getLogger(__name__)

PAIRING_REFUSED = -32030
"""A pairing request or confirmation that cannot be granted (the message says why)."""


class SiteAccess:
    """Pairings of web pages with this daemon, kept in ``path``; ``announce`` tells the user a page asks
    (``announce(None)``: no page waits any more)."""

    def __init__(self, server: RpcServer, path: Path, *, announce: Callable[[Request | None], None]) -> None:
        self._server = server
        self._path = path
        self._announce = announce
        self._problem: str | None = None
        try:
            self._book = load_pairings(path)
        except PairingFileError as error:
            logger.error("pairing is off: %s", error)
            self._book, self._problem = PairingBook(), str(error)
        server.sites = self
        server.on_disconnect(lambda peer: self._book.withdraw(peer.number))

    def register_methods(self, dispatcher: Dispatcher) -> None:
        dispatcher.register("pairing.request", self._request, before_authentication=True)
        dispatcher.register("pairing.confirm", self._confirm)
        dispatcher.register("pairing.list", self._list)
        dispatcher.register("pairing.revoke", self._revoke)

    def check(self, token: str, origin: str | None) -> str | None:
        """The id of the pairing ``token`` was issued to for ``origin``, or ``None``."""
        pairing = self._book.check(token, origin, time.time())
        if pairing is None:
            return None
        self._save()
        return pairing.id

    async def _request(self, params: Params, peer: Peer) -> dict[str, Any]:
        request = parse(PairingRequestParams, params)
        if peer.origin is None:
            raise RpcError(PAIRING_REFUSED, "pairing is for web pages; other clients use the endpoint file's token")
        if peer.authenticated:
            raise RpcError(PAIRING_REFUSED, "this connection is already authenticated")
        if self._problem is not None:
            raise RpcError(PAIRING_REFUSED, "pairing is off on this computer: see the dictation daemon's log")
        try:
            waiting = self._book.request(peer.number, peer.origin, request.site, time.time())
        except PairingRefused as error:
            raise RpcError(PAIRING_REFUSED, str(error)) from None
        peer.waits_until = asyncio.get_running_loop().time() + (waiting.expires - time.time())
        logger.warning("%s (%s) asks to use dictation: if the page shows %s, confirm with "
                       "`dictation-daemon pair %s`", peer.origin, waiting.site or "no name", waiting.code, waiting.code)
        self._announce(waiting)
        return {"code": waiting.code, "expiresIn": round(waiting.expires - time.time(), 1)}

    async def _confirm(self, params: Params, peer: Peer) -> dict[str, Any]:
        request = parse(PairingConfirmParams, params)
        try:
            waiting, pairing, token = self._book.confirm(request.code, time.time())
        except PairingRefused as error:
            raise RpcError(PAIRING_REFUSED, str(error)) from None
        self._save()
        if not self._book.waiting(time.time()):
            self._announce(None)
        if self._server.grant(waiting.client, site=pairing.id):
            self._server.notify("paired", {"id": pairing.id, "token": token}, to=(waiting.client,))
        logger.info("paired %s as %s", pairing.origin, pairing.id)
        return pairing.info()

    async def _list(self, params: Params, peer: Peer) -> dict[str, Any]:
        expect_no_params(params)
        now = time.time()
        return {"pairings": [pairing.info() for pairing in self._book.pairings.values()],
                "waiting": [request.to_json(now) for request in self._book.waiting(now)]}

    async def _revoke(self, params: Params, peer: Peer) -> dict[str, Any]:
        request = parse(PairingRevokeParams, params)
        try:
            pairing = self._book.revoke(request.id)
        except PairingRefused as error:
            raise RpcError(INVALID_PARAMS, str(error)) from None
        self._save()
        closed = self._server.disconnect(lambda connected: connected.site == pairing.id)
        logger.info("revoked the pairing %s of %s; %d connections closed", pairing.id, pairing.origin, closed)
        return {"revoked": pairing.id, "disconnected": closed}

    def _save(self) -> None:
        if self._problem is None:
            save_pairings(self._path, self._book)
