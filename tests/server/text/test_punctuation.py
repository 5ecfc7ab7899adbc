"""Punctuation modes (spec §4, §5) as the local server writes them."""

from __future__ import annotations

import pytest

from .helpers import final, pipeline, plain, spoken, text_of


@pytest.mark.parametrize(
    ("said", "written"),
    [
        ("stable period", "stable."),
        ("stable full stop", "stable."),
        ("stable dot", "stable."),
        ("stable comma afebrile", "stable, afebrile"),
        ("stable new line afebrile", "stable\nafebrile"),
        ("stable next line afebrile", "stable\nafebrile"),
        ("stable new paragraph afebrile", "stable\n\nAfebrile"),
        ("stable next paragraph afebrile", "stable\n\nAfebrile"),
        ("stable exclamation mark", "stable!"),
        ("stable exclamation point", "stable!"),
        ("stable question mark", "stable?"),
        ("diagnosis colon flu", "diagnosis: flu"),
        ("stable semicolon afebrile", "stable; afebrile"),
        ("follow hyphen up", "follow-up"),
        ("stable dash improving", "stable - improving"),
        ("and slash or", "and/or"),
        ("and forward slash or", "and/or"),
        ("said open quote fine close quote today", 'said "fine" today'),
        ("said open quotation fine close quotation today", 'said "fine" today'),
        ("pain open parenthesis left close parenthesis", "pain (left)"),
        ("pain open paren left closed paren", "pain (left)"),
        ("pain open bracket left close bracket", "pain (left)"),
        ("pain open bracket left end bracket", "pain (left)"),
        ("saturation 95 percent", "saturation 95%"),
        ("saturation 95 percent sign", "saturation 95%"),
    ],
)
def test_every_spoken_punctuation_word_of_the_spec(said: str, written: str) -> None:
    assert spoken(said) == written


@pytest.mark.parametrize(
    ("said", "written"),
    [
        ("pain open parent left close parent", "pain (left)"),
        ("pain open parent left closed parent", "pain (left)"),
        ("pain open parens left close parens", "pain (left)"),
    ],
)
def test_the_models_near_misses_of_punctuation_words(said: str, written: str) -> None:
    assert spoken(said) == written


def test_a_punctuation_word_after_a_determiner_is_the_noun() -> None:
    assert spoken("the colon was normal period") == "the colon was normal."
    assert spoken("polyp in the sigmoid colon period") == "polyp in the sigmoid colon."
    assert spoken("for a period of two weeks period") == "for a period of two weeks."
    assert spoken("plan colon rest period") == "plan: rest."


def test_a_near_miss_that_is_an_ordinary_word_stays_a_word() -> None:
    assert spoken("dilated common bile duct comma no stones") == "dilated common bile duct, no stones"
    assert spoken("her parent is present") == "her parent is present"


def test_the_models_own_punctuation_is_dropped_before_spoken_punctuation() -> None:
    assert spoken("Blood pressure is fine, period.") == "blood pressure is fine."
    assert spoken("Heart rate 72 comma, regular.") == "heart rate 72, regular"


def test_model_capitals_are_undone_but_sentence_starts_are_capitalised() -> None:
    assert spoken("Hello new line how are you question mark I am fine period. Thanks.") == (
        "hello\nhow are you? I am fine. Thanks"
    )


def test_names_and_acronyms_keep_the_models_capitals() -> None:
    assert spoken("Seen by Smith for COPD period") == "seen by Smith for COPD."


def test_no_double_spaces_and_no_spaces_around_line_breaks() -> None:
    assert spoken("one  comma  new line new paragraph dash item") == "one,\n\n\n- Item"


def test_repeated_marks_collapse() -> None:
    assert spoken("stable comma period") == "stable."
    assert spoken("stable period period") == "stable."


def test_automatic_keeps_and_tidies_the_models_punctuation() -> None:
    text = text_of("Hello, how are you? I am fine… “Quoted” — done,.", automaticPunctuation=True)
    assert text == 'hello, how are you? I am fine... "Quoted" - done.'


def test_automatic_keeps_spoken_punctuation_words_as_words() -> None:
    assert text_of("Heart rate 72 comma regular.", automaticPunctuation=True) == "heart rate 72 comma regular."


def test_spoken_wins_when_both_are_on() -> None:
    assert text_of("Stable period.", automaticPunctuation=True, spokenPunctuation=True) == "stable."


def test_none_writes_plain_words() -> None:
    assert text_of("Hello, how are you? I am fine. Seen by Smith.") == "hello how are you I am fine seen by Smith"


def test_first_word_of_a_final_is_left_for_the_client_to_capitalise() -> None:
    assert spoken("The patient is stable period the end") == "the patient is stable. The end"


def test_capitalises_after_a_sentence_end_across_quotes_and_line_breaks() -> None:
    assert spoken("stable period new line open quote fine close quote") == 'stable.\n"Fine"'


def test_interim_segments_pass_through_untouched() -> None:
    segment = final("Blood pressure 120 over 80 comma", 1.0, 2.5)
    interim = type(segment)(segment.words, segment.start, segment.end, False)
    (data,) = pipeline(spokenPunctuation=True).process(interim)
    assert data.text == data.raw_transcript_text == "Blood pressure 120 over 80 comma"
    assert (data.start, data.end, data.is_final) == (1.0, 2.5, False)


def test_raw_text_is_the_spoken_words_in_lower_case() -> None:
    (data,) = pipeline(spokenPunctuation=True).process(final("Hello new line, how are you?"))
    assert data.text == "hello\nhow are you"
    assert data.raw_transcript_text == "hello new line how are you"
    assert data.is_final


def test_symbols_the_model_wrote_are_read_back_as_words_in_raw_text() -> None:
    (data,) = pipeline().process(final("Saturation 95%, temperature 38°C at 8pm."))
    assert data.raw_transcript_text == "saturation 95 percent temperature 38 degrees celsius at 8 pm"


def test_plain_words_in_none_mode_keep_numbers_formatting() -> None:
    assert plain("Fifty milligrams, twice daily.") == "50 mg twice daily"
