"""What the daemon is doing and what a user asks of it: the words hotkeys, the socket and plugins share."""

from __future__ import annotations

import enum


class State(enum.Enum):
    """What the daemon is doing, as shown in ``status`` and sent to plugins and socket clients."""

    IDLE = "idle"
    LISTENING = "listening"
    FINISHING = "finishing"
    ERROR = "error"


class Trigger(enum.Enum):
    """What a user or client asks for."""

    START = "start"
    STOP = "stop"
    TOGGLE = "toggle"
    CANCEL = "cancel"


SETTLED = (State.IDLE, State.ERROR)
"""States with no dictation in flight: nothing recording, nothing waiting for results."""
