"""One dictation's audio as an async iterator, fed by the microphone on the event loop."""

from __future__ import annotations

import asyncio
import enum


class Outcome(enum.Enum):
    """How an utterance ended: the consumer needs to tell a finished dictation from a discarded one."""

    COMPLETED = "completed"
    CANCELLED = "cancelled"
    FAILED = "failed"


class MicrophoneFailed(RuntimeError):
    """The input device stopped delivering audio (unplugged, sound server gone); the microphone can be reopened."""


_END = object()


class Utterance:
    """PCM16 mono chunks of one dictation: the pre-roll first, then live audio until the tail after release.

    Iterate with ``async for``. Iteration ends after the tail (``COMPLETED``) or at once on cancel, when
    audio not yet read is thrown away (``CANCELLED``); if the device fails mid-utterance the iteration
    raises :class:`MicrophoneFailed` after the audio captured so far.
    """

    def __init__(self) -> None:
        self._queue: asyncio.Queue[object] = asyncio.Queue()
        self._outcome: Outcome | None = None
        self._error: MicrophoneFailed | None = None
        self.captured_bytes = 0

    @property
    def outcome(self) -> Outcome | None:
        """``None`` while audio is still arriving."""
        return self._outcome

    def deliver(self, chunk: bytes) -> None:
        """Appends audio; called by the microphone on the event loop."""
        if self._outcome is None and chunk:
            self.captured_bytes += len(chunk)
            self._queue.put_nowait(chunk)

    def end(self, outcome: Outcome, error: MicrophoneFailed | None = None) -> None:
        """Closes the utterance once; a cancel also discards audio not read yet."""
        if self._outcome is not None:
            return
        self._outcome = outcome
        self._error = error
        if outcome is Outcome.CANCELLED:
            while not self._queue.empty():
                self._queue.get_nowait()
        self._queue.put_nowait(_END)

    def __aiter__(self) -> Utterance:
        return self

    async def __anext__(self) -> bytes:
        item = await self._queue.get()
        if item is _END:
            self._queue.put_nowait(_END)  # later reads end too
            if self._error is not None:
                raise self._error
            raise StopAsyncIteration
        assert isinstance(item, bytes)
        return item

    async def read_all(self) -> bytes:
        """All audio up to the end of the utterance, for callers that need it in one piece."""
        return b"".join([chunk async for chunk in self])
