"""Key chords written as text ("ctrl+shift+v"), parsed and checked without touching the keyboard.

Per-application paste rules come from configuration, so a chord is validated when the configuration is
read, not when the first paste goes wrong. Names follow pynput's :class:`~pynput.keyboard.Key` members,
which is what :mod:`.keyboard` presses them with; common aliases (``control``, ``super``, ``return``)
are accepted.
"""

from __future__ import annotations

from dataclasses import dataclass

MODIFIER_NAMES = {
    "ctrl": "ctrl", "control": "ctrl",
    "shift": "shift",
    "alt": "alt",
    "altgr": "alt_gr", "alt_gr": "alt_gr",
    "super": "cmd", "cmd": "cmd", "win": "cmd", "meta": "cmd",
}
KEY_NAMES = {
    "insert": "insert", "enter": "enter", "return": "enter", "tab": "tab", "space": "space",
    "backspace": "backspace", "delete": "delete", "home": "home", "end": "end",
    "page_up": "page_up", "pageup": "page_up", "page_down": "page_down", "pagedown": "page_down",
    "up": "up", "down": "down", "left": "left", "right": "right", "esc": "esc", "escape": "esc",
    "menu": "menu",
    **{f"f{number}": f"f{number}" for number in range(1, 21)},
}


@dataclass(frozen=True)
class Chord:
    """Modifiers held (pynput names, in press order) around one key: a pynput key name or one character."""

    modifiers: tuple[str, ...]
    key: str

    @classmethod
    def parse(cls, text: str) -> Chord:
        """Reads ``"ctrl+shift+v"``; raises ``ValueError`` for unknown names or a chord without a key."""
        parts = [part.strip().lower() for part in text.split("+")]
        if not parts or any(not part for part in parts):
            raise ValueError(f"malformed key chord {text!r}")
        *modifier_parts, key_part = parts
        modifiers: list[str] = []
        for part in modifier_parts:
            if part not in MODIFIER_NAMES:
                raise ValueError(f"unknown modifier {part!r} in key chord {text!r}")
            if MODIFIER_NAMES[part] not in modifiers:
                modifiers.append(MODIFIER_NAMES[part])
        if len(key_part) == 1 and key_part.isprintable() and not key_part.isspace():
            key = key_part
        elif key_part in KEY_NAMES:
            key = KEY_NAMES[key_part]
        else:
            raise ValueError(f"unknown key {key_part!r} in key chord {text!r}")
        return cls(tuple(modifiers), key)

    def __str__(self) -> str:
        return "+".join((*self.modifiers, self.key))
