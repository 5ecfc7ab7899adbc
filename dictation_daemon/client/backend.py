"""A reachable ``/transcribe`` server, whichever it is: Corti in the cloud, the embedded engine, or any URL.

Every kind is reached through the same client code; only the URL (and for Corti, the token in it) differ.
Which server to reach, and starting the embedded one, is the daemon's choice (:mod:`dictation_daemon.app.backend`).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..audio.encoding import AudioEncoder, make_encoder
from ..corti.auth import TokenProvider
from ..corti.credentials import CortiCredentials
from ..protocol.messages import TranscribeConfig
from .errors import SocketRefusedError
from .session import TranscribeSession


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
