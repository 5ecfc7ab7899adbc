"""Access tokens for Corti's API: the OAuth 2.0 client-credentials grant, cached and shared by all sessions.

Corti's tokens live 300 s and are checked only when a socket opens, so a session needs a token with some
life left. Like Corti's own JavaScript SDK, :class:`TokenProvider` fetches a new one once less than
``refresh_margin`` (120 s) remains; the margin never exceeds half the lifetime, so short-lived tokens are
still reused. Concurrent sessions share one request: the endpoint sees one request per validity window.

Failures raise an :class:`AuthError` subclass whose message says what to fix, in words a user can act on;
neither the secret nor a token ever appears in a message or a log line.
"""

from __future__ import annotations

import asyncio
import logging
import math
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from .credentials import CortiCredentials

log = logging.getLogger(__name__)

DEFAULT_REFRESH_MARGIN = 120.0
DEFAULT_TIMEOUT = 10.0
# Corti's documented lifetime, assumed when a response leaves out the optional ``expires_in``.
DEFAULT_EXPIRES_IN = 300.0
# How much of a server's error text goes into a message: enough to recognise, not a page of HTML.
_MAX_QUOTE = 200


class AuthError(Exception):
    """No access token could be obtained; the message is meant for the user."""


class InvalidClientError(AuthError):
    """The client id or secret was refused."""


class ScopeRejectedError(AuthError):
    """The client is not allowed the scope it asked for."""


class RealmNotFoundError(AuthError):
    """The region or tenant is wrong: no such realm there, or the region's host name does not resolve."""


class AuthUnavailableError(AuthError):
    """The token endpoint was unreachable, too slow or failing on its side; trying later may work."""


class UnexpectedAuthResponseError(AuthError):
    """The token endpoint answered, but not with a usable token response."""


@dataclass(frozen=True)
class _Token:
    value: str
    refresh_at: float  # clock reading from which a new token is fetched instead


class TokenProvider:
    """Hands out a valid Corti access token, fetching a new one only when the cached one is about to expire.

    ``client`` may be shared with the rest of the application (it is then not closed by :meth:`aclose`);
    ``timeout`` (seconds) bounds each token request either way. ``clock`` is injectable so expiry can be
    tested without waiting.
    """

    def __init__(
        self,
        credentials: CortiCredentials,
        *,
        client: httpx.AsyncClient | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        refresh_margin: float = DEFAULT_REFRESH_MARGIN,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if timeout <= 0 or refresh_margin < 0:
            raise ValueError("timeout must be positive and refresh_margin not negative")
        self._credentials = credentials
        self._owns_client = client is None
        self._client = client if client is not None else httpx.AsyncClient(timeout=timeout)
        self._timeout = timeout
        self._refresh_margin = refresh_margin
        self._clock = clock
        self._token: _Token | None = None
        self._refreshing: asyncio.Task[str] | None = None

    async def token(self) -> str:
        """A token with at least the refresh margin of validity left; concurrent callers share one fetch."""
        if self._token is not None and self._clock() < self._token.refresh_at:
            return self._token.value
        if self._refreshing is None:
            self._refreshing = asyncio.ensure_future(self._refresh())
        # Shielded: a caller that gives up must not cancel the fetch the others are waiting for.
        return await asyncio.shield(self._refreshing)

    def invalidate(self, token: str | None = None) -> None:
        """Forget the cached token, after a socket refused it (401/403) so the next call fetches a new one.

        Given the refused ``token``, the cache is dropped only if it still holds that token: when several
        sessions are refused the same token, the first one's replacement is kept.
        """
        if self._token is not None and token in (None, self._token.value):
            self._token = None

    async def aclose(self) -> None:
        """Stop any fetch in flight and close the HTTP client if this provider created it."""
        if self._refreshing is not None:
            self._refreshing.cancel()
        if self._owns_client:
            await self._client.aclose()

    async def __aenter__(self) -> TokenProvider:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def _refresh(self) -> str:
        try:
            self._token = await self._fetch()
            return self._token.value
        finally:
            self._refreshing = None

    async def _fetch(self) -> _Token:
        credentials = self._credentials
        url = credentials.token_url
        form = {
            "grant_type": "client_credentials",
            "client_id": credentials.client_id,
            "client_secret": credentials.client_secret.get_secret_value(),
            "scope": credentials.scope,
        }
        endpoint = f"Corti's token endpoint {url}"
        log.debug("requesting an access token from %s", endpoint)
        started = self._clock()
        try:
            response = await self._client.post(url, data=form, timeout=self._timeout)
        except httpx.TimeoutException as exc:
            raise AuthUnavailableError(f"{endpoint} did not answer within {self._timeout:g} s") from exc
        except httpx.ConnectError as exc:
            if _name_not_resolved(exc):
                raise RealmNotFoundError(
                    f"the host {urlsplit(url).hostname} does not resolve: check the region "
                    f"({credentials.environment!r}) and the auth URL, or whether this machine is online"
                ) from exc
            raise AuthUnavailableError(f"cannot connect to {endpoint}: {exc}") from exc
        except httpx.HTTPError as exc:
            raise AuthUnavailableError(f"the request to {endpoint} failed: {exc}") from exc
        token = self._parse(response, endpoint, started)
        log.debug("access token obtained; refreshing it after %.0f s", token.refresh_at - started)
        return token

    def _parse(self, response: httpx.Response, endpoint: str, started: float) -> _Token:
        """The token in a response to a request sent at clock reading ``started``."""
        body = _json_object(response)
        if response.status_code != 200:
            raise self._refusal(response.status_code, body, endpoint)
        if body is None:
            raise UnexpectedAuthResponseError(
                f"{endpoint} answered with something other than a JSON object: {self._quote(response.text)!r}"
            )
        value = body.get("access_token")
        if not isinstance(value, str) or not value:
            raise UnexpectedAuthResponseError(f"{endpoint} answered without an access_token")
        token_type = body.get("token_type", "Bearer")
        if not isinstance(token_type, str) or token_type.lower() != "bearer":
            raise UnexpectedAuthResponseError(
                f"{endpoint} issued a {self._quote(str(token_type))!r} token, not a Bearer token"
            )
        expires_in = body.get("expires_in", DEFAULT_EXPIRES_IN)
        if isinstance(expires_in, bool) or not isinstance(expires_in, int | float) or not 0 < expires_in < math.inf:
            raise UnexpectedAuthResponseError(f"{endpoint} gave a token without a usable lifetime (expires_in)")
        margin = min(self._refresh_margin, expires_in / 2)
        return _Token(value, started + expires_in - margin)

    def _refusal(self, status: int, body: dict[str, Any] | None, endpoint: str) -> AuthError:
        """The error for a non-200 answer, from its status and OAuth ``error`` code."""
        credentials = self._credentials
        code = body.get("error") if body else None
        detail = " ".join(str(part) for part in (code, body.get("error_description")) if part) if body else ""
        answer = f"HTTP {status}: {self._quote(detail)}" if detail else f"HTTP {status}"
        if code == "invalid_scope":
            return ScopeRejectedError(f"Corti refused the scope {credentials.scope!r} for this client ({answer})")
        if status == 401 or code in ("invalid_client", "unauthorized_client"):
            return InvalidClientError(
                f"Corti refused the client id {credentials.client_id!r} or its secret ({answer}): check both"
            )
        if status == 404:
            return RealmNotFoundError(
                f"{endpoint} knows no tenant {credentials.tenant!r} ({answer}): "
                f"check the tenant and the region ({credentials.environment!r})"
            )
        if status == 429 or status >= 500:
            return AuthUnavailableError(f"{endpoint} is unavailable ({answer}); try again later")
        return UnexpectedAuthResponseError(f"{endpoint} answered {answer}")

    def _quote(self, text: str) -> str:
        """Server-supplied text, shortened and with the secret removed should the server have echoed it."""
        secret = self._credentials.client_secret.get_secret_value()
        return text.replace(secret, "**********")[:_MAX_QUOTE].strip()


def _json_object(response: httpx.Response) -> dict[str, Any] | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _name_not_resolved(exc: BaseException) -> bool:
    """Whether a connection failed because the host name did not resolve (not because the network is down)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, socket.gaierror):
            # EAI_AGAIN: no resolver answered, which is the network being down rather than a wrong host.
            return current.errno != socket.EAI_AGAIN
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False
