"""A field's transcription configuration, applied to the next utterance by replacing the warm session.

The protocol cannot change a session's configuration, so an editor's ``session.configure`` (or a claim
of another field) is carried out by opening a new session with the new configuration and ending the old
one, between utterances: at once when nothing is in flight, otherwise as soon as the utterance being
recorded or finished has all its results. When the editor releases the field the daemon's own
configuration comes back the same way. A configuration the server refuses is reported as an ``error``
event and the daemon's own configuration is restored, so one bad field never leaves dictation dead.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from ..controller.controller import Controller
from ..events.dictation import SessionErrorEvent
from ..events.hub import EventHub
from ..protocol.messages import TranscribeConfig

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.02
"""How often a pending configuration checks whether the utterance in flight is done."""
ACCEPT_SECONDS = 15.0
"""How long a new configuration may take to be accepted or refused before it is no longer watched."""


class FieldConfigurator:
    """Keeps the session configured as the field holding the target wants, or as the daemon is configured."""

    def __init__(self, controller: Controller, events: EventHub, base: Callable[[], TranscribeConfig]) -> None:
        self._controller = controller
        self._events = events
        self._base = base
        self._wanted: TranscribeConfig | None = None
        self._changed = asyncio.Event()
        """Set when the wanted configuration changes: a change while the last one is still being watched is
        carried out at once, so an utterance started right after ``session.configure`` is answered gets it."""
        self._task: asyncio.Task[Any] | None = None

    @property
    def wanted(self) -> TranscribeConfig:
        return self._wanted or self._base()

    def configure(self, config: TranscribeConfig | None) -> None:
        """The configuration for the next utterance; ``None`` for the daemon's own."""
        self._wanted = config
        self._changed.set()
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._apply(), name="field-configuration")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _apply(self) -> None:
        while True:
            while self._controller.busy:
                await asyncio.sleep(POLL_SECONDS)
            sessions = self._controller.sessions
            self._changed.clear()
            wanted = self.wanted
            if sessions is None or (sessions.config == wanted and sessions.refusal is None):
                return
            sessions.reconfigure(wanted)
            logger.info("session reconfigured for the next utterance (language %s, %d commands)",
                        wanted.primary_language, len(wanted.commands or []))
            refusal = await self._refusal(sessions)
            if refusal is None:
                if self.wanted == wanted:
                    return
                continue  # changed again meanwhile
            if wanted != self._base():
                logger.warning("the server refused a field's configuration: %s; using the daemon's", refusal)
                self._events.publish(SessionErrorEvent("configuration", refusal))
                self._wanted = None
                continue
            return

    async def _refusal(self, sessions: Any) -> str | None:
        """Waits until the new session is ready or refused, or the wanted configuration changes again; the
        refusal, or ``None``."""
        deadline = asyncio.get_running_loop().time() + ACCEPT_SECONDS
        wanted = sessions.config
        while asyncio.get_running_loop().time() < deadline and not self._changed.is_set():
            if sessions.refused is not None and sessions.refused[0] == wanted:
                return sessions.refused[1]  # the session fell back to the daemon's configuration already
            if sessions.refusal is not None:
                return str(sessions.refusal)
            if sessions.ready:
                return None
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), POLL_SECONDS)
        return None
