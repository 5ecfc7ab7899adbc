"""What the daemon knows of a field it types into, for editing by voice, with no I/O.

The daemon cannot read another application's field; it knows only what it typed there since the focus
last moved, and where it left the cursor. That is enough to select words by voice ("select chest pain"),
to select the last dictation ("correct that"), to retype it ("cap that") and to move between the blanks
of an auto-text ("next blank"): each is a cursor movement and a selection over known text, which the
next dictation then replaces. A click or a key the user presses in the field breaks that knowledge:
these commands then refuse (:class:`UnknownText` says why) rather than select the wrong words, until
the next dictation, and then reach only what was dictated since. Dictation itself goes on joining to
what the daemon typed last, its best guess of what is before the cursor.

Cursor movements are character counts: Left and Right move one character (a line break counts as one),
Shift+Right extends a selection by one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .rules import CONTEXT_CHARACTERS, Edit, FieldText, Segment

WORD_SEPARATORS = r"[\s,.;:!?()\"'-]+"


class UnknownText(Exception):
    """An edit by voice the daemon cannot make: it does not know the text (the message says why) or the
    words are not in it."""


@dataclass(frozen=True)
class Selection:
    """Select characters ``start`` to ``end`` of the known text: move the cursor ``move`` characters (negative:
    left) to ``start``, then extend the selection ``extend`` characters to the right."""

    start: int
    end: int
    move: int

    @property
    def extend(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class SelectWords:
    """``select <words>``: the last occurrence of the words."""

    words: str


@dataclass(frozen=True)
class SelectLast:
    """``correct that``: the last dictation."""


@dataclass(frozen=True)
class Recase:
    """``cap that`` (``capitalized``), ``all caps that`` (``upper``), ``no caps that`` (``lower``): the last
    dictation retyped."""

    style: str


@dataclass(frozen=True)
class NextBlank:
    """``next blank``: the next blank of an auto-text."""

    marker: str


@dataclass(frozen=True)
class InsertAutotext:
    """An auto-text, joined like dictation, its first blank then selected."""

    text: str
    marker: str


VoiceEdit = SelectWords | SelectLast | Recase | NextBlank | InsertAutotext
Step = Selection | Edit
"""What the keyboard does for a voice edit, in order: select, or take back and type."""

RECASE = {
    "capitalized": lambda text: re.sub(r"(?<![\w'])(\w)", lambda match: match.group(1).upper(), text),
    "upper": str.upper,
    "lower": str.lower,
}


class KnownField:
    """The text typed into one field since the focus moved there, the cursor, and a selection in it.

    Dictation goes through a :class:`~.rules.FieldText` for the text before the cursor; what the daemon
    typed after the cursor (when it selected words in the middle) is kept as the tail, and text before the
    200 characters the joining rules look at as the head.
    """

    def __init__(self) -> None:
        self._head = ""
        self._field = FieldText()
        self._tail = ""
        self._selection: Selection | None = None
        self._last: tuple[int, int] | None = None
        self._known_from = 0
        """Where the text the daemon still knows starts: what it typed before the user last touched the
        field may have moved or changed."""
        self.unknown_because: str | None = None
        """Why the daemon does not know the field's text now (the user clicked or typed in it), or ``None``."""

    def forget(self, reason: str) -> None:
        """The user touched the field: nothing typed so far can be selected any more."""
        self.unknown_because = reason
        self._tail = ""
        self._selection = None
        self._last = None
        self._known_from = len(self.text)

    @property
    def text(self) -> str:
        """Everything the daemon typed into the field that is still there, interim text included."""
        return self._head + self._field.text + self._tail

    @property
    def cursor(self) -> int:
        """Where the cursor is in :attr:`text` (the end of the selection while one is shown)."""
        if self._selection is not None:
            return self._selection.end
        return len(self._head) + len(self._field.text)

    # --- dictation ------------------------------------------------------------------------------------

    def apply(self, segment: Segment) -> Edit | None:
        """The edit for a dictated segment; a selection shown is replaced by it."""
        self._replace_selection()
        edit = self._field.apply(segment)
        if edit is not None and segment.is_final:
            self._remember_last()
            self.unknown_because = None
        return edit

    def insert(self, text: str) -> Edit:
        """A whole text as a final of its own (an auto-text, paste-last), joined like dictation."""
        self._replace_selection()
        edit = self._field.insert(text)
        self._remember_last()
        self.unknown_because = None
        return edit

    def scratch_that(self) -> Edit:
        """Takes back the shown interim and the last final (not what a selection replaced)."""
        self._selection = None
        self._last = None
        return self._field.scratch_that()

    # --- editing by voice -----------------------------------------------------------------------------

    def edit_by_voice(self, edit: VoiceEdit) -> list[Step]:
        """The steps of a voice edit; raises :class:`UnknownText` (having changed nothing) when it cannot."""
        if isinstance(edit, SelectWords):
            return [self.select_words(edit.words)]
        if isinstance(edit, SelectLast):
            return [self.select_last()]
        if isinstance(edit, Recase):
            retyped = RECASE[edit.style](self.last_dictation())
            return [self.select_last(), self.retype_selection(retyped)]
        if isinstance(edit, NextBlank):
            return [self.select_next(edit.marker)]
        start = self._selection.start if self._selection is not None else self.cursor
        steps: list[Step] = [self.insert(edit.text)]
        inserted = self.text.find(edit.marker, start)
        if inserted >= 0:
            steps.append(self._select(inserted, inserted + len(edit.marker)))
        return steps

    def select_words(self, words: str) -> Selection:
        """Selects the last occurrence of ``words`` (case and punctuation between words aside)."""
        self._require_known()
        parts = [re.escape(part) for part in re.split(WORD_SEPARATORS, words.strip()) if part]
        if not parts:
            raise UnknownText("no words to select were heard")
        pattern = re.compile(r"(?<!\w)" + WORD_SEPARATORS.join(parts) + r"(?!\w)", re.IGNORECASE)
        matches = list(pattern.finditer(self.text, self._known_from))
        if not matches:
            raise UnknownText("those words are not in what was dictated into this field")
        return self._select(matches[-1].start(), matches[-1].end())

    def select_last(self) -> Selection:
        """Selects the last dictation ("correct that")."""
        self._require_known()
        if self._last is None:
            raise UnknownText("nothing was dictated into this field since the focus moved there")
        return self._select(*self._last)

    def select_next(self, marker: str) -> Selection:
        """Selects the next ``marker`` (an auto-text's blank) after the cursor, else the first one before it."""
        self._require_known()
        text, cursor = self.text, self.cursor
        found = text.find(marker, cursor)
        if found < 0:
            found = text.find(marker, self._known_from)
        if found < 0:
            raise UnknownText("no blank is left in what was dictated into this field")
        return self._select(found, found + len(marker))

    def retype_selection(self, text: str) -> Edit:
        """Types ``text`` over the selection shown (it replaces it exactly, with no joining rules) and keeps
        it as the last dictation."""
        selection = self._selection
        if selection is None:
            raise UnknownText("nothing is selected")
        known = self.text
        self._selection = None
        self._start_at(known[: selection.start] + text, known[selection.end:])
        self._last = (selection.start, selection.start + len(text))
        return Edit(insert=text)

    def last_dictation(self) -> str:
        """The text of the last dictation, as it stands in the field."""
        self._require_known()
        if self._last is None:
            raise UnknownText("nothing was dictated into this field since the focus moved there")
        return self.text[self._last[0]: self._last[1]]

    # --- the knowledge ----------------------------------------------------------------------------------

    def _require_known(self) -> None:
        if self.unknown_because is not None:
            raise UnknownText(f"the daemon no longer knows this field's text: {self.unknown_because}")
        if self._field.interim:
            raise UnknownText("dictation is still being written")

    def _select(self, start: int, end: int) -> Selection:
        selection = Selection(start, end, start - self.cursor)
        self._selection = selection
        return selection

    def _replace_selection(self) -> None:
        """The next text typed replaces the selection: dictation goes on between what was before it and
        what was after it."""
        selection, self._selection = self._selection, None
        if selection is not None:
            known = self.text
            self._start_at(known[: selection.start], known[selection.end:])

    def _start_at(self, before: str, after: str) -> None:
        """The cursor stands between ``before`` and ``after``; the joining rules see their nearest parts."""
        self._known_from = min(self._known_from, len(before))
        window = len(before) - min(len(before), CONTEXT_CHARACTERS)
        self._head = before[:window]
        self._field = FieldText(before[window:], after)
        self._tail = after

    def _remember_last(self) -> None:
        segments = self._field.segments
        if not segments:
            return
        end = len(self._head) + len(self._field.text)
        start = end - len(segments[-1])
        text = self.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        self._last = (start, end)
