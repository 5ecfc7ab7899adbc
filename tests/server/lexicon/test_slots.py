"""Drug and finding phrases: the words after a medication order's verb or a finding's cue, where a term
heard as English is looked for."""

from __future__ import annotations

from dictation_daemon.server.lexicon import dangles, term_slots
from dictation_daemon.server.lexicon.retrieval import Slot


def _phrase_words(text: str, slot: Slot = Slot.DRUG) -> list[str]:
    words = text.split()
    return [words[position] for position, kind in sorted(term_slots(words).items()) if kind is slot]


def test_the_words_after_an_order_verb_are_a_drug_phrase() -> None:
    assert _phrase_words("Hold listen April because of hyperkalemia.") == ["listen", "April"]
    assert _phrase_words("Started epics of and for atrial fibrillation.") == ["epics", "of", "and"]


def test_a_phrase_ends_at_the_reason_or_at_punctuation() -> None:
    assert _phrase_words("Give euros might for pulmonary edema.") == ["euros", "might"]
    assert _phrase_words("Continue metformin. Patient is stable.") == ["metformin."]


def test_a_list_of_drugs_goes_on_after_and_or_to() -> None:
    assert _phrase_words("Continue albuterol and tiotropium inhalers.") == ["albuterol", "and", "tiotropium", "inhalers."]
    assert _phrase_words("Switch more foreign to river x sub.") == ["more", "foreign", "to", "river", "x", "sub."]
    assert _phrase_words("Continue met form an insulin large in.") == [
        "met", "form", "an", "insulin", "large", "in."]


def test_a_phrase_holds_at_most_five_words() -> None:
    assert _phrase_words("Start live a theory rock sign now please") == ["live", "a", "theory", "rock", "sign"]


def test_sentences_without_an_order_have_no_drug_phrase() -> None:
    assert _phrase_words("He tends to scratch that area at night.") == []
    assert _phrase_words("The stent was placed after the procedure.") == []


def test_the_words_after_a_finding_cue_are_a_finding_phrase() -> None:
    assert _phrase_words("He reports dysuria and how much area.", Slot.FINDING) == [
        "dysuria", "and", "how", "much", "area."]
    assert _phrase_words("There is error thema and crap it is over the wound.", Slot.FINDING) == [
        "error", "thema", "and", "crap", "it", "is", "over", "the", "wound."]
    assert _phrase_words("She had an episode of Senko.", Slot.FINDING) == ["an", "episode", "of", "Senko."]


def test_a_cue_inside_a_phrase_begins_a_new_one() -> None:
    """"allergic rhinitis" heard as "a large of a night as": the phrase goes on after "of"."""
    assert _phrase_words("Start montelukast for a large of a night as.", Slot.FINDING) == [
        "a", "large", "of", "a", "night", "as."]


def test_the_reason_for_an_order_is_a_finding_phrase() -> None:
    assert _phrase_words("Start lisinopril for a site's.", Slot.FINDING) == ["a", "site's."]
    assert _phrase_words("Start lisinopril for a site's.") == ["lisinopril"]


def test_the_event_an_order_or_a_finding_is_timed_by_is_a_finding_phrase() -> None:
    """Most often a procedure: "before the angiogram", "after the colonoscopy"."""
    assert _phrase_words("Hold metformin before the anyagram.", Slot.FINDING) == ["the", "anyagram."]
    assert _phrase_words("Hold metformin before the anyagram.") == ["metformin"]
    assert _phrase_words("Pain began after the colon eska p.", Slot.FINDING) == ["the", "colon", "eska", "p."]


def test_a_finding_phrase_ends_where_a_drug_phrase_does() -> None:
    assert _phrase_words("She reports pain because of the fall.", Slot.FINDING) == ["pain", "the", "fall."]
    assert _phrase_words("She reports pain daily.", Slot.FINDING) == ["pain"]


def test_a_drug_phrase_wins_where_the_two_meet() -> None:
    slots = term_slots("Patient had to start listen April now".split())
    assert [slots[position] for position in (4, 5)] == [Slot.DRUG, Slot.DRUG]


def test_a_word_that_ends_a_phrase_ends_none_at_the_end_of_a_clause() -> None:
    """A clause's last word introduces no reason, time or dose: it is the tail of a misheard term."""
    def finding_words(text: str) -> list[str]:
        words = text.split()
        return [words[position] for position, kind in sorted(term_slots(words, {"period"}).items())
                if kind is Slot.FINDING]

    assert finding_words("Give ceftriaxone for man and jate as period") == ["man", "and", "jate", "as", "period"]
    assert finding_words("Consistent with choline guide as.") == ["choline", "guide", "as."]
    assert finding_words("He reports pain as needed period") == ["pain"]


def test_a_clause_that_ends_on_a_word_needing_more_dangles() -> None:
    assert dangles("There is tenderness over the stern and period".split(), {"period"})
    assert dangles("Tenderness over the stern and.".split())
    assert dangles("over the of, then more".split())
    assert not dangles("The patient reports chest pain radiating to the left arm period".split(), {"period"})
    assert not dangles("Go to plan section".split())
    assert not dangles("Start it now comma".split(), {"comma"})
