"""Key chords written as text ("ctrl+shift+v"), parsed and checked without touching the keyboard.

Per-application paste rules come from configuration, so a chord is validated when the configuration is
read, not when the first paste goes wrong. Names are the ones hotkeys use (:mod:`dictation_daemon.keys.names`):
pynput's :class:`~pynput.keyboard.Key` members, which is what :mod:`.keyboard` presses them with, and
common aliases (``control``, ``super``, ``return``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..keys.names import MODIFIERS, UnknownKey, normalise_key


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
            modifier = _known(part)
            if modifier not in MODIFIERS:
                raise ValueError(f"unknown modifier {part!r} in key chord {text!r}")
            if modifier not in modifiers:
                modifiers.append(modifier)
        key = _known(key_part)
        if key is None or key in MODIFIERS:
            raise ValueError(f"unknown key {key_part!r} in key chord {text!r}")
        return cls(tuple(modifiers), key)

    def __str__(self) -> str:
        return "+".join((*self.modifiers, self.key))


def _known(name: str) -> str | None:
    try:
        return normalise_key(name)
    except UnknownKey:
        return None
