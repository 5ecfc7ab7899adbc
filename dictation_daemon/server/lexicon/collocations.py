"""Respelling the misheard half of a pair of words that diagnoses write together. Pure computation, no I/O.

Where a medical word sounds like a commoner English one, the model writes the English one, and is sure of
it: "gastroesophageal reflex" for reflux, "plural effusion" for pleural effusion. Neither a second decode
nor the lexicon's search can tell such a word from what was said, since it is a word people write. Its
neighbour can: ICD-10-CM's diagnoses write "gastro-esophageal" before "reflux" five times in six, and
never before "reflex". So two neighbouring heard words are respelt as a pair of words that diagnoses
write together (:class:`Collocations`) when each is spelled or sounds almost like its word of the pair
(:data:`RESPELL_SIMILARITY`) and:

* the heard words are not a pair that diagnoses write themselves;
* diagnoses write the pair at least :data:`MIN_PAIR_DIAGNOSES` times, and general English seldom writes
  either of its words (see :class:`Collocations`);
* the word heard right predicts the respelt one: at least :data:`MIN_SHARE` of the pairs that begin (or
  end) with it are this pair. "No acute distress" stays: of the 857 pairs the diagnoses begin with
  "acute", one is "acute stress", and a word with so many partners says nothing about the next one.
  Where both words are respelt ("plural f fusion"), each must predict the other.

A word respelt may have been heard as two ("f fusion"), never across a function word or a punctuation
mark, and never one of the session's own words (its commands and spoken punctuation). Ordinary English
pairs stay as they are: they are not written in diagnoses in the first place, and a pair the diagnoses
write that sounds like them is held to the tests above.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from .retrieval import carries_mark, heard_key, sound_key, without_marks

RESPELL_SIMILARITY = 85.0
"""How alike (0–100, by letters or by Metaphone key) a heard word and the word it is respelt as must be:
"reflex" and "reflux" (100 by sound), "plural" and "pleural" (92 by letters), "f fusion" and "effusion"
(93). It is the similarity at which the merge snaps an unsure spelling to a term (:mod:`.merge`)."""

MIN_SOUND_LETTERS = 4
"""Shorter words are compared by letters only: their Metaphone keys are a letter or two."""

MIN_PAIR_DIAGNOSES = 2
"""Diagnoses that must write a pair for it to count: one alone may be a chance neighbourhood."""

MIN_SHARE = 0.25
"""The share of a word's pairs in the diagnoses (after it, or before it) that the pair respelt to must
have, so that the word heard right says what its neighbour is: "gastroesophageal" is followed by
"reflux" in 5 of its 6 pairs, "pleural" by "effusion" in 4 of 10; "acute" by "stress" in 1 of 857."""

MIN_WORD_LETTERS = 3
"""Words of diagnoses shorter than this ("of", "to") are not part of a pair."""


@dataclass(frozen=True)
class _Respelling:
    """A run of heard words ``[start:stop]`` and the pair of words it is respelt as."""

    start: int
    stop: int
    pair: tuple[str, str]
    likeness: float


class Collocations:
    """The pairs of neighbouring words that ICD-10-CM's diagnoses write, with how many diagnoses write each.

    ``descriptions`` are the diagnoses' words, lower case, with hyphenated words written as one
    ("gastroesophageal"). A pair is counted once per diagnosis, however often it writes it.

    ``is_common`` says which words general English writes often; no pair holding one is respelt to.
    Diagnoses write many pairs of common words ("toxic effect", "incomplete lesion", "systemic onset"),
    and ordinary speech is full of pairs that sound like them: run over 20 million words of English prose
    (the documentation of a Debian system), respelling to such pairs changed 2,592 lines ("takes effect"
    to "toxic effect", "complete solution" to "incomplete lesion"); with pairs of words written less than
    once per million words, 12 lines, every one "parse plan" to "pars plana".
    """

    def __init__(self, descriptions: Iterable[Sequence[str]],
                 is_common: Callable[[str], bool] = lambda word: False) -> None:
        counts: Counter[tuple[str, str]] = Counter()
        for words in descriptions:
            counts.update(pair for pair in set(zip(words, words[1:]))
                          if min(len(pair[0]), len(pair[1])) >= MIN_WORD_LETTERS)
        begun: Counter[str] = Counter()
        ended: Counter[str] = Counter()
        for (first, second), count in counts.items():
            begun[first] += count
            ended[second] += count
        self._pairs = frozenset(counts)
        self._after: dict[str, list[str]] = defaultdict(list)  # first word → the second words it predicts
        self._before: dict[str, list[str]] = defaultdict(list)  # second word → the first words it predicts
        mutual: set[str] = set()
        for (first, second), count in counts.items():
            if count < MIN_PAIR_DIAGNOSES or is_common(first) or is_common(second):
                continue
            predicts_second = count >= MIN_SHARE * begun[first]
            predicts_first = count >= MIN_SHARE * ended[second]
            if predicts_second:
                self._after[first].append(second)
            if predicts_first:
                self._before[second].append(first)
            if predicts_second and predicts_first:
                mutual.add(first)
        self._mutual_firsts = sorted(mutual)

    def __len__(self) -> int:
        return len(self._pairs)

    def __contains__(self, pair: object) -> bool:
        return pair in self._pairs

    def respelt(self, words: Sequence[str], is_function_word: Callable[[str], bool],
                ignored: Collection[str] = ()) -> list[str]:
        """``words`` (as the model wrote them) with each misheard half of a pair respelt (see above),
        keeping the capital of the first word of the run and the punctuation after its last."""
        keys = [heard_key(word) for word in words]
        movable = [bool(key) and not is_function_word(key) and key not in ignored for key in keys]
        respelt: list[str] = []
        position = 0
        while position < len(words):
            found = self._respelling_at(position, words, keys, movable)
            if found is None:
                respelt.append(words[position])
                position += 1
                continue
            first, second = found.pair
            if words[position][:1].isupper():
                first = first.capitalize()
            last = words[found.stop - 1]
            respelt.extend([first, second + last[len(without_marks(last)):]])
            position = found.stop
        return respelt

    def _respelling_at(self, start: int, words: Sequence[str], keys: Sequence[str],
                       movable: Sequence[bool]) -> _Respelling | None:
        """The best respelling of a run of two or three heard words from ``start``, if one passes."""
        best: _Respelling | None = None
        for first_width, second_width in ((1, 1), (1, 2), (2, 1)):
            stop = start + first_width + second_width
            if stop > len(words) or not all(movable[start:stop]):
                continue
            if any(carries_mark(word) for word in words[start : stop - 1]):
                continue  # a run never crosses a mark
            first_pieces, second_pieces = keys[start : start + first_width], keys[start + first_width : stop]
            heard_first, heard_second = "".join(first_pieces), "".join(second_pieces)
            if first_width == second_width == 1 and (heard_first, heard_second) in self._pairs:
                continue  # the diagnoses write what was heard
            for pair in self._pairs_like(heard_first, heard_second, first_width, second_width):
                if not (_heard_whole(first_pieces, pair[0]) and _heard_whole(second_pieces, pair[1])):
                    continue
                likeness = _likeness(heard_first, pair[0]) + _likeness(heard_second, pair[1])
                if best is None or likeness > best.likeness:
                    best = _Respelling(start, stop, pair, likeness)
        return best

    def _pairs_like(self, heard_first: str, heard_second: str, first_width: int,
                    second_width: int) -> list[tuple[str, str]]:
        """The pairs that the heard words may be respelt as: one word heard right that predicts the other,
        or two that predict each other, each alike to its heard word (the first of two respelt words
        found by its letters, which a pair's words are searched by)."""
        pairs: list[tuple[str, str]] = []
        if first_width == 1:
            pairs.extend((heard_first, second) for second in self._after.get(heard_first, ())
                         if second != heard_second and _alike(heard_second, second))
        if second_width == 1:
            pairs.extend((first, heard_second) for first in self._before.get(heard_second, ())
                         if first != heard_first and _alike(heard_first, first))
        for first, _score, _index in process.extract(heard_first, self._mutual_firsts, scorer=fuzz.ratio,
                                                      score_cutoff=RESPELL_SIMILARITY, limit=None):
            pairs.extend((first, second) for second in self._after[first]
                         if first in self._before.get(second, ()) and second != heard_second
                         and first != heard_first and _alike(heard_second, second))
        return pairs


def _heard_whole(pieces: Sequence[str], word: str) -> bool:
    """Whether a word heard as ``pieces`` needs them all: it is more alike to them together than to any
    one alone. "f fusion" is effusion (93 together, 86 for "fusion"); "diagram show" is not "diagram",
    which would lose the "show" that was said."""
    if len(pieces) == 1:
        return True
    together = _likeness("".join(pieces), word)
    return all(together > _likeness(piece, word) for piece in pieces)


def _alike(heard: str, word: str) -> bool:
    return _likeness(heard, word) >= RESPELL_SIMILARITY


def _likeness(heard: str, word: str) -> float:
    """How alike a heard key and a word are, by letters or, for words long enough, by Metaphone key."""
    letters = fuzz.ratio(heard, word)
    if min(len(heard), len(word)) < MIN_SOUND_LETTERS:
        return letters
    return max(letters, fuzz.ratio(sound_key(heard), sound_key(word)))
