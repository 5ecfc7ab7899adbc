"""Drug phrases: the words after a medication order's verb, where a drug name heard as English is looked for."""

from __future__ import annotations

from dictation_daemon.server.lexicon import drug_phrases


def _phrase_words(text: str) -> list[str]:
    words = text.split()
    return [words[position] for position in sorted(drug_phrases(words))]


def test_the_words_after_an_order_verb_are_a_drug_phrase() -> None:
    assert _phrase_words("Hold listen April because of hyperkalemia.") == ["listen", "April"]
    assert _phrase_words("Started epics of and for atrial fibrillation.") == ["epics", "of", "and"]


def test_a_phrase_ends_at_the_reason_or_at_punctuation() -> None:
    assert _phrase_words("Give euros might for pulmonary edema.") == ["euros", "might"]
    assert _phrase_words("Continue metformin. Patient is stable.") == ["metformin."]


def test_a_list_of_drugs_goes_on_after_and_or_to() -> None:
    assert _phrase_words("Continue albuterol and tiotropium inhalers.") == ["albuterol", "and", "tiotropium", "inhalers."]
    assert _phrase_words("Switch more foreign to river x sub.") == ["more", "foreign", "to", "river", "x", "sub."]


def test_a_phrase_holds_at_most_four_words() -> None:
    assert _phrase_words("Start ill up your email now please") == ["ill", "up", "your", "email"]


def test_sentences_without_an_order_have_no_drug_phrase() -> None:
    assert _phrase_words("He tends to scratch that area at night.") == []
    assert _phrase_words("The stent was placed after the procedure.") == []
