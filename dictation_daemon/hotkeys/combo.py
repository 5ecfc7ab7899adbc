"""Key combinations as users write them in configuration ("ctrl+alt+space", "<f9>") turned into key sets.

Left and right modifiers are one key here, so "ctrl" matches either Control key; the listener reports keys
under the same canonical names, so the two sides compare as plain strings.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..keys.names import MODIFIERS, UnknownKey
from ..keys.names import normalise_key as canonical_key


class ComboError(ValueError):
    """A combo string names an unknown key or is malformed; the message quotes it."""


def normalise_key(name: str) -> str:
    """The canonical name of one key (:func:`dictation_daemon.keys.names.normalise_key`), as a :class:`ComboError`."""
    try:
        return canonical_key(name)
    except UnknownKey as error:
        raise ComboError(str(error)) from None


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
