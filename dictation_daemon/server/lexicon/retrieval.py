"""Finding the lexicon terms that sound like what the first decode heard. Pure computation, no I/O.

The model mishears a term it does not expect as ordinary words that sound like it, split at other
places ("at charvastatin", "pan to parazzo", "toms you listen"). So every stretch of one to three heard
words, run together, is compared with every term three ways: by its letters (Levenshtein ratio, which
finds "pantoprazole" in "pantoparazzo"), by its Metaphone key ("tamsulosin" in "tomsyoulisten",
"hemoptysis" in "hemopedassess"; a span that begins with a vowel also by :func:`sound_key`, which finds
"edema" in "idima"), and by its consonant skeleton (:func:`consonant_skeleton`: Soundex's
consonant classes over the whole word, vowels dropped), which survives the vowels and voicing the model
gets wrong ("apixaban" in "epicsofand", "gabapentin" in "giveapenton", "allopurinol" in
"illupyouremail"). Any of the three finds a candidate; the candidates are ranked by the mean of the three
similarities (a pair found one way only, two skeletons that happen to be equal, ranks low), plus a bonus
for how often the term is written at all (its Zipf frequency: of two terms that sound alike, the one
clinicians use wins over an obscure chemical name), less a penalty for how common the heard words are
(a common word heard is most likely what was said).

Candidates are only a shortlist for the second decode, which decides from the audio; they change no
text by themselves. Both comparisons use rapidfuzz (C++), whose score cut-off skips terms whose length
alone rules them out, so a segment of ten words is searched in a few tens of milliseconds.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import jellyfish
import numpy as np
from rapidfuzz import fuzz, process

if TYPE_CHECKING:
    from .collocations import Collocations

MAX_SPAN_WORDS = 4
"""Heard words run together into one candidate span: a term comes out as up to four words when the model
splits it at function words ("from bose to penia" for thrombocytopenia)."""

MIN_SPAN_LETTERS = 5
"""Shorter spans match too many short terms by chance."""

LETTER_CUTOFF = 72.0
"""Letter similarity (0–100) a term needs to be a candidate."""

SOUND_CUTOFF = 80.0
"""Metaphone similarity (0–100) a term needs to be a candidate: keys are short, so this is stricter."""

SKELETON_CUTOFF = 88.0
"""Skeleton similarity (0–100) a term needs to be a candidate."""

SLOT_CUTOFFS = (60.0, 70.0, 80.0)
"""Letter, Metaphone and skeleton similarity a term needs to be a candidate for English words heard in a
drug or finding phrase (:mod:`.slots`): looser than the cut-offs above, since the model's ordinary words are
further from the term than its unsure spellings are ("euros might" is 60 to "furosemide" by letters,
"search relying" 71 to "sertraline" by sound), and only the common terms of the phrase's kind
(:data:`COMMON_SLOT_ZIPF`) are searched."""

COMMON_SLOT_ZIPF = 1.0
"""How often (Zipf, in general English text) a drug or finding must be written to be taken for English
words heard in a phrase that names one: once per hundred million words, which about 900 prescribed drugs
are (apixaban 1.2, lisinopril 1.7, warfarin 2.6) and about 3,000 words of ICD-10-CM's diagnoses
(hematuria, erythema, syncope). Ordinary words sound like some rare brand too often: "a low salt" like
Algesal, "walking" like Wakix; a clinician is far likelier to have said what was heard than those."""

MIN_SKELETON = 4
"""Shorter skeletons (three consonant classes) are shared by too many terms to say anything."""

HEARD_WEIGHT = 3.0
"""Score points taken per Zipf unit of the rarest heard word in the span. Common words heard are most
likely what was said: "increase" (Zipf 5) loses 15 points, so its look-alike "incross" does not crowd out
"gabapentin" found in "give a penton" (whose "penton" has Zipf 1.5)."""

DOUBTFUL_ZIPF = 3.0
"""Heard words rarer than this (once per million words) make a segment worth a second look, and only a
run of words holding one may be replaced by a term. Of 41 misheard medical sentences, 30 have one; the
rest are common words only ("listen April", "on my own"), which are left as heard: ordinary words are
never replaced by a term."""

FUNCTION_WORD_ZIPF = 6.0
"""Words this common are English's function words ("to", "for", "my", "of"). A session's command phrases hold
some ("go to", "search for", "insert my"), yet a misheard term is often split at one ("pan to parazzo" for
pantoprazole, "clopia to grow" for clopidogrel), so they never end a span as the session's other words do."""

MAX_SPANS = 48
"""Spans searched per segment at most (each takes a few milliseconds): eight doubtful words' worth."""

SEARCH_CACHE = 4096
"""Spans whose search is remembered: a decode ahead and the final decode of the same span hear the same
words, and dictation repeats itself."""

PRIOR_WEIGHT = 2.0
"""Score points per Zipf unit: a term written once per million words (Zipf 3) gains 6 points over one
never seen in wordfreq's corpora."""

HITS_PER_SPAN = 8
"""Best terms kept from each span by letters and by Metaphone before the overall ranking."""



PER_START = 5
"""Best terms kept for the spans that start at each heard word, so that every misheard stretch of a
sentence has its own candidates, however many look-alikes another stretch has ("hypercholine" has dozens
of "hyper-" terms, which must not crowd out "lisinopril" for "listen April")."""

MAX_CANDIDATES = 32
"""Terms given to the second decode: about a third of Whisper's prompt."""


class Slot(enum.Enum):
    """What a phrase of a sentence names, by its grammar (:mod:`.slots`), and so which terms may be heard
    in its English words."""

    DRUG = "drug"
    """A prescribed drug: the words after a medication order's verb."""
    FINDING = "finding"
    """A condition, sign or body part of ICD-10-CM's diagnoses, or a procedure: the words after
    "reports", "shows", "underwent"."""


@dataclass(frozen=True)
class _SlotIndex:
    """The common terms of one kind (:class:`Slot`), as searched for English words heard in its phrases."""

    positions: np.ndarray  # of the terms in the lexicon
    names: dict[int, str]
    sounds: dict[int, str]
    vowel_sounds: dict[int, str]
    skeletons: list[str]


_SOUNDEX_CLASSES = str.maketrans("bfpvcgjkqsxzdtlmnr", "111122222222334556", "aeiouyhw")


def consonant_skeleton(letters: str) -> str:
    """The word's consonants as Soundex classes, repeats merged, vowels dropped: "apixaban" → "1215".

    Soundex itself keeps only the first letter and three classes; a term needs all of them.
    """
    classes = letters.translate(_SOUNDEX_CLASSES)
    return "".join(value for position, value in enumerate(classes) if position == 0 or classes[position - 1] != value)


def sound_key(letters: str) -> str:
    """The Metaphone key of ``letters``, a leading vowel written "A" as Double Metaphone writes it: the model
    gets a word's first vowel wrong as often as its others ("adema", "idima" for edema), and Metaphone
    drops every other vowel but keeps that one (ATM, ITM, ETM).

    The merge and :mod:`.collocations` compare with it. The search looks a span that begins with a vowel up
    by both keys: "idima" (ITM) is 67 alike to edema (ETM) by Metaphone's, 100 by this one. By this key
    alone, the candidates changed for many sentences, and the trust set's slt, kal and rms voices spelled
    137, 84 and 120 terms, against 138, 87 and 117; by both, 141, 87 and 118 against 140, 87 and 117."""
    return _first_vowel_as_a(jellyfish.metaphone(letters))


def _first_vowel_as_a(key: str) -> str:
    """A Metaphone key with its leading vowel, if it has one, written "A" (:func:`sound_key`)."""
    return "A" + key[1:] if key[:1] in ("E", "I", "O", "U") else key


def heard_key(word: str) -> str:
    """A word as compared with terms: its letters only, lower case ("Lisinopril," → "lisinopril")."""
    return "".join(character for character in word.lower() if character.isalpha())


def without_marks(word: str) -> str:
    """A word without the punctuation the model wrote after it ("sin," → "sin")."""
    return word.rstrip(".,;:!?")


def carries_mark(word: str) -> bool:
    """Whether the model wrote punctuation after a word: a phrase, a clause or a run of words ends there."""
    return without_marks(word) != word


class MedicalLexicon:
    """Medical terms with their sound keys and how common each is, searchable by what was heard.

    ``terms`` maps each term (lower case, one word) to its Zipf frequency in general English text
    (0 where the word is too rare to be listed); ``word_frequency`` gives the same for any heard word,
    which tells an English word from an unsure spelling. ``drugs`` are the terms that name a prescribed
    drug, ``generics`` those of them that are generic names, ``findings`` the words of diagnoses
    (ICD-10-CM); the common ones of each (:data:`COMMON_SLOT_ZIPF`) alone may be heard in the English words
    of a phrase that names their kind (:mod:`.slots`). A drug is never a finding. ``collocations`` are the
    pairs of words that diagnoses write together (:meth:`respelt_pairs`).
    """

    def __init__(
        self, terms: Mapping[str, float], word_frequency: Callable[[str], float] = lambda word: 0.0,
        drugs: Collection[str] = (), findings: Collection[str] = (), generics: Collection[str] = (),
        collocations: Collocations | None = None,
    ) -> None:
        self._collocations = collocations
        self._word_frequency = word_frequency
        self._brands = frozenset(drugs) - frozenset(generics)
        self.terms: tuple[str, ...] = tuple(sorted(terms))
        self._prior = tuple(terms[term] for term in self.terms)
        self._in_use_terms = tuple(term for term, prior in zip(self.terms, self._prior) if prior > 0)
        self._sounds = tuple(jellyfish.metaphone(term) for term in self.terms)
        self._vowel_sounds = tuple(_first_vowel_as_a(key) for key in self._sounds)
        self._skeletons = tuple(consonant_skeleton(term) for term in self.terms)
        self._index = {term: index for index, term in enumerate(self.terms)}
        self._slot_of: dict[str, Slot] = {}
        for slot, members in ((Slot.FINDING, findings), (Slot.DRUG, drugs)):
            self._slot_of.update(
                (term, slot) for term in members if term in self._index and word_frequency(term) >= COMMON_SLOT_ZIPF)
        self._slot_indexes = {slot: self._slot_index(slot) for slot in Slot}
        self._similar = functools.lru_cache(maxsize=SEARCH_CACHE)(self._search)

    def doubtful(self, words: Sequence[str]) -> bool:
        """Whether the model wrote a word it may have misheard a term as: one rarer than
        :data:`DOUBTFUL_ZIPF`, or no word at all ("epiksaben", "commie", "penton"). A sentence of common
        words and common terms has none, and is not searched or decoded again."""
        return any(self.is_doubtful(key) for word in words for part in word.split("-") if (key := heard_key(part)))

    def is_doubtful(self, key: str) -> bool:
        """Whether a heard word (key) is one the model may have misheard a term as (see :meth:`doubtful`).

        A rare word of the lexicon counts too: "penton" (a viral protein) is far likelier a misheard
        "gabapentin" than what a clinician said."""
        return self._word_frequency(key) < DOUBTFUL_ZIPF

    def frequency(self, key: str) -> float:
        """How often a heard word (key) is written in general English text (Zipf; 0 where it is not listed)."""
        return self._word_frequency(key)

    def is_english(self, key: str) -> bool:
        """Whether a heard word (key) is a word of general English rather than a term or a misspelling."""
        return key not in self._index and self._word_frequency(key) > 0

    def is_written(self, key: str) -> bool:
        """Whether a heard word (key) is one people write: an English word, or a term in use ("pulmonary"),
        as opposed to the model's unsure spelling of one ("levothroxine")."""
        return self.is_english(key) or self.in_use(key)

    def is_function_word(self, key: str) -> bool:
        """Whether a heard word (key) is one of English's function words (:data:`FUNCTION_WORD_ZIPF`)."""
        return self._word_frequency(key) >= FUNCTION_WORD_ZIPF

    def may_be_misspelt(self, term: str) -> bool:
        """Whether an unsure spelling may be taken for ``term`` (:mod:`.merge`, step 1): any term but a
        brand name that general text has never written ("Givlaari", "Alertec"), which an unsure "givlores"
        or "alertic" is far likelier to resemble by chance than to be. Such a brand is still taken where
        the second decode spells it whole."""
        return term not in self._brands or self._word_frequency(term) > 0

    def slot_of(self, term: str) -> Slot | None:
        """The kind of phrase in whose English words ``term`` may be heard: a drug or a finding written
        often enough (:data:`COMMON_SLOT_ZIPF`), else ``None``."""
        return self._slot_of.get(term)

    def in_use(self, term: str) -> bool:
        """Whether ``term`` is written at all in general text (listed by its frequency), not only in
        specialist word lists."""
        index = self._index.get(term)
        return index is not None and self._prior[index] > 0

    def closest_in_use(self, letters: str) -> str | None:
        """The term in use spelled most like ``letters`` (a word key), if one is at least
        :data:`LETTER_CUTOFF` alike: what an unsure spelling is most likely of, among all the terms people
        write, candidates or not."""
        found = process.extractOne(letters, self._in_use_terms, scorer=fuzz.ratio, score_cutoff=LETTER_CUTOFF)
        return None if found is None else found[0]

    def respelt_pairs(self, words: Sequence[str], ignored: Collection[str] = ()) -> list[str]:
        """``words`` with the misheard half of each pair of words that diagnoses write together respelt
        ("gastroesophageal reflex" → "reflux", :mod:`.collocations`); no word of ``ignored`` (keys) is."""
        if self._collocations is None:
            return list(words)
        return self._collocations.respelt(words, self.is_function_word, ignored)

    def __len__(self) -> int:
        return len(self.terms)

    def __contains__(self, word: object) -> bool:
        return word in self._index

    def candidates(
        self, words: Sequence[str], ignored: Collection[str] = (), limit: int = MAX_CANDIDATES,
        slots: Mapping[int, Slot] | None = None, *, named_only: bool = False,
    ) -> list[str]:
        """The terms most like some span of ``words`` (as the model wrote them), best first; with ``named_only``,
        the common drugs and findings (:meth:`slot_of`) only.

        Only spans that may become a term (:mod:`.merge`) are searched: those that hold a doubtful word,
        and, for the common terms of its kind only, those inside one drug or finding phrase (``slots``,
        from :func:`.slots.term_slots`) and not beside an unsure spelling, where a term heard as common
        words is not penalised for them. At most :data:`MAX_SPANS` are searched: the cost is bounded
        however long the segment. No span holds a word of ``ignored`` (keys): the session's punctuation
        and command words, which are meant as they are, except function words (:data:`FUNCTION_WORD_ZIPF`).
        """
        keyed = [(index, key) for index, word in enumerate(words)
                 for part in word.split("-") if (key := heard_key(part))]
        keys = [key for _index, key in keyed]
        slot_at = [(slots or {}).get(index) for index, _key in keyed]
        settled = [key in ignored and not self.is_function_word(key) for key in keys]
        doubtful = [self.is_doubtful(key) for key in keys]
        unwritten = [not self.is_written(key) for key in keys]
        best: dict[int, float] = {}
        searched = 0
        for start in range(len(keys)):
            here: dict[int, float] = {}
            for stop in range(start + 1, min(start + MAX_SPAN_WORDS, len(keys)) + 1):
                span = "".join(keys[start:stop])
                if settled[stop - 1]:
                    break
                unsure = any(doubtful[start:stop])
                # English words beside an unsure spelling are searched with it, as part of its term.
                slot = slot_at[start] if len(set(slot_at[start:stop])) == 1 else None
                named = slot is not None and not any(unwritten[max(start - 1, 0) : stop + 1])
                if len(span) < MIN_SPAN_LETTERS or not (unsure or named) or searched >= MAX_SPANS:
                    continue
                searched += 1
                heard = min(self._word_frequency(key) for key in keys[start:stop]) if unsure else 0.0
                for index in self._similar(span, None if unsure else slot):
                    if named_only and self.terms[index] not in self._slot_of:
                        continue
                    score = self._likeness(span, index) + PRIOR_WEIGHT * self._prior[index] - HEARD_WEIGHT * heard
                    here[index] = max(score, here.get(index, score))
            for index in sorted(here, key=here.__getitem__, reverse=True)[:PER_START]:
                best[index] = max(here[index], best.get(index, here[index]))
        ranked = sorted(best, key=lambda index: (-best[index], self.terms[index]))
        return [self.terms[index] for index in ranked[:limit]]

    def named_candidates(self, words: Sequence[str], ignored: Collection[str] = ()) -> list[str]:
        """The common drugs and findings (:meth:`slot_of`) among the terms most like some unsure span of
        ``words``, best first.

        These are for the second decode's own words: prompted with terms, it often spells one it was not
        given nearly right ("sencop" for syncope, "duxacycline" for doxycycline), where the first decode's
        words ("Senko", "docs aside line") had not brought it into the prompt. Only the terms clinicians
        name are looked for: a near spelling is as close to some rare Latin or chemical name ("nocturna"
        for "necturnal") as to the word that was said. They are ranked among themselves, so that the rare
        look-alikes of a span do not crowd them out: "spelano medley" has five terms closer than
        splenomegaly. Only spans of words nobody writes are searched: the terms the second decode wrote
        are settled, and a sentence without such a word costs no search."""
        keys = [key for word in words for part in word.split("-") if (key := heard_key(part))]
        if all(self.is_written(key) or key in self._index for key in keys):
            return []
        settled = {*ignored, *(key for key in keys if key in self._index)}
        return self.candidates(words, settled, named_only=True)

    def _slot_index(self, slot: Slot) -> _SlotIndex:
        positions = np.array(sorted(self._index[term] for term, kind in self._slot_of.items() if kind is slot),
                             dtype=np.int64)
        return _SlotIndex(positions, {int(index): self.terms[index] for index in positions},
                          {int(index): self._sounds[index] for index in positions},
                          {int(index): self._vowel_sounds[index] for index in positions},
                          [self._skeletons[index] for index in positions])

    def _search(self, span: str, slot: Slot | None) -> frozenset[int]:
        """Indexes of the terms close to ``span`` by letters, sound (either key, :func:`sound_key`) or
        skeleton; of the common terms of ``slot``'s kind only, by looser cut-offs (:data:`SLOT_CUTOFFS`), if
        one is given."""
        if slot is not None:
            letter_cutoff, sound_cutoff, skeleton_cutoff = SLOT_CUTOFFS
            index = self._slot_indexes[slot]
            names, sounds, vowel_sounds, skeletons = index.names, index.sounds, index.vowel_sounds, index.skeletons
        else:
            letter_cutoff, sound_cutoff, skeleton_cutoff = LETTER_CUTOFF, SOUND_CUTOFF, SKELETON_CUTOFF
            names, sounds, vowel_sounds, skeletons = self.terms, self._sounds, self._vowel_sounds, self._skeletons
        by_letters = process.extract(span, names, scorer=fuzz.ratio, limit=HITS_PER_SPAN, score_cutoff=letter_cutoff)
        metaphone = jellyfish.metaphone(span)
        vowel_key = _first_vowel_as_a(metaphone)
        by_sound = process.extract(metaphone, sounds, scorer=fuzz.ratio, limit=HITS_PER_SPAN, score_cutoff=sound_cutoff)
        if vowel_key != metaphone:  # the span begins with a vowel: its other key finds other terms
            by_sound.extend(process.extract(vowel_key, vowel_sounds, scorer=fuzz.ratio, limit=HITS_PER_SPAN,
                                            score_cutoff=sound_cutoff))
        found = {index for _term, _similarity, index in (*by_letters, *by_sound)}
        skeleton = consonant_skeleton(span)
        if len(skeleton) >= MIN_SKELETON:
            # Skeletons are short, so many terms share one: all that are close go to the ranking.
            scores = process.cdist([skeleton], skeletons, scorer=fuzz.ratio, score_cutoff=skeleton_cutoff)
            close = np.flatnonzero(scores[0])
            positions = self._slot_indexes[slot].positions[close] if slot is not None else close
            found.update(int(index) for index in positions)
        return frozenset(found)

    def _likeness(self, span: str, index: int) -> float:
        """How alike ``span`` and a term are, all three ways together: a term found one way only (two
        skeletons that happen to be equal) ranks below one that is alike every way."""
        return (fuzz.ratio(span, self.terms[index])
                + fuzz.ratio(jellyfish.metaphone(span), self._sounds[index])
                + fuzz.ratio(consonant_skeleton(span), self._skeletons[index])) / 3
