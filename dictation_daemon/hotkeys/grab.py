"""Keeping hotkeys out of the focused application, with X11 passive key grabs.

The listener hears keys through the RECORD extension, which sees every key but takes none: without a
grab, the focused application gets ``ctrl+alt+v`` as well and may paste, move the cursor or worse in an
EHR form. A passive grab on the root window makes the X server deliver the combo's key to this client
instead of the focused window, while RECORD still reports it to the listener.

Only the combo's non-modifier keys are grabbed, with exactly the combo's modifiers (and every variant of
Caps Lock and Num Lock, which the server counts as modifiers too). A combo of modifiers alone cannot be
grabbed this way and still reaches applications. A combo another client already grabbed is reported and
left to that client; the hotkey still works through the listener.
"""

from __future__ import annotations

import logging
import select
import threading
from collections.abc import Iterable
from typing import Any

from ..keys.names import MODIFIERS
from .combo import Combo

logger = logging.getLogger(__name__)

_KEYSYM_NAMES = {
    "space": "space", "enter": "Return", "esc": "Escape", "tab": "Tab", "backspace": "BackSpace",
    "delete": "Delete", "insert": "Insert", "home": "Home", "end": "End", "page_up": "Prior",
    "page_down": "Next", "up": "Up", "down": "Down", "left": "Left", "right": "Right",
    "caps_lock": "Caps_Lock", "print_screen": "Print", "scroll_lock": "Scroll_Lock", "num_lock": "Num_Lock",
    "pause": "Pause", "menu": "Menu", "media_play_pause": "XF86_AudioPlay", "media_next": "XF86_AudioNext",
    "media_previous": "XF86_AudioPrev", "media_volume_up": "XF86_AudioRaiseVolume",
    "media_volume_down": "XF86_AudioLowerVolume", "media_volume_mute": "XF86_AudioMute",
}


def display_gone_errors() -> tuple[type[BaseException], ...]:
    """What Xlib raises once the X server has gone away (a logout ends it before the daemon)."""
    from Xlib.error import ConnectionClosedError

    return (ConnectionClosedError, OSError)


def _modifier_masks(X: Any) -> dict[str, int]:
    return {"ctrl": X.ControlMask, "shift": X.ShiftMask, "alt": X.Mod1Mask, "cmd": X.Mod4Mask, "alt_gr": X.Mod5Mask}


def keysym_of(key: str) -> int:
    """The X keysym for a canonical combo key name ("v", "space", "f9"); 0 when X has none."""
    from Xlib import XK

    XK.load_keysym_group("xf86")
    if len(key) == 1:
        keysym = XK.string_to_keysym(key)
        return keysym or (ord(key) if ord(key) < 0x100 else 0x1000000 + ord(key))
    if key[0] == "f" and key[1:].isdigit():
        return XK.string_to_keysym(key.upper())
    return XK.string_to_keysym(_KEYSYM_NAMES.get(key, key))


class KeyGrab:
    """Holds passive grabs for the given combos on ``$DISPLAY`` until :meth:`stop`.

    The events the grabs bring in are read and discarded on a small thread, so they never pile up.
    """

    def __init__(self, combos: Iterable[Combo]) -> None:
        self.combos = [combo for combo in combos if combo.keys - set(MODIFIERS)]
        self.refused: list[Combo] = []
        self._display: Any = None
        self._running = False
        self._thread: threading.Thread | None = None
        self._grabbed: list[tuple[int, int]] = []

    def start(self) -> None:
        from Xlib import X, display, error

        self._display = display.Display()
        root = self._display.screen().root
        masks = _modifier_masks(X)
        lock_variants = (0, X.LockMask, X.Mod2Mask, X.LockMask | X.Mod2Mask)
        for combo in self.combos:
            modifiers = 0
            for key in combo.keys & set(MODIFIERS):
                modifiers |= masks[key]
            refusals = error.CatchError(error.BadAccess)
            grabbed = []
            for key in combo.keys - set(MODIFIERS):
                keycode = self._display.keysym_to_keycode(keysym_of(key))
                if not keycode:
                    continue
                for variant in lock_variants:
                    root.grab_key(keycode, modifiers | variant, True, X.GrabModeAsync, X.GrabModeAsync,
                                  onerror=refusals)
                    grabbed.append((keycode, modifiers | variant))
            self._display.sync()
            if refusals.get_error():
                self.refused.append(combo)
                logger.warning("another program already holds %s: it also reaches that program", combo)
            self._grabbed.extend(grabbed)
        self._running = True
        self._thread = threading.Thread(target=self._discard_events, name="hotkey-grab", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Releases the grabs; when the X server is already gone (a logout), there is nothing to release."""
        if self._display is None:
            return
        self._running = False
        if self._thread is not None:
            self._thread.join(1.0)
        display, self._display = self._display, None
        grabbed, self._grabbed = self._grabbed, []
        try:
            root = display.screen().root
            for keycode, modifiers in grabbed:
                root.ungrab_key(keycode, modifiers)
            display.sync()
            display.close()
        except display_gone_errors() as error:
            logger.debug("hotkey grabs not released: the display is gone (%s)", error)

    def _discard_events(self) -> None:
        display = self._display
        try:
            while self._running:
                ready, _, _ = select.select([display.fileno()], [], [], 0.2)
                if ready:
                    for _ in range(display.pending_events()):
                        display.next_event()
        except display_gone_errors() as error:
            logger.debug("hotkey grabs ended: the display is gone (%s)", error)
