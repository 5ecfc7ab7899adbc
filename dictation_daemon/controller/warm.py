"""One configured ``/transcribe`` session kept open ahead of need and reopened when it closes.

Opening a socket and having the config accepted takes from a few hundred milliseconds (local) to about
two seconds (cloud, with a token fetch). A user who presses the key and speaks at once must not lose
those words, so the daemon opens the session at start and keeps it: the same session carries utterance
after utterance, each ended with ``flush``. When the server closes it (idle timeout, network, expired
stream), the next one is opened at once in the background, retrying with a growing delay while the
server cannot be reached. Should a start come while no session is open, audio waits in the utterance and
then in the session's own queue until ``CONFIG_ACCEPTED``: it is delayed, never dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from ..client.backend import Backend
from ..client.errors import ConfigRefused, SessionError
from ..client.session import TranscribeSession
from ..corti.auth import AuthError
from ..protocol.messages import ServerMessage, TranscribeConfig

logger = logging.getLogger(__name__)

RETRY_DELAYS = (0.5, 1.0, 2.0, 5.0, 10.0, 30.0)
"""Seconds between attempts to reach a server that does not answer, the last one repeated."""


class WarmSession:
    """Owns the current session: opens it, reads its messages into ``on_message``, reopens it after a close.

    ``on_ready`` is called when a session's config is accepted, ``on_lost`` with a reason when the open
    session closed or one could not be opened (the caller decides whether that matters right now).
    """

    def __init__(
        self,
        backend: Backend,
        config: TranscribeConfig,
        *,
        on_message: Callable[[ServerMessage], None],
        on_ready: Callable[[], None],
        on_lost: Callable[[str], None],
    ) -> None:
        self._backend = backend
        self._config = config
        self._on_message = on_message
        self._on_ready = on_ready
        self._on_lost = on_lost
        self._session: TranscribeSession | None = None
        self._opening: asyncio.Task[TranscribeSession] | None = None
        self._keeper: asyncio.Task[None] | None = None
        self._closing = False
        self._accepted = False
        self._refusal: str | None = None

    @property
    def ready(self) -> bool:
        """A session is open and its config accepted: audio sent now is transcribed right away."""
        return self._session is not None and self._session.is_open and self._accepted

    @property
    def session_id(self) -> str | None:
        return self._session.session_id if self._session is not None else None

    @property
    def refusal(self) -> str | None:
        """Why the server refused the config, if it did: reconnecting cannot fix that, the config must change."""
        return self._refusal

    def start(self) -> None:
        """Opens the first session in the background and keeps one open from now on."""
        if self._keeper is None:
            self._keeper = asyncio.create_task(self._keep_open(), name="warm-session")

    async def session(self) -> TranscribeSession:
        """The open session, or the one being opened (possibly not accepted yet: audio is queued)."""
        if self._session is not None and self._session.is_open:
            return self._session
        if self._opening is None or self._opening.done():
            self._opening = asyncio.create_task(self._open())
        return await asyncio.shield(self._opening)

    async def close(self) -> None:
        """Ends the current session politely (so the server reports usage) and stops reopening."""
        self._closing = True
        if self._keeper is not None:
            self._keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._keeper
        session, self._session = self._session, None
        if session is not None:
            if session.is_open:
                with contextlib.suppress(SessionError, TimeoutError):
                    await session.end(timeout=5)
            await session.close()

    async def _keep_open(self) -> None:
        failures = 0
        while not self._closing:
            try:
                session = await self.session()
                await session.wait_accepted()
            except ConfigRefused as refusal:
                self._refusal = str(refusal)
                logger.error("the server refused the session configuration: %s", refusal)
                self._on_lost(f"the server refused the session configuration: {refusal}")
                return
            except (SessionError, AuthError, TimeoutError, OSError) as error:
                reason = str(error) or type(error).__name__
                delay = RETRY_DELAYS[min(failures, len(RETRY_DELAYS) - 1)]
                failures += 1
                logger.warning("no transcription session (%s); retrying in %g s", reason, delay)
                self._on_lost(reason)
                await asyncio.sleep(delay)
                continue
            failures = 0
            self._accepted = True
            logger.info("transcription session ready (%s)", self._backend.kind)
            self._on_ready()
            await self._read(session)
            self._accepted = False
            if not self._closing:
                logger.info("the transcription session closed; opening a new one")
                self._on_lost("the connection to the transcription server closed")

    async def _open(self) -> TranscribeSession:
        self._accepted = False
        url = await self._backend.session_url()
        self._session = await TranscribeSession.open(url, self._config, encoder=self._backend.encoder())
        return self._session

    async def _read(self, session: TranscribeSession) -> None:
        async for message in session.events():
            self._on_message(message)
