"""The blocking client: the asyncio client on an event loop of its own, in a background thread.

Programs without an event loop (Tk, scripts, tests) call :class:`Client` methods from any thread; each
call runs on the client's loop and the calling thread waits for it. Notifications are read all the time
by that loop, so a program that calls nothing for a while still gets every one, in order, through a
:class:`Subscription` (a thread-safe queue) or a listener called on the client's thread.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from .aio import AsyncClient, Listener
from .errors import ConnectionClosed
from .protocol import Notification, Params

T = TypeVar("T")

CONNECT_TIMEOUT = 10.0


class Subscription:
    """Notifications collected for one consumer thread, from the moment it was opened until closed.

    ``methods`` limits it to those notification methods (all when empty). After the connection ends,
    :meth:`get` returns what was buffered and then raises :class:`ConnectionClosed`.
    """

    def __init__(self, client: Client, methods: Sequence[str]) -> None:
        self._methods = frozenset(methods)
        self._queue: queue.Queue[Notification | None] = queue.Queue()
        self._unsubscribe = client.add_listener(self._put)
        client.add_close_callback(lambda: self._queue.put(None))

    def _put(self, notification: Notification) -> None:
        if not self._methods or notification.method in self._methods:
            self._queue.put(notification)

    def get(self, timeout: float | None = None) -> Notification:
        """The next notification; raises ``TimeoutError`` after ``timeout`` seconds without one."""
        try:
            notification = self._queue.get(timeout=timeout)
        except queue.Empty:
            raise TimeoutError(f"no notification within {timeout} s") from None
        return self._unwrap(notification)

    def get_nowait(self) -> Notification | None:
        """The next notification if one is waiting, else ``None`` (for polling from a UI loop)."""
        try:
            notification = self._queue.get_nowait()
        except queue.Empty:
            return None
        return self._unwrap(notification)

    def close(self) -> None:
        """Stops collecting; later :meth:`get` calls raise :class:`ConnectionClosed` once the buffer is empty."""
        self._unsubscribe()
        self._queue.put(None)

    def _unwrap(self, notification: Notification | None) -> Notification:
        if notification is None:
            self._queue.put(None)  # every later call ends too
            raise ConnectionClosed("the subscription is closed or the connection ended")
        return notification

    def __enter__(self) -> Subscription:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Client:
    """A blocking connection to the daemon; use it as a context manager or call :meth:`close`.

    The methods mirror :class:`~dictation_client.aio.AsyncClient` and are safe to call from any thread.
    ``timeout`` is the default for calls that get no ``timeout`` of their own (``None`` waits forever).
    """

    def __init__(self, path: str | Path | None = None, *, timeout: float | None = 10.0) -> None:
        self.timeout = timeout
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="dictation-client", daemon=True)
        self._thread.start()
        try:
            self._client = self._run(AsyncClient.connect(path), CONNECT_TIMEOUT)
        except BaseException:
            self._stop_loop()
            raise

    @property
    def closed(self) -> bool:
        return self._client.closed

    def call(self, method: str, params: Params = None, *, timeout: float | None = None) -> Any:
        """Sends a request and returns its result; raises :class:`~dictation_client.errors.RpcError` for an
        error answer and ``TimeoutError`` when no answer came in time."""
        wait = timeout if timeout is not None else self.timeout
        return self._run(self._client.call(method, params, timeout=wait), None)

    def notify(self, method: str, params: Params = None) -> None:
        """Sends a notification (no answer comes back)."""
        self._run(self._client.notify(method, params), self.timeout)

    def batch(self, calls: Sequence[tuple[str, Params]], *, timeout: float | None = None) -> list[Any]:
        """Sends requests as one batch; each result in order, or the ``RpcError`` answered for it."""
        wait = timeout if timeout is not None else self.timeout
        return self._run(self._client.batch(calls, timeout=wait), None)

    def add_listener(self, listener: Listener) -> Callable[[], None]:
        """Calls ``listener`` with every notification on the client's thread (keep it quick; hand work off).

        Returns the function that removes it. Listeners must not call this client's blocking methods:
        the thread they run on is the one those methods wait for.
        """
        remove = self._on_loop(lambda: self._client.add_listener(listener))

        def remove_from_any_thread() -> None:
            self._loop.call_soon_threadsafe(remove)

        return remove_from_any_thread

    def add_close_callback(self, callback: Callable[[], None]) -> None:
        """Calls ``callback`` on the client's thread when the connection ends (at once if it has)."""
        self._on_loop(lambda: self._client.add_close_callback(callback))

    def subscribe(self, *methods: str) -> Subscription:
        """A thread-safe queue of the notifications with these methods (all when none are named), from now on."""
        return Subscription(self, methods)

    def close(self) -> None:
        """Closes the connection and stops the client's thread."""
        if self._loop.is_running():
            self._run(self._client.close(), CONNECT_TIMEOUT)
        self._stop_loop()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def _run(self, coroutine: Coroutine[Any, Any, T], timeout: float | None) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    def _on_loop(self, function: Callable[[], T]) -> T:
        """Runs ``function`` on the client's loop, so it never races the reader, and returns its result."""

        async def run() -> T:
            return function()

        return self._run(run(), CONNECT_TIMEOUT)

    def _stop_loop(self) -> None:
        if self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join()
        self._loop.close()
