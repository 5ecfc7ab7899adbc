"""Taking a term from the second decode only where it replaced words that sound like it. Pure.

Two steps, each of which can only put a retrieved candidate term in place of words that sound like it:

1. In each decode, a word that is no English word, alone or else run together with the word after it,
   that is spelled almost like a candidate in real use ("levothroxine", "vancomy sin", "exaparin":
   :data:`SNAP_SIMILARITY`) is that candidate. The model was unsure there, and the lexicon says what the
   unsure spelling is of. A real word is never snapped: "display" stays "display" even beside "dyspnea";
   nor is a spelling snapped to a term nobody writes (a rare chemical name that happens to be close).
2. The second decode, prompted with the candidates, may also change words that have nothing to do with
   them (a different article, a dropped filler). Those changes are not what it was asked for and are
   not more likely right, so the first decode's words stand everywhere except in a region where the
   second decode wrote a candidate term in real use (or one of the session's keyterms) in place of
   first-decode words that sound like it, one of which at least is doubtful (rare, or no word at all:
   "commie" in "van commie sin"), and never in place of one English word alone. Ordinary words are
   never replaced: "He denies" does not become "hedonist", "amiable" not "amphibole", "pancreas" stays
   though "pancrease" is a brand of enzyme capsules. An English
   word at the edge of such a region that the term does not sound like ("for" in "levothroxine for" →
   "levothyroxine") stays: the region shrinks to the words the term replaced.

A sentence with no word like a medical term keeps its first-decode words exactly, whatever the second
decode did.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from difflib import SequenceMatcher

import jellyfish
from rapidfuzz import fuzz

from .retrieval import MedicalLexicon, heard_key

SNAP_SIMILARITY = 85.0
"""Similarity (0–100, by letters or by Metaphone key) at which an unsure spelling is taken for the
candidate it is closest to: "semagluetide" (96 to "semaglutide" by letters), "exaparin" (89 to
"enoxaparin") and "perinolactone" (93 to "spironolactone" by sound) are, while two different drugs that
share a stem ("hydroxyzine", "hydralazine": 73 by letters, 77 by sound) stay apart."""

MIN_SNAP_LETTERS = 70.0
"""Letter similarity a snap needs as well: Metaphone keys of short words are too coarse alone ("parazzo"
and "porous" share the key PRS, at 46 by letters)."""

MIN_REGION_SIMILARITY = 55.0
"""How alike (letters or sound, 0–100) the replaced words and the replacement must be."""

EDGE_MARGIN = 10.0
"""How much more alike (0–100) the replacement must be to the heard words without an English word at the
edge for that word to stay: "levothroxine for" → "levothyroxine" gains 12 without "for", which stays,
while "give a penton" → "gabapentin" gains only 6 without "give", which was part of the misheard name."""

MAX_EXTRA_WORDS = 1
"""A replacement may hold at most this many words more than what it replaces."""


def take_terms(
    first: str, second: str, terms: Sequence[str], lexicon: MedicalLexicon, keyterms: Collection[str] = (),
) -> str:
    """The first decode's words, with the regions where ``second`` wrote one of ``terms`` instead.

    ``keyterms`` are the session's own words (keys), taken like terms in use.
    """
    in_use = [term for term in terms if lexicon.in_use(term) or term in keyterms]
    first_words = snap_to_terms(first.split(), in_use, lexicon.is_english)
    second_words = snap_to_terms(second.split(), in_use, lexicon.is_english)
    first_keys = [heard_key(word) for word in first_words]
    second_keys = [heard_key(word) for word in second_words]
    taken: list[str] = []
    matcher = SequenceMatcher(None, first_keys, second_keys, autojunk=False)
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        heard, replacement = first_words[i1:i2], second_words[j1:j2]
        if operation == "equal" or not _is_term_for(first_keys[i1:i2], second_keys[j1:j2], in_use, lexicon):
            taken.extend(heard)
            continue
        start, stop = _replaced_part(first_keys[i1:i2], second_keys[j1:j2], lexicon.is_english)
        taken.extend([*heard[:start], *replacement, *heard[stop:]])
    return " ".join(taken)


def snap_to_terms(words: Sequence[str], terms: Sequence[str], is_english: Callable[[str], bool]) -> list[str]:
    """``words`` with each unsure spelling of one of ``terms`` (step 1 above) replaced by the term, keeping
    the punctuation the model wrote after it; ``is_english`` tells the keys of English words."""
    snapped: list[str] = []
    position = 0
    while position < len(words):
        for width in (1, 2):
            group = words[position : position + width]
            keys = [heard_key(word) for word in group]
            if len(group) < width or not all(keys) or is_english(keys[0]):
                continue
            if any(key in terms for key in keys):
                continue
            found = max(terms, key=lambda term: _likeness(keys, [term]), default=None)
            if (found is not None and _likeness(keys, [found]) >= SNAP_SIMILARITY
                    and fuzz.ratio("".join(keys), found) >= MIN_SNAP_LETTERS):
                snapped.append(found + _trailing_marks(group[-1]))
                position += width
                break
        else:
            snapped.append(words[position])
            position += 1
    return snapped


def _trailing_marks(word: str) -> str:
    """The punctuation the model wrote after a word ("sin," → ",")."""
    stripped = word.rstrip(".,;:!?")
    return word[len(stripped):]


def _is_term_for(heard: list[str], replacement: list[str], terms: Collection[str], lexicon: MedicalLexicon) -> bool:
    if not heard or not replacement or len(replacement) > len(heard) + MAX_EXTRA_WORDS:
        return False
    if len(heard) == 1 and lexicon.is_english(heard[0]):
        return False  # one real word heard alone is what was said ("amiable", not "amphibole")
    if not any(lexicon.is_doubtful(key) for key in heard):
        return False
    if not any(key in terms for key in replacement):
        return False
    return _likeness(heard, replacement) >= MIN_REGION_SIMILARITY


def _replaced_part(heard: list[str], replacement: list[str], is_english: Callable[[str], bool]) -> tuple[int, int]:
    """The part ``[start:stop]`` of ``heard`` the replacement stands for: English words at either edge
    stay out of it when the replacement sounds clearly more like the heard words without them."""
    start, stop = 0, len(heard)
    while stop - start > 1:
        enough = _likeness(heard[start:stop], replacement) + EDGE_MARGIN
        if is_english(heard[stop - 1]) and _likeness(heard[start : stop - 1], replacement) >= enough:
            stop -= 1
        elif is_english(heard[start]) and _likeness(heard[start + 1 : stop], replacement) >= enough:
            start += 1
        else:
            break
    return start, stop


def _likeness(heard: Sequence[str], replacement: Sequence[str]) -> float:
    """How alike two runs of word keys are, by letters or by sound (0–100)."""
    heard_letters, replacement_letters = "".join(heard), "".join(replacement)
    return max(
        fuzz.ratio(heard_letters, replacement_letters),
        fuzz.ratio(jellyfish.metaphone(heard_letters), jellyfish.metaphone(replacement_letters)),
    )
