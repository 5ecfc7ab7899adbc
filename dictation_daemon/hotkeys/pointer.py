"""Mouse clicks anywhere on the screen, for the field the daemon types into.

A click may move the cursor in the field, or move the focus: either way the daemon no longer knows
where its words are in the field, so edits by voice must stop trusting what it typed. pynput's mouse
listener reports clicks on its own thread; each is handed to the asyncio loop.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from .grab import display_gone_errors
from .listener import HotkeysUnavailable

logger = logging.getLogger(__name__)


class ClickListener:
    """Calls ``on_click`` on the loop for every mouse button press, for the lifetime of the daemon."""

    def __init__(self, on_click: Callable[[], None]) -> None:
        self._on_click = on_click
        self._listener: Any = None

    def start(self) -> None:
        """Starts listening; raises :class:`~.listener.HotkeysUnavailable` without a usable display."""
        loop = asyncio.get_running_loop()
        try:
            from pynput import mouse
        except ImportError as error:
            raise HotkeysUnavailable(f"pynput cannot use this session: {str(error).splitlines()[0]}") from error

        def clicked(x: int, y: int, button: Any, pressed: bool) -> None:
            if pressed:
                try:
                    loop.call_soon_threadsafe(self._on_click)
                except RuntimeError:  # the loop is closed: the daemon is shutting down
                    pass

        self._listener = mouse.Listener(on_click=clicked)
        self._listener.start()

    def stop(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            try:
                listener.stop()
                listener.join(1.0)
            except display_gone_errors() as error:
                logger.debug("click listener stopped after the display went away (%s)", error)
