"""Dates and times in dictation (spec §6 ``dates`` and ``times``).

What counts as a date: a month name with a day, either order ("February third", "the 3rd of February",
"3 February"), optionally followed by a year ("twenty twenty five", "2025", "two thousand and five").
Without a year the day must be an ordinal, so that "March 3 times" or "may 2" are left alone. A comma
the model wrote between day and year is part of the date. A date without a year is written without one
("February 3"; "2/3" for ``locale:short`` and the slash formats); ``iso`` and ``iso_compact`` need a year,
so a date without one is left to the number rules.

``iso_compact`` is written YYYYMMDD ("20250203" for 3 February 2025), as ISO 8601's basic format; the
spec's example "20250302" reads as day-before-month and was taken for a slip.

What counts as a time: an hour with am/pm ("eight thirty pm", "8 p.m.", "eight oh five am"), an hour
with "o'clock", or a time the model wrote with a colon ("8:30", "16:00") or as one number before am/pm
("415 pm"). A bare "at eight thirty" is too ambiguous and stays as numbers.

Locale: en-GB writes day before month ("3 February 2025", "03/02/2025"); other English variants as in
the spec's examples. ``locale`` times are 12-hour for English and 24-hour for every other language.
24-hour times have two-digit hours ("08:30"). A 12-hour time with no am/pm said ("eight o'clock") gets
none written ("8:00").

``as_dictated`` keeps the words of a recognised date or time as they were said (so "twenty twenty five"
does not become "20 25"); digits the model wrote follow the ``numbers`` option.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from ...protocol.messages import DateFormat, TimeFormat
from .numbers import Item, integer_at, key_at, number_at
from .tokens import Mark

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
_MONTH_NUMBERS = {name.lower(): index for index, name in enumerate(MONTHS, start=1)}
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})")


@dataclass(frozen=True)
class SpokenDate:
    end: int
    month: int
    day: int
    year: int | None


@dataclass(frozen=True)
class SpokenTime:
    end: int
    hour: int
    minute: int
    meridiem: str | None


def read_date(items: list[Item], start: int) -> SpokenDate | None:
    """A date starting at ``start`` (see the module docstring), or ``None``."""
    return _month_first(items, start) or _day_first(items, start)


def write_date(date: SpokenDate, style: DateFormat, *, day_first: bool) -> str | None:
    """The date in ``style``; ``None`` when the style needs a year the speaker did not say."""
    day, month, year = date.day, date.month, date.year
    name = MONTHS[month - 1]
    if style in ("locale:long", "locale:medium"):
        name = name if style == "locale:long" else name[:3]
        if day_first:
            return f"{day} {name}" + (f" {year}" if year else "")
        return f"{name} {day}" + (f", {year}" if year else "")
    if style == "long_text":
        return f"{day} {MONTHS[month - 1]}" + (f" {year}" if year else "")
    if style == "locale:short" and not day_first:
        return f"{month}/{day}" + (f"/{year % 100:02d}" if year else "")
    if style in ("locale:short", "eu_slash"):
        return f"{day:02d}/{month:02d}" + (f"/{year}" if year else "")
    if style == "us_slash":
        return f"{month:02d}/{day:02d}" + (f"/{year}" if year else "")
    if year is None:
        return None
    if style == "iso":
        return f"{year:04d}-{month:02d}-{day:02d}"
    return f"{year:04d}{month:02d}{day:02d}"


def read_time(items: list[Item], start: int) -> SpokenTime | None:
    """A time starting at ``start`` (see the module docstring), or ``None``."""
    clock = _CLOCK.fullmatch(key_at(items, start) or "")
    if clock:
        hour, minute = int(clock.group(1)), int(clock.group(2))
        meridiem = _meridiem(items, start + 1)
        end = start + 1 + (meridiem is not None)
        return _valid_time(end, hour, minute, meridiem, needs_meridiem=False)
    hour_number = number_at(items, start)
    if hour_number is None:
        return None
    if not hour_number.is_integer:  # the model's "8.30 pm"
        whole, _, fraction = hour_number.numeral.partition(".")
        meridiem = _meridiem(items, start + 1)
        if len(fraction) != 2 or meridiem is None:
            return None
        return _valid_time(start + 2, int(whole), int(fraction), meridiem, needs_meridiem=True)
    if hour_number.spoken is None and len(hour_number.numeral) in (3, 4):  # the model's "415 pm"
        meridiem = _meridiem(items, start + 1)
        hour, minute = divmod(int(hour_number.numeral), 100)
        return _valid_time(start + 2, hour, minute, meridiem, needs_meridiem=True) if meridiem else None
    hour, position = int(hour_number.value), start + 1
    minute, position, said_oclock = _minutes(items, position)
    meridiem = _meridiem(items, position)
    end = position + (meridiem is not None)
    if meridiem is None and not said_oclock:
        return None
    return _valid_time(end, hour, minute, meridiem, needs_meridiem=not said_oclock)


def write_time(time: SpokenTime, style: TimeFormat, *, twelve_hour_locale: bool) -> str:
    """The time in ``style`` ("8:36 PM", "16:00")."""
    hour = time.hour
    if time.meridiem is not None:
        hour = hour % 12 + (12 if time.meridiem == "pm" else 0)
    twelve_hour = style == "h12" or (style == "locale" and twelve_hour_locale)
    if not twelve_hour:
        return f"{hour:02d}:{time.minute:02d}"
    if time.meridiem is None and 1 <= hour <= 12:
        return f"{hour}:{time.minute:02d}"
    return f"{hour % 12 or 12}:{time.minute:02d} {'PM' if hour >= 12 else 'AM'}"


def _month_first(items: list[Item], start: int) -> SpokenDate | None:
    month = _MONTH_NUMBERS.get(key_at(items, start) or "")
    if month is None:
        return None
    position = start + 1 + (key_at(items, start + 1) == "the")
    return _with_year(items, position + 1, month, _day(items, position))


def _day_first(items: list[Item], start: int) -> SpokenDate | None:
    position = start + (key_at(items, start) == "the")
    day = _day(items, position)
    if day is None:
        return None
    position += 1 + (key_at(items, position + 1) == "of")
    month = _MONTH_NUMBERS.get(key_at(items, position) or "")
    if month is None:
        return None
    return _with_year(items, position + 1, month, day)


def _day(items: list[Item], position: int) -> tuple[int, bool] | None:
    """(day, was said as an ordinal)."""
    number = number_at(items, position, ordinal=None)
    if number is None or not number.is_integer or not 1 <= number.value <= 31:
        return None
    return int(number.value), number.ordinal


def _with_year(items: list[Item], position: int, month: int, day: tuple[int, bool] | None) -> SpokenDate | None:
    if day is None:
        return None
    comma = position < len(items) and isinstance(items[position], Mark) and items[position].text == ","
    year = _year(items, position + comma)
    if year is None and not day[1]:
        return None
    end, year_value = year if year is not None else (position, None)
    try:
        datetime.date(year_value or 2000, month, day[0])
    except ValueError:
        return None
    return SpokenDate(end, month, day[0], year_value)


def _year(items: list[Item], position: int) -> tuple[int, int] | None:
    """(end, year): "2025", "two thousand and five", "twenty twenty five", "nineteen oh five"."""
    whole = integer_at(items, position, 1000, 2999)
    if whole is not None:
        return position + 1, whole
    century = integer_at(items, position, 10, 29)
    if century is None:
        return None
    if key_at(items, position + 1) == "oh":
        last = integer_at(items, position + 2, 1, 9)
        return (position + 3, century * 100 + last) if last is not None else None
    last = integer_at(items, position + 1, 10, 99)
    return (position + 2, century * 100 + last) if last is not None else None


def _minutes(items: list[Item], position: int) -> tuple[int, int, bool]:
    """(minute, position after it, said "o'clock"); minute 0 when none was said."""
    if key_at(items, position) == "o'clock":
        return 0, position + 1, True
    if key_at(items, position) == "oh":
        minute = integer_at(items, position + 1, 1, 9)
        if minute is not None:
            return minute, position + 2, False
    minute = integer_at(items, position, 10, 59)
    if minute is not None:
        return minute, position + 1, False
    return 0, position, False


def _meridiem(items: list[Item], position: int) -> str | None:
    key = key_at(items, position)
    return key if key in ("am", "pm") else None


def _valid_time(end: int, hour: int, minute: int, meridiem: str | None, *, needs_meridiem: bool) -> SpokenTime | None:
    if not 0 <= minute <= 59:
        return None
    if meridiem is not None or needs_meridiem:
        if not 1 <= hour <= 12:
            return None
    elif not 0 <= hour <= 23:
        return None
    return SpokenTime(end, hour, minute, meridiem)

