"""The daemon's dictation session: one resilient session kept open ahead of need, utterance after utterance.

Opening a socket and having the config accepted takes from a few hundred milliseconds (local) to about
two seconds (cloud, with a token fetch). A user who presses the key and speaks at once must not lose
those words, so the daemon opens the session at start and keeps it: the same session carries utterance
after utterance, each ended with ``flush``.

It is a :class:`~..client.resilient.ResilientSession`: when the network drops, the server restarts or ends
the stream with an error, it reconnects with backoff and replays the audio no final result covers, so a
fault in the middle of an utterance loses no word and repeats none, and audio captured while offline is
kept until the backend is back. Each change of the connection reaches the watchers as a
:class:`~..client.connection_status.ConnectionStatus`, which the controller shows the user. Only when a
session gives up (credentials or a token that do not work) is a new one opened, after a growing delay; a
refused configuration is not retried, since only a changed configuration can fix it. With a ``fallback``
(the daemon's own configuration), a refused configuration of a field (a language the server does not
have) is replaced by the fallback at once, and the utterance that was going into it goes into the new
session (see :meth:`WarmSession.session`): the words are transcribed, only the field's settings are not.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from ..client.backend import Backend
from ..client.backoff import RetryPolicy
from ..client.errors import ConfigRefused, ConnectionLostError
from ..client.resilient import (
    DEFAULT_BUFFER_LIMIT_SECONDS,
    DEFAULT_RETRY,
    ResilientSession,
)
from ..events.connection import ConnectionState, ConnectionStatus
from ..protocol.messages import ServerMessage, TranscribeConfig

logger = logging.getLogger(__name__)

RETRY_DELAYS = (0.5, 1.0, 2.0, 5.0, 10.0, 30.0)
"""Seconds before opening a new session after one gave up, the last one repeated."""
END_TIMEOUT_SECONDS = 5.0
"""How long closing waits for the server's ``ended`` (and so its usage report) before dropping the socket."""

_OVER = (ConnectionState.GAVE_UP, ConnectionState.CLOSED)
_LIVE = (ConnectionState.CONNECTED, ConnectionState.REPLAYING)


class WarmSession:
    """Owns the current session: opens it, reads its results into ``on_message``, replaces it if it gives up.

    ``on_ready`` is called whenever the session is connected and up to date, ``on_lost`` with a sentence for
    the user when a session gave up (the results it still owed will not come). :meth:`watch` adds
    callbacks for every :class:`ConnectionStatus`.
    """

    def __init__(
        self,
        backend: Backend,
        config: TranscribeConfig,
        *,
        on_message: Callable[[ServerMessage], None],
        on_ready: Callable[[], None],
        on_lost: Callable[[str], None],
        retry: RetryPolicy = DEFAULT_RETRY,
        buffer_limit_seconds: float = DEFAULT_BUFFER_LIMIT_SECONDS,
        fallback: Callable[[], TranscribeConfig] | None = None,
    ) -> None:
        self._backend = backend
        self._config = config
        self._on_message = on_message
        self._on_ready = on_ready
        self._on_lost = on_lost
        self._retry = retry
        self._buffer_limit_seconds = buffer_limit_seconds
        self._watchers: list[Callable[[ConnectionStatus], None]] = []
        self._session: ResilientSession | None = None
        self._generation = 0
        self._connected = False
        self._keeper: asyncio.Task[None] | None = None
        self._closing = False
        self._refusal: str | None = None
        self._fallback = fallback
        self.refused: tuple[TranscribeConfig, str] | None = None
        """The last configuration the server refused and replaced by the fallback, with the reason."""
        self._replacing: asyncio.Task[None] | None = None
        self._retiring: set[asyncio.Task[None]] = set()
        self.status = ConnectionStatus(ConnectionState.CLOSED)
        """The current session's latest connection status."""

    @property
    def ready(self) -> bool:
        """Connected: audio sent now is transcribed right away rather than kept for later."""
        return self._session is not None and self.status.state in _LIVE

    @property
    def usable(self) -> bool:
        """Audio can be handed over: now, or kept until the connection is back (not after a give-up)."""
        return self._refusal is None and self.status.state not in _OVER

    @property
    def refusal(self) -> str | None:
        """Why the server refused the config, if it did: reconnecting cannot fix that, the config must change."""
        return self._refusal

    def watch(self, watcher: Callable[[ConnectionStatus], None]) -> None:
        """Calls ``watcher`` with every connection status from now on."""
        self._watchers.append(watcher)

    def start(self) -> None:
        """Opens the first session in the background and keeps one open from now on."""
        if self._keeper is None:
            self._keeper = asyncio.create_task(self._keep_open(), name="warm-session")

    async def session(self) -> ResilientSession:
        """The session utterances go into; a new one at once if the last gave up.

        It may still be connecting: audio sent to it is kept and goes out once a stream is accepted. When
        the last session's configuration was refused and a fallback differs from it, this is a session with
        the fallback: a caller whose audio went into the refused one sends it again here.
        """
        if self._session is not None and isinstance(self._session.failure, ConfigRefused):
            self._fall_back(self._session.failure)
        if self._replacing is not None and not self._replacing.done():
            await asyncio.shield(self._replacing)
        if self._refusal is not None:
            raise ConnectionLostError(f"the server refused the session configuration: {self._refusal}")
        if self._session is None or self._session.status.state in _OVER:
            await self._replace()
        assert self._session is not None
        return self._session

    @property
    def config(self) -> TranscribeConfig:
        """The configuration of the current session (and of the next one opened)."""
        return self._config

    def reconfigure(self, config: TranscribeConfig) -> None:
        """Replaces the session with one configured as ``config``, the protocol having no reconfigure.

        Call it only between utterances (no take waiting for results): the current session is ended, so
        results still due on it would not come. From this call on, :meth:`session` waits for the new one,
        so the next utterance goes into it. A refused configuration can be replaced this way too.
        """
        if config == self._config and self._refusal is None:
            return
        self._config = config
        self._refusal = None
        retired, self._session = self._session, None
        self._replacing = asyncio.create_task(self._replace(), name="warm-session-reconfigure")
        if retired is not None:
            self._retire(retired)
        if not self._closing and (self._keeper is None or self._keeper.done()):
            self._keeper = asyncio.create_task(self._keep_open(), name="warm-session")

    def _retire(self, session: ResilientSession) -> None:
        """Ends a replaced session politely in the background (its usage report still reaches the clients)."""

        async def end() -> None:
            if session.status.state not in _OVER:
                with contextlib.suppress(Exception):  # whatever ended it, the socket is closed next anyway
                    await session.end(timeout=END_TIMEOUT_SECONDS)
            await session.close()

        task = asyncio.create_task(end(), name="warm-session-retire")
        self._retiring.add(task)
        task.add_done_callback(self._retiring.discard)

    async def close(self) -> None:
        """Ends the current session politely (so the server reports usage) and stops replacing it."""
        self._closing = True
        if self._keeper is not None:
            self._keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._keeper
        await asyncio.gather(*self._retiring, return_exceptions=True)
        session, self._session = self._session, None
        if session is not None:
            if session.status.state not in _OVER:
                with contextlib.suppress(Exception):  # whatever ended it, the socket is closed next anyway
                    await session.end(timeout=END_TIMEOUT_SECONDS)
            await session.close()

    async def _keep_open(self) -> None:
        failures = 0
        while not self._closing:
            try:
                session = await self.session()
            except ConnectionLostError:
                return  # refused: already reported
            async for message in session.events():
                self._on_message(message)
            if self._closing or session is not self._session:
                continue
            error = session.failure
            reason = session.status.describe()
            if isinstance(error, ConfigRefused) and self._fall_back(error):
                continue
            await session.close()
            if isinstance(error, ConfigRefused):
                self._refusal = str(error)
                logger.error("the server refused the session configuration: %s", error)
                self._on_lost(f"the server refused the session configuration: {error}")
                return
            failures = 0 if self._connected else failures + 1
            delay = RETRY_DELAYS[min(failures, len(RETRY_DELAYS) - 1)]
            logger.warning("the transcription session gave up; a new one in %g s", delay)
            self._on_lost(reason)
            await asyncio.sleep(delay)

    def _fall_back(self, error: ConfigRefused) -> bool:
        """Replaces a refused configuration by the fallback, once; ``False`` when there is none to go to."""
        if self._fallback is None or self._closing:
            return False
        fallback = self._fallback()
        if fallback == self._config:
            return False
        logger.warning("the server refused a field's configuration (%s); the daemon's is used instead", error)
        self.refused = (self._config, str(error))
        self.reconfigure(fallback)
        return True

    async def _replace(self) -> None:
        self._generation += 1
        generation = self._generation
        self._connected = False
        self._session = await ResilientSession.open(
            self._backend, self._config, retry=self._retry, buffer_limit_seconds=self._buffer_limit_seconds,
            on_status=lambda status: self._status_changed(generation, status),
        )

    def _status_changed(self, generation: int, status: ConnectionStatus) -> None:
        if generation != self._generation:
            return  # a replaced session closing
        self.status = status
        for watcher in list(self._watchers):
            watcher(status)
        if status.state is ConnectionState.CONNECTED:
            self._connected = True
            self._on_ready()
