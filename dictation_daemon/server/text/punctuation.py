"""The three punctuation modes of a session (spec §4, §5): spoken, automatic, none.

* ``spoken``: only the punctuation the speaker says is written. The model's own punctuation is dropped
  first, so "period." (Whisper's habit of ending a clip with ".") gives one ".", not two. Every §5 word
  is punctuation, as the spec says, even where it is also an ordinary word ("dot", "colon", "period",
  "dash"), except right after a word that only ever comes before a noun (:data:`NOUN_MAKERS`: "the
  colon", "a period of two weeks", "sigmoid colon"): no punctuation mark follows "the", so there the
  word is the noun, and a word dictated as text stays text. "hyphen" joins the words around it ("follow hyphen up" → "follow-up"); "dash" is a spaced
  dash ("stable dash improving" → "stable - improving"); "slash" joins ("and slash or" → "and/or").
  Spoken punctuation words themselves are plain ASCII (§5), and said twice they are written twice,
  except that repeats of . , ; : collapse and a comma next to a sentence end is dropped.
* ``automatic``: the model's own punctuation, tidied the same way, with typographic quotes and dashes
  made ASCII. Spoken punctuation words stay words.
* ``none``: words only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

from .tokens import Mark, Token, Word
from .words import HeardWord

PERIOD = Mark(".", False, True, capitalise_next=True)
COMMA = Mark(",", False, True)
COLON = Mark(":", False, True)
SEMICOLON = Mark(";", False, True)
EXCLAMATION = Mark("!", False, True, capitalise_next=True)
QUESTION = Mark("?", False, True, capitalise_next=True)
ELLIPSIS = Mark("...", False, True)
NEW_LINE = Mark("\n", False, False)
NEW_PARAGRAPH = Mark("\n\n", False, False, capitalise_next=True)
HYPHEN = Mark("-", False, False)
DASH = Mark("-", True, True)
SLASH = Mark("/", False, False)
OPEN_QUOTE = Mark('"', True, False)
CLOSE_QUOTE = Mark('"', False, True)
OPEN_PAREN = Mark("(", True, False)
CLOSE_PAREN = Mark(")", False, True)
PERCENT = Mark("%", False, True)

PunctuationMode = Literal["spoken", "automatic", "none"]


NEAR_MISSES = {
    "open parent": OPEN_PAREN, "close parent": CLOSE_PAREN, "closed parent": CLOSE_PAREN,
    "open parens": OPEN_PAREN, "close parens": CLOSE_PAREN,
}
"""How the model writes some punctuation words when it mishears them, where the words it writes cannot
be meant as they are: "open parent" is tiny.en's usual spelling of "open paren" (Whisper knows
"parent", not the abbreviation), and no dictated sentence opens or closes a parent. "common" for
"comma" is not here: "common bile duct" and "common cold" are dictated as they are."""


NOUN_MAKERS = frozenset({
    "the", "a", "an", "this", "that", "these", "those", "his", "her", "its", "their", "my", "your", "our",
    "each", "every", "no", "any", "some", "whole", "entire",
    "sigmoid", "ascending", "descending", "transverse", "proximal", "distal",
})
"""Words after which a punctuation word is a noun: determiners, and the parts of the colon."""


def _spoken_table() -> dict[tuple[str, ...], Mark]:
    """§5's English words, each spelling as a tuple of word keys."""
    table: dict[str, Mark] = {
        "period": PERIOD, "full stop": PERIOD, "dot": PERIOD,
        "comma": COMMA,
        "new line": NEW_LINE, "next line": NEW_LINE, "newline": NEW_LINE,
        "new paragraph": NEW_PARAGRAPH, "next paragraph": NEW_PARAGRAPH,
        "exclamation mark": EXCLAMATION, "exclamation point": EXCLAMATION,
        "question mark": QUESTION,
        "colon": COLON,
        "semicolon": SEMICOLON, "semi colon": SEMICOLON, "semi-colon": SEMICOLON,
        "hyphen": HYPHEN, "dash": DASH,
        "slash": SLASH, "forward slash": SLASH,
        "percent": PERCENT, "percent sign": PERCENT,
        "open paren": OPEN_PAREN, "open parenthesis": OPEN_PAREN, "open bracket": OPEN_PAREN,
        "end bracket": CLOSE_PAREN,
    }
    for closing in ("close", "closed"):
        for noun in ("paren", "parenthesis", "bracket"):
            table[f"{closing} {noun}"] = CLOSE_PAREN
    for near_miss, mark in NEAR_MISSES.items():
        table[near_miss] = mark
    for noun in ("quote", "quotation", "quotation mark"):
        table[f"open {noun}"] = OPEN_QUOTE
        table[f"close {noun}"] = CLOSE_QUOTE
        table[f"closed {noun}"] = CLOSE_QUOTE
    return {tuple(words.split()): mark for words, mark in table.items()}


SPOKEN_PUNCTUATION = _spoken_table()
_LONGEST_SPOKEN = max(len(words) for words in SPOKEN_PUNCTUATION)


def punctuate(words: Sequence[HeardWord], mode: PunctuationMode) -> list[Token]:
    """The words of one final as tokens, with punctuation per ``mode``."""
    if mode == "spoken":
        return tidy(_spoken(words))
    if mode == "automatic":
        return tidy(_automatic(words))
    return [Word(word.text, word.key) for word in words]


def _spoken(words: Sequence[HeardWord]) -> list[Token]:
    tokens: list[Token] = []
    keys = [word.key for word in words]
    position = 0
    while position < len(words):
        for length in range(min(_LONGEST_SPOKEN, len(words) - position), 0, -1):
            mark = SPOKEN_PUNCTUATION.get(tuple(keys[position : position + length]))
            if mark is not None and not (position and keys[position - 1] in NOUN_MAKERS):
                tokens.append(mark)
                position += length
                break
        else:
            tokens.append(Word(words[position].text, words[position].key))
            position += 1
    return tokens


def _automatic(words: Sequence[HeardWord]) -> list[Token]:
    tokens: list[Token] = []
    for word in words:
        tokens.extend(_model_marks(word.before, opening=True))
        tokens.append(Word(word.text, word.key))
        tokens.extend(_model_marks(word.after, opening=False))
    return tokens


def _model_marks(punctuation: str, *, opening: bool) -> Iterable[Mark]:
    """Reads the model's punctuation next to a word; quotes and brackets open before it, close after."""
    position = 0
    while position < len(punctuation):
        if punctuation.startswith(("...", "--"), position):
            yield ELLIPSIS if punctuation[position] == "." else DASH
            position += 3 if punctuation[position] == "." else 2
            continue
        mark = _model_mark(punctuation[position], opening=opening)
        if mark is not None:
            yield mark
        position += 1


def _model_mark(character: str, *, opening: bool) -> Mark | None:
    if character in "\"“”„":
        return OPEN_QUOTE if opening else CLOSE_QUOTE
    if character in "([{":
        return OPEN_PAREN
    if character in ")]}":
        return CLOSE_PAREN
    if opening:
        return None
    return {
        ".": PERIOD, ",": COMMA, ":": COLON, ";": SEMICOLON, "!": EXCLAMATION, "?": QUESTION,
        "…": ELLIPSIS, "—": DASH, "–": DASH, "-": DASH,
    }.get(character)


_COLLAPSING = {".", ",", ";", ":"}
_SENTENCE_ENDS = {".", "!", "?"}


def tidy(tokens: list[Token]) -> list[Token]:
    """Drops a repeated . , ; : and a comma touching a sentence end (",." → ".", ".," → ".")."""
    result: list[Token] = []
    for token in tokens:
        previous = result[-1] if result else None
        if isinstance(token, Mark) and isinstance(previous, Mark):
            if token.text == previous.text and token.text in _COLLAPSING:
                continue
            if token.text == "," and previous.text in _SENTENCE_ENDS:
                continue
            if previous.text == "," and token.text in _SENTENCE_ENDS:
                result[-1] = token
                continue
        result.append(token)
    return result
