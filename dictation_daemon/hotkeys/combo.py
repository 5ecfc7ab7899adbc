"""Key combinations as users write them in configuration ("ctrl+alt+space", "<f9>") turned into key sets.

Left and right modifiers are one key here, so "ctrl" matches either Control key; the listener reports keys
under the same canonical names, so the two sides compare as plain strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MODIFIERS = ("ctrl", "alt", "alt_gr", "shift", "cmd")

_ALIASES = {
    "control": "ctrl", "control_l": "ctrl", "control_r": "ctrl", "ctrl_l": "ctrl", "ctrl_r": "ctrl", "lctrl": "ctrl", "rctrl": "ctrl",
    "alt_l": "alt", "alt_r": "alt", "lalt": "alt", "ralt": "alt",
    "altgr": "alt_gr", "iso_level3_shift": "alt_gr",
    "shift_l": "shift", "shift_r": "shift", "lshift": "shift", "rshift": "shift",
    "super": "cmd", "super_l": "cmd", "super_r": "cmd", "win": "cmd", "windows": "cmd", "cmd_l": "cmd",
    "cmd_r": "cmd", "command": "cmd",
    "return": "enter", "escape": "esc", "del": "delete", "ins": "insert", "pgup": "page_up",
    "pageup": "page_up", "pgdn": "page_down", "pagedown": "page_down", "spacebar": "space",
    "capslock": "caps_lock", "printscreen": "print_screen", "print": "print_screen",
    "scrolllock": "scroll_lock", "numlock": "num_lock",
}

_NAMED_KEYS = frozenset({
    "space", "enter", "esc", "tab", "backspace", "delete", "insert", "home", "end", "page_up", "page_down",
    "up", "down", "left", "right", "caps_lock", "print_screen", "scroll_lock", "num_lock", "pause", "menu",
    "media_play_pause", "media_next", "media_previous", "media_volume_up", "media_volume_down",
    "media_volume_mute",
})
_FUNCTION_KEY = re.compile(r"f([1-9]|1[0-9]|2[0-4])")


class ComboError(ValueError):
    """A combo string names an unknown key or is malformed; the message quotes it."""


def normalise_key(name: str) -> str:
    """Canonical name of one key: lower case, aliases and left/right variants folded ("Control_R" -> "ctrl")."""
    key = name.strip().strip("<>").strip()
    if len(key) == 1:
        return key.lower()
    key = key.lower().replace("-", "_").replace(" ", "_")
    key = _ALIASES.get(key, key)
    if key in MODIFIERS or key in _NAMED_KEYS or _FUNCTION_KEY.fullmatch(key):
        return key
    raise ComboError(f"unknown key {name!r}")


@dataclass(frozen=True)
class Combo:
    """A set of keys held together; it is pressed when all of them are down."""

    keys: frozenset[str]

    def __str__(self) -> str:
        order = {modifier: index for index, modifier in enumerate(MODIFIERS)}
        return "+".join(sorted(self.keys, key=lambda key: (order.get(key, len(order)), key)))


def parse_combo(text: str) -> Combo:
    """Parses "ctrl+alt+space", "<f9>", "ctrl+shift+d", "<ctrl>+<alt>+d" (pynput's style) and the like.

    A literal plus key is written "plus".
    """
    parts = text.replace(" ", "").split("+")
    if not text.strip() or any(not part for part in parts):
        raise ComboError(f"malformed key combination {text!r}")
    try:
        keys = [("+" if part.lower() == "plus" else normalise_key(part)) for part in parts]
    except ComboError as error:
        raise ComboError(f"{error} in key combination {text!r}") from None
    if len(set(keys)) != len(keys):
        raise ComboError(f"key combination {text!r} names a key twice")
    return Combo(frozenset(keys))
