"""Where a clinician names a drug or a finding: the words after a medication order's verb, or after the
words that introduce what was found. Pure.

A term is otherwise never put in place of English words alone (:mod:`.merge`): "after the stent" must
not become "aftertaste". Yet tiny.en hears a term it does not know as ordinary words more often than
as a misspelling ("Hold listen April" for lisinopril, "Give euros might" for furosemide, "He reports
dysuria and how much area" for hematuria, "There is error thema" for erythema), and then nothing else in
the sentence says a term was misheard. The sentence's own grammar does:

* The words right after "start", "hold", "give", "continue" or "switch ... to" name what is started or
  held, a drug far more often than not in a clinical note (a **drug phrase**).
* The words right after "reports", "complains of", "shows", "reveals", "there is", "history of",
  "episode of", "consistent with", "rule out", "underwent", an order's "for", or "before" and "after"
  name what was found or done: a condition, a sign, a body part or a procedure (a **finding phrase**).

There, and only there, a term of that kind that the second decode wrote may replace the English words it
sounds like; an English word said in that place ("Start walking", "He reports feeling better") comes out
of the second decode as said and stays. Only the terms of each kind that are written in general text
are looked for there (:data:`.retrieval.COMMON_SLOT_ZIPF`: ordinary words sound like some rare brand or
rare anatomical name too often), and the engine looks only in a sentence Whisper was unsure of
(``UNSURE_LOGPROB`` in :mod:`..engine.whisper`).

A phrase starts after its cue and runs for at most :data:`MAX_PHRASE_WORDS` words, up to a word that ends
it (:data:`PHRASE_ENDS`: "for", "because", "at", ...) or to punctuation. A list goes on after "and", "or"
and "to" ("Continue albuterol and tiotropium", "Switch warfarin to rivaroxaban", "reports dysuria and
hematuria"), which are in the phrase too: a name's end may be heard as one ("epics of and" for apixaban).
A cue inside a phrase begins a new one in the same way: "for a large of a night as" is "for allergic
rhinitis", and the phrase after "for" would end before the "-itis" heard as "a night as".
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from .retrieval import Slot, carries_mark, heard_key

ORDER_VERBS = frozenset({
    "start", "starts", "started", "starting", "begin", "began", "begun", "restart", "restarted", "resume",
    "resumed", "continue", "continued", "continuing", "hold", "held", "holding", "give", "gave", "given",
    "giving", "add", "added", "discontinue", "discontinued", "stop", "stopped", "switch", "switched",
    "change", "changed", "increase", "increased", "decrease", "decreased", "reduce", "reduced", "taper",
    "tapered", "prescribe", "prescribed", "administer", "administered", "takes", "taking", "took", "try",
})
"""The verbs of a medication order, in the forms a note uses; the words after them name a drug."""

FINDING_CUES = frozenset({
    "reports", "reported", "complains", "denies", "denied", "shows", "showed", "reveals", "revealed",
    "demonstrates", "demonstrated", "underwent", "perform", "performed", "has", "had", "is", "are", "was",
    "of", "with", "out", "for", "before", "after", "following",
})
"""The words after which a note names what was found or done: "reports", "shows", "has", "there is",
"history of", "consistent with", "rule out", "underwent", the reason for an order ("Start
spironolactone for ascites"), and the event an order or a finding is timed by, most often a procedure
("Hold metformin before the angiogram", "pain after the colonoscopy"); the last word of a longer cue is
enough."""

LIST_WORDS = frozenset({"and", "an", "or", "to", "plus", "then"})
"""Words after which a phrase names another term ("X and Y", "switch X to Y"); "an" is also how the model
hears an "and" before a vowel ("Continue met form an insulin large in" for metformin and insulin glargine)."""

CONNECTIVES = frozenset({
    "for", "because", "at", "before", "after", "since", "until", "due", "every", "as", "if", "when", "with",
    "without", "per", "by",
})
"""Words that end a phrase by introducing what follows it: the reason, the time or the dose."""

PHRASE_ENDS = CONNECTIVES | {"daily", "weekly", "nightly", "twice", "once"}
"""Words that end a phrase: a connective, or a time that is said on its own."""

MAX_PHRASE_WORDS = 5
"""Heard words a term spans at most: "live a theory rock sign" for levothyroxine and "you clop it a grill"
for clopidogrel (rms voice). With four, the second decode spelled both, and "stern and" (sternum) at the
end of "tenderness over the stern and", yet the merge kept the heard words, whose last one lay outside the
phrase. With five, term recall on rms went from 62.3% to 65.3% and on kal from 46.7% to 47.3%, slt's was
unchanged, and kal wrote one diagnosis that was not said ("anaphylaxis" for "an f like to")."""

DANGLING_WORDS = CONNECTIVES | {"a", "an", "the", "and", "or", "of", "to", "from", "in", "on"}
"""Words that need more after them: a clause heard ending on one ("There is tenderness over the stern and
period" for the sternum) lost its last word to them."""

def term_slots(words: Sequence[str], clause_ends: Collection[str] = ()) -> dict[int, Slot]:
    """The positions of ``words`` (as the model wrote them) that lie in a drug or a finding phrase, with
    the kind of term the phrase names; a drug phrase wins where the two meet.

    ``clause_ends`` are the spoken words that end a clause ("period", "comma"): a connective
    (:data:`CONNECTIVES`) right before one, as before punctuation or at the end, introduces nothing and
    ends no phrase. It is the end of a misheard term: "-itis" heard as "as" in "for man and jate as
    period" (meningitis) or "consistent with choline guide as" (cholangitis)."""
    return {**_phrases(words, FINDING_CUES, Slot.FINDING, clause_ends),
            **_phrases(words, ORDER_VERBS, Slot.DRUG, clause_ends)}


def _phrases(
    words: Sequence[str], cues: Collection[str], slot: Slot, clause_ends: Collection[str],
) -> dict[int, Slot]:
    positions: dict[int, Slot] = {}
    start: int | None = None  # where the phrase being read began
    for index, word in enumerate(words):
        key = heard_key(word)
        ends = key in PHRASE_ENDS and not (key in CONNECTIVES and _ends_clause(words, index, clause_ends))
        in_phrase = start is not None and index - start < MAX_PHRASE_WORDS and not ends
        if in_phrase:
            positions[index] = slot  # a list word too: the model may have heard a name's end as "and"
            if (key in LIST_WORDS or key in cues) and index > start:
                start = index + 1  # the list's next term, or a phrase that a cue in this one begins
        else:
            start = index + 1 if key in cues else None
        if carries_mark(word):
            start = None
    return positions


def _ends_clause(words: Sequence[str], index: int, clause_ends: Collection[str]) -> bool:
    """Whether nothing of the clause follows ``words[index]``: it is the last word, carries a mark, or a
    spoken mark comes next."""
    return (index == len(words) - 1 or carries_mark(words[index])
            or heard_key(words[index + 1]) in clause_ends)


def dangles(words: Sequence[str], clause_ends: Collection[str] = ()) -> bool:
    """Whether a clause of ``words`` ends on a word that needs more after it (:data:`DANGLING_WORDS`): the
    model was less sure of the words than it says. ``clause_ends`` are as for :func:`term_slots`."""
    return any(heard_key(word) in DANGLING_WORDS and _ends_clause(words, index, clause_ends)
               for index, word in enumerate(words))
