"""A dictation session that outlives its sockets: reconnects, replays, and delivers every word once.

Hospital networks drop, laptops sleep, servers restart. :class:`ResilientSession` offers the surface of
:class:`~.session.TranscribeSession` (``send_audio``, ``flush``, ``end``, ``events``, ``close``) over as many
server streams as it takes. When a socket closes, the server ends the stream with an ``error``, or the
connection hangs (a stream drops a socket whose server stopped answering: the backend's ``answer_timeout``
bounds how long that goes unnoticed), before the caller's ``end`` completed, it reconnects through the
:class:`~.backend.Backend` (so a Corti token is fetched again when needed) with the backoff of a
:class:`~.backoff.RetryPolicy`, sends the configuration again with a fresh encoder (an Ogg stream needs its
header again), replays the audio captured since the last final result, and re-sends the flushes and ``end``
still unanswered. Which audio to replay and which results to pass on is decided by
:class:`~.replay.ReplayLedger`; the captured audio is held by :class:`~.kept_audio.KeptAudio` and trimmed
as finals arrive.

``send_audio`` never waits for the network: audio captured while offline is kept (beyond
``buffer_limit_seconds``, in a private spill file, and the user is told), so a microphone loop can go on
capturing whatever the connection does. What happens is reported as :class:`ConnectionStatus` values
through ``on_status``; they carry no transcript text or audio.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import random
from collections.abc import AsyncIterator, Callable
from pathlib import Path

from ..corti.auth import AuthUnavailableError
from ..events.connection import ConnectionState, ConnectionStatus
from ..protocol.audio_format import BYTES_PER_SAMPLE, SAMPLE_RATE
from ..protocol.messages import (
    ConfigAccepted,
    Ended,
    Flushed,
    ServerMessage,
    TranscribeConfig,
    Usage,
)
from .backend import Backend
from .backoff import RetryPolicy
from .errors import ConnectionLostError, SessionError, SocketRefusedError
from .futures import fail, resolve
from .kept_audio import KeptAudio
from .replay import ReplayLedger, SendAudio, SendFlush, StreamOutcome
from .session import TranscribeSession

logger = logging.getLogger(__name__)

DEFAULT_BUFFER_LIMIT_SECONDS = 600.0
"""Ten minutes of 16 kHz PCM16, about 19 MB, kept in memory before spilling to a private file."""
DEFAULT_RETRY = RetryPolicy()
PACE_ALLOWANCE_SECONDS = 0.5
"""How far a stream to a real-time backend may run ahead of the wall clock: the audio captured while the
socket was opening goes out at once rather than trickling."""


class ResilientSession:
    """One dictation over any number of server streams; create it with :meth:`open`.

    ``replay_speed`` is how many times real time the backlog goes to a backend that wants real-time pace
    (Corti: faster may drop audio or end the stream, so the default stays at real time); other backends get
    it as fast as they take it. ``on_status`` is called with every :class:`ConnectionStatus`; the latest is
    :attr:`status`.
    """

    def __init__(
        self,
        backend: Backend,
        config: TranscribeConfig,
        *,
        retry: RetryPolicy = DEFAULT_RETRY,
        buffer_limit_seconds: float = DEFAULT_BUFFER_LIMIT_SECONDS,
        spill_dir: str | Path | None = None,
        replay_speed: float = 1.0,
        on_status: Callable[[ConnectionStatus], None] | None = None,
        rng: random.Random | None = None,
    ) -> None:
        if buffer_limit_seconds <= 0 or replay_speed <= 0:
            raise ValueError("buffer_limit_seconds and replay_speed must be positive")
        self._backend = backend
        self._config = config
        self._retry = retry
        self._limit_seconds = buffer_limit_seconds
        self._replay_speed = replay_speed
        self._on_status = on_status
        self._rng = rng or random.Random()
        limit_bytes = int(buffer_limit_seconds * SAMPLE_RATE) * BYTES_PER_SAMPLE
        self._kept = KeptAudio(limit_bytes, spill_dir)
        self._ledger = ReplayLedger()
        self.status = ConnectionStatus(ConnectionState.CONNECTING)
        loop = asyncio.get_running_loop()
        self._accepted: asyncio.Future[ConfigAccepted] = loop.create_future()
        self._ended: asyncio.Future[Usage | None] = loop.create_future()
        self._flush_waiters: collections.deque[asyncio.Future[None]] = collections.deque()
        self._events: asyncio.Queue[ServerMessage | None] = asyncio.Queue()
        self._wakeup = asyncio.Event()
        self._current: TranscribeSession | None = None
        self._failure: BaseException | None = None
        self._usage: Usage | None = None
        self._announced_seconds = 0
        self._supervisor: asyncio.Task[None] | None = None

    @classmethod
    async def open(cls, backend: Backend, config: TranscribeConfig, **options) -> ResilientSession:
        """Starts connecting and returns at once: audio can be sent while the first socket opens."""
        session = cls(backend, config, **options)
        session._emit(session.status)
        session._supervisor = asyncio.create_task(session._supervise())
        return session

    # --- the TranscribeSession surface ----------------------------------------------------------

    async def wait_accepted(self, timeout: float = 15.0) -> ConfigAccepted:
        """Waits for the first stream's ``CONFIG_ACCEPTED``; raises what made the session give up."""
        return await asyncio.wait_for(asyncio.shield(self._accepted), timeout)

    async def send_audio(self, pcm16: bytes) -> None:
        """Keeps 16 kHz mono PCM16 and has it sent as soon as a stream can take it; never waits for one."""
        self._raise_if_over()
        if self._ledger.end_requested:
            raise ConnectionLostError("the session was ended: no more audio")
        self._kept.append(pcm16)
        self._ledger.capture(len(pcm16) // BYTES_PER_SAMPLE)
        self._wakeup.set()
        if self._current is None:
            self._announce_buffering()

    async def flush(self, timeout: float | None = 60.0) -> None:
        """Returns once every result for the audio so far was delivered, across reconnections if need be.

        ``timeout=None`` waits for as long as the session lives: it fails only when the session gives up.
        """
        self._raise_if_over()
        done = asyncio.get_running_loop().create_future()
        self._flush_waiters.append(done)
        self._ledger.request_flush()
        self._wakeup.set()
        await asyncio.wait_for(asyncio.shield(done), timeout)

    async def end(self, timeout: float = 60.0) -> Usage | None:
        """Ends the dictation; returns the credits all its streams reported once the last one ``ended``."""
        self._raise_if_over()
        self._ledger.request_end()
        self._wakeup.set()
        return await asyncio.wait_for(asyncio.shield(self._ended), timeout)

    async def events(self) -> AsyncIterator[ServerMessage]:
        """Results on one continuous timeline, each once, until the session ends, gives up or is closed."""
        while (message := await self._events.get()) is not None:
            yield message

    async def close(self) -> None:
        """Stops at once (the current stream is dropped unended) and forgets the kept audio."""
        if self._supervisor is not None:
            self._supervisor.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._supervisor
        self._kept.close()
        if self.status.state not in (ConnectionState.GAVE_UP, ConnectionState.CLOSED):
            self._set_status(ConnectionStatus(ConnectionState.CLOSED))

    async def __aenter__(self) -> ResilientSession:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def failure(self) -> BaseException | None:
        """What made the session give up (a refused configuration, say), or ``None`` while it has not."""
        return self._failure

    def pending_pcm(self) -> bytes:
        """The captured audio no final result covers yet: what a caller saves after the session gave up."""
        return self._kept.read(self._kept.start, self._kept.end)

    # --- supervision ----------------------------------------------------------------------------

    async def _supervise(self) -> None:
        attempt = 0
        reason = ""
        try:
            while True:
                if attempt:
                    if self._retry.exhausted(attempt):
                        raise ConnectionLostError(f"gave up after {attempt - 1} attempts: {reason}")
                    delay = self._retry.delay(attempt, self._rng)
                    self._set_status(ConnectionStatus(ConnectionState.RECONNECTING, attempt=attempt,
                                                      delay=delay, reason=reason))
                    await asyncio.sleep(delay)
                try:
                    session = await self._open_stream()
                except Exception as exc:
                    if not _worth_retrying(exc):
                        raise
                    attempt, reason = attempt + 1, _describe(exc)
                    continue
                outcome = await self._run_stream(session, reconnected=attempt > 0 or self._accepted.done())
                if outcome is StreamOutcome.ENDED:
                    return
                attempt = 1 if self._ledger.progressed else attempt + 1
                reason = self._stream_loss_reason(outcome, session)
        except asyncio.CancelledError:
            self._fail_waiters(ConnectionLostError("the session was closed"))
            raise
        except Exception as exc:
            self._give_up(exc)
        finally:
            self._events.put_nowait(None)

    def _stream_loss_reason(self, outcome: StreamOutcome, session: TranscribeSession) -> str:
        error = self._ledger.error
        if outcome is StreamOutcome.SERVER_ERROR and error is not None:
            return f"the server ended the stream: {error.title} ({error.id})"
        if session.unresponsive:
            return "the server stopped answering"
        return "the connection dropped"

    async def _open_stream(self) -> TranscribeSession:
        session = await self._backend.open_session(self._config)
        try:
            await session.wait_accepted(self._retry.accept_timeout)
        except BaseException:
            await session.close()
            raise
        return session

    async def _run_stream(self, session: TranscribeSession, reconnected: bool) -> StreamOutcome:
        """Feeds one accepted stream and passes its results on until its socket closes."""
        self._current = session
        self._announced_seconds = 0
        backlog = self._ledger.start_stream()
        if reconnected and backlog > 0:
            self._set_status(ConnectionStatus(ConnectionState.REPLAYING, seconds=round(backlog, 3)))
        else:
            self._set_status(ConnectionStatus(ConnectionState.CONNECTED))
        pump = asyncio.create_task(self._pump(session))
        try:
            async for message in session.events():
                for delivered in self._ledger.receive(message):
                    self._deliver(delivered)
                self._kept.trim(self._ledger.committed)
                if self._ledger.finished:
                    break
        finally:
            pump.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await pump
            await session.close()
            self._current = None
        outcome = self._ledger.stream_over()
        if outcome is not StreamOutcome.ENDED:
            logger.info("stream %s over (%s); %.1f s of audio kept for replay",
                        session.session_id, outcome.value, self._kept.samples / SAMPLE_RATE)
        return outcome

    async def _pump(self, session: TranscribeSession) -> None:
        """Sends the stream what the ledger says, in order: replayed audio, live audio, flushes, end."""
        ledger = self._ledger
        loop = asyncio.get_running_loop()
        started = loop.time()
        try:
            while True:
                self._wakeup.clear()
                action = ledger.next_action()
                if action is None:
                    await self._wakeup.wait()
                    continue
                if isinstance(action, SendAudio) and self._backend.realtime_required:
                    ahead = (ledger.sent - ledger.origin) / SAMPLE_RATE - PACE_ALLOWANCE_SECONDS
                    wait = started + ahead / self._replay_speed - loop.time()
                    if wait > 0:
                        await asyncio.sleep(wait)
                        continue
                ledger.mark_sent(action)
                if isinstance(action, SendAudio):
                    await session.send_audio(self._kept.read(action.start, action.end))
                    if self.status.state is ConnectionState.REPLAYING and not ledger.replaying:
                        self._set_status(ConnectionStatus(ConnectionState.CONNECTED))
                elif isinstance(action, SendFlush):
                    await session.send_flush()
                else:
                    await session.send_end()
                    return
        except SessionError:
            return  # the stream is failing: the reader learns why and the supervisor reconnects
        except Exception:
            await session.close()  # unblocks the reader, so the error reaches the supervisor
            raise

    # --- delivery and status --------------------------------------------------------------------

    def _deliver(self, message: ServerMessage) -> None:
        if isinstance(message, ConfigAccepted):
            resolve(self._accepted, message)
        elif isinstance(message, Flushed) and self._flush_waiters:
            resolve(self._flush_waiters.popleft(), None)
        elif isinstance(message, Usage):
            self._usage = message
        elif isinstance(message, Ended):
            resolve(self._ended, self._usage)
            self._set_status(ConnectionStatus(ConnectionState.CLOSED))
        self._events.put_nowait(message)

    def _announce_buffering(self) -> None:
        """Says how much audio waits for a connection, once per whole second of it."""
        seconds = (self._ledger.captured - self._ledger.committed) / SAMPLE_RATE
        if int(seconds) <= self._announced_seconds:
            return
        self._announced_seconds = int(seconds)
        full = seconds > self._limit_seconds
        state = ConnectionState.BUFFER_FULL if full else ConnectionState.BUFFERING
        self._set_status(ConnectionStatus(state, seconds=float(self._announced_seconds),
                                          limit_seconds=self._limit_seconds))

    def _set_status(self, status: ConnectionStatus) -> None:
        self.status = status
        self._emit(status)

    def _emit(self, status: ConnectionStatus) -> None:
        level = logging.WARNING if status.state in (ConnectionState.GAVE_UP, ConnectionState.BUFFER_FULL) else logging.INFO
        logger.log(level, "%s", status.describe())
        if self._on_status is not None:
            self._on_status(status)

    def _give_up(self, error: BaseException) -> None:
        self._failure = error
        self._set_status(ConnectionStatus(ConnectionState.GAVE_UP, reason=_describe(error)))
        self._fail_waiters(error)

    def _fail_waiters(self, error: BaseException) -> None:
        fail(self._accepted, error)
        fail(self._ended, error)
        while self._flush_waiters:
            fail(self._flush_waiters.popleft(), error)

    def _raise_if_over(self) -> None:
        if self._failure is not None:
            raise self._failure
        if self._supervisor is not None and self._supervisor.done():
            raise ConnectionLostError("the session is over")


def _worth_retrying(error: Exception) -> bool:
    """Whether a failure to open a stream may go away by itself (network, server, token endpoint down).

    A refused configuration or bad credentials will not, nor will a token the socket refused even after the
    backend fetched a fresh one (a token for another region, say): those give up and say why.
    """
    if isinstance(error, SocketRefusedError):
        return error.status in (408, 425, 429) or error.status >= 500
    return isinstance(error, (ConnectionLostError, AuthUnavailableError, TimeoutError, OSError))


def _describe(error: BaseException) -> str:
    return str(error) or type(error).__name__

