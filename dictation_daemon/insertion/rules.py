"""How transcript segments become edits at the cursor of one text field (spec §8), with no I/O.

The server sends segments one at a time and knows nothing about the field: where the cursor is, what is
before it, what was already typed. This module holds that client-side knowledge:

* :func:`join` turns a segment's text into the exact string to insert after the text before the cursor:
  one space where words meet, none after an opener or before closing punctuation, never two; a capital
  at the start of the field and after a sentence end.
* :class:`FieldText` keeps one field's dictation as committed finals plus one replaceable interim layer,
  and answers every segment with an :class:`Edit` (characters to take back, text to type). Interim text
  is replaced with the smallest edit, so a field that cannot be read still ends up with the right text,
  and "scratch that" can take back exactly the last segment it inserted. The same rules serve an
  editor on the control socket that inserts text itself, with the text after its cursor too.

Lengths count Python characters (code points). Server text arrives composed (NFC), where one code point
is one character to the application and one backspace removes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

#: Characters after which a new word follows without a space. The straight quotes ``"`` and ``'`` both open
#: and close (the server writes no curly quotes), so they count as openers only where they open: at the
#: start or after whitespace or another opener. After a word they close it (``said "stop"``, ``patients'``).
OPENERS = frozenset("([{\"'‘“")
STRAIGHT_QUOTES = frozenset("\"'")
#: Characters that attach to the word before them, so no space goes in front of them.
ATTACHES_LEFT = frozenset(",.:;!?)]}%")
#: Sentence ends; a closing quote or bracket may follow them (``He said "stop." Then``).
SENTENCE_ENDS = frozenset(".!?")
CLOSERS = frozenset(")]}\"'’”")

#: Words that a server capitalises only because its segment happened to start a sentence there. Mid-sentence
#: they go back to lower case. Only closed-class English words are listed, never nouns, because any other
#: capitalised word may be a name, a drug brand or an eponym ("Parkinson", "Lasix") that must keep its
#: capital; "I" is left out for the same reason. Pass ``frozenset()`` to keep every capital, as languages
#: that capitalise nouns (German) need.
SENTENCE_INITIAL_ONLY = frozenset(
    """a an the and or but nor so yet then also
    of in on at to for from with without by about after before over under into onto than as
    is are was were be been has have had do does did will would can could should may might must
    he she it we they you his her its our their your this that these those there here which who whom
    no not""".split()
)


def join(before: str, new: str, *, lowercase_words: frozenset[str] = SENTENCE_INITIAL_ONLY) -> str:
    """The text to insert at a cursor that has ``before`` in front of it, for a segment text ``new``.

    Leading spaces of ``new`` are dropped and runs of spaces inside it become one: this function alone
    decides spacing, which is how double spaces never appear. ``\\n`` and ``\\n\\n`` stay as they are.
    The first word is capitalised at the start of the field and after a sentence end; mid-sentence, a
    capital the server put on a word of ``lowercase_words`` is taken back; at the start of a line that
    does not end a sentence ("Findings:\\n") the server's casing stays.
    """
    text = _collapse_spaces(new.lstrip(" \t"))
    if not text:
        return ""
    if _wants_space(before, text):
        text = " " + text
    return _fix_first_word(before, text, lowercase_words)


def _collapse_spaces(text: str) -> str:
    out: list[str] = []
    for char in text:
        if char in " \t" and out and out[-1] == " ":
            continue
        out.append(" " if char == "\t" else char)
    return "".join(out)


def _wants_space(before: str, text: str) -> bool:
    if not before or before[-1].isspace() or _ends_with_opener(before):
        return False
    return not (text[0].isspace() or text[0] in ATTACHES_LEFT)


def _ends_with_opener(text: str) -> bool:
    if not text or text[-1] not in OPENERS:
        return False
    if text[-1] not in STRAIGHT_QUOTES:
        return True
    return len(text) == 1 or text[-2].isspace() or text[-2] in OPENERS


def _fix_first_word(before: str, text: str, lowercase_words: frozenset[str]) -> str:
    start = next((index for index, char in enumerate(text) if char.isalnum()), None)
    if start is None or not text[start].isalpha():
        return text
    end = start
    while end < len(text) and text[end].isalpha():
        end += 1
    word = text[start:end]
    position = _position(before + text[:start])
    if position == "sentence start" and word[0].islower() and len(word[0].upper()) == 1:
        word = word[0].upper() + word[1:]
    elif position == "mid-sentence" and word.lower() in lowercase_words and word == word.capitalize():
        word = word.lower()
    return text[:start] + word + text[end:]


def _position(context: str) -> str:
    """Where a word that follows ``context`` stands: sentence start, line start or mid-sentence."""
    trimmed = context.rstrip(" \t")
    while _ends_with_opener(trimmed):
        trimmed = trimmed[:-1].rstrip(" \t")
    if not trimmed.strip():
        return "sentence start"
    ends_with_break = trimmed != context or trimmed[-1] == "\n"
    body = trimmed.rstrip("\n")
    while body and body[-1] in CLOSERS:
        body = body[:-1]
    if body and body[-1] in SENTENCE_ENDS and ends_with_break:
        return "sentence start"
    if trimmed[-1] == "\n":
        return "line start"
    return "mid-sentence"


@dataclass(frozen=True)
class Edit:
    """What to do at the cursor: take back ``delete`` characters (backspace), then type ``insert``."""

    delete: int = 0
    insert: str = ""

    @property
    def is_empty(self) -> bool:
        return self.delete == 0 and not self.insert

    def require_typeable(self) -> None:
        """Raises ``ValueError`` for what no keyboard can type: control characters other than ``\n`` (which
        is Return) and a negative count of backspaces. Every typing backend checks this before a key goes out,
        so a bad edit changes nothing in the field."""
        bad = sorted({repr(char) for char in self.insert if char != "\n" and not char.isprintable()})
        if bad:
            raise ValueError(f"cannot type control characters {', '.join(bad)}")
        if self.delete < 0:
            raise ValueError("cannot delete a negative number of characters")


def minimal_edit(old: str, new: str) -> Edit:
    """The edit that turns ``old`` (just before the cursor) into ``new``: keeps the common prefix."""
    common = 0
    for old_char, new_char in zip(old, new):
        if old_char != new_char:
            break
        common += 1
    return Edit(delete=len(old) - common, insert=new[common:])


class Segment(Protocol):
    """One transcript segment as the protocol delivers it (``protocol.messages.TranscriptData`` fits)."""

    @property
    def text(self) -> str: ...
    @property
    def start(self) -> float: ...
    @property
    def end(self) -> float: ...
    @property
    def is_final(self) -> bool: ...


CONTEXT_CHARACTERS = 200
"""Only this much of the text before the cursor (its end) and after it (its start) decides anything."""


def lowercase_words_for(language: str) -> frozenset[str]:
    """English takes back sentence-initial capitals mid-sentence; other languages keep every capital."""
    return SENTENCE_INITIAL_ONLY if language.lower().startswith("en") else frozenset()


class FieldText:
    """One field's dictation: the text before the cursor, committed finals, and one replaceable interim.

    ``before`` is what precedes the cursor when dictation into this field starts. A client that can read
    the field passes its text; one that cannot passes what it inserted there last, or ``""`` for a field
    it has not typed into, which counts as the start of the field. ``after`` is what follows the cursor:
    when it starts with a word, inserted text ends with one space so the two do not run together, and a
    final that starts with closing punctuation takes that space back.

    Edits take back as few characters as they can (``minimal_edits``, for typing, where every backspace
    shows); an editor that styles its interim text gets the whole interim replaced instead.
    """

    def __init__(self, before: str = "", after: str = "", *, lowercase_words: frozenset[str] = SENTENCE_INITIAL_ONLY,
                 minimal_edits: bool = True) -> None:
        self._committed = before[-CONTEXT_CHARACTERS:]
        self._needs_separator = _starts_with_word(after[:CONTEXT_CHARACTERS])
        self._separator = False
        """The committed text ends with a space added only to keep ``after`` apart."""
        self._interim = ""
        self._segments: list[str] = []
        self._last_final_start: float | None = None
        self._last_final_end = float("-inf")
        self._lowercase_words = lowercase_words
        self._minimal_edits = minimal_edits

    @property
    def text(self) -> str:
        """Everything believed to be before the cursor now, interim included."""
        return self._committed + self._interim

    @property
    def interim(self) -> str:
        """The interim text currently shown, as inserted (with its joining space)."""
        return self._interim

    @property
    def segments(self) -> tuple[str, ...]:
        """The finals inserted in this field, in order, each as it was inserted."""
        return tuple(self._segments)

    def apply(self, segment: Segment) -> Edit | None:
        """The edit a segment calls for, or ``None`` when the segment is dropped.

        A final replaces the shown interim and becomes committed; a final with the same ``start`` as the
        previous final is a repeat and is dropped. An interim replaces the previous interim, unless it
        starts before the last final's end (it belongs to audio already finalised) and is dropped.
        """
        if segment.is_final:
            if segment.start == self._last_final_start:
                return None
            self._last_final_start, self._last_final_end = segment.start, segment.end
        elif segment.start < self._last_final_end:
            return None
        return self._place(segment.text, segment.is_final)

    def insert(self, text: str) -> Edit:
        """A whole text inserted as a final of its own (paste-last, a paragraph break), joined like dictation."""
        return self._place(text, True)

    def scratch_that(self) -> Edit:
        """Takes back the shown interim and the last inserted final; an empty edit if there is none."""
        removed = len(self._interim)
        self._interim = ""
        if self._segments:
            last = self._segments.pop()
            self._committed = self._committed[: len(self._committed) - len(last)]
            removed += len(last)
        return Edit(delete=removed)

    def _place(self, text: str, is_final: bool) -> Edit:
        base = self._committed
        drops_separator = is_final and self._separator and _attaches_left(text)
        if drops_separator:
            base = base[:-1]
        replaced = self._committed[len(base):] + self._interim
        shown = join(base, text, lowercase_words=self._lowercase_words)
        separator = self._needs_separator and bool(shown) and not shown[-1].isspace()
        if separator:
            shown += " "
        if is_final:
            self._committed = base + shown
            self._separator = separator if shown else self._separator and not drops_separator
            self._interim = ""
            if shown:
                self._segments.append(shown)
        else:
            self._interim = shown
        return minimal_edit(replaced, shown) if self._minimal_edits else Edit(len(replaced), shown)


def _starts_with_word(after: str) -> bool:
    return bool(after) and not after[0].isspace() and after[0] not in ATTACHES_LEFT and (
        after[0].isalnum() or after[0] in OPENERS)


def _attaches_left(text: str) -> bool:
    stripped = text.lstrip(" \t")
    return bool(stripped) and stripped[0] in ATTACHES_LEFT
