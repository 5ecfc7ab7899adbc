"""What the controller tells plugins and socket clients: state changes, transcript segments and commands.

Events are plain immutable values with a JSON form (the socket's notification parameters). The hub hands
each event to its subscribers synchronously and in order; subscribers that do slow work (typing, network)
queue the event and do it elsewhere, so no subscriber can hold up the controller or another subscriber.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..client.connection_status import ConnectionStatus
from .machine import State

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class StateEvent:
    """The controller moved from ``previous`` to ``state``; ``reason`` says why it is in error.

    ``connection`` is where the transcription connection stands (reconnecting, replaying, buffering ...):
    a change of it alone is sent as an event whose ``state`` equals ``previous``, so the user learns that
    words are waiting for the network, not lost.
    """

    state: State
    previous: State
    reason: str | None = None
    connection: ConnectionStatus | None = None

    def to_json(self) -> dict[str, Any]:
        return {"state": self.state.value, "previous": self.previous.value, "reason": self.reason,
                "connection": connection_json(self.connection)}


def connection_json(status: ConnectionStatus | None) -> dict[str, Any] | None:
    """A connection status for the socket and ``status``: its state and the sentence that explains it."""
    if status is None:
        return None
    return {"state": status.state.value, "description": status.describe()}


@dataclass(frozen=True)
class TranscriptEvent:
    """One segment from the server: ``text`` is what gets inserted, ``raw_text`` the words as spoken."""

    text: str
    raw_text: str
    start: float
    end: float
    is_final: bool

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "rawTranscriptText": self.raw_text, "start": self.start, "end": self.end,
                "isFinal": self.is_final}


@dataclass(frozen=True)
class CommandEvent:
    """A voice command the server recognised, with its variables (``None`` when it has none)."""

    id: str
    variables: dict[str, str] | None
    raw_text: str
    start: float
    end: float

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "variables": self.variables, "rawTranscriptText": self.raw_text,
                "start": self.start, "end": self.end}


Event = StateEvent | TranscriptEvent | CommandEvent

EVENT_NAMES: dict[type, str] = {StateEvent: "state", TranscriptEvent: "transcript", CommandEvent: "command"}
"""The notification method each event is sent as on the socket."""


class EventHub:
    """Fans events out to subscribers; a subscriber that raises is logged and the others still get the event."""

    def __init__(self) -> None:
        self._subscribers: list[Callable[[Event], None]] = []

    def subscribe(self, subscriber: Callable[[Event], None]) -> Callable[[], None]:
        """Adds a subscriber; returns the function that removes it again."""
        self._subscribers.append(subscriber)
        return lambda: self._subscribers.remove(subscriber) if subscriber in self._subscribers else None

    def publish(self, event: Event) -> None:
        for subscriber in list(self._subscribers):
            try:
                subscriber(event)
            except Exception:
                logger.exception("an event subscriber failed on a %s event", EVENT_NAMES[type(event)])
