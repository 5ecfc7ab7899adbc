"""A first-come, first-served limit on how many decodes run at once.

Decoding is CPU-bound and the machine is shared by every open session. A plain semaphore lets a thread
that just released a slot take it straight back, so one busy session could starve another; this gate
hands a freed slot to the longest-waiting caller instead.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager


class FairGate:
    """A counting semaphore that serves waiters in arrival order and lets callers skip when it is busy."""

    def __init__(self, slots: int) -> None:
        if slots < 1:
            raise ValueError("a decode gate needs at least one slot")
        self.slots = slots
        self._free = slots
        self._lock = threading.Lock()
        self._waiters: deque[threading.Event] = deque()

    def try_acquire(self) -> bool:
        """Takes a slot only if one is free and nobody is queued (for work that may be skipped)."""
        with self._lock:
            if self._free and not self._waiters:
                self._free -= 1
                return True
            return False

    def acquire(self) -> None:
        """Takes a slot, queueing behind earlier callers if none is free."""
        with self._lock:
            if self._free and not self._waiters:
                self._free -= 1
                return
            turn = threading.Event()
            self._waiters.append(turn)
        turn.wait()  # release() hands its slot over directly, so there is nothing to take here.

    def release(self) -> None:
        with self._lock:
            if self._waiters:
                self._waiters.popleft().set()
            else:
                self._free += 1

    @contextmanager
    def held(self) -> Iterator[None]:
        """Holds a slot for the duration of a ``with`` block, waiting in turn for it."""
        self.acquire()
        try:
            yield
        finally:
            self.release()
