"""The edits an editor applies to the field it claimed, with the insertion rules at both ends of the cursor.

An editor that inserts text itself tells the daemon what is around the cursor when it claims the target
(``before``, ``after``). From then on the daemon answers every segment with "take back ``delete``
characters, insert ``text``": the interim shown so far is replaced, the join with ``before`` gets the
spacing and capital the insertion rules (:func:`~dictation_daemon.insertion.rules.join`) call for, and
when ``after`` starts with a word the text ends with one space so the two do not run together. A final
that starts with closing punctuation takes that space back. No I/O here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..insertion.rules import (
    ATTACHES_LEFT,
    OPENERS,
    SENTENCE_INITIAL_ONLY,
    Segment,
    join,
)

CONTEXT_CHARACTERS = 200
"""Only this much of ``before`` (its end) and ``after`` (its start) decides anything."""


@dataclass(frozen=True)
class FieldEdit:
    """What the editor does at its cursor: take back ``delete`` characters, then insert ``text``."""

    delete: int
    text: str

    def to_json(self) -> dict[str, object]:
        return {"delete": self.delete, "text": self.text}


def lowercase_words_for(language: str) -> frozenset[str]:
    """English takes back sentence-initial capitals mid-sentence; other languages keep every capital."""
    return SENTENCE_INITIAL_ONLY if language.lower().startswith("en") else frozenset()


class TargetText:
    """One claimed field: the text believed to be before the cursor, one replaceable interim, the finals."""

    def __init__(self, before: str = "", after: str = "", *, language: str = "en") -> None:
        self._committed = before[-CONTEXT_CHARACTERS:]
        self._needs_separator = _starts_with_word(after[:CONTEXT_CHARACTERS])
        self._separator = False
        """The committed text ends with a space added only to keep ``after`` apart."""
        self._interim = ""
        self._last_final_start: float | None = None
        self._last_final_end = -math.inf
        self._lowercase_words = lowercase_words_for(language)

    @property
    def text(self) -> str:
        """What is before the cursor now, as far as the daemon knows (the end of ``before`` included)."""
        return self._committed + self._interim

    def apply(self, segment: Segment) -> FieldEdit | None:
        """The edit for a segment, or ``None`` for a repeated final or an interim of audio already final."""
        if segment.is_final and segment.start == self._last_final_start:
            return None
        if not segment.is_final and segment.start < self._last_final_end:
            return None
        if segment.is_final:
            self._last_final_start, self._last_final_end = segment.start, segment.end
        return self._place(segment.text, segment.is_final)

    def insert(self, text: str) -> FieldEdit:
        """A whole text inserted as a final of its own (paste-last), joined like dictation."""
        return self._place(text, True)

    def _place(self, text: str, is_final: bool) -> FieldEdit:
        delete = len(self._interim)
        base = self._committed
        drops_separator = is_final and self._separator and _attaches_left(text)
        if drops_separator:
            base, delete = base[:-1], delete + 1
        shown = join(base, text, lowercase_words=self._lowercase_words)
        separator = self._needs_separator and bool(shown) and not shown[-1].isspace()
        if separator:
            shown += " "
        if is_final:
            self._committed = base + shown
            self._separator = separator if shown else self._separator and not drops_separator
            self._interim = ""
        else:
            self._interim = shown
        return FieldEdit(delete, shown)


def _starts_with_word(after: str) -> bool:
    return bool(after) and not after[0].isspace() and after[0] not in ATTACHES_LEFT and (
        after[0].isalnum() or after[0] in OPENERS)


def _attaches_left(text: str) -> bool:
    stripped = text.lstrip(" \t")
    return bool(stripped) and stripped[0] in ATTACHES_LEFT
