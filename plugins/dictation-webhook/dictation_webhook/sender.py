"""Posting to the webhook without ever making the daemon wait.

Finals go into a bounded queue and one worker task posts them in order. A slow or absent receiver
delays only the queue; when the queue is full, new finals are dropped and counted, so the daemon keeps
its memory bounded. Failures are logged by kind (status code, exception class), never with the text.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import httpx

logger = logging.getLogger(__name__)


class WebhookSender:
    """A bounded queue of JSON payloads and the worker that posts them to ``url``."""

    def __init__(self, url: str, *, queue_size: int, timeout_seconds: float) -> None:
        self.url = url
        self.timeout_seconds = timeout_seconds
        self._queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(queue_size)
        self._client: httpx.AsyncClient | None = None
        self._worker: asyncio.Task[None] | None = None
        self.dropped = 0
        self.failed = 0

    @property
    def waiting(self) -> int:
        """Payloads queued and not yet taken by the worker."""
        return self._queue.qsize()

    def start(self) -> None:
        self._client = httpx.AsyncClient(timeout=self.timeout_seconds, follow_redirects=False, trust_env=False)
        self._worker = asyncio.create_task(self._post_all(), name="webhook")

    def submit(self, payload: dict[str, Any]) -> None:
        """Queues a payload; drops it (with a warning) when the receiver has fallen too far behind."""
        try:
            self._queue.put_nowait(payload)
        except asyncio.QueueFull:
            self.dropped += 1
            logger.warning("webhook queue full (%d waiting): a final was dropped (%d so far)",
                           self.waiting, self.dropped)

    async def stop(self) -> None:
        """Gives what is queued up to ``timeout_seconds`` to be posted, then stops the worker."""
        if self._worker is None:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._queue.join(), self.timeout_seconds)
        if not self._queue.empty():
            logger.warning("webhook stopped with %d finals not posted", self.waiting)
        self._worker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._worker
        if self._client is not None:
            await self._client.aclose()

    async def _post_all(self) -> None:
        assert self._client is not None
        while True:
            payload = await self._queue.get()
            try:
                response = await self._client.post(self.url, json=payload)
                if response.is_error:
                    self._failed(f"HTTP {response.status_code}")
            except httpx.HTTPError as error:
                self._failed(type(error).__name__)
            finally:
                self._queue.task_done()

    def _failed(self, reason: str) -> None:
        self.failed += 1
        logger.warning("webhook post failed: %s (%d failures so far)", reason, self.failed)
