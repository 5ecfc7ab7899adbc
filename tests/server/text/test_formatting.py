"""Formatting options of spec §6, fed with text as Whisper writes it (digits, capitals, a final ".")."""

from __future__ import annotations

import pytest
from text_to_num import alpha2digit, text2num

from dictation_daemon.server.text.numbers import number_words

from .helpers import plain, spoken, text_of

DATE = "Seen on February 3rd, 2025."
SPOKEN_DATE = "seen on february third twenty twenty five"


@pytest.mark.parametrize(
    ("style", "written"),
    [
        ("locale:long", "seen on February 3, 2025"),
        ("locale:medium", "seen on Feb 3, 2025"),
        ("locale:short", "seen on 2/3/25"),
        ("iso", "seen on 2025-02-03"),
        ("long_text", "seen on 3 February 2025"),
        ("eu_slash", "seen on 03/02/2025"),
        ("us_slash", "seen on 02/03/2025"),
        ("iso_compact", "seen on 20250203"),
    ],
)
def test_every_date_style(style: str, written: str) -> None:
    assert plain(DATE, dates=style) == written
    assert plain(SPOKEN_DATE, dates=style) == written


def test_dates_as_dictated_keep_the_words_said() -> None:
    assert plain(SPOKEN_DATE, dates="as_dictated") == "seen on february third twenty twenty five"
    assert plain(DATE, dates="as_dictated", numbers="as_dictated", ordinals="as_dictated") == (
        "seen on February third two thousand twenty five"
    )


def test_other_date_shapes() -> None:
    assert plain("The 3rd of March 2024") == "March 3, 2024"
    assert plain("on the third of march") == "on March 3"
    assert plain("born 3 February 1990") == "born February 3, 1990"
    assert plain("January first nineteen oh five") == "January 1, 1905"


def test_british_english_writes_the_day_first() -> None:
    assert text_of(DATE, primaryLanguage="en-GB") == "seen on 3 February 2025"
    assert text_of(DATE, primaryLanguage="en-GB", formatting={"dates": "locale:short"}) == "seen on 03/02/2025"


def test_not_every_month_name_with_a_number_is_a_date() -> None:
    assert plain("It may 2 hours") == "it may two hours"
    assert plain("on February 30th 2025") == "on February 30th 2025"


def test_iso_needs_a_year() -> None:
    assert plain("on February third", dates="iso") == "on February third"


@pytest.mark.parametrize(
    ("style", "written"),
    [("locale", "8:30 PM"), ("h12", "8:30 PM"), ("h24", "20:30"), ("as_dictated", "eight thirty pm")],
)
def test_every_time_style(style: str, written: str) -> None:
    assert plain("eight thirty pm", times=style) == written


@pytest.mark.parametrize(
    ("said", "h12", "h24"),
    [
        ("At 8:30 p.m.", "at 8:30 PM", "at 20:30"),
        ("At 4 PM.", "at 4:00 PM", "at 16:00"),
        ("at 8pm", "at 8:00 PM", "at 20:00"),
        ("at 16:00", "at 4:00 PM", "at 16:00"),
        ("at twelve am", "at 12:00 AM", "at 00:00"),
        ("at eight oh five am", "at 8:05 AM", "at 08:05"),
        ("at ten o'clock", "at 10:00", "at 10:00"),
        ("at eight forty five pm", "at 8:45 PM", "at 20:45"),
    ],
)
def test_time_shapes(said: str, h12: str, h24: str) -> None:
    assert plain(said, times="h12") == h12
    assert plain(said, times="h24") == h24


def test_locale_times_are_24_hour_outside_english() -> None:
    assert text_of("at 8:30 pm", primaryLanguage="de") == "at 20:30"


def test_a_bare_hour_is_not_a_time() -> None:
    assert plain("at eight thirty") == "at eight 30"


@pytest.mark.parametrize(
    ("style", "written"),
    [
        ("numerals_above_nine", "one, two, nine, 10, 11, 105, 2.5"),
        ("numerals", "1, 2, 9, 10, 11, 105, 2.5"),
        ("as_dictated", "one, two, nine, ten, eleven, one hundred and five, two point five"),
    ],
)
def test_every_number_style_with_spoken_numbers(style: str, written: str) -> None:
    said = "one comma two comma nine comma ten comma eleven comma one hundred and five comma two point five"
    assert spoken(said, numbers=style) == written


@pytest.mark.parametrize(
    ("style", "written"),
    [
        ("numerals_above_nine", "one, two, nine, 10, 11, 105, 2.5"),
        ("numerals", "1, 2, 9, 10, 11, 105, 2.5"),
        ("as_dictated", "one, two, nine, ten, eleven, one hundred five, two point five"),
    ],
)
def test_every_number_style_with_whisper_digits(style: str, written: str) -> None:
    assert text_of("1, 2, 9, 10, 11, 105, 2.5.", automaticPunctuation=True, formatting={"numbers": style}) == (
        written + "."
    )


def test_thousands_separators_are_dropped() -> None:
    assert plain("Platelets 150,000.", numbers="numerals") == "platelets 150000"


def test_pronoun_one_and_time_second_are_not_numbers() -> None:
    assert plain("no one came, wait a second", numbers="numerals", ordinals="numerals") == "no one came wait a second"
    assert plain("one patient, the second visit", numbers="numerals", ordinals="numerals") == "1 patient the 2nd visit"


@pytest.mark.parametrize(
    ("style", "written"),
    [
        ("numerals_above_nine", "first second ninth 10th 21st"),
        ("numerals", "1st 2nd 9th 10th 21st"),
        ("as_dictated", "first second ninth tenth twenty first"),
    ],
)
def test_every_ordinal_style(style: str, written: str) -> None:
    assert plain("first second ninth tenth twenty first", ordinals=style) == written


def test_ordinals_as_dictated_turn_whisper_digits_back_into_words() -> None:
    assert plain("The 1st, 2nd and 23rd.", ordinals="as_dictated") == "the first second and twenty third"


@pytest.mark.parametrize(
    ("said", "written"),
    [
        ("fifty milligrams", "50 mg"),
        ("five milligrams", "5 mg"),
        ("Take 5 milligrams.", "take 5 mg"),
        ("two point five milligrams", "2.5 mg"),
        ("point five milligrams", "0.5 mg"),
        ("Give 20mg daily.", "give 20 mg daily"),
        ("ten milligrams per kilogram", "10 mg/kg"),
        ("glucose 90 milligrams per deciliter", "glucose 90 mg/dL"),
        ("sodium 140 millimoles per liter", "sodium 140 mmol/L"),
        ("potassium 4 milliequivalents", "potassium 4 mEq"),
        ("temperature 38.5°C", "temperature 38.5°C"),
        ("ninety eight point six degrees fahrenheit", "98.6°F"),
        ("three hundred kelvin", "300 K"),
        ("five inches", "5 in"),
        ("two meters", "2 m"),
        ("ten centimeters", "10 cm"),
        ("three millimeters", "3 mm"),
        ("five hundred nanometers", "500 nm"),
        ("two kilometers", "2 km"),
        ("one gram", "1 g"),
        ("seventy kilograms", "70 kg"),
        ("one hundred micrograms", "100 mcg"),
        ("ten nanograms", "10 ng"),
        ("one hundred sixty pounds", "160 lb"),
        ("four ounces", "4 oz"),
        ("two liters", "2 L"),
        ("five hundred milliliters", "500 mL"),
        ("one deciliter", "1 dL"),
        ("one thousand international units", "1000 IU"),
        ("two moles", "2 mol"),
        ("oxygen 95%", "oxygen 95%"),
        ("five percent", "5%"),
        ("five to ten milligrams", "5-10 mg"),
    ],
)
def test_measurements_abbreviated(said: str, written: str) -> None:
    assert plain(said) == written


@pytest.mark.parametrize(
    "said",
    [
        "Blood pressure 120 over 80.",
        "blood pressure one twenty over eighty",
        "Blood pressure 120/80.",
        "BP one hundred twenty over eighty",
    ],
)
def test_blood_pressure(said: str) -> None:
    assert plain(said) == "BP 120/80"


def test_blood_pressure_in_whisper_sentence_with_spoken_punctuation() -> None:
    assert spoken("Blood pressure is 120 over 80 comma heart rate 72.") == "BP is 120/80, heart rate 72"
    assert spoken("blood pressure one forty slash ninety millimeters of mercury") == "BP 140/90 mmHg"


def test_over_without_blood_pressure_stays_a_word() -> None:
    assert plain("two over three") == "two over three"


def test_measurements_as_dictated_keep_units_as_words() -> None:
    assert plain("fifty milligrams, blood pressure 120 over 80", measurements="as_dictated") == (
        "50 milligrams blood pressure 120 over 80"
    )
    assert plain("five milligrams", measurements="as_dictated", numbers="as_dictated") == "five milligrams"
    assert plain("Take 5 mg.", measurements="as_dictated", numbers="as_dictated") == "take five mg"


def test_a_unit_needs_a_number_before_it() -> None:
    assert plain("a gram of salt, 5 in the morning") == "a gram of salt five in the morning"


@pytest.mark.parametrize(
    ("style", "said", "written"),
    [
        ("numerals", "one to ten", "1-10"),
        ("numerals", "Pain 5 to 7 out of 10.", "pain 5-7 out of 10"),
        ("numerals", "pain 5-7", "pain 5-7"),
        ("as_dictated", "one to ten", "one to 10"),
        ("as_dictated", "pain 5-7", "pain five to seven"),
    ],
)
def test_numeric_ranges(style: str, said: str, written: str) -> None:
    assert plain(said, numericRanges=style) == written


def test_a_descending_pair_is_not_a_range() -> None:
    assert plain("ten to five") == "10 to five"


def test_spoken_punctuation_is_never_crossed_by_formatting() -> None:
    assert spoken("five comma six period", numbers="numerals") == "5, 6."
    assert spoken("fifty period milligrams") == "50. Milligrams"


@pytest.mark.parametrize("value", [0, 7, 13, 20, 42, 100, 105, 999, 1000, 1234, 20000, 1000001])
def test_number_words_read_back_with_text2num(value: int) -> None:
    assert text2num(number_words(str(value)), "en") == value


@pytest.mark.parametrize("value", [1, 2, 3, 5, 8, 9, 11, 12, 20, 21, 22, 40, 100, 112])
def test_ordinal_words_read_back_with_text2num(value: int) -> None:
    suffix = "th" if value % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
    assert alpha2digit(number_words(str(value), ordinal=True), "en", threshold=0) == f"{value}{suffix}"


def test_a_time_the_model_wrote_as_one_number_before_am_pm() -> None:
    from dictation_daemon.protocol.messages import TranscribeConfig
    from dictation_daemon.server.recognizer import RecognizedSegment
    from dictation_daemon.server.text.pipeline import TextPipeline

    config = TranscribeConfig(primary_language="en", spoken_punctuation=True)
    for words, expected in [("Given at 415 p.m. period.", "given at 4:15 PM."),
                             ("Seen at 1045 p.m. period.", "seen at 10:45 PM."),
                             ("Room 415 is free.", "room 415 is free"),
                             ("Given at 1375 pm", "given at 1375 pm")]:
        pipeline = TextPipeline(config)
        [result] = pipeline.process(RecognizedSegment(words, 0.0, 1.0, True)) + pipeline.flush()
        assert result.text == expected
