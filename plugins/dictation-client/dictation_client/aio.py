"""The asyncio client: one connection to the daemon's socket, requests matched to answers by id.

A single reader task owns the receiving side. Answers resolve the future of the request with the same
id, so any number of calls may be in flight at once; notifications go, in arrival order, to listener
callbacks and to every open :class:`NotificationStream`. When the connection ends, waiting calls fail
with :class:`~dictation_client.errors.ConnectionClosed` and streams end, so nothing waits forever.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from .errors import ConnectionClosed, DaemonNotRunning, RpcError
from .paths import default_socket_path
from .protocol import MAX_MESSAGE_BYTES, Notification, Params, decode, encode, request

logger = logging.getLogger(__name__)

Listener = Callable[[Notification], None]


class NotificationStream:
    """Notifications as an async iterator, from the moment the stream was opened until it is closed.

    ``methods`` limits it to those notification methods (all when empty). The stream buffers what its
    reader has not taken yet; iteration ends when the stream is closed or the connection ends.
    """

    def __init__(self, client: AsyncClient, methods: Sequence[str]) -> None:
        self._methods = frozenset(methods)
        self._queue: asyncio.Queue[Notification | None] = asyncio.Queue()
        self._unsubscribe = client.add_listener(self._put)
        client.add_close_callback(self.close)

    def _put(self, notification: Notification) -> None:
        if not self._methods or notification.method in self._methods:
            self._queue.put_nowait(notification)

    def close(self) -> None:
        """Stops collecting notifications and ends the iteration once the buffered ones are taken."""
        self._unsubscribe()
        self._queue.put_nowait(None)

    def __aiter__(self) -> NotificationStream:
        return self

    async def __anext__(self) -> Notification:
        notification = await self._queue.get()
        if notification is None:
            self._queue.put_nowait(None)  # every later call ends too
            raise StopAsyncIteration
        return notification

    async def __aenter__(self) -> NotificationStream:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.close()


class AsyncClient:
    """A connection to the daemon. Create it with :meth:`connect`; use it as an async context manager.

    :meth:`call` sends a request and returns its result (raising :class:`RpcError` for an error answer),
    :meth:`notify` sends a notification, :meth:`batch` sends several requests as one JSON-RPC batch.
    Notifications from the daemon reach :meth:`add_listener` callbacks and :meth:`subscribe` streams.
    """

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future[Any]] = {}
        self._listeners: list[Listener] = []
        self._on_close: list[Callable[[], None]] = []
        self._closed = asyncio.Event()
        self._reading = asyncio.create_task(self._read(), name="dictation-client-reader")

    @classmethod
    async def connect(cls, path: str | Path | None = None) -> AsyncClient:
        """Connects to ``path``, by default where the daemon puts its socket for this user."""
        socket_path = Path(path) if path is not None else default_socket_path()
        try:
            reader, writer = await asyncio.open_unix_connection(str(socket_path), limit=MAX_MESSAGE_BYTES + 2)
        except (FileNotFoundError, ConnectionRefusedError) as error:
            raise DaemonNotRunning(f"no dictation daemon is running (nothing listens on {socket_path})") from error
        return cls(reader, writer)

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    async def call(self, method: str, params: Params = None, *, timeout: float | None = None) -> Any:
        """Sends a request and returns the daemon's result; raises :class:`RpcError` if it answered an error.

        On ``timeout`` the call raises ``TimeoutError``; an answer arriving later is ignored.
        """
        request_id, answer = self._expect()
        try:
            await self._send(encode(request(method, params, request_id)))
            return await asyncio.wait_for(answer, timeout)
        finally:
            self._pending.pop(request_id, None)

    async def notify(self, method: str, params: Params = None) -> None:
        """Sends a notification: the daemon acts on it and answers nothing, not even an error."""
        await self._send(encode(request(method, params, None)))

    async def batch(self, calls: Sequence[tuple[str, Params]], *, timeout: float | None = None) -> list[Any]:
        """Sends ``(method, params)`` requests as one batch; returns each result in order, or the
        :class:`RpcError` for a request the daemon answered with an error (as a value, not raised)."""
        if not calls:
            return []
        expected = [self._expect() for _ in calls]
        try:
            messages = [request(method, params, request_id) for (method, params), (request_id, _) in zip(calls, expected)]
            await self._send(encode(messages))
            answers = asyncio.gather(*(answer for _, answer in expected), return_exceptions=True)
            results = await asyncio.wait_for(answers, timeout)
        finally:
            for request_id, _ in expected:
                self._pending.pop(request_id, None)
        for result in results:
            if isinstance(result, BaseException) and not isinstance(result, RpcError):
                raise result
        return list(results)

    def add_listener(self, listener: Listener) -> Callable[[], None]:
        """Calls ``listener`` with every notification, on the event loop; returns the function that removes it.

        A listener that raises is logged and the others still run.
        """
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def subscribe(self, *methods: str) -> NotificationStream:
        """A stream of the notifications with these methods (all when none are named), from now on."""
        return NotificationStream(self, methods)

    def add_close_callback(self, callback: Callable[[], None]) -> None:
        """Calls ``callback`` on the event loop when the connection ends (at once if it has ended)."""
        if self.closed:
            callback()
        else:
            self._on_close.append(callback)

    async def close(self) -> None:
        """Closes the connection and waits until the reader has finished."""
        self._writer.close()
        with contextlib.suppress(ConnectionError, OSError):
            await self._writer.wait_closed()
        await self.wait_closed()

    async def wait_closed(self) -> None:
        """Returns once the connection has ended, from either side."""
        await self._closed.wait()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None,
                        trace: TracebackType | None) -> None:
        await self.close()

    def _expect(self) -> tuple[int, asyncio.Future[Any]]:
        """A fresh request id and the future its answer will resolve."""
        if self.closed:
            raise ConnectionClosed("the connection to the daemon is closed")
        request_id = next(self._ids)
        answer: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[request_id] = answer
        return request_id, answer

    async def _send(self, line: bytes) -> None:
        if self.closed:
            raise ConnectionClosed("the connection to the daemon is closed")
        try:
            self._writer.write(line)
            await self._writer.drain()
        except (ConnectionError, OSError) as error:
            raise ConnectionClosed(f"the connection to the daemon broke: {error}") from error

    async def _read(self) -> None:
        try:
            while line := await self._reader.readline():
                try:
                    messages = decode(line)
                except ValueError:
                    logger.warning("ignored a line from the daemon that is not JSON (%d bytes)", len(line))
                    continue
                for message in messages:
                    self._receive(message)
        except (ConnectionError, OSError, ValueError) as error:  # ValueError: a line over the limit
            logger.warning("the connection to the daemon failed: %s", error)
        finally:
            self._finish()

    def _receive(self, message: dict[str, Any]) -> None:
        if isinstance(message.get("method"), str):
            self._publish(Notification(message["method"], message.get("params")))
            return
        answer = self._pending.get(message.get("id"))  # type: ignore[arg-type]
        if answer is None or answer.done():
            logger.debug("an answer for no waiting request (id %r)", message.get("id"))
        elif "error" in message:
            answer.set_exception(RpcError.from_json(message["error"]))
        else:
            answer.set_result(message.get("result"))

    def _publish(self, notification: Notification) -> None:
        for listener in list(self._listeners):
            try:
                listener(notification)
            except Exception:
                logger.exception("a notification listener failed")

    def _finish(self) -> None:
        """The connection ended: fail the waiting calls, end the streams, close our side."""
        self._closed.set()
        for answer in self._pending.values():
            if not answer.done():
                answer.set_exception(ConnectionClosed("the daemon closed the connection"))
        for callback in self._on_close:
            try:
                callback()
            except Exception:
                logger.exception("a connection-closed callback failed")
        self._writer.close()

