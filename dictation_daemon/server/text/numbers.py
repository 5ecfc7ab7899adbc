"""Numbers in a final: reading them (spoken or written as digits) and writing them per §6.

Reading uses ``text2num``: the longest run of words that ``alpha2digit`` turns into a single number is
one number ("one hundred and five" → 105, "two point five" → 2.5, "twenty first" → 21st). Runs it
splits stay separate numbers ("one twenty" → 1, 20); the blood pressure, date and time rules in
:mod:`.formatting` put those together. Digits the model wrote ("120", "2.5", "21st") are numbers too,
and "10-15" is read as the spoken range "10 to 15".

Writing needs the opposite direction, which ``text2num`` does not offer, hence :func:`number_words`:
with ``as_dictated`` a number the model wrote as digits is written back as the words that were said.

Two common words are not numbers in their usual senses: "one" after a determiner ("no one", "the one
on the left") and "second" after "a", "per", "one" or a cardinal number ("wait a second", "one second").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Literal

from text_to_num import alpha2digit

from .tokens import Mark, Token, Word

NumberStyle = Literal["numerals_above_nine", "numerals", "as_dictated"]

_NUMERAL = re.compile(r"\d+(?:\.\d+)?")
_ORDINAL_NUMERAL = re.compile(r"(\d+)(?:st|nd|rd|th)")
_WRITTEN_RANGE = re.compile(r"(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)")
_LONGEST_NUMBER_WORDS = 12
_PRONOUN_ONE_AFTER = frozenset({"no", "any", "some", "every", "each", "the", "this", "that", "which", "another"})
_TIME_SECOND_AFTER = frozenset({"a", "per", "one", "split"})


@dataclass(frozen=True)
class Number:
    """A number in the text: its value, the numeral to write, and the words said (``None`` for digits)."""

    value: Decimal
    numeral: str
    ordinal: bool
    spoken: str | None

    @property
    def is_integer(self) -> bool:
        return "." not in self.numeral

    def digits(self) -> str:
        """The numeral: "21", "2.5", "21st"."""
        return self.numeral + ordinal_suffix(int(self.value)) if self.ordinal else self.numeral

    def words(self) -> str:
        """The words that were said, or the words for the digits the model wrote."""
        if self.spoken is not None:
            return self.spoken
        return number_words(self.numeral, ordinal=self.ordinal)


Item = Word | Mark | Number


def read_numbers(tokens: list[Token]) -> list[Item]:
    """The tokens with every number, spoken or written, as a :class:`Number`."""
    items: list[Item] = []
    position = 0
    while position < len(tokens):
        token = tokens[position]
        if isinstance(token, Word):
            written = _written(token)
            if written is not None:
                items.extend(written)
                position += 1
                continue
            spoken = _spoken(tokens, position)
            if spoken is not None:
                length, number = spoken
                items.append(number)
                position += length
                continue
        items.append(token)
        position += 1
    return items


def render_number(number: Number, numbers: NumberStyle, ordinals: NumberStyle) -> str:
    """A free-standing number per the ``numbers`` (cardinals) or ``ordinals`` option.

    ``numerals_above_nine`` writes whole numbers zero to nine (and first to ninth) as words; decimals are
    always digits.
    """
    style = ordinals if number.ordinal else numbers
    if style == "as_dictated":
        return number.words()
    if style == "numerals_above_nine" and number.is_integer and number.value < 10:
        return number.words()
    return number.digits()


def ordinal_suffix(value: int) -> str:
    if value % 100 in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")


_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (1000, "thousand"), (100, "hundred"))
_IRREGULAR_ORDINALS = {
    "one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth", "nine": "ninth",
    "twelve": "twelfth",
}


def number_words(numeral: str, *, ordinal: bool = False) -> str:
    """English words for a numeral: "120" → "one hundred twenty", "2.05" → "two point zero five"."""
    whole, _, fraction = numeral.partition(".")
    words = _cardinal(int(whole))
    if fraction:
        words += " point " + " ".join(_ONES[int(digit)] for digit in fraction)
    if not ordinal:
        return words
    head, _, last = words.rpartition(" ")
    if last in _IRREGULAR_ORDINALS:
        last = _IRREGULAR_ORDINALS[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return f"{head} {last}" if head else last


def _cardinal(value: int) -> str:
    if value < 20:
        return _ONES[value]
    if value < 100:
        tens, ones = divmod(value, 10)
        return _TENS[tens - 2] + (f" {_ONES[ones]}" if ones else "")
    for scale, name in _SCALES:
        if value >= scale:
            count, rest = divmod(value, scale)
            head = f"{_cardinal(count)} {name}"
            return f"{head} {_cardinal(rest)}" if rest else head
    raise AssertionError("unreachable: every value of 100 or more has a scale")


def _written(word: Word) -> list[Item] | None:
    """Digits the model wrote, or ``None`` if the word is not one."""
    if _NUMERAL.fullmatch(word.key):
        return [Number(Decimal(word.key), word.key, False, None)]
    ordinal = _ORDINAL_NUMERAL.fullmatch(word.key)
    if ordinal:
        return [Number(Decimal(ordinal.group(1)), ordinal.group(1), True, None)]
    written_range = _WRITTEN_RANGE.fullmatch(word.key)
    if written_range:
        low, high = written_range.groups()
        return [Number(Decimal(low), low, False, None), Word("to", "to"), Number(Decimal(high), high, False, None)]
    return None


def _spoken(tokens: list[Token], position: int) -> tuple[int, Number] | None:
    """The longest run of number words at ``position``: how many words, and the number they say."""
    words: list[Word] = []
    for token in tokens[position : position + _LONGEST_NUMBER_WORDS]:
        if not isinstance(token, Word) or _written(token) is not None:
            break
        words.append(token)
    if not words or _read(words[0].key) is None or _not_a_number(tokens, position):
        return None
    for length in range(len(words), 0, -1):
        reading = _read(" ".join(word.key for word in words[:length]))
        if reading is not None:
            numeral, ordinal = reading
            spoken = " ".join(word.text for word in words[:length])
            return length, Number(Decimal(numeral), numeral, ordinal, spoken)
    return None


@lru_cache(maxsize=4096)
def _read(text: str) -> tuple[str, bool] | None:
    """(numeral, is ordinal) if ``alpha2digit`` reads the whole text as one number, else ``None``."""
    converted = alpha2digit(text, "en", threshold=0)
    if _NUMERAL.fullmatch(converted):
        return converted, False
    ordinal = _ORDINAL_NUMERAL.fullmatch(converted)
    if ordinal:
        return ordinal.group(1), True
    return None


def _not_a_number(tokens: list[Token], position: int) -> bool:
    """'no one', 'wait a second': see the module docstring."""
    key = tokens[position].key if isinstance(tokens[position], Word) else ""
    previous = tokens[position - 1] if position > 0 else None
    previous_key = previous.key if isinstance(previous, Word) else ""
    if key == "one":
        following = tokens[position + 1] if position + 1 < len(tokens) else None
        next_is_number = isinstance(following, Word) and _read(following.key) is not None
        return previous_key in _PRONOUN_ONE_AFTER and not next_is_number
    if key == "second":
        previous_reading = _read(previous_key) if previous_key else None
        return previous_key in _TIME_SECOND_AFTER or (previous_reading is not None and not previous_reading[1])
    return False


def key_at(items: list[Item], position: int) -> str | None:
    """The key of the word at ``position``, or ``None`` if there is no word there."""
    if 0 <= position < len(items):
        item = items[position]
        if isinstance(item, Word):
            return item.key
    return None


def number_at(items: list[Item], position: int, *, ordinal: bool | None = False) -> Number | None:
    """The number at ``position`` (cardinal by default; ``ordinal=None`` accepts either), or ``None``."""
    if 0 <= position < len(items):
        item = items[position]
        if isinstance(item, Number) and (ordinal is None or item.ordinal == ordinal):
            return item
    return None


def integer_at(items: list[Item], position: int, low: int, high: int, *, ordinal: bool | None = False) -> int | None:
    """The whole number at ``position`` if it lies in ``low..high``, else ``None``."""
    number = number_at(items, position, ordinal=ordinal)
    if number is not None and number.is_integer and low <= number.value <= high:
        return int(number.value)
    return None
