"""Taking a term from the second decode only where it replaced words that sound like it. Pure.

Three steps. The first two can only put a retrieved candidate term in place of words that sound like it;
the third only replaces words nobody writes:

1. In the second decode, and in the first where the second gave no term, a word that nobody writes (no
   English word and no term in use), alone or run together with the word after it unless that is a
   function word, or with the two after it where the first of them is one ("clopia to girl"; whichever
   is closest, the longer on a tie), spelled almost like a candidate in real use ("levothroxine",
   "vancomy sin", "exaparin": :data:`SNAP_SIMILARITY`) is that candidate, if the candidate is itself rare
   and not a brand that general text has never written ("givlores" is not Givlaari). The model was unsure
   there, and the lexicon says what the unsure spelling is of; a common word ("furious" for "furos") is
   one the model would have spelled had it heard it. The candidates here include the common drugs and
   findings the second decode's own unsure spellings sound like ("sencop" is syncope), which the first
   decode's words may not have brought into the prompt. The first decode is snapped after step 2, so that
   a word heard as part of the term goes with it: "low sartan" is "losartan" where the second decode wrote
   it, not "low losartan". A real word is never snapped: "display" stays "display" even beside "dyspnea",
   and a term in use stays itself ("pulmonary" is not the plant "pulmonaria"); nor is a spelling snapped to
   a term nobody writes (a rare chemical name that happens to be close), nor to a candidate when another
   term in use is closer still: "crepitis" is crepitus, which no heard word made a candidate, not the
   candidate capitis, and it stays as written rather than become a word that was not said.
2. The second decode, prompted with the candidates, may also change words that have nothing to do with them
   (a different article, a dropped filler). Those changes are not what it was asked for and are not more
   likely right, so the first decode's words stand everywhere except in a region where the second decode
   wrote a candidate term in real use (or one of the session's keyterms) in place of first-decode words that
   sound like it, one of which at least is doubtful (rare, or no word at all: "commie" in "van commie sin"),
   and never in place of English words alone, however rare: one at least must be a term or no word at all.
   Ordinary words are never replaced: "He denies" does not become "hedonist", "after the stent" not
   "aftertaste", "amiable" not "amphibole", "pancreas" stays though "pancrease" is a brand of enzyme
   capsules. The one exception is a drug or finding phrase (:mod:`.slots`: "Hold listen April because
   ...", "He reports dysuria and how much area"), where a common term of the phrase's kind (any the second
   decode wrote, candidate or not) may replace the English words it sounds like: there a clinician names a
   drug or a finding, and "listen April" is what the model makes of lisinopril when it does not expect it.
   One common word is not replaced by a common term, though: the model spells both when it hears them
   ("shortness of breath" does not become "breast").
   A term heard right stays itself: a term in use that alone sounds as much like the replacement as all
   the words replaced do ("assist" in "He denies him a team assist" is a piece of a misheard
   "hematemesis", not a term heard right). In a drug or finding phrase, that is a term of the phrase's
   kind ("arthritis" does not become "arthrodesis"; "reverse", a word of diagnoses, is a piece of the
   drug in "Switch warfarin to reverse seven"). Elsewhere it is a term written at least as often as the
   one the second decode put there: prompted with candidates, the second decode is drawn to them, and
   the first wrote its term unasked ("jejunum" does not become "jejuni", "neuropathic" does become
   "neuropathy").
   An English word at the edge of such a region that the term does not sound like ("for" in
   "levothroxine for" → "levothyroxine") stays: the region shrinks to the words the term replaced. Words
   the second decode wrote around a term go with the term, and only with it.
3. Where the first decode wrote only words that nobody writes and the second wrote English words that
   sound like them, in no more words ("The next section shows mild idima" → "edema"), those are taken,
   though they are no candidate. A word nobody writes is never what was said, and the second decode heard
   the same audio with medical words in mind. The lexicon lacks the medical words that English
   dictionaries hold ("edema", "reflux", "effusion"), so it cannot offer them as candidates. A word
   people write is never replaced this way, and a term of the lexicon comes only through step 2.

A sentence of English words with no drug or finding phrase keeps its first-decode words exactly, whatever
the second decode did.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from difflib import SequenceMatcher

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from .retrieval import MedicalLexicon, Slot, carries_mark, heard_key, sound_key, without_marks

SNAP_SIMILARITY = 85.0
"""Similarity (0–100, by letters or by Metaphone key, read plainly or as Greek: :func:`greek_sound`) at
which an unsure spelling is taken for the candidate it is closest to: "semagluetide" (96 to "semaglutide"
by letters), "exaparin" (89 to "enoxaparin"), "perinolactone" (93 to "spironolactone" by sound) and
"hyperchylemia" (100 to "hyperkalemia" read as Greek) are, while two different drugs that share a stem
("hydroxyzine", "hydralazine": 73 by letters, 77 by sound) stay apart."""

MIN_SNAP_LETTERS = 70.0
"""Letter similarity a snap needs as well: Metaphone keys of short words are too coarse alone ("parazzo"
and "porous" share the key PRS, at 46 by letters)."""

MIN_REGION_SIMILARITY = 55.0
"""How alike (letters or sound, 0–100) the replaced words and the replacement must be."""

LEFT_OUT_LETTER_COST = 0.5
"""What leaving a heard letter out of the replaced part costs, in edits (see :func:`_replaced_part`)."""

MAX_EXTRA_WORDS = 1
"""A replacement may hold at most this many words more than what it replaces."""


def take_terms(
    first: str, second: str, terms: Sequence[str], lexicon: MedicalLexicon, keyterms: Collection[str] = (),
    slots: Mapping[int, Slot] | None = None,
) -> str:
    """The first decode's words, with the regions where ``second`` wrote one of ``terms``, or a common drug
    or finding, instead.

    ``keyterms`` are the session's own words (keys), taken like terms in use. ``slots`` are the positions of
    ``first``'s words that lie in a drug or finding phrase (:func:`.slots.term_slots`), where a term of the
    phrase's kind may replace English words; the caller gives none where it trusts the first decode.
    """
    in_use = [term for term in terms if lexicon.in_use(term) or term in keyterms]
    rare = [term for term in in_use
            if (lexicon.is_doubtful(term) and lexicon.may_be_misspelt(term)) or term in keyterms]
    # The first decode's unsure spellings are snapped only where the second decode gave no term: snapped
    # first, "low sartan" would become "low losartan" beside the second decode's "losartan".
    first_words = first.split()
    second_words = snap_to_terms(second.split(), rare, lexicon)
    first_keys = [heard_key(word) for word in first_words]
    second_keys = [heard_key(word) for word in second_words]
    # A common drug or finding the second decode wrote is taken like a candidate: the prompt's terms make
    # the model write the ones it knows, candidates or not ("warfarin" for "more far into").
    in_use.extend(dict.fromkeys(
        key for key in second_keys if lexicon.slot_of(key) is not None and key not in in_use))
    slot_at = [slots.get(position) for position in range(len(first_words))] if slots else [None] * len(first_words)
    taken: list[str] = []
    matcher = SequenceMatcher(None, first_keys, second_keys, autojunk=False)
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        heard, replacement = first_words[i1:i2], second_words[j1:j2]
        heard_keys, replacement_keys = first_keys[i1:i2], second_keys[j1:j2]
        if operation == "equal":
            taken.extend(heard)
        elif _is_english_respelling(heard_keys, replacement_keys, lexicon):
            taken.extend(replacement)
        elif _is_term_for(heard_keys, replacement_keys, in_use, lexicon, set(slot_at[i1:i2]) - {None}):
            taken.extend(_merged_region(heard, replacement, heard_keys, replacement_keys, in_use, lexicon,
                                        slot_at[i1:i2]))
        else:
            taken.extend(heard)
    return " ".join(snap_to_terms(taken, rare, lexicon))


def _merged_region(heard: list[str], replacement: list[str], heard_keys: list[str], replacement_keys: list[str],
                   terms: Collection[str], lexicon: MedicalLexicon, slot_at: Sequence[Slot | None]) -> list[str]:
    """``heard`` with the terms of ``replacement`` put in place of the words they sound like.

    Words the second decode wrote around or between its terms are taken only word for word, where each is
    spelled almost like the heard word it stands for ("Given" → "Give"); otherwise the heard words stay,
    since the second decode may have run several of them together ("after the stent" → "aftertaste"). With
    several words, the heard words are shared out among them by fewest edits, and each term is held to the
    same test as a whole region: it must replace a doubtful word and not English words alone, or be a drug
    or finding replacing words all in one phrase of its kind (``slot_at``: the phrase of each heard word).
    Where no term passes, the region stays as heard, the words written around them included.
    """
    first_term = next(index for index, key in enumerate(replacement_keys) if key in terms)
    last_term = max(index for index, key in enumerate(replacement_keys) if key in terms) + 1
    trail_start = len(heard) - (len(replacement) - last_term)
    lead = _word_for_word(heard_keys[:first_term], replacement_keys[:first_term])
    trail = _word_for_word(heard_keys[trail_start:], replacement_keys[last_term:])
    # The heard words the other written words stand for stay out of the terms' part: "albuteral
    # anti-utrapium" → "albuterol antitiotropium" replaces "albuteral" alone.
    runs = _shared_out(heard_keys, replacement_keys)
    lo = first_term if lead else runs[first_term][0]
    hi = trail_start if trail else runs[last_term - 1][1]
    if hi <= lo:
        return heard
    core, core_keys = replacement[first_term:last_term], replacement_keys[first_term:last_term]
    start, stop = _replaced_part(heard_keys[lo:hi], core_keys, lexicon.is_english)
    start, stop = lo + start, lo + stop
    merged = [*(replacement[:first_term] if lead else heard[:lo]), *heard[lo:start]]
    pieces = _shared_out(heard_keys[start:stop], core_keys)
    any_term = False
    for word, key, (piece_start, piece_stop) in zip(core, core_keys, pieces):
        piece = slice(start + piece_start, start + piece_stop)
        piece_slots = set(slot_at[piece])  # a phrase's kind counts only if it holds the whole piece
        if _is_term_for(heard_keys[piece], [key], terms, lexicon, set() if None in piece_slots else piece_slots):
            merged.append(word)
            any_term = True
        elif key not in terms and _word_for_word(heard_keys[piece], [key]):
            merged.append(word)
        else:
            merged.extend(heard[piece])
    if not any_term:  # the words written around the terms go with a term, and only with one
        return heard
    return [*merged, *heard[stop:hi], *(replacement[last_term:] if trail else heard[hi:])]


def _shared_out(heard: Sequence[str], written: Sequence[str]) -> list[tuple[int, int]]:
    """For each written word in turn, the run ``[start:stop]`` of heard words it stands for: consecutive runs
    (some may be empty) covering ``heard``, with the fewest letter edits between each word and its run."""
    if len(written) == 1:
        return [(0, len(heard))]
    infinity = float("inf")
    cost = [[infinity] * (len(written) + 1) for _ in range(len(heard) + 1)]
    came_from = [[0] * (len(written) + 1) for _ in range(len(heard) + 1)]
    cost[0][0] = 0.0
    for count in range(1, len(written) + 1):
        for end in range(len(heard) + 1):
            for begin in range(end + 1):
                edits = cost[begin][count - 1] + Levenshtein.distance("".join(heard[begin:end]), written[count - 1])
                if edits < cost[end][count]:
                    cost[end][count], came_from[end][count] = edits, begin
    runs: list[tuple[int, int]] = []
    end = len(heard)
    for count in range(len(written), 0, -1):
        begin = came_from[end][count]
        runs.append((begin, end))
        end = begin
    return runs[::-1]


def _word_for_word(heard_keys: Sequence[str], written_keys: Sequence[str]) -> bool:
    """Whether each written word stands for the heard word in its place, spelled almost the same."""
    return (bool(written_keys) and len(heard_keys) == len(written_keys)
            and all(fuzz.ratio(heard, written) >= SNAP_SIMILARITY for heard, written in zip(heard_keys, written_keys)))


def snap_to_terms(words: Sequence[str], terms: Sequence[str], lexicon: MedicalLexicon) -> list[str]:
    """``words`` with each unsure spelling of one of ``terms`` (step 1 above) replaced by the term, keeping
    the punctuation the model wrote after it. Words people write (English words and terms in use) are never
    snapped."""
    snapped: list[str] = []
    position = 0
    while position < len(words):
        snap = _best_snap(words[position : position + 3], terms, lexicon)
        if snap is None:
            snapped.append(words[position])
            position += 1
            continue
        term, width = snap
        snapped.append(term + _trailing_marks(words[position + width - 1]))
        position += width
    return snapped


def _best_snap(words: Sequence[str], terms: Sequence[str], lexicon: MedicalLexicon) -> tuple[str, int] | None:
    """The term the first word, or the first two or three run together, is an unsure spelling of, and how
    many words it takes: the closest ("clopia digrel" is clopidogrel, though "clopia" alone is close to
    cyclopia).

    A function word never ends a run: "chitis and" is close to chitosan, and snapping it would take "and"
    out of "pan korea chitis and cirrhosis" for good, whatever the second decode said there. A run of
    three bridges one, and only one: the model splits a name it does not know at a function word that
    sounds like a piece of it ("clopia to girl" for clopidogrel, "nitrofoir and point" for
    nitrofurantoin), and the first piece alone may be closer to another term ("clopia" to cyclopia).

    The longer run is the better reading of the two where it is as alike as the shorter one, since it
    accounts for more of what was heard. Where it is more alike, to another term, but its letters are too
    far for a snap (:data:`MIN_SNAP_LETTERS`), nothing is snapped: "clopia to grow" is 92 alike to
    clopidogrel by sound, "clopia" 86 to cyclopia, and a cyclopia written there would replace the
    clopidogrel that the other decode's "clopia to girl" is snapped to."""
    best: tuple[float, str, int] | None = None
    too_far: list[tuple[float, str, int]] = []  # runs alike to a term by sound, too far from it by letters
    for width in (1, 2, 3):
        keys = [heard_key(word) for word in words[:width]]
        if (len(keys) < width or not all(keys) or lexicon.is_written(keys[0]) or any(key in terms for key in keys)
                or lexicon.is_function_word(keys[-1]) or (width == 3 and not lexicon.is_function_word(keys[1]))
                or any(carries_mark(word) for word in words[: width - 1])):  # a run never crosses a mark
            continue
        letters = "".join(keys)
        found = max(terms, key=lambda term: _likeness(keys, [term]), default=None)
        if found is None:
            continue
        likeness = _likeness(keys, [found])
        if fuzz.ratio(letters, found) < MIN_SNAP_LETTERS:
            too_far.append((likeness, found, width))
            continue
        if likeness < SNAP_SIMILARITY or (best is not None and likeness < best[0]):
            continue
        rival = lexicon.closest_in_use(letters)
        if rival not in (None, found) and _likeness(keys, [rival]) > likeness:
            continue  # closer to a term that is no candidate: the candidates do not say what it is
        best = (likeness, found, width)
    if best is None or any(width > best[2] and found != best[1] and likeness > best[0]
                           for likeness, found, width in too_far):
        return None
    return best[1], best[2]


def _trailing_marks(word: str) -> str:
    """The punctuation the model wrote after a word ("sin," → ",")."""
    return word[len(without_marks(word)):]


def _is_term_for(heard: list[str], replacement: list[str], terms: Collection[str], lexicon: MedicalLexicon,
                 slots: Collection[Slot]) -> bool:
    """Whether ``replacement`` writes a term in place of ``heard``, which sound alike: heard words that are
    unsure (a doubtful word, not English words alone), or a common term of the kind of phrase (``slots``)
    the heard words are in."""
    if not heard or not replacement or len(replacement) > len(heard) + MAX_EXTRA_WORDS:
        return False
    written = [key for key in replacement if key in terms]
    if not written:
        return False
    # Real words heard are what was said ("amiable", not "amphibole"), except English words where a drug or
    # finding is named. A term heard that sounds as much like the replacement as all the heard words do is
    # what was said, not a piece of it ("assist" in "him a team assist"): in a phrase, one of the phrase's
    # kind ("arthritis", not "arthrodesis"); elsewhere, one at least as common as the term written.
    likeness = _likeness(heard, replacement)
    heard_right = [key for key in heard if lexicon.in_use(key) and _likeness([key], replacement) >= likeness]
    commonest = max(lexicon.frequency(key) for key in written)
    unsure = (not all(lexicon.is_english(key) for key in heard) and any(lexicon.is_doubtful(key) for key in heard)
              and not any(lexicon.frequency(key) >= commonest for key in heard_right))
    named = any(lexicon.slot_of(key) in slots for key in written) and not any(
        lexicon.slot_of(key) in slots for key in heard_right) and not _common_for_common(heard, written, lexicon)
    if not (unsure or named):
        return False
    return likeness >= MIN_REGION_SIMILARITY


def _common_for_common(heard: Sequence[str], written: Sequence[str], lexicon: MedicalLexicon) -> bool:
    """Whether one common English word was heard where the second decode wrote a common term: the model
    spells both when it hears them, so which was said is a coin toss, and the text heard stays ("shortness of
    breath" is not "breast", though "breast" is a finding)."""
    return (len(heard) == 1 and lexicon.is_english(heard[0]) and not lexicon.is_doubtful(heard[0])
            and not any(lexicon.is_doubtful(key) for key in written))


def _is_english_respelling(heard: list[str], replacement: list[str], lexicon: MedicalLexicon) -> bool:
    """Whether ``replacement`` writes English words, no more of them, in place of ``heard`` words that nobody
    writes and that sound like them (step 3 above)."""
    if not heard or not replacement or len(replacement) > len(heard):
        return False
    if any(lexicon.is_written(key) for key in heard) or not all(lexicon.is_english(key) for key in replacement):
        return False
    return _likeness(heard, replacement) >= MIN_REGION_SIMILARITY


def _replaced_part(heard: list[str], replacement: list[str], is_english: Callable[[str], bool]) -> tuple[int, int]:
    """The part ``[start:stop]`` of ``heard`` the replacement stands for.

    Only English words at the edges can stay out of it, and each letter left out costs half an edit: a word
    stays out when the replacement's letters are clearly fewer edits from the words without it, as with
    "for" in "levothroxine for" → "levothyroxine" (three edits fewer for three letters), not when it
    was part of the misheard name, as "give" in "give a penton" → "gabapentin" (no fewer) or "all" in
    "all my odorone" → "amiodarone" (one fewer for three letters).
    """
    target = "".join(replacement)
    best, lowest = (0, len(heard)), float(Levenshtein.distance("".join(heard), target))
    for start in range(len(heard)):
        if start and not is_english(heard[start - 1]):
            break
        for stop in range(len(heard), start, -1):
            if stop < len(heard) and not is_english(heard[stop]):
                break
            left_out = sum(len(word) for word in heard[:start] + heard[stop:])
            cost = Levenshtein.distance("".join(heard[start:stop]), target) + LEFT_OUT_LETTER_COST * left_out
            if cost < lowest:
                best, lowest = (start, stop), cost
    return best


def _likeness(heard: Sequence[str], replacement: Sequence[str]) -> float:
    """How alike two runs of word keys are, by letters or by sound (0–100)."""
    heard_letters, replacement_letters = "".join(heard), "".join(replacement)
    return max(
        fuzz.ratio(heard_letters, replacement_letters),
        fuzz.ratio(sound_key(heard_letters), sound_key(replacement_letters)),
        fuzz.ratio(greek_sound(heard_letters), greek_sound(replacement_letters)),
    )


def greek_sound(letters: str) -> str:
    """The Metaphone key of ``letters`` read as a word of Greek origin, where "ch" is said "k": the model
    writes a medical word's "k" as the "ch" of Greek spellings ("hyperchylemia" for hyperkalemia), which
    Metaphone reads as in "cheese" (HPRXLM against HPRKLM)."""
    return sound_key(letters.replace("ch", "k"))
