"""What an insertion actually did, and why one did not happen.

A dictation tool that logs "pasted" when nothing arrived leaves the user guessing. Every insertion
returns an :class:`InsertionReport` saying what was sent and to which window, and every refusal is an
:class:`InsertionError` saying how much had been sent before it stopped, so the caller can keep the text
and offer to insert it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .window import WindowInfo


@dataclass(frozen=True)
class InsertionReport:
    """What reached the X server: ``typed`` characters (or pasted, for the clipboard), ``deleted``
    backspaces, sent to ``window``, after waiting ``modifier_wait`` seconds for modifier keys to come up.
    """

    method: Literal["keystrokes", "clipboard"]
    typed: int
    deleted: int
    window: WindowInfo | None
    modifier_wait: float


class InsertionError(Exception):
    """An insertion that stopped; ``typed`` and ``deleted`` say how much had already been sent."""

    def __init__(self, message: str, *, typed: int = 0, deleted: int = 0):
        super().__init__(message)
        self.typed = typed
        self.deleted = deleted


class KeysHeld(InsertionError):
    """Keys stayed down past the timeout; typing now would turn letters into shortcuts, or send them to
    the program that grabbed a held hotkey."""

    def __init__(self, held: list[str], timeout: float, *, typed: int = 0, deleted: int = 0):
        names = ", ".join(held)
        super().__init__(f"keys still held after {timeout:g} s: {names}", typed=typed, deleted=deleted)
        self.held = held


class NoFocusedWindow(InsertionError):
    """No window has keyboard focus, so keystrokes would be lost."""

    def __init__(self) -> None:
        super().__init__("no window has keyboard focus")
