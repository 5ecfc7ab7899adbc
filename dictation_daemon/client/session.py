"""One ``/transcribe`` session over a WebSocket: the asyncio shell around :class:`ClientProtocol`.

The shell only moves frames; every rule (config first, audio held until ``CONFIG_ACCEPTED``, 64000-byte
frames) lives in the protocol core. Audio handed to :meth:`TranscribeSession.send_audio` before the
server accepted the config is queued and sent on acceptance, never dropped: the session can be opened
while the user already speaks.

A connection can also hang without closing: a hospital network or a NAT that stops forwarding, a stuck
server. The session notices within ``answer_timeout`` seconds, drops the socket as if it had closed, and
says so in :attr:`TranscribeSession.unresponsive`: see :data:`DEFAULT_ANSWER_TIMEOUT`.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
from collections.abc import AsyncIterator, Mapping

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus
from websockets.frames import CloseCode

from ..audio.encoding import AudioEncoder, Pcm16Encoder
from ..protocol.client import ClientProtocol, ClientState
from ..protocol.messages import (
    CONFIG_REFUSALS,
    ConfigAccepted,
    Ended,
    ErrorMessage,
    Flushed,
    ProtocolError,
    ServerMessage,
    TranscribeConfig,
    Usage,
)
from .errors import (
    REFUSAL_ERRORS,
    ConnectionLostError,
    ServerError,
    SessionError,
    SocketRefusedError,
)
from .futures import fail, resolve

logger = logging.getLogger(__name__)

DEFAULT_ANSWER_TIMEOUT = 10.0
"""Seconds a server that owes an answer (``flushed`` after a flush, ``ended`` after an end) may send nothing
at all before the connection counts as hung (``backend.answer_timeout_seconds``).

The silence is timed from the later of the request and the last message received, so a server that is
behind but still sending results is never taken for hung, however long it takes. What the deadline must
cover is only the time the server works on the last segment after a flush without sending anything: under
1-2 s for the local engine on a slow machine. 10 s leaves a wide margin for a loaded machine, a busy server
or a slow network, yet the user waiting for their text after releasing the key is not left waiting for the
40 s websockets' default keepalive takes to notice a dead link. Pings go out every half of it and must be
answered within another half (websockets then waits a last half for the closing handshake), so a hang while
nothing is owed, mid-utterance or between utterances, is noticed too, within one and a half times it.
"""


class TranscribeSession:
    """A live session. Create it with :meth:`open`; results come from :meth:`events`."""

    def __init__(
        self,
        connection: ClientConnection,
        protocol: ClientProtocol,
        encoder: AudioEncoder,
        answer_timeout: float = DEFAULT_ANSWER_TIMEOUT,
    ) -> None:
        if answer_timeout <= 0:
            raise ValueError("answer_timeout must be positive")
        self._connection = connection
        self._protocol = protocol
        self._encoder = encoder
        self._answer_timeout = answer_timeout
        loop = asyncio.get_running_loop()
        self._accepted: asyncio.Future[ConfigAccepted] = loop.create_future()
        self._ended: asyncio.Future[Usage | None] = loop.create_future()
        self._flushes: collections.deque[asyncio.Future[None]] = collections.deque()
        self._events: asyncio.Queue[ServerMessage | None] = asyncio.Queue()
        self._usage: Usage | None = None
        self._error: SessionError | None = None
        self._send_lock = asyncio.Lock()
        self._unresponsive = False
        self._quiet_since = loop.time()  # since when the server has said nothing that counts for the deadline
        self._activity = asyncio.Event()  # a message arrived or a request left: the deadline may have changed
        self._reader = asyncio.create_task(self._read())
        self._watchdog = asyncio.create_task(self._watch())

    @classmethod
    async def open(
        cls,
        url: str,
        config: TranscribeConfig,
        *,
        encoder: AudioEncoder | None = None,
        headers: Mapping[str, str] | None = None,
        open_timeout: float = 10.0,
        answer_timeout: float = DEFAULT_ANSWER_TIMEOUT,
    ) -> TranscribeSession:
        """Connects and sends the config; does not wait for acceptance (see :meth:`wait_accepted`).

        ``answer_timeout`` bounds how long a hung connection goes unnoticed (:data:`DEFAULT_ANSWER_TIMEOUT`).
        """
        encoder = encoder or Pcm16Encoder()
        if config.audio_format is None:
            config = config.model_copy(update={"audio_format": encoder.mime})
        # Pings are standard WebSocket control frames, answered by any server (Corti's too) without decoding.
        # The closing handshake websockets waits for after an unanswered ping gets the same short bound.
        half = answer_timeout / 2
        try:
            connection = await connect(url, additional_headers=headers, open_timeout=open_timeout, max_size=1 << 22,
                                       ping_interval=half, ping_timeout=half, close_timeout=half)
        except InvalidStatus as exc:
            raise SocketRefusedError(exc.response.status_code) from None
        except (OSError, TimeoutError, InvalidHandshake) as exc:
            # InvalidHandshake: the peer hung up or answered garbage mid-handshake (a proxy or server going down).
            raise ConnectionLostError(f"cannot connect: {exc or type(exc).__name__}") from None
        session = cls(connection, ClientProtocol(config), encoder, answer_timeout)
        await session._transmit()
        return session

    @property
    def session_id(self) -> str | None:
        return self._protocol.session_id

    @property
    def is_open(self) -> bool:
        return self._protocol.state in (ClientState.AWAITING_ACCEPTANCE, ClientState.STREAMING)

    @property
    def unresponsive(self) -> bool:
        """Whether the socket was dropped because the server stopped answering (not because it closed)."""
        return self._unresponsive

    async def wait_accepted(self, timeout: float = 15.0) -> ConfigAccepted:
        """Waits for ``CONFIG_ACCEPTED``; raises a :class:`ConfigRefused` subclass with the server's reason."""
        return await asyncio.wait_for(asyncio.shield(self._accepted), timeout)

    async def send_audio(self, pcm16: bytes) -> None:
        """Encodes and sends 16 kHz mono PCM16 (queued until the config is accepted)."""
        self._raise_if_failed()
        self._protocol.send_audio(self._encoder.encode(pcm16))
        await self._transmit()

    async def flush(self, timeout: float = 60.0) -> None:
        """Returns once the server sent every result for the audio so far (``flushed``)."""
        self._raise_if_failed()
        done = asyncio.get_running_loop().create_future()
        self._flushes.append(done)
        await self.send_flush()
        await asyncio.wait_for(done, timeout)

    async def send_flush(self) -> None:
        """Sends a ``flush`` without waiting: for a caller that reads the ``flushed`` answer from :meth:`events`."""
        self._raise_if_failed()
        self._start_clock()
        self._protocol.send_flush()
        self._activity.set()
        await self._transmit()

    async def end(self, timeout: float = 60.0) -> Usage | None:
        """Ends the stream; returns the ``usage`` the server reported once ``ended`` arrives."""
        await self.send_end()
        return await asyncio.wait_for(asyncio.shield(self._ended), timeout)

    async def send_end(self) -> None:
        """Sends the encoder's last bytes and ``end`` without waiting: ``usage`` and ``ended`` arrive in :meth:`events`."""
        self._raise_if_failed()
        self._start_clock()
        self._protocol.send_audio(self._encoder.close())
        self._protocol.send_end()
        self._activity.set()
        await self._transmit()

    async def events(self) -> AsyncIterator[ServerMessage]:
        """Every server message in arrival order, until the session is over."""
        while (message := await self._events.get()) is not None:
            yield message

    async def close(self) -> None:
        """Closes the socket without ending the stream (the server discards what is pending)."""
        await self._connection.close()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader
        with contextlib.suppress(asyncio.CancelledError):
            await self._watchdog

    async def __aenter__(self) -> TranscribeSession:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # --- internals ------------------------------------------------------------------------------

    async def _transmit(self) -> None:
        async with self._send_lock:
            for frame in self._protocol.data_to_send():
                try:
                    await self._connection.send(frame)
                except ConnectionClosed:
                    return  # the reader notices the close and fails whatever waits

    async def _read(self) -> None:
        try:
            async for frame in self._connection:
                self._quiet_since = asyncio.get_running_loop().time()
                self._activity.set()
                if isinstance(frame, bytes):
                    continue
                try:
                    self._protocol.receive_text(frame)
                except ProtocolError as exc:
                    logger.warning("ignored an unreadable server frame: %s", exc)
                    continue
                for message in self._protocol.events_received():
                    self._dispatch(message)
                await self._transmit()
        except ConnectionClosed as closed:
            # websockets fails the connection with 1011, and hears nothing back, when a keepalive ping
            # went unanswered: the server stopped answering rather than closed.
            if closed.rcvd is None and closed.sent is not None and closed.sent.code == CloseCode.INTERNAL_ERROR:
                self._unresponsive = True
        finally:
            self._watchdog.cancel()
            self._protocol.connection_lost()
            lost = "the server stopped answering" if self._unresponsive else "the connection closed"
            self._fail_waiters(self._error or ConnectionLostError(f"{lost} before the session ended"))
            self._events.put_nowait(None)

    def _owes_answer(self) -> bool:
        """Whether the server owes ``flushed`` or ``ended`` for a request it has been sent."""
        state = self._protocol.state
        return state is ClientState.ENDING or (state is ClientState.STREAMING and self._protocol.pending_flushes > 0)

    def _start_clock(self) -> None:
        """A flush or end is about to leave: if nothing was owed, the server's silence counts from now."""
        if not self._owes_answer():
            self._quiet_since = asyncio.get_running_loop().time()

    async def _watch(self) -> None:
        """Drops the socket once the server owes an answer and has sent nothing for ``answer_timeout``.

        No closing handshake: a server that does not answer would not answer that either, and waiting for it
        would only keep the user waiting longer. The reader sees the socket close, as after a network cut.
        """
        loop = asyncio.get_running_loop()
        while True:
            self._activity.clear()
            if not self._owes_answer():
                await self._activity.wait()
                continue
            remaining = self._quiet_since + self._answer_timeout - loop.time()
            if remaining <= 0:
                break
            await asyncio.sleep(remaining)
        logger.warning("the server sent nothing for %g s while it owed an answer: dropping the connection",
                       self._answer_timeout)
        self._unresponsive = True
        self._connection.transport.abort()

    def _dispatch(self, message: ServerMessage) -> None:
        if isinstance(message, ConfigAccepted):
            resolve(self._accepted, message)
        elif isinstance(message, CONFIG_REFUSALS):
            self._error = REFUSAL_ERRORS[type(message)](message, message.reason)
            fail(self._accepted, self._error)
        elif isinstance(message, Flushed):
            if self._flushes:
                resolve(self._flushes.popleft(), None)
        elif isinstance(message, Usage):
            self._usage = message
        elif isinstance(message, ErrorMessage):
            self._error = ServerError(message.error)
            logger.warning("server error: %s", self._error)
        elif isinstance(message, Ended):
            resolve(self._ended, self._usage)
        self._events.put_nowait(message)

    def _fail_waiters(self, error: SessionError) -> None:
        fail(self._accepted, error)
        fail(self._ended, error)
        while self._flushes:
            fail(self._flushes.popleft(), error)

    def _raise_if_failed(self) -> None:
        if self._accepted.done() and self._accepted.exception() is not None:
            raise self._accepted.exception()  # type: ignore[misc]
        if not self.is_open:
            raise self._error or ConnectionLostError("the session is over")

