"""Pairing web pages with the user's daemon, without I/O: requests with short codes, and site tokens.

A web page cannot read the user's endpoint file, and any page the browser shows can open a WebSocket to
loopback, including one another user of the same machine opened. So a page gets in only with a token of its
own, and it gets that token only when the user confirms its request: the page shows a short code, the user
types it into ``dictation-daemon pair`` (a client only the user can run), and the daemon hands the new token
to the waiting page. The token is kept only as a hash, bound to the page's origin, and can be revoked.
The Origin allow-list stays in front of all of this: a page from an origin the administrator did not allow
never gets as far as asking.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from typing import Any

CODE_DIGITS = 6
REQUEST_SECONDS = 120.0
"""How long a request waits for the user's confirmation (the page keeps its connection open meanwhile)."""
MAX_WAITING = 8
"""Requests waiting at once: enough for a few tabs, too few for a page to flood the user with codes."""
MAX_PAIRINGS = 100
MAX_SITE_NAME = 100


class PairingRefused(Exception):
    """A request or confirmation that cannot be granted; the message says why, for the page or the user."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Request:
    """A page waiting for the user: its connection, origin, the name it gave, and the code it shows."""

    code: str
    client: int
    origin: str
    site: str
    expires: float

    def to_json(self, now: float) -> dict[str, Any]:
        return {"origin": self.origin, "site": self.site, "expiresIn": round(max(0.0, self.expires - now), 1)}


@dataclass
class Pairing:
    """A confirmed site: the hash of its token, the origin it may use it from, and when it was last seen."""

    id: str
    origin: str
    site: str
    token_hash: str
    created: float
    last_used: float | None = None

    def info(self) -> dict[str, Any]:
        """What ``pairing.list`` shows."""
        return {"id": self.id, "origin": self.origin, "site": self.site, "created": self.created,
                "lastUsed": self.last_used}

    def to_json(self) -> dict[str, Any]:
        """What is stored: the token's hash, never the token."""
        return {**self.info(), "tokenHash": self.token_hash}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Pairing:
        return cls(id=str(data["id"]), origin=str(data["origin"]), site=str(data.get("site", "")),
                   token_hash=str(data["tokenHash"]), created=float(data["created"]),
                   last_used=None if data.get("lastUsed") is None else float(data["lastUsed"]))


@dataclass
class PairingBook:
    """Waiting requests (in memory only) and confirmed pairings (stored by the caller after each change)."""

    pairings: dict[str, Pairing] = field(default_factory=dict)
    _requests: dict[str, Request] = field(default_factory=dict)

    def request(self, client: int, origin: str, site: str, now: float) -> Request:
        """A new request of connection ``client`` with a fresh code; replaces that connection's earlier one."""
        self.expire(now)
        self.withdraw(client)
        if len(self._requests) >= MAX_WAITING:
            raise PairingRefused(f"{MAX_WAITING} pairing requests are already waiting; try again in a few minutes")
        if len(self.pairings) >= MAX_PAIRINGS:
            raise PairingRefused(f"{MAX_PAIRINGS} sites are paired already; revoke one with "
                                 "`dictation-daemon pairings --revoke ID`")
        code = _new_code()
        while code in self._requests:
            code = _new_code()
        request = Request(code, client, origin, site[:MAX_SITE_NAME], now + REQUEST_SECONDS)
        self._requests[code] = request
        return request

    def confirm(self, code: str, now: float) -> tuple[Request, Pairing, str]:
        """The user's confirmation: the request, its new pairing and the token to give the waiting page."""
        self.expire(now)
        request = self._requests.pop(normalise_code(code), None)
        if request is None:
            raise PairingRefused("no page is waiting with that code (codes last two minutes; "
                                 "ask the page for a new one)")
        token = secrets.token_hex(32)
        pairing = Pairing(id=secrets.token_hex(4), origin=request.origin, site=request.site,
                          token_hash=_digest(token), created=now)
        self.pairings[pairing.id] = pairing
        return request, pairing, token

    def check(self, token: str, origin: str | None, now: float) -> Pairing | None:
        """The pairing ``token`` belongs to, if it was issued to ``origin``; marks it used."""
        if origin is None:
            return None
        digest = _digest(token)
        for pairing in self.pairings.values():
            if hmac.compare_digest(pairing.token_hash, digest) and pairing.origin == origin:
                pairing.last_used = now
                return pairing
        return None

    def revoke(self, pairing_id: str) -> Pairing:
        try:
            return self.pairings.pop(pairing_id)
        except KeyError:
            raise PairingRefused(f"no pairing {pairing_id!r}; `dictation-daemon pairings` lists them") from None

    def withdraw(self, client: int) -> None:
        """Drops connection ``client``'s waiting request (it went away, or asked again)."""
        for code in [code for code, request in self._requests.items() if request.client == client]:
            del self._requests[code]

    def expire(self, now: float) -> None:
        for code in [code for code, request in self._requests.items() if request.expires <= now]:
            del self._requests[code]

    def waiting(self, now: float) -> list[Request]:
        self.expire(now)
        return sorted(self._requests.values(), key=lambda request: request.expires)

    def waiting_for(self, client: int, now: float) -> Request | None:
        return next((request for request in self.waiting(now) if request.client == client), None)

    def to_json(self) -> dict[str, Any]:
        return {"version": 1, "pairings": [pairing.to_json() for pairing in self.pairings.values()]}

    @classmethod
    def from_json(cls, data: Any) -> PairingBook:
        """Reads what :meth:`to_json` wrote; raises ``ValueError`` naming what is wrong."""
        if not isinstance(data, dict) or not isinstance(data.get("pairings"), list):
            raise ValueError('expected an object with a "pairings" list')
        book = cls()
        for number, item in enumerate(data["pairings"]):
            try:
                pairing = Pairing.from_json(item)
            except (KeyError, TypeError, ValueError) as error:
                raise ValueError(f"pairing {number}: {error!r}") from None
            book.pairings[pairing.id] = pairing
        return book


def _new_code() -> str:
    return f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"


def normalise_code(code: str) -> str:
    """The code as the user may type it: ``482 913``, ``482-913`` and ``482913`` are the same."""
    return "".join(char for char in code if char.isdigit())
