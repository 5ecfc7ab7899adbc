"""Which way typed and pasted text reaches the focused window here: X11 or Wayland.

On a Wayland desktop X11 typing (XTEST through XWayland) reaches only the X11 windows, never a native
Wayland one, while ``wtype`` goes through the compositor and reaches both. So ``auto`` types through
``wtype`` whenever ``WAYLAND_DISPLAY`` is set and ``wtype`` works there, and through X11 otherwise: on an
X11 desktop, and on a Wayland desktop whose compositor offers no virtual keyboard (GNOME), where X11 still
reaches the XWayland windows. ``plugins.insertion_backend`` forces one.

Everything above the backend (joining rules, take-backs, the clipboard's restore rule) is shared; a
backend is only a typer and a clipboard.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from .wlclipboard import wl_clipboard_problem
from .wtype import wtype_problem

Kind = Literal["x11", "wayland"]
Preference = Literal["auto", "x11", "wayland"]


@dataclass(frozen=True)
class BackendChoice:
    """The backend to use, or why none can work (``kind`` is then ``None``); ``note`` says why it was chosen."""

    kind: Kind | None
    note: str


def choose_backend(preference: Preference, environ: Mapping[str, str] = os.environ, *,
                   clipboard: bool = False) -> BackendChoice:
    """Picks the backend for typing, or for pasting when ``clipboard`` (which also needs the clipboard tools)."""
    wayland_problem = _wayland_problem(environ, clipboard) if preference != "x11" else None
    x11_problem = _x11_problem(environ) if preference != "wayland" else None
    if preference == "wayland":
        return BackendChoice(None, f"Wayland insertion cannot work: {wayland_problem}") if wayland_problem \
            else BackendChoice("wayland", "Wayland, as configured")
    if preference == "x11":
        return BackendChoice(None, f"X11 insertion cannot work: {x11_problem}") if x11_problem \
            else BackendChoice("x11", "X11, as configured")
    if environ.get("WAYLAND_DISPLAY"):
        if wayland_problem is None:
            return BackendChoice("wayland", "Wayland session: typing through wtype")
        if x11_problem is None:
            return BackendChoice("x11", f"Wayland session, but {wayland_problem}: typing through XWayland, "
                                        "which reaches X11 windows only")
        return BackendChoice(None, f"Wayland session, but {wayland_problem}")
    if x11_problem is None:
        return BackendChoice("x11", "X11 session")
    return BackendChoice(None, x11_problem)


def _wayland_problem(environ: Mapping[str, str], clipboard: bool) -> str | None:
    if not environ.get("WAYLAND_DISPLAY"):
        return "no Wayland display (WAYLAND_DISPLAY is not set)"
    return wtype_problem(environ) or (wl_clipboard_problem() if clipboard else None)


def _x11_problem(environ: Mapping[str, str]) -> str | None:
    if not environ.get("DISPLAY"):
        return "no X display (DISPLAY is not set)"
    return None
