"""Units of measurement: how each is spoken, how the model may write it, and its abbreviation (spec §6).

A unit is only ever recognised right after a number (see :mod:`.formatting`), so "a gram of" or "in the
morning" are never touched. Written forms are the abbreviations the model itself sometimes writes
("5 mg", "20mg"); English words that are also abbreviations ("in", "l", "k") are left out of them so that
"5 in the morning" stays as it is, while "five inches" still becomes "5 in".

``%``, ``°C`` and ``°F`` are written against the number ("50%", "38.5°C"), as in clinical notes; every
other symbol follows the number after one space ("50 mg").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    symbol: str
    spoken: tuple[str, ...]
    written: tuple[str, ...] = ()
    attached: bool = False

    def forms(self) -> tuple[tuple[str, ...], ...]:
        """Every way of saying or writing the unit, as sequences of lower-case word keys."""
        return tuple(tuple(form.split()) for form in self.spoken + self.written)


def _both(*singular: str) -> tuple[str, ...]:
    """Singular and regular plural of each name ("milligram", "milligrams")."""
    return tuple(form for name in singular for form in (name, name + "s"))


UNITS: tuple[Unit, ...] = (
    Unit("%", ("percent", "per cent", "percent sign"), attached=True),
    Unit("°C", _both("degree celsius", "degree centigrade") + ("degrees celsius", "degrees centigrade"),
         attached=True),
    Unit("°F", ("degree fahrenheit", "degrees fahrenheit"), attached=True),
    Unit("K", ("kelvin", "kelvins")),
    Unit("in", ("inch", "inches")),
    Unit("m", _both("meter", "metre")),
    Unit("cm", _both("centimeter", "centimetre"), ("cm",)),
    Unit("mm", _both("millimeter", "millimetre"), ("mm",)),
    Unit("nm", _both("nanometer", "nanometre"), ("nm",)),
    Unit("km", _both("kilometer", "kilometre"), ("km",)),
    Unit("g", _both("gram", "gramme"), ("g",)),
    Unit("kg", _both("kilogram", "kilogramme", "kilo"), ("kg",)),
    Unit("mg", _both("milligram", "milligramme"), ("mg",)),
    Unit("mcg", _both("microgram", "microgramme"), ("mcg", "µg", "μg")),
    Unit("ng", _both("nanogram", "nanogramme"), ("ng",)),
    Unit("lb", _both("pound"), ("lb", "lbs")),
    Unit("oz", _both("ounce"), ("oz",)),
    Unit("L", _both("liter", "litre")),
    Unit("mL", _both("milliliter", "millilitre"), ("ml",)),
    Unit("dL", _both("deciliter", "decilitre"), ("dl",)),
    Unit("IU", _both("international unit"), ("iu",)),
    Unit("mEq", _both("milliequivalent"), ("meq",)),
    Unit("mmol", _both("millimole", "millimol"), ("mmol",)),
    Unit("mol", _both("mole", "mol")),
    Unit("mmHg", ("millimeters of mercury", "millimetres of mercury", "millimeter of mercury",
                  "millimetre of mercury"), ("mmhg",)),
)

UNIT_BY_SYMBOL: dict[str, Unit] = {unit.symbol: unit for unit in UNITS}

WRITTEN_FORMS: frozenset[str] = frozenset(form for unit in UNITS for form in unit.written)
"""Abbreviations the model may glue to a number ("20mg"); :mod:`.words` splits them off."""

LONGEST_FORM = max(len(form) for unit in UNITS for form in unit.forms())
"""How many words the longest unit name has: how far a caller needs to look ahead."""


def match_unit(keys: Sequence[str]) -> tuple[int, Unit] | None:
    """The longest unit at the start of ``keys``: how many keys it takes, and which unit it is.

    Longest wins so that "millimeters of mercury" is mmHg, not mm followed by "of mercury".
    """
    best: tuple[int, Unit] | None = None
    for unit in UNITS:
        for form in unit.forms():
            if tuple(keys[: len(form)]) == form and (best is None or len(form) > best[0]):
                best = (len(form), unit)
    return best

