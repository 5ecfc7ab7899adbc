"""Who may open a session on ``serve``: bearer tokens from a file, or JWTs signed by an issuer.

A server shared by many workstations must not transcribe for anyone who can reach its port, so whenever it
listens beyond loopback a token source is required (:func:`require_token_source`). Tokens are checked when
a socket opens, as Corti does; a session already open is not cut when its token expires.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import ipaddress
import logging
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

import jwt

logger = logging.getLogger(__name__)

JWT_ALGORITHMS = ("RS256", "ES256")
"""Asymmetric only: the server holds no secret that could mint tokens, and ``none``/HS256 tricks are refused."""
CLOCK_SKEW_SECONDS = 30
"""How far the issuer's clock may be from ours when checking ``exp`` and ``nbf``."""


class AuthSetupError(Exception):
    """A token source cannot be used as configured; the message says what to change."""


class TokenVerifier(Protocol):
    """Something that approves or refuses a bearer token (never logging it)."""

    async def verify(self, token: str) -> bool: ...


class StaticTokens:
    """Tokens listed in a file the server's user alone can read: one per line, ``#`` starts a comment line.

    Only SHA-256 digests are kept, and a presented token is compared with every one of them in constant
    time, so neither memory nor timing gives a token away.
    """

    def __init__(self, digests: Sequence[bytes]) -> None:
        self._digests = tuple(digests)

    @classmethod
    def from_file(cls, path: Path) -> StaticTokens:
        try:
            mode = path.stat().st_mode
            if mode & (stat.S_IRWXG | stat.S_IRWXO):
                raise AuthSetupError(
                    f"the tokens file {path} is accessible to other users (mode {stat.S_IMODE(mode):04o}); "
                    f"make it private with: chmod 600 {path}")
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise AuthSetupError(f"cannot read the tokens file {path}: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise AuthSetupError(f"the tokens file {path} is not UTF-8 text") from None
        tokens = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
        if not tokens:
            raise AuthSetupError(f"the tokens file {path} lists no tokens")
        return cls([_digest(token) for token in tokens])

    async def verify(self, token: str) -> bool:
        presented = _digest(token)
        matches = [hmac.compare_digest(presented, known) for known in self._digests]
        return bool(token) and any(matches)


class JwtVerifier:
    """Accepts JWTs signed (RS256 or ES256) by a key of the issuer's JWKS, for our audience, not expired.

    The JWKS is fetched on first use and kept five minutes (so a key the issuer withdraws stops working
    soon), and fetched again when a token names a key id it does not hold (the issuer rotated its keys),
    at most once per cooldown. Fetching blocks, so verification runs in a worker thread and the handshakes
    of other clients go on meanwhile.
    """

    def __init__(self, issuer: str, audience: str, jwks_url: str, refresh_cooldown_seconds: float = 30) -> None:
        """``refresh_cooldown_seconds`` spaces the fetches unknown key ids cause, so tokens naming made-up
        keys cannot make the server hammer the issuer."""
        require_trustworthy_jwks_url(jwks_url)
        self.issuer = issuer
        self.audience = audience
        self._keys = jwt.PyJWKClient(jwks_url, lifespan=300, timeout=10, cooldown_duration=refresh_cooldown_seconds)

    def prefetch(self) -> None:
        """Fetches the JWKS now, so a wrong URL shows at start-up; tokens are refused while it is unreachable."""
        try:
            self._keys.get_signing_keys()
        except jwt.PyJWKClientError as exc:
            logger.warning("the JWKS at %s is not usable yet (%s): tokens are refused until it is",
                           self._keys.uri, exc)

    async def verify(self, token: str) -> bool:
        return bool(token) and await asyncio.to_thread(self._verify, token)

    def _verify(self, token: str) -> bool:
        try:
            key = self._keys.get_signing_key_from_jwt(token)
            jwt.decode(token, key, algorithms=list(JWT_ALGORITHMS), issuer=self.issuer, audience=self.audience,
                       leeway=CLOCK_SKEW_SECONDS, options={"require": ["exp", "iss", "aud"]})
        except jwt.PyJWKClientConnectionError as exc:
            logger.warning("cannot fetch the JWKS at %s: %s", self._keys.uri, exc)
            return False
        except (jwt.PyJWKClientError, jwt.InvalidTokenError) as exc:
            logger.info("refused a JWT: %s", type(exc).__name__)
            return False
        return True


class AnyOf:
    """Accepts a token that any of its verifiers accepts (static service tokens next to users' JWTs)."""

    def __init__(self, verifiers: Sequence[TokenVerifier]) -> None:
        self._verifiers = tuple(verifiers)

    async def verify(self, token: str) -> bool:
        for verifier in self._verifiers:
            if await verifier.verify(token):
                return True
        return False


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses; any other name or address may be reachable by others."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def require_token_source(host: str, verifier: TokenVerifier | None) -> None:
    """Refuses to listen beyond loopback without a token source."""
    if verifier is None and not is_loopback(host):
        raise AuthSetupError(
            f"refusing to listen on {host or 'all addresses'} without authentication: other machines could "
            "use this server. Set server.tokens_file (--tokens-file) or server.jwt (--jwt-issuer, "
            "--jwt-audience, --jwks-url), or listen on 127.0.0.1")


def require_trustworthy_jwks_url(url: str) -> None:
    """The keys that decide who may connect must come over HTTPS, unless they are fetched from this machine."""
    parts = urlsplit(url)
    if parts.scheme == "https" or (parts.scheme == "http" and is_loopback(parts.hostname or "")):
        return
    raise AuthSetupError(f"the JWKS URL {url} must use https (plain http only on loopback)")


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8")).digest()
