"""Which window has keyboard focus on a Wayland desktop, asked of the compositor.

Wayland gives programs no way to learn which window another program's keys go to; only the compositor
knows, and each answers in its own way. sway (``swaymsg``) and Hyprland (``hyprctl``) answer over their
command sockets, which covers the compositors where ``wtype`` types at all. Elsewhere the answer is
``None``: typing still works, but per-application paste chords fall back to the default and a change of
focus is not noticed (spacing at the join then assumes the same field).

The window's app_id (or X class, for an XWayland window) stands in for WM_CLASS, so the paste rules for
terminals (``foot``, ``kitty``, ``Alacritty``) apply unchanged.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Mapping
from typing import Any

from .window import WindowInfo

TIMEOUT_SECONDS = 5.0


def focused_window(environ: Mapping[str, str] = os.environ) -> WindowInfo | None:
    """The focused window on sway or Hyprland, or ``None`` when the compositor cannot be asked."""
    if environ.get("SWAYSOCK") and shutil.which("swaymsg"):
        tree = _ask(["swaymsg", "-r", "-t", "get_tree"], environ)
        return _sway_focus(tree) if isinstance(tree, dict) else None
    if environ.get("HYPRLAND_INSTANCE_SIGNATURE") and shutil.which("hyprctl"):
        window = _ask(["hyprctl", "-j", "activewindow"], environ)
        return _hyprland_window(window) if isinstance(window, dict) else None
    return None


def _ask(command: list[str], environ: Mapping[str, str]) -> Any:
    try:
        result = subprocess.run(command, env=dict(environ), capture_output=True, timeout=TIMEOUT_SECONDS)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if result.returncode != 0:
        return None
    try:
        return json.loads(result.stdout)
    except ValueError:
        return None


def _sway_focus(tree: dict[str, Any]) -> WindowInfo | None:
    """The focused view in sway's tree; a focused workspace or output (nothing to type into) is ``None``."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if node.get("focused"):
            if node.get("type") not in ("con", "floating_con"):
                return None
            properties = node.get("window_properties") or {}
            app_id = node.get("app_id") or properties.get("instance") or ""
            return WindowInfo(int(node.get("id", 0)), app_id, properties.get("class") or app_id,
                              node.get("name") or "")
        stack.extend([*node.get("nodes", []), *node.get("floating_nodes", [])])
    return None


def _hyprland_window(window: dict[str, Any]) -> WindowInfo | None:
    address = str(window.get("address", ""))
    if not address:
        return None
    window_class = str(window.get("class") or "")
    return WindowInfo(int(address, 16), window_class, str(window.get("initialClass") or window_class),
                      str(window.get("title") or ""))
