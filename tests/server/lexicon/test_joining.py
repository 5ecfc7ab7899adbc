"""Joining a term the model wrote in two pieces."""

from __future__ import annotations

from dictation_daemon.server.lexicon import MedicalLexicon, join_split_terms

FREQUENCIES = {"photo": 4.7, "phobia": 3.3, "echo": 4.4, "a": 7.4, "typical": 4.6, "with": 7.1, "her": 6.6}
LEXICON = MedicalLexicon(
    {"photophobia": 2.2, "echocardiogram": 2.5, "neuropathy": 2.9, "atypical": 3.5, "cardiogram": 1.9,
     "pathy": 0.0, "photomap": 0.0},
    word_frequency=lambda word: FREQUENCIES.get(word, 0.0),
)


def joined(text: str) -> str:
    return " ".join(join_split_terms(text.split(), LEXICON))


def test_two_pieces_of_a_term_become_the_term() -> None:
    assert joined("She has photo phobia with her migraine.") == "She has photophobia with her migraine."
    assert joined("An echo cardiogram.") == "An echocardiogram."


def test_the_first_piece_keeps_its_capital_and_the_second_its_punctuation() -> None:
    assert joined("Echo cardiogram, normal.") == "Echocardiogram, normal."


def test_a_hyphenated_term_is_written_as_one_word() -> None:
    assert joined("for neuro-pathy.") == "for neuropathy."


def test_an_article_is_not_glued_to_the_next_word() -> None:
    assert joined("a typical day") == "a typical day"


def test_a_piece_that_ends_a_phrase_is_not_joined() -> None:
    assert joined("photo, phobia") == "photo, phobia"


def test_pieces_of_a_term_nobody_writes_stay_apart() -> None:
    assert joined("photo map") == "photo map"


def test_numbers_and_other_words_are_untouched() -> None:
    assert joined("Take 1-2 tablets with her meals.") == "Take 1-2 tablets with her meals."
