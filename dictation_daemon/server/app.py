"""The local ``/transcribe`` server: a websockets shell around :class:`ServerProtocol`.

It speaks Corti's protocol at the same path (``/audio-bridge/v2/transcribe``) and takes the same query
parameters, so a client switches between Corti and this server by URL alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from ..protocol.server import ServerEvent, ServerPolicy, ServerProtocol, read_text_frame
from .limits import SessionSlots
from .pacing import DEFAULT_BURST_SECONDS, DEFAULT_SPEED, DecodeBudget
from .recognizer import Recognizer
from .session import ServerSession

logger = logging.getLogger(__name__)

TRANSCRIBE_PATH = "/audio-bridge/v2/transcribe"
CONFIG_TIMEOUT_SECONDS = 10.0
EVICTABLE_IDLE_SECONDS = 5.0
"""A full server ends its longest-idle session to admit a new one, if that session has received nothing
for this long and is owed nothing: sessions opened and left cannot keep a user out until their idle
timeout, while a session in use (audio every 250 ms, or a flush being answered) is never taken."""
ADMISSION_WAIT_SECONDS = EVICTABLE_IDLE_SECONDS + 1.0
"""How long a handshake to a full server waits for a slot before it is answered with HTTP 503."""
ADMISSION_POLL_SECONDS = 0.1
INLINE_FRAME_CHARS = 16_384
"""Text frames up to this size (every flush, end and ordinary config) are read on the event loop; larger
ones in a worker thread."""
MAX_FRAME_BYTES = 1 << 20
"""Frames up to 1 MiB are read, so an oversize audio chunk (over 64000 bytes) gets a protocol error
rather than a dropped connection."""


class LocalServer:
    """Serves ``/transcribe`` sessions with a shared recognizer.

    Use as an async context manager; :attr:`url` is the address to give a client (``port=0`` picks a free one).
    With ``token_check``, a socket opens only with a bearer token it approves, passed as Corti's clients
    do: ``token=Bearer%20<token>`` in the query, or an ``Authorization: Bearer <token>`` header; the check
    may be a coroutine (a JWKS fetch), which does not hold up other handshakes. With ``max_sessions``,
    a handshake beyond that many open sessions is answered with HTTP 503. With ``idle_timeout``, a
    configured session that receives no frame for that long while nothing is being decoded for it is ended
    with a ``session_idle_timeout`` error (and its usage), which frees its slot.
    """

    def __init__(
        self,
        recognizer: Recognizer,
        host: str = "127.0.0.1",
        port: int = 0,
        config_timeout: float = CONFIG_TIMEOUT_SECONDS,
        delta_usage_seconds: float = 30.0,
        token_check: Callable[[str], bool | Awaitable[bool]] | None = None,
        max_sessions: int | None = None,
        max_audio_speed: float = DEFAULT_SPEED,
        audio_burst_seconds: float = DEFAULT_BURST_SECONDS,
        idle_timeout: float | None = None,
    ) -> None:
        self.recognizer = recognizer
        self.host = host
        self.port = port
        self.config_timeout = config_timeout
        self.delta_usage_seconds = delta_usage_seconds
        self.token_check = token_check
        self.slots = SessionSlots(max_sessions)
        self.max_audio_speed = max_audio_speed
        self.audio_burst_seconds = audio_burst_seconds
        self.idle_timeout = idle_timeout
        self._policy = ServerPolicy(supported_languages=recognizer.supported_languages)
        self._live: dict[ServerConnection, _Live] = {}
        self._server: Server | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"ws://{host}:{self.port}{TRANSCRIBE_PATH}"

    async def start(self) -> None:
        self._server = await serve(
            self._serve_connection, self.host, self.port,
            process_request=self._check_request, max_size=MAX_FRAME_BYTES,
            # Corti's JavaScript SDK can carry its headers as offered subprotocols and insists on one back.
            select_subprotocol=lambda _connection, offered: offered[0] if offered else None,
        )
        self.port = self._server.sockets[0].getsockname()[1]
        logger.info("local /transcribe server listening on %s", self.url)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def serve_forever(self) -> None:
        assert self._server is not None
        await self._server.serve_forever()

    async def __aenter__(self) -> LocalServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def _check_request(self, connection: ServerConnection, request: Request) -> Response | None:
        target = urlsplit(request.path)
        if target.path.rstrip("/") != TRANSCRIBE_PATH:
            return connection.respond(HTTPStatus.NOT_FOUND, f"only {TRANSCRIBE_PATH} is served here\n")
        if self.token_check is not None:
            approved = self.token_check(_bearer_token(request, target.query))
            if not (await approved if inspect.isawaitable(approved) else approved):
                logger.info("refused %s: no valid bearer token", _client(connection, request))
                return connection.respond(HTTPStatus.UNAUTHORIZED, "a valid bearer token is required\n")
        if not await self._admit(connection):
            logger.warning("refused %s: all %d sessions are in use", _client(connection, request), self.slots.limit)
            return connection.respond(HTTPStatus.SERVICE_UNAVAILABLE,
                                      f"the server is full ({self.slots.limit} sessions); try again shortly\n")
        return None

    async def _serve_connection(self, connection: ServerConnection) -> None:
        protocol = ServerProtocol(self._policy)
        session = ServerSession(protocol, self.recognizer, self.delta_usage_seconds,
                                DecodeBudget(self.max_audio_speed, self.audio_burst_seconds))
        work: asyncio.Queue[ServerEvent | None] = asyncio.Queue(maxsize=32)
        worker = asyncio.create_task(self._work(connection, protocol, session, work))
        timer = asyncio.get_running_loop().call_later(self.config_timeout, self._time_out, connection, protocol)
        client = _client(connection, connection.request)
        live = self._live[connection] = _Live(protocol, session, work, asyncio.get_running_loop().time())
        watchdog = (asyncio.create_task(self._end_when_idle(connection, live))
                    if self.idle_timeout is not None else None)
        try:
            async for frame in connection:
                live.last_frame = asyncio.get_running_loop().time()
                if isinstance(frame, str):
                    # A large configuration is read in a worker thread, so it holds up no other session.
                    parsed = (await asyncio.to_thread(read_text_frame, frame) if len(frame) > INLINE_FRAME_CHARS
                              else read_text_frame(frame))
                    protocol.receive_frame(parsed)
                else:
                    protocol.receive_bytes(frame)
                if protocol.session_id is not None and not timer.cancelled():
                    timer.cancel()
                    logger.info("session %s opened for %s", protocol.session_id, client)
                for event in protocol.events_received():
                    await work.put(event)  # a full queue slows the reader: backpressure on the client
                await self._transmit(connection, protocol)
        except ConnectionClosed:
            pass
        finally:
            self._live.pop(connection, None)
            timer.cancel()
            if watchdog is not None:
                watchdog.cancel()
            if protocol.close_requested:
                await work.put(None)  # the session ended on purpose: let queued work finish
            else:
                worker.cancel()  # the client is gone: nobody is left to read results
            with contextlib.suppress(asyncio.CancelledError):
                await worker
            session.close()
            if protocol.session_id is not None:
                logger.info("session %s closed for %s", protocol.session_id, client)

    async def _work(self, connection: ServerConnection, protocol: ServerProtocol,
                    session: ServerSession, work: asyncio.Queue[ServerEvent | None]) -> None:
        while (event := await work.get()) is not None:
            await session.handle(event)
            await self._transmit(connection, protocol)

    async def _end_when_idle(self, connection: ServerConnection, live: _Live) -> None:
        """Ends a configured session once no frame came for ``idle_timeout`` and no work is left for it."""
        assert self.idle_timeout is not None
        loop = asyncio.get_running_loop()
        while not live.protocol.close_requested:
            await asyncio.sleep(max(live.last_frame + self.idle_timeout - loop.time(), 0.05))
            if live.idle_for(loop.time()) >= self.idle_timeout:
                await self._end_idle(connection, live, f"no audio or message for {self.idle_timeout:g} s")

    async def _admit(self, connection: ServerConnection) -> bool:
        """Takes a slot for ``connection``; a full server waits up to :data:`ADMISSION_WAIT_SECONDS` for one
        to free or for a session to have been idle long enough to end (:meth:`_end_longest_idle`). Without
        the wait, clients that reopen the moment they are ended would end each other in turn and keep every
        session too young to end, and a newcomer would find no room however long it retried."""
        deadline = asyncio.get_running_loop().time() + ADMISSION_WAIT_SECONDS
        while not self.slots.claim(connection):
            if self._end_longest_idle() and self.slots.claim(connection):
                break
            if asyncio.get_running_loop().time() >= deadline:
                return False
            await asyncio.sleep(ADMISSION_POLL_SECONDS)
        return True

    def _end_longest_idle(self) -> bool:
        """Ends the session idle longest, if one has been for :data:`EVICTABLE_IDLE_SECONDS` and is owed
        nothing, giving its slot back at once; whether one was."""
        now = asyncio.get_running_loop().time()
        idle = [(live.last_frame, connection) for connection, live in self._live.items()
                if live.idle_for(now) >= EVICTABLE_IDLE_SECONDS]
        if not idle:
            return False
        _, connection = min(idle, key=lambda item: item[0])
        live = self._live.pop(connection)
        self.slots.release(connection)
        asyncio.ensure_future(self._end_idle(connection, live, "ended to make room for a new session"))
        return True

    async def _end_idle(self, connection: ServerConnection, live: _Live, why: str) -> None:
        """Ends an idle session the way Corti ends a stream on an error: ``error``, ``usage``, ``ended``."""
        logger.info("session %s idle for %.0f s: %s", live.protocol.session_id,
                    asyncio.get_running_loop().time() - live.last_frame, why)
        live.protocol.fail("session_idle_timeout", "Session idle", 408, why, credits=live.session.credits)
        await self._transmit(connection, live.protocol)

    def _time_out(self, connection: ServerConnection, protocol: ServerProtocol) -> None:
        protocol.config_timed_out()
        asyncio.ensure_future(self._transmit(connection, protocol))

    @staticmethod
    async def _transmit(connection: ServerConnection, protocol: ServerProtocol) -> None:
        with contextlib.suppress(ConnectionClosed):
            for frame in protocol.data_to_send():
                await connection.send(frame)
            if protocol.close_requested:
                await connection.close()


@dataclass
class _Live:
    """An open session, as the server sees it when deciding whether it is idle."""

    protocol: ServerProtocol
    session: ServerSession
    work: asyncio.Queue[ServerEvent | None]
    last_frame: float
    """When it last received a frame, on the event loop's clock."""

    def idle_for(self, now: float) -> float:
        """Seconds since its last frame if it is configured and owed nothing; 0 while it is in use."""
        if self.protocol.session_id is None or self.protocol.close_requested:
            return 0.0
        if not self.work.empty() or self.session.busy:
            return 0.0
        return now - self.last_frame


def _client(connection: ServerConnection, request: Request | None) -> str:
    """The peer address for logs, with the client a proxy says it forwards for (as the proxy says it)."""
    host, port, *_ = connection.remote_address
    forwarded = request.headers.get("X-Forwarded-For") if request is not None else None
    return f"{host}:{port}" + (f" (forwarded for {forwarded})" if forwarded else "")


def _bearer_token(request: Request, query: str) -> str:
    """The token of ``token=Bearer <t>`` in the query, else of the Authorization header; empty if none."""
    credential = (parse_qs(query).get("token") or [request.headers.get("Authorization", "")])[0]
    scheme, _, token = credential.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""
