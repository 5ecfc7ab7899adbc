"""Capitalisation and spacing: the last step from tokens to the ``text`` of a final.

Capitalisation: a word after a sentence end (. ! ?) or a paragraph break is capitalised, looking past
any marks in between (a line break, a quote, a bracket, a list dash). The first word of a final is *not* capitalised here: only
the client knows whether the cursor sits at the start of a sentence (spec §8). "I" and its contractions
are always capitalised. Nothing is lower-cased here (see :mod:`.words` for the model's capitals).

Spacing: one space between two pieces when both want it (see :class:`.tokens.Mark`), so none before
, . : ; ! ? ) %, none after an opening quote or bracket, none around line breaks, a hyphen or a slash.
"""

from __future__ import annotations

from .tokens import Mark, Token, Word


def capitalise(tokens: list[Token]) -> list[Token]:
    result: list[Token] = []
    sentence_start = False
    for token in tokens:
        if isinstance(token, Mark):
            sentence_start = sentence_start or token.capitalise_next
            result.append(token)
            continue
        text = token.text
        if token.key == "i" or token.key.startswith("i'"):
            text = "I" + text[1:]
        elif sentence_start:
            text = text[:1].upper() + text[1:]
        sentence_start = False
        result.append(Word(text, token.key))
    return result


def join(tokens: list[Token]) -> str:
    parts: list[str] = []
    previous: Token | None = None
    for token in tokens:
        if previous is not None and _wants_space_after(previous) and _wants_space_before(token):
            parts.append(" ")
        parts.append(token.text)
        previous = token
    return "".join(parts).strip(" ")


def _wants_space_before(token: Token) -> bool:
    return isinstance(token, Word) or token.space_before


def _wants_space_after(token: Token) -> bool:
    return isinstance(token, Word) or token.space_after
