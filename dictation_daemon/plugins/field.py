"""The daemon's picture of the field it types into, and the edits that keep the field matching it.

The daemon cannot read other applications' fields, so it remembers what it inserted since focus last
moved (a :class:`~dictation_daemon.insertion.known.KnownField`) and lets the insertion rules decide
spacing and capitals from that; editing by voice selects within it. The picture starts afresh when the
focused window changes or after a key chord that may move the cursor (Tab to the next field): the next
text then counts as the start of a field. After a failed insertion the field holds an unknown part of the
text, so it starts afresh too. After the user clicks or types in it the daemon no longer knows where its
words are: dictation still joins to what it typed last, and edits by voice refuse until the next
dictation there.

The X calls block (the typer waits for held keys to come up), so they run on one thread of their
own, in order, never on the event loop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import time
from collections.abc import Callable
from typing import Protocol, TypeVar

from ..events.dictation import TranscriptEvent
from ..insertion.chords import Chord
from ..insertion.known import InsertAutotext, KnownField, Selection, UnknownText, VoiceEdit
from ..insertion.outcome import InsertionError, InsertionReport, KeysHeld
from ..insertion.rules import Edit
from ..insertion.window import WindowInfo

logger = logging.getLogger(__name__)

T = TypeVar("T")

LEFT, RIGHT, SHIFT_RIGHT = Chord.parse("left"), Chord.parse("right"), Chord.parse("shift+right")
OWN_KEYS_SECONDS = 1.0
"""How long after this field's own typing a key event may still be an echo of it rather than the user's."""
HELD_KEYS_PATIENCE = 60.0
"""Seconds an insertion waits for held keys before it gives up (typing then would fire shortcuts)."""


class Writer(Protocol):
    """What puts edits into the focused window: keystrokes or the clipboard (blocking calls)."""

    def focused_window(self) -> WindowInfo | None: ...
    def apply(self, edit: Edit) -> InsertionReport: ...
    def press_chord(self, chord: str | Chord) -> InsertionReport: ...
    def close(self) -> None: ...


class FocusedField:
    """Applies segments, take-backs and chords to the focused window through a :class:`Writer`.

    Implements :class:`~dictation_daemon.plugins.base.Inserter`.
    """

    def __init__(self, make_writer: Callable[[], Writer]) -> None:
        self._executor = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="insertion")
        self._make_writer = make_writer
        self._writer: Writer | None = None
        self._field = KnownField()
        self._window: int | None = None
        self._busy_until = 0.0
        """Until when key events may be this field's own typing (see :meth:`user_touched`)."""

    async def open(self) -> None:
        """Creates the writer on the insertion thread (it connects to the X display)."""
        self._writer = await self._run(self._make_writer)

    async def close(self) -> None:
        if self._writer is not None:
            await self._run(self._writer.close)
        self._executor.shutdown(wait=False)

    async def segment(self, event: TranscriptEvent) -> None:
        """Inserts a final, or shows an interim in place of the previous one."""
        await self._apply(lambda field: field.apply(event))

    async def insert(self, text: str) -> None:
        """Inserts ``text`` as a final of its own (a previous dictation, a paragraph break)."""
        await self._apply(lambda field: field.insert(text))

    async def scratch_that(self) -> None:
        await self._write(self._field.scratch_that())

    async def edit_by_voice(self, edit: VoiceEdit) -> None:
        """Carries out a voice edit in the field as it stands; raises ``UnknownText`` when it cannot."""
        moved = await self._follow_focus()
        if moved and not isinstance(edit, InsertAutotext):  # an auto-text goes in like dictation
            raise UnknownText("the focus moved to another window since the last dictation")
        for step in self._field.edit_by_voice(edit):
            if isinstance(step, Selection):
                await self._select(step)
            else:
                await self._write(step)

    def user_touched(self, what: str) -> None:
        """The user pressed a key or clicked (``what`` says which): unless it was this field's own typing,
        the daemon no longer knows where the cursor is or what the field holds."""
        if time.monotonic() >= self._busy_until:
            self._field.forget(f"{what} after the last dictation")

    async def press_chord(self, chord: Chord) -> None:
        writer = self._require_writer()
        try:
            await self._run(lambda: writer.press_chord(chord))
        except InsertionError as error:
            logger.warning("key chord %s not sent: %s", chord, error)
        self.start_afresh()

    def start_afresh(self) -> None:
        """Forget the field: what comes next is typed as at the start of a field."""
        self._field = KnownField()

    async def _select(self, selection: Selection) -> None:
        """Moves the cursor to the selection's start and extends it over the selection, key by key."""
        writer = self._require_writer()
        chords = [LEFT if selection.move < 0 else RIGHT] * abs(selection.move) + [SHIFT_RIGHT] * selection.extend
        try:
            for chord in chords:
                await self._run(lambda chord=chord: writer.press_chord(chord))
        except InsertionError as error:
            logger.warning("selection stopped: %s", error)
            self.start_afresh()

    async def _apply(self, change: Callable[[KnownField], Edit | None]) -> None:
        """Applies ``change`` to the field's text, afresh if the focus moved to another window, and writes its edit."""
        await self._follow_focus()
        edit = change(self._field)
        if edit is not None:
            await self._write(edit)

    async def _follow_focus(self) -> bool:
        """Starts the field afresh if the focus moved to another window since the last edit; whether it did."""
        window = await self._run(self._require_writer().focused_window)
        window_id = window.window_id if window is not None else None
        if window_id == self._window:
            return False
        self._window = window_id
        self.start_afresh()
        return True

    async def _write(self, edit: Edit) -> None:
        """Sends the edit once no key is down. While the user holds keys (a push-to-talk chord
        is still down while the finals of a long dictation arrive) it waits, up to :data:`HELD_KEYS_PATIENCE`."""
        if edit.is_empty:
            return
        writer = self._require_writer()
        deadline = time.monotonic() + HELD_KEYS_PATIENCE
        typed = deleted = 0
        remaining = edit
        while True:
            try:
                report = await self._run(lambda: writer.apply(remaining))
            except KeysHeld as error:
                typed, deleted = typed + error.typed, deleted + error.deleted
                remaining = Edit(max(0, edit.delete - deleted), edit.insert[typed:])
                if time.monotonic() < deadline:
                    logger.debug("waiting for held keys to come up: %s", ", ".join(error.held))
                    continue
                self._stopped(edit, typed, deleted, error)
                return
            except InsertionError as error:
                self._stopped(edit, typed + error.typed, deleted + error.deleted, error)
                return
            break
        logger.info("inserted %d characters (%d deleted) by %s",
                    typed + report.typed, deleted + report.deleted, report.method)

    def _stopped(self, edit: Edit, typed: int, deleted: int, error: InsertionError) -> None:
        logger.warning("insertion stopped after %d of %d characters (%d of %d deletions): %s",
                       typed, len(edit.insert), deleted, edit.delete, error)
        self.start_afresh()

    def _require_writer(self) -> Writer:
        if self._writer is None:
            raise RuntimeError("the field's writer is not open")
        return self._writer

    async def _run(self, function: Callable[[], T]) -> T:
        """Runs a writer call on the insertion thread; key events until shortly after are taken for its own."""
        self._busy_until = float("inf")
        try:
            return await asyncio.get_running_loop().run_in_executor(self._executor, function)
        finally:
            self._busy_until = time.monotonic() + OWN_KEYS_SECONDS
