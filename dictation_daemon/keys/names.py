"""The canonical names of keys, as users write them in configuration and as pynput names them.

Hotkeys ("ctrl+alt+space") and the chords the daemon presses ("ctrl+shift+v", ``next_section: tab``)
are written by the same people in the same file, so they share one vocabulary: lower case, pynput's
:class:`~pynput.keyboard.Key` member names, common aliases folded in, and left and right modifiers as one
key. Pure data and one function; no keyboard is touched here.
"""

from __future__ import annotations

import re

MODIFIERS = ("ctrl", "alt", "alt_gr", "shift", "cmd")

_ALIASES = {
    "control": "ctrl", "control_l": "ctrl", "control_r": "ctrl", "ctrl_l": "ctrl", "ctrl_r": "ctrl", "lctrl": "ctrl",
    "rctrl": "ctrl",
    "alt_l": "alt", "alt_r": "alt", "lalt": "alt", "ralt": "alt",
    "altgr": "alt_gr", "iso_level3_shift": "alt_gr",
    "shift_l": "shift", "shift_r": "shift", "lshift": "shift", "rshift": "shift",
    "super": "cmd", "super_l": "cmd", "super_r": "cmd", "win": "cmd", "windows": "cmd", "cmd_l": "cmd",
    "cmd_r": "cmd", "command": "cmd", "meta": "cmd",
    "return": "enter", "escape": "esc", "del": "delete", "ins": "insert", "pgup": "page_up",
    "pageup": "page_up", "pgdn": "page_down", "pagedown": "page_down", "spacebar": "space",
    "capslock": "caps_lock", "printscreen": "print_screen", "print": "print_screen",
    "scrolllock": "scroll_lock", "numlock": "num_lock",
}

NAMED_KEYS = frozenset({
    "space", "enter", "esc", "tab", "backspace", "delete", "insert", "home", "end", "page_up", "page_down",
    "up", "down", "left", "right", "caps_lock", "print_screen", "scroll_lock", "num_lock", "pause", "menu",
    "media_play_pause", "media_next", "media_previous", "media_volume_up", "media_volume_down",
    "media_volume_mute",
})
_FUNCTION_KEY = re.compile(r"f([1-9]|1[0-9]|2[0-4])")
"""F1 to F24, as X keyboards report them."""


class UnknownKey(ValueError):
    """A key name that is not in the vocabulary; the message quotes it."""


def normalise_key(name: str) -> str:
    """Canonical name of one key: lower case, aliases and left/right variants folded ("Control_R" -> "ctrl").

    A single printable character is a key of its own ("v", "/"). Raises :class:`UnknownKey`.
    """
    key = name.strip().strip("<>").strip()
    if len(key) == 1 and key.isprintable() and not key.isspace():
        return key.lower()
    key = key.lower().replace("-", "_").replace(" ", "_")
    key = _ALIASES.get(key, key)
    if key in MODIFIERS or key in NAMED_KEYS or _FUNCTION_KEY.fullmatch(key):
        return key
    raise UnknownKey(f"unknown key {name!r}")
