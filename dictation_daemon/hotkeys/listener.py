"""The pynput keyboard listener feeding :class:`PushToTalk`, with actions delivered on the asyncio loop.

pynput calls back on its own thread; each event is stamped there with the monotonic clock (so a busy
loop cannot make a held key look released) and handed to the loop, where the machine runs.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

from ..keys.names import MODIFIERS
from .combo import ComboError, normalise_key
from .grab import KeyGrab, display_gone_errors
from .machine import Action, PushToTalk

logger = logging.getLogger(__name__)


class HotkeysUnavailable(RuntimeError):
    """The global keyboard listener could not start; the message says why."""


def load_pynput_keyboard() -> ModuleType:
    """Imports pynput's keyboard module, which on X11 connects to ``$DISPLAY`` at import time and fails
    without one; hence it is imported only when hotkeys are actually started."""
    try:
        from pynput import keyboard
    except ImportError as error:
        raise HotkeysUnavailable(f"pynput cannot use this session: {str(error).splitlines()[0]}") from error
    return keyboard


def key_name(key: Any) -> str | None:
    """The combo name of a pynput key (a ``Key`` member or a ``KeyCode``), or ``None`` for keys no combo can
    name. Keys go by their ``Key`` name ("space", "ctrl_r"), characters by the unshifted character."""
    keyboard = load_pynput_keyboard()
    if isinstance(key, keyboard.Key):
        name = key.name
    elif isinstance(key, keyboard.KeyCode) and key.char and not key.char.isspace():
        name = key.char.lower()
    else:
        return None
    try:
        return normalise_key(name)
    except ComboError:
        return None


def _quiet_listener_class() -> type:
    """pynput's keyboard listener, ending quietly when the X server goes away before it (a logout): its thread
    would otherwise print a traceback while it cleans up on a dead connection."""
    keyboard = load_pynput_keyboard()

    class QuietListener(keyboard.Listener):  # type: ignore[misc, name-defined]
        def run(self) -> None:
            try:
                super().run()
            except display_gone_errors() as error:
                logger.debug("hotkey listener ended: the display is gone (%s)", error)

    return QuietListener


class HotkeyListener:
    """Runs a global keyboard listener for the lifetime of the daemon and calls ``on_action`` on the loop."""

    def __init__(self, machine: PushToTalk, on_action: Callable[[Action], None], *, ready_timeout: float = 5.0,
                 on_other_key: Callable[[], None] | None = None) -> None:
        """``on_other_key`` is called on the loop for each press of a key that is neither a modifier nor
        part of a hotkey: the user typing or moving the cursor."""
        self._machine = machine
        self._on_action = on_action
        self._on_other_key = on_other_key
        bindings = machine.bindings
        self._combo_keys = frozenset(key for combo in (bindings.talk, bindings.cancel, bindings.paste_last)
                                     if combo for key in combo.keys)
        self._ready_timeout = ready_timeout
        self._loop: asyncio.AbstractEventLoop | None = None
        self._listener: Any = None
        self._grab: KeyGrab | None = None
        self._tick: asyncio.TimerHandle | None = None

    async def start(self) -> None:
        """Starts listening; raises :class:`HotkeysUnavailable` if the listener dies or does not get ready."""
        self._loop = asyncio.get_running_loop()
        listener = _quiet_listener_class()(
            on_press=lambda key: self._from_listener(key, True),
            on_release=lambda key: self._from_listener(key, False),
        )
        self._listener = listener
        ready = asyncio.Event()
        listener.start()
        # pynput's wait() blocks for ever if the listener thread dies first, so it gets a throwaway thread.
        threading.Thread(target=lambda: (listener.wait(), self._loop.call_soon_threadsafe(ready.set)), daemon=True).start()  # type: ignore[union-attr]
        deadline = time.monotonic() + self._ready_timeout
        while not ready.is_set():
            if not listener.is_alive() or time.monotonic() > deadline:
                reason = self._failure(listener)
                self.stop()
                raise HotkeysUnavailable(reason)
            try:
                await asyncio.wait_for(ready.wait(), 0.05)
            except TimeoutError:
                pass
        self._grab_combos()

    def _grab_combos(self) -> None:
        """Takes the combos' keys from the focused application; the hotkeys work without it, so a failure
        only warns."""
        bindings = self._machine.bindings
        grab = KeyGrab(combo for combo in (bindings.talk, bindings.cancel, bindings.paste_last) if combo)
        try:
            grab.start()
        except Exception as error:  # an X error here must not take the working listener down with it
            logger.warning("hotkeys also reach the focused application: grabbing them failed (%s)", error)
            grab.stop()
            return
        self._grab = grab

    def stop(self) -> None:
        grab, self._grab = self._grab, None
        if grab is not None:
            grab.stop()
        if self._tick is not None:
            self._tick.cancel()
            self._tick = None
        listener, self._listener = self._listener, None
        if listener is not None:
            try:
                listener.stop()
                listener.join(1.0)  # let it close its X connections before the display may go away
            except display_gone_errors() as error:
                logger.debug("hotkey listener stopped after the display went away (%s)", error)

    @staticmethod
    def _failure(listener: Any) -> str:
        try:
            listener.join(0)
        except Exception as error:  # whatever the platform backend raised is the reason to show
            return f"the keyboard listener failed: {error}"
        return "the keyboard listener did not start"

    def _from_listener(self, key: Any, down: bool) -> None:
        at = time.monotonic()
        name = key_name(key)
        if name is not None:
            try:
                self._loop.call_soon_threadsafe(self._feed, name, down, at)  # type: ignore[union-attr]
            except RuntimeError:  # the loop is closed: the daemon is shutting down
                pass

    def _feed(self, name: str, down: bool, at: float) -> None:
        actions = self._machine.press(name, at) if down else self._machine.release(name, at)
        self._deliver(actions)
        if down and self._on_other_key is not None and name not in self._combo_keys and name not in MODIFIERS:
            self._on_other_key()

    def _on_tick(self) -> None:
        self._tick = None
        self._deliver(self._machine.tick(time.monotonic()))

    def _deliver(self, actions: list[Action]) -> None:
        for action in actions:
            self._on_action(action)
        deadline = self._machine.deadline()
        if self._tick is not None:
            self._tick.cancel()
            self._tick = None
        if deadline is not None and self._listener is not None:
            self._tick = self._loop.call_later(max(0.0, deadline - time.monotonic()), self._on_tick)  # type: ignore[union-attr]
