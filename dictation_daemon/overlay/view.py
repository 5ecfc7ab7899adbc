"""What the indicator shows, decided without I/O from the daemon's state, its connection, the input level
and (only when the user allows it) the interim text.

A consulting room's screen is seen by others, so dictated words appear only with ``ui.overlay.show_text``;
whether the microphone is live is always shown, which is the point of the indicator.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from ..events.connection import ConnectionState, ConnectionStatus
from ..events.states import State

QUIET_DBFS = -60.0
"""Input level shown as an empty meter; 0 dBFS fills it."""
DETAIL_CHARACTERS = 80
"""The interim text shown is its end, at most this long: the words being spoken now."""
UNEVENTFUL = frozenset({ConnectionState.CONNECTING, ConnectionState.CONNECTED, ConnectionState.CLOSED})


@dataclass(frozen=True)
class View:
    """One picture of the indicator: the state (its colour), a headline, a detail line, the level meter."""

    state: str
    headline: str
    detail: str = ""
    level: float | None = None
    """0 to 1 while listening; ``None`` hides the meter."""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def view_of(state: State, *, reason: str | None = None, connection: ConnectionStatus | None = None,
            level_dbfs: float | None = None, interim: str = "", show_text: bool = False, notice: str = "") -> View:
    """The indicator for this moment. The connection's sentence wins the detail line while it is not
    uneventful (reconnecting, buffering: the user learns words are waiting, not lost); then a notice (why a
    command did nothing); then, if allowed, the interim text."""
    detail = ""
    if connection is not None and connection.state not in UNEVENTFUL:
        detail = connection.describe()
    detail = detail or notice
    if state is State.LISTENING:
        if not detail and show_text and interim:
            detail = interim[-DETAIL_CHARACTERS:]
        return View("listening", "Listening", detail, _meter(level_dbfs))
    if state is State.FINISHING:
        return View("finishing", "Finishing…", detail)
    if state is State.ERROR:
        return View("error", "Dictation stopped", detail or reason or "")
    return View("idle", "Dictation ready", detail)


def _meter(level_dbfs: float | None) -> float:
    if level_dbfs is None:
        return 0.0
    return round(min(1.0, max(0.0, (level_dbfs - QUIET_DBFS) / -QUIET_DBFS)), 2)
