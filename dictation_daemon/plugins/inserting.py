"""What the two inserting plugins share: picking the session's backend, the focused field, and its hooks.

``keystroke`` and ``clipboard`` differ only in the writer that puts edits into the focused window (keys,
or a paste) and in whether interim text is shown; how they start, which events they insert and how
``paste-last`` reaches the field are the same, and live here once.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from ..events.dictation import TranscriptEvent
from ..insertion.backend import Kind, choose_backend
from .base import Plugin, PluginContext, PluginUnavailable
from .field import FocusedField, Writer

logger = logging.getLogger(__name__)


class InsertingPlugin(Plugin):
    """Inserts dictation into the focused field through the writer :meth:`writer_factory` makes.

    Finals are always inserted, interims when :meth:`shows_interims` says so; transcripts are never
    claimed, so plugins after this one still see them. Once started, the field is the context's
    ``inserter``, so the commands plugin presses keys and takes text back through it.
    """

    verb: ClassVar[str]
    """What the plugin does to text ("type", "paste"), for its messages."""
    needs_clipboard: ClassVar[bool] = False

    def __init__(self, context: PluginContext) -> None:
        self._context = context
        self._field: FocusedField | None = None

    @classmethod
    def create(cls, context: PluginContext, options: Mapping[str, Any]) -> InsertingPlugin:
        return cls(context)

    def writer_factory(self, kind: Kind) -> Callable[[], Writer]:
        """Makes the writer for the chosen backend; called on the field's own thread."""
        raise NotImplementedError

    def shows_interims(self) -> bool:
        return False

    async def start(self) -> None:
        choice = choose_backend(self._context.config.plugins.insertion_backend, os.environ,
                                clipboard=self.needs_clipboard)
        if choice.kind is None:
            raise PluginUnavailable(f"cannot {self.verb}: {choice.note}")
        field = FocusedField(self.writer_factory(choice.kind))
        try:
            await field.open()
        except Exception as error:  # whatever the X libraries, pyperclip, wtype or wl-clipboard raise names the reason
            await field.close()
            raise PluginUnavailable(f"cannot {self.verb} into this session ({choice.note}): {error}") from error
        logger.info("%s plugin: %s", self.name, choice.note)
        self._field = self._context.inserter = field

    async def stop(self) -> None:
        if self._field is not None:
            await self._field.close()

    async def on_transcript(self, event: TranscriptEvent) -> bool:
        if self._field is not None and (event.is_final or self.shows_interims()):
            await self._field.segment(event)
        return False

    def on_user_input(self, what: str) -> None:
        if self._field is not None:
            self._field.user_touched(what)

    async def on_paste(self, text: str) -> bool:
        if self._field is None:
            return False
        await self._field.insert(text)
        return True
