"""Word error rate, and the normalisation that makes a recognizer's spelling comparable with a script.

Raw WER compares lower-cased words with punctuation removed and nothing else, so "120" against "one
twenty" counts as errors. Normalised WER also writes every number as digits (text2num, then single
digits and ordinals, then adjacent digit groups joined: "one twenty" and "120" both become "120"), and
spells out the few abbreviations Whisper prefers ("Mr.", "mg", "%"). Both sides go through the same
function, so the normalisation cannot favour the recognizer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from text_to_num import alpha2digit

_SMALL_NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
_ORDINAL_SUFFIX = ("st", "nd", "rd", "th", "th", "th", "th", "th", "th", "th")
_SPELLED_OUT = {
    "mr": "mister", "mrs": "missus", "dr": "doctor", "mg": "milligrams", "mcg": "micrograms",
    "ml": "milliliters", "kg": "kilograms", "bp": "blood pressure", "%": "percent",
}
_DIGIT_SLASH = re.compile(r"(\d)\s*/\s*(\d)")
_PHRASE_BREAK = re.compile(r"[,;:!?]|\.(?!\d)")
_WORD = re.compile(r"[a-z0-9%]+(?:[.'][a-z0-9]+)*")


def words(text: str) -> list[str]:
    """Lower-case words with punctuation removed (hyphens and slashes separate words)."""
    return _WORD.findall(text.lower().replace("-", " ").replace("/", " "))


def normalised_words(text: str) -> list[str]:
    """:func:`words` with numbers as digits and common abbreviations spelled out.

    Digit groups are joined only within a phrase: "80, 2%" stays two numbers.
    """
    text = _DIGIT_SLASH.sub(r"\1 over \2", text).replace("%", " % ")
    return [token for phrase in _PHRASE_BREAK.split(text) for token in _normalised_phrase(phrase)]


def _normalised_phrase(phrase: str) -> list[str]:
    spelled = " ".join(_SPELLED_OUT.get(word, word) for word in words(phrase))
    tokens: list[str] = []
    for word in alpha2digit(spelled, "en").split():
        if word in _SMALL_NUMBERS:
            word = str(_SMALL_NUMBERS.index(word))
        elif word in _ORDINALS:
            number = _ORDINALS.index(word) + 1
            word = f"{number}{_ORDINAL_SUFFIX[number - 1]}"
        if tokens and word.isdigit() and tokens[-1].isdigit():
            tokens[-1] += word
        else:
            tokens.append(word)
    return tokens


def edit_distance(reference: list[str], hypothesis: list[str]) -> int:
    """Word-level Levenshtein distance: substitutions, deletions and insertions."""
    previous = list(range(len(hypothesis) + 1))
    for i, ref_word in enumerate(reference, start=1):
        current = [i]
        for j, hyp_word in enumerate(hypothesis, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref_word != hyp_word)))
        previous = current
    return previous[-1]


@dataclass(frozen=True)
class WordErrors:
    """Errors and reference words summed over a set of utterances; ``rate`` is the corpus WER."""

    errors: int
    reference_words: int

    @property
    def rate(self) -> float:
        return self.errors / self.reference_words if self.reference_words else 0.0


def word_error_rate(pairs: Iterable[tuple[str, str]], *, normalise: bool) -> WordErrors:
    """Corpus WER over (reference, hypothesis) pairs."""
    split = normalised_words if normalise else words
    errors = total = 0
    for reference, hypothesis in pairs:
        ref_words = split(reference)
        errors += edit_distance(ref_words, split(hypothesis))
        total += len(ref_words)
    return WordErrors(errors, total)
