"""Typing dictated text into the focused window as key presses, never while the user holds a key.

Push-to-talk hotkeys are often chords (Ctrl+Space, Super+D); the dictation is ready while the user may
still hold Ctrl, and a letter typed then is Ctrl+letter: a shortcut, not text (Ctrl+W closes the chart
tab). And while a grabbed hotkey is held, the X server sends every key to the daemon, not the field. So
every batch of keys first waits until the X server reports no key down (locks aside), reading the
real key state (``XQueryKeymap``) rather than tracking presses, and checks again before every key. If a
key stays down past ``held_keys_timeout`` (2 s by default) the typer refuses with
:class:`~.outcome.KeysHeld` instead of typing anyway: a late insertion can be repeated, a shortcut
fired into an EHR cannot be taken back. Caps Lock is switched off for the typing and on again afterwards.

Characters go through :class:`~.xtest.XTestKeyboard` (real key events, a spare keycode per character
that the layout lacks; its docstring has the measurements behind that). Key chords (a paste shortcut)
are pressed with pynput's ``Controller``, which sends named keys through XTEST as well.
"""

from __future__ import annotations

import logging
import time
from types import TracebackType
from typing import TYPE_CHECKING

import Xlib.display

from .chords import Chord
from .outcome import InsertionError, InsertionReport, KeysHeld, NoFocusedWindow
from .rules import Edit
from .window import WindowInfo, focused_window
from .xtest import BACKSPACE, RETURN, XTestKeyboard, char_keysym

if TYPE_CHECKING:
    from pynput.keyboard import Key, KeyCode

log = logging.getLogger(__name__)

POLL_SECONDS = 0.01


class KeystrokeTyper:
    """Types, deletes and presses chords in whatever window has keyboard focus on ``$DISPLAY``.

    pynput picks its X backend when it is first imported and needs a reachable display then, so it is
    imported here, in the constructor: a daemon without a display can still start and say so.
    Use as a context manager, or call :meth:`close`, to hand back the borrowed keycodes.
    """

    def __init__(self, *, held_keys_timeout: float = 2.0):
        from pynput.keyboard import Controller

        self.held_keys_timeout = held_keys_timeout
        self._display = Xlib.display.Display()
        self._keys = XTestKeyboard(self._display)
        self._controller: Controller = Controller()

    def __enter__(self) -> KeystrokeTyper:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Empties the borrowed keycodes and closes the X connections (pynput's closes when it is dropped)."""
        self._keys.close()
        self._display.close()
        del self._controller

    def focused_window(self) -> WindowInfo | None:
        """The window that keystrokes would go to now."""
        return focused_window(self._display)

    def type_text(self, text: str) -> InsertionReport:
        """Types ``text`` exactly; ``\\n`` is Return. Other control characters are refused before typing."""
        return self.apply(Edit(insert=text))

    def backspace(self, count: int) -> InsertionReport:
        """Presses BackSpace ``count`` times."""
        return self.apply(Edit(delete=count))

    def apply(self, edit: Edit) -> InsertionReport:
        """Takes back ``edit.delete`` characters, then types ``edit.insert``."""
        edit.require_typeable()
        keysyms = [RETURN if char == "\n" else char_keysym(char) for char in edit.insert]
        window, waited = self._prepare()
        try:
            self._keys.prepare(set(keysyms))
        except LookupError as error:
            raise InsertionError(str(error)) from error
        deleted = typed = 0
        caps_lock = self._keys.caps_lock_on()
        if caps_lock:
            self._keys.toggle_caps_lock()
        try:
            for _ in range(edit.delete):
                waited += self._wait_for_keys_up(typed, deleted)
                self._keys.tap(BACKSPACE)
                deleted += 1
            for keysym in keysyms:
                waited += self._wait_for_keys_up(typed, deleted)
                self._keys.tap(keysym)
                typed += 1
        finally:
            if caps_lock:
                self._keys.toggle_caps_lock()
        log.debug("typed %d characters after %d backspaces into window %#x", typed, deleted, window.window_id)
        return InsertionReport("keystrokes", typed, deleted, window, waited)

    def press_chord(self, chord: str | Chord) -> InsertionReport:
        """Presses a chord such as ``"ctrl+shift+v"``: modifiers down in order, the key, modifiers up."""
        parsed = Chord.parse(chord) if isinstance(chord, str) else chord
        modifiers = [self._named_key(name) for name in parsed.modifiers]
        key = self._chord_key(parsed.key)
        window, waited = self._prepare()
        pressed: list[Key] = []
        try:
            for modifier in modifiers:
                self._controller.press(modifier)
                pressed.append(modifier)
            self._controller.press(key)
            self._controller.release(key)
        finally:
            for modifier in reversed(pressed):
                self._controller.release(modifier)
        log.debug("pressed %s in window %#x", parsed, window.window_id)
        return InsertionReport("keystrokes", 0, 0, window, waited)

    def _prepare(self) -> tuple[WindowInfo, float]:
        self._keys.refresh()
        window = focused_window(self._display)
        if window is None:
            raise NoFocusedWindow()
        return window, self._wait_for_keys_up(0, 0)

    def _wait_for_keys_up(self, typed: int, deleted: int) -> float:
        started = time.monotonic()
        held = self._keys.held_keys()
        while held:
            if time.monotonic() - started >= self.held_keys_timeout:
                raise KeysHeld(held, self.held_keys_timeout, typed=typed, deleted=deleted)
            time.sleep(POLL_SECONDS)
            held = self._keys.held_keys()
        return time.monotonic() - started

    @staticmethod
    def _named_key(name: str) -> Key:
        from pynput.keyboard import Key

        return Key[name]

    def _chord_key(self, key: str) -> Key | KeyCode:
        """A named key, or the key that carries a character unshifted (so Shift in a chord stays explicit)."""
        from pynput.keyboard import KeyCode

        if len(key) > 1:
            return self._named_key(key)
        keysym = char_keysym(key.lower())
        self._keys.refresh()
        if not self._keys.on_layout(keysym):
            raise ValueError(f"no key of the keyboard layout carries {key!r}")
        return KeyCode.from_vk(keysym)
