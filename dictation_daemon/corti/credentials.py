"""Who the daemon is to Corti: the OAuth client, its region and tenant, read from the environment.

The client secret is a :class:`~pydantic.SecretStr`, so it shows as ``**********`` in ``repr``, ``str``,
logs and JSON dumps; only :meth:`SecretStr.get_secret_value` reveals it, at the one place that sends it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
)

from .urls import token_url, transcribe_url

Environment = Literal["eu", "us"]
ENVIRONMENTS: tuple[str, ...] = get_args(Environment)
DEFAULT_SCOPE = "openid transcribe"


class CredentialsError(ValueError):
    """The Corti settings are incomplete or malformed; the message names the variable to fix."""


class CortiCredentials(BaseModel):
    """An OAuth 2.0 client of Corti's API, and where its realm and socket are.

    ``scope`` defaults to ``openid transcribe``, which gives a token good for ``/transcribe`` only (least
    privilege). ``auth_url`` and ``api_url`` replace Corti's hosts (``https://auth.{environment}.corti.app``,
    ``wss://api.{environment}.corti.app``) for private deployments and local stand-ins; the realm and socket
    paths are appended to them.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    environment: Environment = "eu"
    tenant: str = Field(default="base", min_length=1)
    client_id: str = Field(min_length=1)
    client_secret: SecretStr = Field(min_length=1)
    scope: str = Field(default=DEFAULT_SCOPE, min_length=1)
    auth_url: str | None = None
    api_url: str | None = None

    @field_validator("auth_url")
    @classmethod
    def _auth_url_is_http(cls, value: str | None) -> str | None:
        return _check_scheme(value, ("http://", "https://"))

    @field_validator("api_url")
    @classmethod
    def _api_url_is_websocket(cls, value: str | None) -> str | None:
        return _check_scheme(value, ("ws://", "wss://"))

    @property
    def token_url(self) -> str:
        """The OAuth token endpoint these credentials are exchanged at."""
        return token_url(self.environment, self.tenant, self.auth_url)

    def transcribe_url(self, token: str) -> str:
        """The ``/transcribe`` socket URL for these credentials' tenant, carrying ``token`` (log it redacted)."""
        return transcribe_url(self.environment, self.tenant, token, self.api_url)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> CortiCredentials | None:
        """Read ``CORTI_*`` variables; ``None`` when no client is configured (the daemon then runs offline).

        Raises :class:`CredentialsError` when only one of ``CORTI_CLIENT_ID``/``CORTI_CLIENT_SECRET`` is set,
        or any value is malformed. Empty variables count as unset.
        """
        values = {name: environ.get(variable, "").strip() for name, variable in _VARIABLES.items()}
        has_id, has_secret = bool(values["client_id"]), bool(values["client_secret"])
        if not (has_id or has_secret):
            return None
        if has_id != has_secret:
            present, missing = (
                ("CORTI_CLIENT_ID", "CORTI_CLIENT_SECRET") if has_id else ("CORTI_CLIENT_SECRET", "CORTI_CLIENT_ID")
            )
            raise CredentialsError(f"{present} is set but {missing} is not: set both, or neither to work offline")
        environment = values["environment"].lower() or "eu"
        if environment not in ENVIRONMENTS:
            raise CredentialsError(f"CORTI_ENVIRONMENT must be 'eu' or 'us', not {values['environment']!r}")
        try:
            return cls(**{name: value for name, value in values.items() if value} | {"environment": environment})
        except ValidationError as exc:
            raise CredentialsError(_describe(exc)) from None


_VARIABLES = {
    "client_id": "CORTI_CLIENT_ID",
    "client_secret": "CORTI_CLIENT_SECRET",
    "environment": "CORTI_ENVIRONMENT",
    "tenant": "CORTI_TENANT",
    "scope": "CORTI_SCOPE",
    "auth_url": "CORTI_AUTH_URL",
    "api_url": "CORTI_API_URL",
}


def _check_scheme(url: str | None, schemes: tuple[str, ...]) -> str | None:
    if url is not None and not url.lower().startswith(schemes):
        raise ValueError(f"must start with {' or '.join(schemes)}")
    return url


def _describe(exc: ValidationError) -> str:
    """The validation problems by variable name, without the values (one of them may be the secret)."""
    problems = (
        f"{_VARIABLES.get(str(error['loc'][0]), error['loc'][0])}: {error['msg']}"
        for error in exc.errors(include_input=False, include_url=False)
    )
    return "invalid Corti settings: " + "; ".join(problems)
