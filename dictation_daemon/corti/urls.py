"""Where Corti's token endpoint and ``/transcribe`` socket live, and how to log such URLs safely.

The access token travels in the socket URL's query string (§1 of the protocol notes), so any URL that is
logged must first go through :func:`redact_url`.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode, urlsplit, urlunsplit

TRANSCRIBE_PATH = "/audio-bridge/v2/transcribe"
REDACTED = "REDACTED"
# Query parameters that carry a credential; their values never reach a log.
_SECRET_PARAMS = frozenset({"token", "access_token"})


def token_url(environment: str, tenant: str, auth_url: str | None = None) -> str:
    """The OAuth token endpoint of ``tenant``'s realm, on Corti's ``environment`` host or under ``auth_url``.

    ``auth_url`` replaces ``https://auth.{environment}.corti.app`` (a private deployment or a local stand-in);
    the realm path stays, so a wrong tenant is detected there too.
    """
    base = auth_url.rstrip("/") if auth_url else f"https://auth.{environment}.corti.app"
    return f"{base}/realms/{quote(tenant, safe='')}/protocol/openid-connect/token"


def transcribe_url(environment: str, tenant: str, token: str, api_url: str | None = None) -> str:
    """The ``/transcribe`` socket URL for ``tenant``, authenticated with the access token ``token``.

    ``api_url`` replaces ``wss://api.{environment}.corti.app``. The result holds the token: log only
    :func:`redact_url` of it.
    """
    base = api_url.rstrip("/") if api_url else f"wss://api.{environment}.corti.app"
    query = urlencode({"tenant-name": tenant, "token": f"Bearer {token}"}, quote_via=quote)
    return f"{base}{TRANSCRIBE_PATH}?{query}"


def redact_url(url: str) -> str:
    """``url`` with the values of its token parameters replaced, fit for a log; the rest is kept as written."""
    parts = urlsplit(url)
    query = "&".join(_redact_param(param) for param in parts.query.split("&")) if parts.query else ""
    return urlunsplit(parts._replace(query=query))


def _redact_param(param: str) -> str:
    name, sep, _ = param.partition("=")
    return f"{name}={REDACTED}" if sep and name in _SECRET_PARAMS else param
