"""What the controller tells plugins and socket clients: state changes, transcript segments, commands,
and news of the session itself (credits used, errors).

Events are plain immutable values with a JSON form (the socket's notification parameters).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from .connection import ConnectionStatus
from .states import State


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


@dataclass(frozen=True)
class UsageEvent:
    """Credits the server reported: ``final`` at the end of a session, running estimates otherwise."""

    credits: float
    final: bool

    def to_json(self) -> dict[str, Any]:
        return {"credits": self.credits, "final": self.final}


@dataclass(frozen=True)
class SessionErrorEvent:
    """An ``error`` message from the server, or a field configuration the server refused.

    ``message`` comes from the server and names the problem, never dictated text.
    """

    source: Literal["session", "configuration"]
    message: str

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "message": self.message}


Event = StateEvent | TranscriptEvent | CommandEvent | UsageEvent | SessionErrorEvent

EVENT_NAMES: dict[type, str] = {StateEvent: "state", TranscriptEvent: "transcript", CommandEvent: "command",
                                UsageEvent: "usage", SessionErrorEvent: "error"}
"""The notification method each event is sent as on the socket."""
