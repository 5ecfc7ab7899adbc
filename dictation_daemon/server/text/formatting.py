"""Formatting of a final's words per the session's ``formatting`` options (spec §6).

At each position the rules are tried in this order, the first that applies taking its words: blood
pressure, date, time, measurement, numeric range; anything left is a plain number or word. Marks are
never crossed except a comma inside a date, so a spoken "comma" or "period" always stays where it was.

Decisions where the spec is silent:

* Blood pressure needs "blood pressure" or "BP" before the reading (optionally "is", "was", "of" or
  "at" between): "one twenty over eighty" and the model's "120 over 80" or "120/80" then give
  "BP 120/80" (plus " mmHg" if said). Elsewhere "over" stays a word: "two over three" may be a fraction.
* A measurement is a number (or range) followed by a unit of :mod:`.units`; its numbers are always
  numerals ("5 mg" even under ``numerals_above_nine``), "point five milligrams" is "0.5 mg" (a leading
  zero, as safe dosing notation asks), and "per" joins units ("mg/kg"). With ``measurements:
  as_dictated`` units stay words and their numbers follow ``numbers``.
* A range is "<number> to <number>" with the first smaller than the second ("one to ten" → "1-10";
  "ten to five" is left alone, being more likely a time or a score). With ``numericRanges: as_dictated``
  the numbers follow ``numbers``.
* A number right before "%" is written as digits whatever the options, "five%" being no way to write it.
* Numbers are written without thousands separators ("1000"), as lab values usually are.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ...protocol.messages import Formatting
from .datetimes import read_date, read_time, write_date, write_time
from .numbers import (
    Item,
    Number,
    integer_at,
    key_at,
    number_at,
    read_numbers,
    render_number,
)
from .tokens import Mark, Token, Word
from .units import LONGEST_FORM, UNIT_BY_SYMBOL, Unit, match_unit

_BLOOD_PRESSURE_FILLERS = frozenset({"is", "was", "of", "at"})
_BLOOD_PRESSURE_WRITTEN = re.compile(r"(\d{2,3})/(\d{2,3})")


@dataclass(frozen=True)
class FormatContext:
    """The options, plus what the language decides for ``locale`` dates and times."""

    options: Formatting
    day_first: bool
    twelve_hour: bool

    @classmethod
    def for_language(cls, options: Formatting, language: str) -> FormatContext:
        tag = language.lower()
        return cls(options, day_first=tag == "en-gb", twelve_hour=tag == "en" or tag.startswith("en-"))


Rule = Callable[[list[Item], int, FormatContext], tuple[int, list[Token]] | None]


def format_tokens(tokens: list[Token], context: FormatContext) -> list[Token]:
    """The tokens with dates, times, numbers and measurements written per the options."""
    items = read_numbers(tokens)
    result: list[Token] = []
    position = 0
    while position < len(items):
        for rule in _RULES:
            applied = rule(items, position, context)
            if applied is not None:
                position, produced = applied
                result.extend(produced)
                break
        else:
            result.append(_plain(items, position, context))
            position += 1
    return result


def _plain(items: list[Item], position: int, context: FormatContext) -> Token:
    item = items[position]
    if not isinstance(item, Number):
        return item
    following = items[position + 1] if position + 1 < len(items) else None
    if isinstance(following, Mark) and following.text == "%":
        return Word.of(item.digits())
    return Word.of(render_number(item, context.options.numbers, context.options.ordinals))


def _as_dictated(items: list[Item], context: FormatContext) -> list[Token]:
    """Items kept as said: spoken numbers as their words, the model's digits per ``numbers``."""
    tokens: list[Token] = []
    for item in items:
        if isinstance(item, Number):
            text = item.spoken if item.spoken is not None else render_number(
                item, context.options.numbers, context.options.ordinals)
            tokens.append(Word.of(text))
        else:
            tokens.append(item)
    return tokens


def _blood_pressure(items: list[Item], start: int, context: FormatContext) -> tuple[int, list[Token]] | None:
    if context.options.measurements != "abbreviated":
        return None
    if key_at(items, start) == "bp":
        position = start + 1
    elif key_at(items, start) == "blood" and key_at(items, start + 1) == "pressure":
        position = start + 2
    else:
        return None
    fillers: list[Token] = []
    filler = items[position] if position < len(items) else None
    if isinstance(filler, Word) and filler.key in _BLOOD_PRESSURE_FILLERS:
        fillers.append(filler)
        position += 1
    reading = _blood_pressure_reading(items, position)
    if reading is None:
        return None
    position, systolic, diastolic = reading
    text = f"{systolic}/{diastolic}"
    unit = _unit(items, position)
    if unit is not None and unit[1] == "mmHg":
        position, symbol, _ = unit
        text += f" {symbol}"
    return position, [Word("BP", "bp"), *fillers, Word.of(text)]


def _blood_pressure_reading(items: list[Item], position: int) -> tuple[int, int, int] | None:
    written = _BLOOD_PRESSURE_WRITTEN.fullmatch(key_at(items, position) or "")
    if written:
        return position + 1, int(written.group(1)), int(written.group(2))
    systolic = _pressure(items, position)
    if systolic is None:
        return None
    position = systolic[0]
    separator = items[position] if position < len(items) else None
    said_over = isinstance(separator, Word) and separator.key == "over"
    said_slash = isinstance(separator, Mark) and separator.text == "/"
    if not (said_over or said_slash):
        return None
    diastolic = _pressure(items, position + 1)
    if diastolic is None:
        return None
    return diastolic[0], systolic[1], diastolic[1]


def _pressure(items: list[Item], position: int) -> tuple[int, int] | None:
    """(end, value): one pressure, "one twenty" (1, 20) read as 120."""
    hundreds = integer_at(items, position, 1, 2)
    rest = integer_at(items, position + 1, 10, 99)
    if hundreds is not None and rest is not None:
        return position + 2, hundreds * 100 + rest
    value = integer_at(items, position, 10, 399)
    return (position + 1, value) if value is not None else None


def _date(items: list[Item], start: int, context: FormatContext) -> tuple[int, list[Token]] | None:
    date = read_date(items, start)
    if date is None:
        return None
    if context.options.dates == "as_dictated":
        return date.end, _as_dictated(items[start : date.end], context)
    text = write_date(date, context.options.dates, day_first=context.day_first)
    return (date.end, [Word.of(text)]) if text is not None else None


def _time(items: list[Item], start: int, context: FormatContext) -> tuple[int, list[Token]] | None:
    time = read_time(items, start)
    if time is None:
        return None
    if context.options.times == "as_dictated":
        return time.end, _as_dictated(items[start : time.end], context)
    return time.end, [Word.of(write_time(time, context.options.times, twelve_hour_locale=context.twelve_hour))]


def _measurement(items: list[Item], start: int, context: FormatContext) -> tuple[int, list[Token]] | None:
    if context.options.measurements != "abbreviated":
        return None
    value = _value(items, start, context)
    if value is None:
        return None
    position, numeral = value
    unit = _unit(items, position)
    if unit is None:
        return None
    position, symbol, attached = unit
    return position, [Word.of(numeral + ("" if attached else " ") + symbol)]


def _value(items: list[Item], start: int, context: FormatContext) -> tuple[int, str] | None:
    """(end, numeral) of a measurement's number: "2.5", "0.5" from "point five", or a range "5-10"."""
    if key_at(items, start) == "point":
        fraction = number_at(items, start + 1)
        if fraction is None or not fraction.is_integer or fraction.spoken is None:
            return None
        return start + 2, f"0.{fraction.numeral}"
    low = number_at(items, start)
    if low is None:
        return None
    high = _range_end(items, start)
    if high is None:
        return start + 1, low.digits()
    separator = "-" if context.options.numeric_ranges == "numerals" else " to "
    return start + 3, f"{low.digits()}{separator}{high.digits()}"


def _unit(items: list[Item], position: int) -> tuple[int, str, bool] | None:
    """(end, symbol, written against the number) of the unit at ``position``, "per" joining two units."""
    first = _one_unit(items, position)
    if first is None:
        return None
    end, unit = first
    if key_at(items, end) == "per" and not unit.attached:
        second = _one_unit(items, end + 1)
        if second is not None and not second[1].attached:
            return second[0], f"{unit.symbol}/{second[1].symbol}", False
    return end, unit.symbol, unit.attached


def _one_unit(items: list[Item], position: int) -> tuple[int, Unit] | None:
    if position < len(items) and isinstance(items[position], Mark) and items[position].text == "%":
        return position + 1, UNIT_BY_SYMBOL["%"]
    keys: list[str] = []
    for offset in range(LONGEST_FORM):
        key = key_at(items, position + offset)
        if key is None:
            break
        keys.append(key)
    found = match_unit(keys)
    return (position + found[0], found[1]) if found is not None else None


def _range_end(items: list[Item], start: int) -> Number | None:
    """The second number of "<low> to <high>" starting at ``start``, if it is one."""
    low, high = number_at(items, start), number_at(items, start + 2)
    if low is None or high is None or key_at(items, start + 1) != "to" or not low.value < high.value:
        return None
    return high


def _range(items: list[Item], start: int, context: FormatContext) -> tuple[int, list[Token]] | None:
    if context.options.numeric_ranges != "numerals":
        return None
    high = _range_end(items, start)
    if high is None:
        return None
    low = number_at(items, start)
    assert low is not None
    return start + 3, [Word.of(f"{low.digits()}-{high.digits()}")]


_RULES: tuple[Rule, ...] = (_blood_pressure, _date, _time, _measurement, _range)
