"""Typing any character as a real key press through the X server's XTEST extension.

Two things go wrong with the obvious ways of typing text on X11, both measured on this project's Xvfb
screen with a Tk text field:

* pynput's ``Controller.type`` sends characters with ``XSendEvent``. Such events carry the "synthetic"
  flag, and many applications are known to drop them (xterm by default, alacritty, Chrome, gedit): the text
  would be "typed" and never arrive.
* A character that is not on the keyboard layout (°, µ, ±, –, “ on a US layout) has to be put on a spare
  keycode first. pynput remaps one keycode again and again; the application looks the keycode up when it
  gets round to the event, by then with the next character's mapping, and "naïve" after "–" came out as
  "naµve". ``xdotool type`` got every test text right with its default 12 ms pause per key (about
  140 characters/s) and garbled Greek text with no pause: it only makes the race slow.

So characters that the layout has (unshifted or with Shift) are pressed on their own key, and every other
character gets a spare keycode of its own (one with no symbols on it) before any key of the text is
pressed, and keeps it for the life of the :class:`XTestKeyboard`. A keycode is never remapped while in
use: when spare keycodes were recycled (remapped from one symbol to the next), Tk kept reading some of
them with an earlier symbol, even a second after the change and even in a freshly started Tk, while a
plain Xlib client (xev) read them right. So a text that needs more new keycodes than are spare (19 on
Xvfb's layout; other layouts leave a different number) is refused before a key is pressed, and
the caller pastes it instead. Typing the wrong character into a medical record is worse than not typing.
The spare keycodes are emptied again by :meth:`XTestKeyboard.close`.
"""

from __future__ import annotations

import Xlib.display
import Xlib.X
import Xlib.XK
from Xlib.ext import xtest

NO_SYMBOL = 0
RETURN = Xlib.XK.string_to_keysym("Return")
BACKSPACE = Xlib.XK.string_to_keysym("BackSpace")
SHIFT = Xlib.XK.string_to_keysym("Shift_L")
CAPS_LOCK = Xlib.XK.string_to_keysym("Caps_Lock")
#: Names of the keysyms python-xlib knows (its ``keysym_to_string`` gives characters, not names).
LOCK_KEYS = frozenset({"Caps_Lock", "Num_Lock", "Scroll_Lock"})
"""Toggles, not held keys: their key state says nothing about what the user is pressing."""
KEYSYM_NAMES = {value: name[3:] for name, value in sorted(vars(Xlib.XK).items(), reverse=True) if name.startswith("XK_")}


def char_keysym(char: str) -> int:
    """The keysym of a character: Latin-1 ones are their own code, every other one is 0x01000000 + code."""
    code = ord(char)
    return code if 0x20 <= code <= 0x7E or 0xA0 <= code <= 0xFF else 0x01000000 | code


class XTestKeyboard:
    """Presses keys for keysyms on one X connection, borrowing spare keycodes for symbols not on the layout.

    Call :meth:`refresh` before each batch of keys: it rereads the layout (the user may have switched it)
    and forgets borrowed keycodes that someone else has remapped meanwhile.
    """

    def __init__(self, display: Xlib.display.Display):
        self._display = display
        self._layout: dict[int, tuple[int, bool]] = {}
        self._key_names: dict[int, str] = {}
        self._spare: list[int] = []
        #: keysym → the spare keycode lent to it.
        self._borrowed: dict[int, int] = {}
        self.refresh()

    def refresh(self) -> None:
        """Rereads the keyboard mapping and the modifier keys from the server."""
        while self._display.pending_events():
            self._display.next_event()  # MappingNotify events pile up otherwise; the mapping is reread below
        info = self._display.display.info
        first, count = info.min_keycode, info.max_keycode - info.min_keycode + 1
        rows = self._display.get_keyboard_mapping(first, count)
        for keysym, keycode in list(self._borrowed.items()):
            if rows[keycode - first][0] != keysym:
                del self._borrowed[keysym]
        lent = set(self._borrowed.values())
        self._spare = [first + i for i, row in enumerate(rows) if first + i in lent or not any(row)]
        self._layout = {}
        for i, row in enumerate(rows):
            keycode = first + i
            if keycode in lent:
                continue
            for column, shifted in ((0, False), (1, True)):
                if len(row) > column and row[column] != NO_SYMBOL:
                    self._layout.setdefault(row[column], (keycode, shifted))
        self._key_names = {
            first + i: KEYSYM_NAMES.get(row[0], f"keycode {first + i}") if row else f"keycode {first + i}"
            for i, row in enumerate(rows)
        }

    def on_layout(self, keysym: int) -> bool:
        """Whether a key of the layout carries ``keysym`` unshifted or shifted."""
        return keysym in self._layout

    def held_keys(self) -> list[str]:
        """Names of the keys that are physically down now (the server's key state, not ours), locks aside."""
        keymap = self._display.query_keymap()
        return sorted(
            {name for keycode, name in self._key_names.items()
             if keymap[keycode // 8] & (1 << (keycode % 8)) and name not in LOCK_KEYS}
        )

    def caps_lock_on(self) -> bool:
        """Whether Caps Lock is engaged (it would turn typed letters' case around)."""
        return bool(self._display.screen().root.query_pointer().mask & Xlib.X.LockMask)

    def toggle_caps_lock(self) -> None:
        """Presses and releases Caps Lock."""
        self.tap(CAPS_LOCK)

    def prepare(self, keysyms: set[int]) -> None:
        """Lends a spare keycode to each of ``keysyms`` that the layout lacks; ``LookupError`` if too few."""
        needed = sorted(keysym for keysym in keysyms if keysym not in self._layout and keysym not in self._borrowed)
        lent = set(self._borrowed.values())
        free = [keycode for keycode in self._spare if keycode not in lent]
        if len(needed) > len(free):
            raise LookupError(
                f"{len(needed)} characters are not on the keyboard layout and {len(free)} spare keycodes are left"
            )
        for keysym, keycode in zip(needed, free):
            self._display.change_keyboard_mapping(keycode, [(keysym, keysym)])
            self._borrowed[keysym] = keycode
        self._display.sync()

    def tap(self, keysym: int) -> None:
        """Presses and releases the key for ``keysym``, with Shift if the layout has it shifted.

        ``keysym`` must be on the layout or lent a keycode by :meth:`prepare`.
        """
        if keysym in self._layout:
            keycode, shifted = self._layout[keysym]
        else:
            keycode, shifted = self._borrowed[keysym], False
        shift = self._layout[SHIFT][0] if shifted else None
        if shift is not None:
            xtest.fake_input(self._display, Xlib.X.KeyPress, shift)
        xtest.fake_input(self._display, Xlib.X.KeyPress, keycode)
        xtest.fake_input(self._display, Xlib.X.KeyRelease, keycode)
        if shift is not None:
            xtest.fake_input(self._display, Xlib.X.KeyRelease, shift)
        self._display.sync()

    def close(self) -> None:
        """Empties the borrowed keycodes again."""
        for keycode in self._borrowed.values():
            self._display.change_keyboard_mapping(keycode, [(NO_SYMBOL,)])
        self._borrowed.clear()
        self._display.sync()
