"""The graphical session: global hotkeys (through :mod:`..hotkeys.availability`), typing or pasting
(through the backend :mod:`..insertion.backend` picks, so the check tells what the plugins will do) and
the on-screen indicator.

Neither is required: without them the daemon still dictates through the socket and the command line.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping

from ..config.model import OverlaySection
from ..hotkeys.availability import Support, check_hotkeys
from ..insertion.backend import Preference, choose_backend
from ..insertion.wlclipboard import DEB as WL_CLIPBOARD_DEB
from ..insertion.wlclipboard import wl_clipboard_problem
from ..insertion.wtype import DEB as WTYPE_DEB
from .report import Check, fail, ok, warn

_TRIGGER = "bind `dictation-daemon toggle` to a desktop shortcut, or run headless and drive it through the socket"
_WAYLAND_TOOLS = (f"install wtype and wl-clipboard (Debian: apt install {WTYPE_DEB} {WL_CLIPBOARD_DEB}); "
                  "they type and paste on wlroots compositors (sway, Hyprland)")


def check_hotkeys_here(environ: Mapping[str, str] = os.environ) -> Check:
    availability = check_hotkeys(environ)
    server = _display_server(environ)
    if availability.support is Support.AVAILABLE:
        return ok("display and hotkeys", f"{server}; {availability.reason}", required=False, display=server)
    if availability.support is Support.LIMITED:
        return warn("display and hotkeys", f"{server}; {availability.reason}",
                    "run the daemon from an X11 session for hotkeys in every window, or " + _TRIGGER,
                    required=False, display=server)
    if environ.get("WAYLAND_DISPLAY") and not environ.get("DISPLAY"):
        advice = "bind the command line to keys of the compositor (docs/daemon.md: sway, Hyprland, GNOME)"
    elif not environ.get("DISPLAY"):
        advice = "start the daemon inside the graphical session (DISPLAY=:0), or " + _TRIGGER
    else:
        advice = "check that the X server runs and allows this user, or " + _TRIGGER
    return fail("display and hotkeys", f"{server}; {availability.reason}", advice, required=False, display=server)


def check_typing(environ: Mapping[str, str] = os.environ, preference: Preference = "auto") -> Check:
    """The backend ``plugins.insertion_backend`` picks here: on Wayland ``wtype`` (and wl-clipboard for the
    clipboard plugin), on X11 the XTEST extension (and xclip or xsel)."""
    choice = choose_backend(preference, environ)
    if choice.kind is None:
        if not environ.get("WAYLAND_DISPLAY") or preference == "x11":
            advice = "run inside the graphical session; headless, the text reaches socket clients only"
        elif shutil.which("wtype") is None:
            advice = _WAYLAND_TOOLS
        else:
            advice = ("run inside the Wayland session (its WAYLAND_DISPLAY and XDG_RUNTIME_DIR), on a compositor "
                      "that offers a virtual keyboard (sway, Hyprland)")
        return fail("typing and clipboard", f"text cannot be typed or pasted: {choice.note}", advice,
                    required=False, backend=None)
    if choice.kind == "wayland":
        return _wayland_typing(environ)
    x_display = environ.get("DISPLAY", "")
    problem = _xtest_problem(x_display)
    if problem:
        return fail("typing and clipboard", problem, "check that the X server runs and allows this user",
                    required=False)
    if environ.get("WAYLAND_DISPLAY"):
        if preference == "x11":
            advice = "set plugins.insertion_backend to auto to type into native Wayland windows too"
        elif shutil.which("wtype") is None:
            advice = _WAYLAND_TOOLS
        else:
            advice = "this compositor offers no virtual keyboard (GNOME does not): only X11 windows get the text"
        return warn("typing and clipboard", f"typing works on XWayland {x_display} only: {choice.note}", advice,
                    required=False, backend="x11")
    clipboard_tool = shutil.which("xclip") or shutil.which("xsel")
    if clipboard_tool is None:
        return warn("typing and clipboard", f"typing works on {x_display}; no xclip or xsel for the clipboard plugin",
                    "install xclip (Debian: apt install xclip) to paste instead of typing", required=False,
                    backend="x11")
    return ok("typing and clipboard", f"typing works on {x_display}; clipboard through {clipboard_tool}",
              required=False, backend="x11")


def _wayland_typing(environ: Mapping[str, str]) -> Check:
    display = environ.get("WAYLAND_DISPLAY", "")
    problem = wl_clipboard_problem()
    if problem:
        return warn("typing and clipboard", f"typing works through wtype on Wayland {display}; {problem}",
                    f"install wl-clipboard (Debian: apt install {WL_CLIPBOARD_DEB}) to paste instead of typing",
                    required=False, backend="wayland")
    return ok("typing and clipboard", f"typing works through wtype on Wayland {display}; clipboard through wl-copy",
              required=False, backend="wayland")


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


def check_indicator(settings: OverlaySection, environ: Mapping[str, str] = os.environ) -> Check:
    """Whether the indicator can be shown here: it needs an X display (XWayland will do) and Tk."""
    if not settings.enabled:
        return ok("indicator", "off (ui.overlay.enabled is false)", required=False)
    if not environ.get("DISPLAY"):
        where = "a Wayland session without XWayland" if environ.get("WAYLAND_DISPLAY") else "no graphical session"
        return warn("indicator", f"no on-screen indicator: {where}",
                    "run the daemon inside an X11 session or with XWayland; `dictation-daemon status` tells "
                    "whether it listens", required=False)
    try:
        import tkinter  # noqa: F401  (the indicator's toolkit)
    except ImportError:
        return warn("indicator", "no on-screen indicator: Tk is missing", "install Tk for Python "
                    "(Debian: apt install python3-tk)", required=False)
    return ok("indicator", f"shown at the {settings.position} of the screen", required=False)
