"""The graphical session: global hotkeys (through :mod:`..hotkeys.availability`) and typing or pasting.

Neither is required: without them the daemon still dictates through the socket and the command line.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping

from ..hotkeys.availability import Support, check_hotkeys
from .report import Check, fail, ok, warn

_TRIGGER = "bind `dictation-daemon toggle` to a desktop shortcut, or run headless and drive it through the socket"


def check_hotkeys_here(environ: Mapping[str, str] = os.environ) -> Check:
    availability = check_hotkeys(environ)
    server = _display_server(environ)
    if availability.support is Support.AVAILABLE:
        return ok("display and hotkeys", f"{server}; {availability.reason}", required=False, display=server)
    if availability.support is Support.LIMITED:
        return warn("display and hotkeys", f"{server}; {availability.reason}",
                    "run the daemon from an X11 session for hotkeys in every window, or " + _TRIGGER,
                    required=False, display=server)
    advice = ("start the daemon inside the graphical session (DISPLAY=:0), or " + _TRIGGER
              if not environ.get("DISPLAY") else "check that the X server runs and allows this user, or " + _TRIGGER)
    return fail("display and hotkeys", f"{server}; {availability.reason}", advice, required=False, display=server)


def check_typing(environ: Mapping[str, str] = os.environ) -> Check:
    """Typing needs X with the XTEST extension; the clipboard plugin needs xclip (or xsel) as well."""
    x_display = environ.get("DISPLAY", "")
    if not x_display:
        return fail("typing and clipboard", "no X display (DISPLAY is not set): text cannot be typed or pasted",
                    "run inside the graphical session; headless, the text reaches socket clients only",
                    required=False)
    problem = _xtest_problem(x_display)
    if problem:
        return fail("typing and clipboard", problem, "check that the X server runs and allows this user",
                    required=False)
    clipboard_tool = shutil.which("xclip") or shutil.which("xsel")
    if clipboard_tool is None:
        return warn("typing and clipboard", f"typing works on {x_display}; no xclip or xsel for the clipboard plugin",
                    "install xclip (Debian: apt install xclip) to paste instead of typing", required=False)
    return ok("typing and clipboard", f"typing works on {x_display}; clipboard through {clipboard_tool}",
              required=False)


def _display_server(environ: Mapping[str, str]) -> str:
    if environ.get("WAYLAND_DISPLAY") or environ.get("XDG_SESSION_TYPE") == "wayland":
        return f"Wayland ({environ.get('WAYLAND_DISPLAY', 'session')})"
    if environ.get("DISPLAY"):
        return f"X11 ({environ['DISPLAY']})"
    return "no display server"


def _xtest_problem(name: str) -> str | None:
    from Xlib import display as xdisplay
    from Xlib import error as xerror

    try:
        connection = xdisplay.Display(name)
    except (xerror.DisplayError, xerror.ConnectionClosedError) as error:
        return f"cannot connect to X display {name} ({error})"
    try:
        if not connection.has_extension("XTEST"):
            return f"X display {name} lacks the XTEST extension that typing needs"
        return None
    finally:
        connection.close()
