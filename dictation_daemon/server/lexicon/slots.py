"""Where a clinician names a drug: the words after a medication order's verb. Pure.

A term is otherwise never put in place of English words alone (:mod:`.merge`): "after the stent" must
not become "aftertaste". Yet tiny.en hears a drug name it does not know as ordinary words more often than
as a misspelling ("Hold listen April" for lisinopril, "Give euros might" for furosemide, "Start search
relying" for sertraline), and then nothing else in the sentence says a term was misheard. The sentence's
own grammar does: the words right after "start", "hold", "give", "continue" or "switch ... to" name
what is started or held, a drug far more often than not in a clinical note. There, and only there, a drug
name the second decode wrote may replace the English words it sounds like; a finding, a procedure, or an
English word said in that place ("Start walking", "Hold the dose") comes out of the second decode as
said and stays. Only the drugs written in general text are looked for there
(:data:`.retrieval.COMMON_DRUG_ZIPF`: ordinary words sound like some rare brand too often), and the
engine looks only in a sentence Whisper was unsure of (``UNSURE_LOGPROB`` in :mod:`..engine.whisper`).

A drug phrase starts after an order verb and runs for at most :data:`MAX_DRUG_WORDS` words, up to a word
that ends it (:data:`PHRASE_ENDS`: "for", "because", "at", ...) or to punctuation. A list goes on after
"and", "or" and "to" ("Continue albuterol and tiotropium", "Switch warfarin to rivaroxaban"), which are
in the phrase too: a name's end may be heard as one ("epics of and" for apixaban).
"""

from __future__ import annotations

from collections.abc import Sequence

from .retrieval import heard_key

ORDER_VERBS = frozenset({
    "start", "starts", "started", "starting", "begin", "began", "begun", "restart", "restarted", "resume",
    "resumed", "continue", "continued", "continuing", "hold", "held", "holding", "give", "gave", "given",
    "giving", "add", "added", "discontinue", "discontinued", "stop", "stopped", "switch", "switched",
    "change", "changed", "increase", "increased", "decrease", "decreased", "reduce", "reduced", "taper",
    "tapered", "prescribe", "prescribed", "administer", "administered", "takes", "taking", "took", "try",
})
"""The verbs of a medication order, in the forms a note uses; the words after them name a drug."""

LIST_WORDS = frozenset({"and", "or", "to", "plus", "then"})
"""Words after which a drug phrase names another drug ("X and Y", "switch X to Y")."""

PHRASE_ENDS = frozenset({
    "for", "because", "at", "before", "after", "since", "until", "due", "daily", "weekly", "nightly",
    "twice", "once", "every", "as", "if", "when", "with", "without", "per", "by",
})
"""Words that end a drug phrase: what follows is the reason, the time or the dose."""

MAX_DRUG_WORDS = 4
"""Heard words a drug name spans at most ("ill up your email" for allopurinol)."""

_PHRASE_MARKS = (".", ",", ";", ":", "?", "!")


def drug_phrases(words: Sequence[str]) -> frozenset[int]:
    """The positions of ``words`` (as the model wrote them) that lie in a drug phrase."""
    positions: set[int] = set()
    start: int | None = None  # where the drug phrase being read began
    for index, word in enumerate(words):
        key = heard_key(word)
        in_phrase = start is not None and index - start < MAX_DRUG_WORDS and key not in PHRASE_ENDS
        if in_phrase:
            positions.add(index)  # a list word too: the model may have heard a name's end as "and"
            if key in LIST_WORDS and index > start:
                start = index + 1  # the list's next drug
        else:
            start = index + 1 if key in ORDER_VERBS else None
        if word.endswith(_PHRASE_MARKS):
            start = None
    return frozenset(positions)
