"""Where a transcript or command went: claimed by a plugin, or by an editor on the control socket.

The control socket's router decides when an event is published whether an editor took it; the decision
travels with the event to the plugin host, so keystroke insertion and the desktop command mapping see
exactly the events no editor took, whatever order the two run in.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Claim:
    """A plugin's claim that says where the event went: ``field`` is the editor field it was taken for.

    Returning a plain ``True`` claims too; this form exists so observers learn the field.
    """

    field: str | None = None


@dataclass(frozen=True)
class Delivery:
    """Where a transcript or command ended up: the plugin (or ``rpc``, an editor on the socket) that claimed
    it, ``None`` when nobody did (an interim, a command nobody handles), and the editor field it was for."""

    plugin: str | None
    field: str | None = None
