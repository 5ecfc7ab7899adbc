"""Choosing the ``/transcribe`` server: Corti in the cloud, the embedded local engine, or any URL.

Both kinds are reached through the same client code; only the URL (and for Corti, the token in it) differ.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass

from ..audio.encoding import AudioEncoder, make_encoder
from ..config.model import DaemonConfig
from ..corti.auth import TokenProvider
from ..corti.credentials import CortiCredentials
from ..protocol.messages import TranscribeConfig
from .errors import SocketRefusedError
from .session import TranscribeSession


SERVER_TOKEN_VARIABLE = "DICTATION_SERVER_TOKEN"
"""Bearer token for a shared local server (``backend.kind: url``); kept out of the config file."""


@dataclass
class Backend:
    """A reachable server: how to build a session URL, which encoding to send, whether to pace audio, and how
    long it may stay silent while it owes an answer before its connection counts as hung."""

    kind: str
    realtime_required: bool
    encoding: str
    answer_timeout: float
    _static_url: str | None = None
    _headers: dict[str, str] | None = None
    _tokens: TokenProvider | None = None
    _credentials: CortiCredentials | None = None

    async def session_url(self) -> str:
        """A URL for a new socket; for Corti it carries a token still valid when the socket opens."""
        if self._tokens is None:
            assert self._static_url is not None
            return self._static_url
        assert self._credentials is not None
        return self._credentials.transcribe_url(await self._tokens.token())

    async def open_session(self, config: TranscribeConfig) -> TranscribeSession:
        """Opens a session with a fresh encoder; a token the socket refuses is replaced once, then retried."""
        encoder = self.encoder()
        config = config.model_copy(update={"audio_format": encoder.mime})
        url = await self.session_url()
        try:
            return await TranscribeSession.open(url, config, encoder=encoder, headers=self._headers,
                                                answer_timeout=self.answer_timeout)
        except SocketRefusedError as refused:
            if self._tokens is None or refused.status not in (401, 403):
                raise
            self._tokens.invalidate()
            return await TranscribeSession.open(await self.session_url(), config, encoder=encoder,
                                                headers=self._headers, answer_timeout=self.answer_timeout)

    def encoder(self) -> AudioEncoder:
        return make_encoder(self.encoding)  # type: ignore[arg-type]


def corti_credentials(config: DaemonConfig, environ: Mapping[str, str] = os.environ) -> CortiCredentials | None:
    """Credentials from the environment; the config file supplies region, tenant and scope defaults."""
    section = config.backend.corti
    defaults = {"CORTI_ENVIRONMENT": section.environment, "CORTI_TENANT": section.tenant, "CORTI_SCOPE": section.scope}
    return CortiCredentials.from_env({**defaults, **environ})


def choose_kind(config: DaemonConfig, environ: Mapping[str, str] = os.environ) -> str:
    """``auto`` means Corti when its credentials are set, the embedded engine otherwise."""
    kind = config.backend.kind
    if kind == "auto":
        return "corti" if corti_credentials(config, environ) is not None else "local"
    return kind


def _encoding(config: DaemonConfig, kind: str) -> str:
    if config.backend.audio_encoding != "auto":
        return config.backend.audio_encoding
    return "ogg-opus" if kind == "corti" else "pcm"


@contextlib.asynccontextmanager
async def open_backend(
    config: DaemonConfig, *, kind: str | None = None, url: str | None = None,
    environ: Mapping[str, str] = os.environ,
) -> AsyncIterator[Backend]:
    """Makes the configured backend reachable for the duration of the block.

    ``local`` starts the embedded server in this process on a free loopback port.
    """
    if url is not None:
        kind = "url"
    kind = kind or choose_kind(config, environ)
    answer_timeout = config.backend.answer_timeout_seconds
    if kind == "url":
        target = url or config.backend.url
        if not target:
            raise ValueError("backend.kind is 'url' but no backend.url is set")
        token = environ.get(SERVER_TOKEN_VARIABLE)
        headers = {"Authorization": f"Bearer {token}"} if token else None
        yield Backend("url", realtime_required=False, encoding=_encoding(config, kind), answer_timeout=answer_timeout,
                      _static_url=target, _headers=headers)
    elif kind == "corti":
        credentials = corti_credentials(config, environ)
        if credentials is None:
            raise ValueError("the Corti backend needs CORTI_CLIENT_ID and CORTI_CLIENT_SECRET in the environment")
        async with TokenProvider(credentials) as tokens:
            yield Backend("corti", realtime_required=True, encoding=_encoding(config, kind),
                          answer_timeout=answer_timeout, _tokens=tokens, _credentials=credentials)
    else:
        from ..server.app import LocalServer
        from ..server.engine.whisper import WhisperRecognizer

        recognizer = WhisperRecognizer(config.engine.model_path, decode_slots=config.engine.max_concurrent_decodes)
        async with LocalServer(recognizer, host="127.0.0.1", port=0) as server:
            yield Backend("local", realtime_required=False, encoding=_encoding(config, "local"),
                          answer_timeout=answer_timeout, _static_url=server.url)
