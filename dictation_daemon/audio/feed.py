"""A blocking file-like object that a demuxer reads from while another thread pushes bytes into it.

FFmpeg pulls its input; a WebSocket pushes it. This object joins the two: :meth:`ByteFeed.read` hands over
what has arrived and blocks while nothing has, and the pushing side can tell when the reader has caught up.
"""

from __future__ import annotations

import threading


class ByteFeed:
    """Bytes pushed by one thread and read by another, forgetting what was read.

    It has no ``seek``, so FFmpeg treats it as a pipe and never asks for a byte twice.

    ``condition`` guards the state and is notified whenever it changes; the owner may use it for its own
    state too, so one wait covers both.
    """

    def __init__(self, condition: threading.Condition) -> None:
        self.condition = condition
        self._data = bytearray()
        self._finished = False
        self._abandoned = False
        self._reader_waiting = False

    def push(self, data: bytes) -> None:
        with self.condition:
            self._data += data
            self.condition.notify_all()

    def finish(self) -> None:
        """No more bytes will come: reads past the end now return ``b""`` (end of file)."""
        with self.condition:
            self._finished = True
            self.condition.notify_all()

    def abandon(self) -> None:
        """Makes the blocked or next read return the end of the file, whatever is left unread.

        Raising there instead would not unwind the demuxer any sooner: FFmpeg calls the read through
        PyAV, which prints the exception as a dropped library error on stderr and reports an I/O error.
        """
        with self.condition:
            self._abandoned = True
            self.condition.notify_all()

    @property
    def caught_up(self) -> bool:
        """The reader is blocked waiting for bytes that have not been pushed yet (call with the condition held)."""
        return self._reader_waiting and not self._data

    def read(self, size: int = -1) -> bytes:
        """Returns up to ``size`` bytes, blocking while none are available; ``b""`` at the end or once
        abandoned."""
        with self.condition:
            while not self._abandoned and not self._finished and not self._data:
                self._reader_waiting = True
                self.condition.notify_all()
                self.condition.wait()
            self._reader_waiting = False
            if self._abandoned:
                self._data.clear()
                return b""
            end = len(self._data) if size < 0 else min(len(self._data), size)
            chunk = bytes(self._data[:end])
            del self._data[:end]
            return chunk
