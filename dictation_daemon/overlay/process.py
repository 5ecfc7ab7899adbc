"""The daemon's side of the indicator: the window's child process, fed with views as things change.

Views go to the child only when they differ from the last one sent; while listening, the input level is
sampled ten times a second for the meter, and not at all otherwise, so an idle daemon with the indicator
shown does no work for it. A window that cannot start (no X display, no Tk) or that dies is reported once
and dictation goes on without it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sys
from collections.abc import Callable

from ..config.model import OverlaySection
from ..events.connection import ConnectionStatus
from ..events.dictation import Event, StateEvent, TranscriptEvent
from ..events.states import State
from .view import View, view_of

logger = logging.getLogger(__name__)

LEVEL_SECONDS = 0.1
NOTICE_SECONDS = 6.0
"""How long a notice stays on the indicator."""


class Indicator:
    """Runs the window and keeps it showing the daemon's state; ``level`` reads the input level (dBFS)."""

    def __init__(self, settings: OverlaySection, level: Callable[[], float]) -> None:
        self._settings = settings
        self._level = level
        self._process: asyncio.subprocess.Process | None = None
        self._state = State.IDLE
        self._reason: str | None = None
        self._connection: ConnectionStatus | None = None
        self._interim = ""
        self._sent: View | None = None
        self._meter: asyncio.TimerHandle | None = None
        self._notice = ""
        self._notice_timer: asyncio.TimerHandle | None = None
        self.problem: str | None = None
        """Why there is no indicator, once it failed."""

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.returncode is None

    async def start(self) -> None:
        try:
            self._process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "dictation_daemon.overlay.window", self._settings.position,
                self._settings.size, str(self._settings.margin),
                stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
        except OSError as error:
            self._gone(f"the indicator window did not start: {error}")
            return
        self._show()

    def on_event(self, event: Event) -> None:
        """The event hub's subscriber: the state, the connection and (if shown) the interim text."""
        if isinstance(event, StateEvent):
            self._state, self._reason = event.state, event.reason
            if event.connection is not None:
                self._connection = event.connection
            if event.state is not State.LISTENING:
                self._interim = ""
        elif isinstance(event, TranscriptEvent) and self._settings.show_text:
            self._interim = "" if event.is_final else event.text
        else:
            return
        self._show()

    def notice(self, message: str, seconds: float = NOTICE_SECONDS) -> None:
        """Shows a short sentence (why a command did nothing, a pairing code) for ``seconds``."""
        self._notice = message
        if self._notice_timer is not None:
            self._notice_timer.cancel()
        self._notice_timer = asyncio.get_running_loop().call_later(seconds, self._end_notice)
        self._show()

    def _end_notice(self) -> None:
        self._notice, self._notice_timer = "", None
        self._show()

    async def close(self) -> None:
        for timer in (self._meter, self._notice_timer):
            if timer is not None:
                timer.cancel()
        process, self._process = self._process, None
        if process is not None and process.returncode is None:
            assert process.stdin is not None
            process.stdin.close()  # end of input closes the window
            try:
                await asyncio.wait_for(process.wait(), 2.0)
            except TimeoutError:
                process.kill()
                await process.wait()

    def _show(self) -> None:
        listening = self._state is State.LISTENING
        view = view_of(self._state, reason=self._reason, connection=self._connection,
                       level_dbfs=self._level() if listening else None, interim=self._interim,
                       show_text=self._settings.show_text, notice=self._notice)
        self._send(view)
        if listening and self._meter is None:
            self._meter = asyncio.get_running_loop().call_later(LEVEL_SECONDS, self._sample_level)

    def _sample_level(self) -> None:
        self._meter = None
        if self._state is State.LISTENING:
            self._show()

    def _send(self, view: View) -> None:
        process = self._process
        if view == self._sent or process is None:
            return
        if process.returncode is not None:
            self._gone(f"the indicator window ended (exit code {process.returncode})")
            return
        assert process.stdin is not None
        with contextlib.suppress(ConnectionError):  # a window gone since is reported at the next view
            process.stdin.write(json.dumps(view.to_json()).encode() + b"\n")
        self._sent = view

    def _gone(self, problem: str) -> None:
        if self.problem is None:
            logger.warning("%s; dictation goes on without it", problem)
        self.problem = problem
        self._process = None
