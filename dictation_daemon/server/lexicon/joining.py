"""Joining a term the model wrote in two pieces ("photo phobia", "echo cardiogram", "neuro-pathy"). Pure.

Whisper writes a long term it is unsure of as pieces it knows as words of their own, split where the term's
parts meet. Where two neighbouring words (or the two halves of a hyphenated word), run together, are a
lexicon term in real use, the term is what was said: a clinician does not dictate "photo" and then "phobia".
Each piece needs :data:`MIN_PIECE_LETTERS` letters, so that an article is never glued to the word after it
("a typical day" stays), and a piece that ends in punctuation ends a phrase, so it is not joined.
"""

from __future__ import annotations

from collections.abc import Sequence

from .retrieval import MedicalLexicon, heard_key

MIN_PIECE_LETTERS = 3
"""Letters each piece needs: shorter ones are articles and prepositions ("a", "in", "an")."""


def join_split_terms(words: Sequence[str], lexicon: MedicalLexicon) -> list[str]:
    """``words`` with each term written in two pieces written as one word, keeping the first piece's capital
    and the punctuation after the second."""
    joined: list[str] = []
    position = 0
    while position < len(words):
        word = words[position]
        pieces = word.split("-")
        if len(pieces) == 2 and (term := _term_of(pieces[0], pieces[1], lexicon)):
            joined.append(term)
        elif position + 1 < len(words) and (term := _term_of(word, words[position + 1], lexicon)):
            joined.append(term)
            position += 1
        else:
            joined.append(word)
        position += 1
    return joined


def _term_of(first: str, second: str, lexicon: MedicalLexicon) -> str | None:
    """The term ``first`` and ``second`` are the pieces of, as written in their place, or ``None``."""
    if not first.isalpha():
        return None  # "photo," ends a phrase; "2-3" is not a word
    head, tail = heard_key(first), heard_key(second)
    if len(head) < MIN_PIECE_LETTERS or len(tail) < MIN_PIECE_LETTERS or not second[:len(tail)].isalpha():
        return None
    term = head + tail
    if not lexicon.in_use(term):
        return None
    written = term.capitalize() if first[0].isupper() else term
    return written + second[len(tail):]
