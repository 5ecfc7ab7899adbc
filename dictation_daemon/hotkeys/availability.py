"""Whether global hotkeys can work in this session, and why not, so the daemon can say so instead of
looking healthy while no key press ever arrives.

Global key capture here means X11: pynput records keys through the X RECORD extension. A pure Wayland
session offers no way for a program to read keys typed into other windows; under XWayland the X server
only sees keys typed into X11 windows, so hotkeys work there only partly. What works on Wayland is a
key binding of the compositor that runs the command-line trigger, so the message says how to write one.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Mapping
from dataclasses import dataclass

from Xlib import display as xdisplay
from Xlib import error as xerror

_TRIGGER_HINT = "use the command-line or socket trigger instead (it can be bound to a desktop shortcut)"
#: Wayland's own answer to global hotkeys: the compositor runs a command when a key is pressed or released.
WAYLAND_BINDING_HINT = (
    "bind the command line to a key in the compositor instead: push-to-talk on sway with "
    "`bindsym --no-repeat KEY exec dictation-daemon start` and `bindsym --release KEY exec dictation-daemon stop` "
    "(Hyprland: bind and bindr; GNOME: a custom shortcut running `dictation-daemon toggle`; see docs/daemon.md)"
)


class Support(enum.Enum):
    """``LIMITED`` means hotkeys fire only while an X11 window has focus (Wayland with XWayland)."""

    AVAILABLE = "available"
    LIMITED = "limited"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class HotkeyAvailability:
    """The verdict and a sentence for the start-up banner and `status`."""

    support: Support
    reason: str

    @property
    def usable(self) -> bool:
        return self.support is not Support.UNAVAILABLE


def check_hotkeys(environ: Mapping[str, str] | None = None) -> HotkeyAvailability:
    """Looks at the session variables and, when there is an X display, connects to it and checks for RECORD."""
    env = os.environ if environ is None else environ
    x_display = env.get("DISPLAY", "")
    wayland = bool(env.get("WAYLAND_DISPLAY")) or env.get("XDG_SESSION_TYPE") == "wayland"
    if not x_display:
        if wayland:
            return HotkeyAvailability(
                Support.UNAVAILABLE,
                "global hotkeys are unavailable: this is a Wayland session without X access (DISPLAY is not set), "
                f"and Wayland lets no program read other windows' keys; {WAYLAND_BINDING_HINT}",
            )
        return HotkeyAvailability(
            Support.UNAVAILABLE,
            f"global hotkeys are unavailable: no graphical session (neither DISPLAY nor WAYLAND_DISPLAY is set); {_TRIGGER_HINT}",
        )
    problem = _x_problem(x_display)
    if problem:
        return HotkeyAvailability(Support.UNAVAILABLE, f"global hotkeys are unavailable: {problem}; {_TRIGGER_HINT}")
    if wayland:
        return HotkeyAvailability(
            Support.LIMITED,
            f"global hotkeys work only while an X11 window has focus: this is a Wayland session and X display "
            f"{x_display} is XWayland; for the other windows {WAYLAND_BINDING_HINT}",
        )
    return HotkeyAvailability(Support.AVAILABLE, f"global hotkeys are available on X display {x_display}")


def _x_problem(name: str) -> str | None:
    """Why keys cannot be read from X display ``name``, or ``None`` when they can."""
    try:
        connection = xdisplay.Display(name)
    except (xerror.DisplayError, xerror.ConnectionClosedError) as error:
        return f"cannot connect to X display {name} ({error})"
    try:
        if not connection.has_extension("RECORD"):
            return f"X display {name} lacks the RECORD extension that key capture needs"
        return None
    finally:
        connection.close()
