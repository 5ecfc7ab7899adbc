"""Which window keystrokes go to, and what it is called, read straight from the X server.

Per-application rules need the window's WM_CLASS, and reports say where text went. The answer starts at
the keyboard focus, not at the window manager's idea of the active window, because the focus is where
keystrokes land: it is often a child of the application's top-level window (a toolkit's text widget), so
the lookup walks up to the nearest ancestor that carries WM_CLASS.
"""

from __future__ import annotations

from dataclasses import dataclass

import Xlib.display
import Xlib.error
import Xlib.X
import Xlib.xobject.drawable


@dataclass(frozen=True)
class WindowInfo:
    """A top-level window: its X id, its WM_CLASS pair and its title.

    Titles can hold patient names (an EHR shows the open chart there): keep them out of logs.
    """

    window_id: int
    instance: str
    class_name: str
    title: str

    def has_class(self, names: set[str] | frozenset[str]) -> bool:
        """Whether the WM_CLASS instance or class is one of ``names`` (given in lower case)."""
        return self.instance.lower() in names or self.class_name.lower() in names


def focused_window(display: Xlib.display.Display) -> WindowInfo | None:
    """The top-level window that has keyboard focus, or ``None`` when keystrokes would be discarded.

    A focus window with no WM_CLASS anywhere above it still gets keystrokes; it is reported with empty
    names. With focus following the pointer, the window manager's active window, else the top-level
    window under the pointer, is the answer.
    """
    focus = display.get_input_focus().focus
    if isinstance(focus, Xlib.xobject.drawable.Window):
        return _with_class(display, focus) or WindowInfo(focus.id, "", "", "")
    if focus == Xlib.X.NONE:
        return None
    active = _active_window(display)
    if active is not None:
        return active
    child = display.screen().root.query_pointer().child
    if not isinstance(child, Xlib.xobject.drawable.Window):
        return None
    return _with_class(display, child) or WindowInfo(child.id, "", "", "")


def _with_class(display: Xlib.display.Display, window: Xlib.xobject.drawable.Window) -> WindowInfo | None:
    root = display.screen().root
    try:
        while window.id != root.id:
            wm_class = window.get_wm_class()
            if wm_class is not None:
                return WindowInfo(window.id, wm_class[0], wm_class[1], _title(display, window))
            window = window.query_tree().parent
    except Xlib.error.XError:
        return None  # the window closed while being looked at
    return None


def _active_window(display: Xlib.display.Display) -> WindowInfo | None:
    root = display.screen().root
    prop = root.get_full_property(display.intern_atom("_NET_ACTIVE_WINDOW"), Xlib.X.AnyPropertyType)
    if prop is None or not prop.value or not prop.value[0]:
        return None
    return _with_class(display, display.create_resource_object("window", int(prop.value[0])))


def _title(display: Xlib.display.Display, window: Xlib.xobject.drawable.Window) -> str:
    prop = window.get_full_property(display.intern_atom("_NET_WM_NAME"), display.intern_atom("UTF8_STRING"))
    if prop is not None and prop.value:
        value = prop.value
        return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    name = window.get_wm_name()
    return name if isinstance(name, str) else ""
