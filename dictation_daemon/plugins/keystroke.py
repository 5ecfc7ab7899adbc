"""The ``keystroke`` plugin: types finals into whatever field has focus, optionally with live interim text.

Typing goes through the insertion package (modifier wait, unicode-safe keys); this plugin only decides
what to type: finals always, interims when ``plugins.keystroke.interim`` is on, each interim replacing
the previous one in place with the smallest edit. It does not claim transcripts, so plugins after it
still see them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from ..controller.events import TranscriptEvent
from .base import Plugin, PluginContext, PluginUnavailable
from .field import FocusedField, Writer


class KeystrokePlugin(Plugin):
    """Types dictation as key presses."""

    name = "keystroke"

    def __init__(self, context: PluginContext) -> None:
        self._context = context
        self._interim = context.config.plugins.keystroke.interim
        self._field = FocusedField(_make_typer)

    @classmethod
    def create(cls, context: PluginContext, options: Mapping[str, Any]) -> KeystrokePlugin:
        return cls(context)

    async def start(self) -> None:
        if not os.environ.get("DISPLAY"):
            raise PluginUnavailable("typing needs an X display and DISPLAY is not set")
        try:
            await self._field.open()
        except Exception as error:  # whatever the X libraries raise names the reason
            raise PluginUnavailable(f"cannot type into this session: {error}") from error
        self._context.inserter = self._field

    async def stop(self) -> None:
        await self._field.close()

    async def on_transcript(self, event: TranscriptEvent) -> bool:
        if event.is_final or self._interim:
            await self._field.segment(event)
        return False

    async def on_paste(self, text: str) -> bool:
        await self._field.insert(text)
        return True


def _make_typer() -> Writer:
    """Imported late: pynput connects to the display when it is first imported."""
    from ..insertion.keyboard import KeystrokeTyper

    return KeystrokeTyper()
