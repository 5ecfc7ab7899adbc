"""The ``keystroke`` plugin: types finals into whatever field has focus, optionally with live interim text.

Typing goes through the insertion package (modifier wait, unicode-safe keys), on X11 or through ``wtype``
on Wayland (:mod:`~dictation_daemon.insertion.backend` picks); this plugin only decides what to type: finals always, interims when ``plugins.keystroke.interim`` is on, each interim replacing
the previous one in place with the smallest edit. It does not claim transcripts, so plugins after it
still see them.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Any

from ..controller.events import TranscriptEvent
from ..insertion.backend import Kind, choose_backend
from .base import Plugin, PluginContext, PluginUnavailable
from .field import FocusedField, Writer

logger = logging.getLogger(__name__)


class KeystrokePlugin(Plugin):
    """Types dictation as key presses."""

    name = "keystroke"

    def __init__(self, context: PluginContext) -> None:
        self._context = context
        self._interim = context.config.plugins.keystroke.interim
        self._preference = context.config.plugins.insertion_backend
        self._field: FocusedField | None = None

    @classmethod
    def create(cls, context: PluginContext, options: Mapping[str, Any]) -> KeystrokePlugin:
        return cls(context)

    async def start(self) -> None:
        choice = choose_backend(self._preference, os.environ)
        if choice.kind is None:
            raise PluginUnavailable(f"cannot type: {choice.note}")
        kind = choice.kind
        field = FocusedField(lambda: _make_typer(kind))
        try:
            await field.open()
        except Exception as error:  # whatever the X libraries or wtype raise names the reason
            await field.close()
            raise PluginUnavailable(f"cannot type into this session ({choice.note}): {error}") from error
        logger.info("typing through %s", choice.note)
        self._field = self._context.inserter = field

    async def stop(self) -> None:
        if self._field is not None:
            await self._field.close()

    async def on_transcript(self, event: TranscriptEvent) -> bool:
        if self._field is not None and (event.is_final or self._interim):
            await self._field.segment(event)
        return False

    async def on_paste(self, text: str) -> bool:
        if self._field is None:
            return False
        await self._field.insert(text)
        return True


def _make_typer(kind: Kind) -> Writer:
    """Imported late: pynput connects to the display when it is first imported."""
    if kind == "wayland":
        from ..insertion.wtype import WtypeTyper

        return WtypeTyper()
    from ..insertion.keyboard import KeystrokeTyper

    return KeystrokeTyper()
