"""Events about the session rather than the dictation: credits used, and errors the server or a
configuration ran into. Socket clients receive them as ``usage`` and ``error`` notifications; plugins
receive them too and may ignore them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal


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
