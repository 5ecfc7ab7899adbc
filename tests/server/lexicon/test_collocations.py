"""Respelling the misheard half of a pair of words that diagnoses write together."""

from __future__ import annotations

from dictation_daemon.server.lexicon.collocations import Collocations

FUNCTION_WORDS = {"the", "a", "of", "for", "to", "with", "and"}

DIAGNOSES = [
    *[["gastroesophageal", "reflux", "disease"]] * 5,
    ["gastroesophageal", "laceration"],
    *[["pleural", "effusion"]] * 4,
    ["pleural", "plaque"], ["malignant", "pleural", "effusion"],
    *[["acute", word] for word in ("stress", "kidney", "kidney", "pain", "pain", "bronchitis", "cystitis", "gout")],
    ["acute", "stress"], ["reflex", "sympathetic", "dystrophy"], ["reflex", "sympathetic", "dystrophy"],
]
PAIRS = Collocations(DIAGNOSES)


def respelt(text: str, ignored: frozenset[str] = frozenset()) -> str:
    return " ".join(PAIRS.respelt(text.split(), FUNCTION_WORDS.__contains__, ignored))


def test_the_word_heard_right_says_what_its_neighbour_is() -> None:
    assert respelt("Continue pantoprazole for gastroesophageal reflex.") == (
        "Continue pantoprazole for gastroesophageal reflux.")
    assert respelt("A small plural effusion.") == "A small pleural effusion."


def test_both_words_are_respelt_where_each_predicts_the_other() -> None:
    assert respelt("The chest film shows a small plural f fusion.") == "The chest film shows a small pleural effusion."
    assert respelt("Plural f fusion, left") == "Pleural effusion, left"


def test_a_word_with_many_partners_says_nothing_about_the_next() -> None:
    """"acute" is followed by "stress" in 2 of its 9 pairs: below a quarter, so "distress" stays."""
    assert respelt("No acute distress.") == "No acute distress."


def test_a_pair_the_diagnoses_write_stays_as_heard() -> None:
    assert respelt("reflex sympathetic dystrophy") == "reflex sympathetic dystrophy"
    assert respelt("pleural plaque") == "pleural plaque"


def test_words_unlike_the_pair_stay() -> None:
    assert respelt("gastroesophageal disease") == "gastroesophageal disease"  # "disease" is not "reflux"
    assert respelt("the plural form") == "the plural form"


def test_a_run_never_crosses_a_mark_a_function_word_or_a_session_word() -> None:
    assert respelt("gastroesophageal. Reflex") == "gastroesophageal. Reflex"
    assert respelt("plural of fusion") == "plural of fusion"
    assert respelt("gastroesophageal reflex", frozenset({"reflex"})) == "gastroesophageal reflex"


def test_a_pair_written_by_one_diagnosis_only_is_not_enough() -> None:
    pairs = Collocations([["gastroesophageal", "reflux"], ["other", "words"]])
    assert pairs.respelt(["gastroesophageal", "reflex"], FUNCTION_WORDS.__contains__) == [
        "gastroesophageal", "reflex"]
    assert ("gastroesophageal", "reflux") in pairs and len(pairs) == 2


def test_only_words_side_by_side_are_a_pair() -> None:
    """A short word between two ("of", "to") is part of the description, not a gap to close."""
    pairs = Collocations([["fracture", "of", "femur"]] * 3)
    assert ("fracture", "femur") not in pairs and len(pairs) == 0
    assert pairs.respelt(["fracture", "lemur"], FUNCTION_WORDS.__contains__) == ["fracture", "lemur"]


def test_no_word_heard_whole_is_lost_to_a_word_heard_as_two() -> None:
    """"diagram show" sounds like "diagram" (TKRMX, TKRM): taken as one word heard in two pieces, it would
    lose the "show" that was said."""
    pairs = Collocations([["chest", "diagram"]] * 3)
    assert pairs.respelt("chest diagram show".split(), FUNCTION_WORDS.__contains__) == ["chest", "diagram", "show"]
    assert pairs.respelt("chest dia gran".split(), FUNCTION_WORDS.__contains__) == ["chest", "diagram"]


def test_no_pair_of_common_words_is_respelt_to() -> None:
    """Diagnoses write "toxic effect" a thousand times; "the medication takes effect" is still what was said."""
    pairs = Collocations([["toxic", "effect"]] * 5, is_common={"toxic", "effect", "takes"}.__contains__)
    assert pairs.respelt("the medication takes effect".split(), FUNCTION_WORDS.__contains__) == (
        "the medication takes effect".split())
    assert Collocations([["toxic", "effect"]] * 5).respelt(["takes", "effect"], FUNCTION_WORDS.__contains__) == [
        "toxic", "effect"]
