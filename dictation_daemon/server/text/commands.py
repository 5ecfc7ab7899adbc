"""Voice commands (spec §4): finding the session's command phrases among the spoken words.

Matching is on word keys (lower case, the model's punctuation set aside), whole words only, so "next
section" fires in "go on next section" but not in "the next sectional view", and "Next section." written
by the model still fires.

* An enum variable matches one of its values, which may have several words; the value reported is the
  one from the configuration, as written there.
* A plural "s" does not decide a match (:func:`lemma`): "go to medication section" finds the
  "medications" value, "next sections" still means "next section".
* A wildcard takes one or more words up to the first place where the rest of the phrase matches; a
  wildcard ending a phrase takes the rest of the segment, but stops where another command begins. Its
  value is the spoken words, lower case.
* Scanning goes left to right; at each word the longest match of any phrase wins (ties: the command
  listed first), and matches never overlap.

Segments end at pauses, and a speaker may pause inside a phrase ("... go to" | "plan section"). So the
trailing words of a final that could still grow into a phrase are held back (:func:`held_from`) and
decided with the next final. Only those words are held: a final ending in "go to" holds two words, a
final ending in an ordinary word holds nothing. A match ending the segment is held too when it is also
the start of a longer phrase, so that the longest match can still win.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ...protocol.messages import PLACEHOLDER, CommandDefinition
from .words import word_key


@dataclass(frozen=True)
class Literal:
    key: str


@dataclass(frozen=True)
class EnumVariable:
    name: str
    values: tuple[tuple[tuple[str, ...], str], ...]  # (value as keys, value as configured)


@dataclass(frozen=True)
class WildcardVariable:
    name: str


Element = Literal | EnumVariable | WildcardVariable


@dataclass(frozen=True)
class Phrase:
    command_id: str
    elements: tuple[Element, ...]
    has_variables: bool


@dataclass(frozen=True)
class CommandMatch:
    """A phrase found at ``keys[start:end]``; ``variables`` is ``None`` for a command without any."""

    command_id: str
    start: int
    end: int
    variables: dict[str, str] | None


def compile_phrases(commands: Sequence[CommandDefinition]) -> list[Phrase]:
    """Every phrase of every command, as elements to match, in configuration order."""
    phrases: list[Phrase] = []
    for command in commands:
        variables = {variable.key: variable for variable in command.variables or []}
        for phrase in command.phrases:
            elements: list[Element] = []
            for token in phrase.split():
                placeholder = PLACEHOLDER.fullmatch(token)
                if placeholder is None:
                    elements.extend(Literal(lemma(word_key(part))) for part in _strip(token).split())
                    continue
                variable = variables[placeholder.group(1)]
                if variable.type == "enum":
                    values = tuple((_lemmas(word_key(_strip(value)).split()), value) for value in variable.enum or [])
                    elements.append(EnumVariable(variable.key, values))
                else:
                    elements.append(WildcardVariable(variable.key))
            phrases.append(Phrase(command.id, tuple(elements), bool(variables)))
    return phrases


def find_commands(phrases: Sequence[Phrase], keys: Sequence[str]) -> list[CommandMatch]:
    """Non-overlapping matches, leftmost first, the longest at each position."""
    starts = frozenset(position for position in range(len(keys)) if _longest_at(phrases, keys, position, None))
    matches: list[CommandMatch] = []
    position = 0
    while position < len(keys):
        match = _longest_at(phrases, keys, position, starts)
        if match is None:
            position += 1
            continue
        matches.append(match)
        position = match.end
    return matches


def held_from(phrases: Sequence[Phrase], keys: Sequence[str], matches: Sequence[CommandMatch]) -> int:
    """Where the words that may still become a phrase begin; ``len(keys)`` when none may."""
    if matches and matches[-1].end == len(keys):
        candidates: Sequence[int] = [matches[-1].start]
    else:
        candidates = range(matches[-1].end if matches else 0, len(keys))
    for start in candidates:
        if any(_proper_prefix(phrase.elements, keys, start) for phrase in phrases):
            return start
    return len(keys)


def _longest_at(
    phrases: Sequence[Phrase], keys: Sequence[str], position: int, starts: frozenset[int] | None,
) -> CommandMatch | None:
    best: CommandMatch | None = None
    for phrase in phrases:
        for end, variables in _ends(phrase.elements, keys, position, starts):
            if end > position and (best is None or end > best.end):
                best = CommandMatch(phrase.command_id, position, end, variables if phrase.has_variables else None)
    return best


def _ends(
    elements: Sequence[Element], keys: Sequence[str], position: int, starts: frozenset[int] | None,
) -> Iterator[tuple[int, dict[str, str]]]:
    """Every (end, variables) for which ``elements`` match ``keys`` from ``position``."""
    if not elements:
        yield position, {}
        return
    head, rest = elements[0], elements[1:]
    if isinstance(head, Literal):
        if position < len(keys) and lemma(keys[position]) == head.key:
            yield from _ends(rest, keys, position + 1, starts)
    elif isinstance(head, EnumVariable):
        for value_keys, value in head.values:
            if _lemmas(keys[position : position + len(value_keys)]) == value_keys:
                for end, variables in _ends(rest, keys, position + len(value_keys), starts):
                    yield end, {head.name: value, **variables}
    elif not rest:
        stop = min((start for start in starts or () if start > position), default=len(keys))
        if stop > position:
            yield stop, {head.name: " ".join(keys[position:stop])}
    else:
        for stop in range(position + 1, len(keys)):
            found = [(end, {head.name: " ".join(keys[position:stop]), **variables})
                     for end, variables in _ends(rest, keys, stop, starts)]
            if found:
                yield from found
                return


def _proper_prefix(elements: Sequence[Element], keys: Sequence[str], position: int) -> bool:
    """Whether ``keys[position:]`` (not empty) could be the start of ``elements`` with words still to come."""
    if position == len(keys):
        return bool(elements)
    if not elements:
        return False
    head, rest = elements[0], elements[1:]
    if isinstance(head, Literal):
        return lemma(keys[position]) == head.key and _proper_prefix(rest, keys, position + 1)
    if isinstance(head, EnumVariable):
        remaining = _lemmas(keys[position:])
        return any(
            value_keys[: len(remaining)] == remaining if len(remaining) < len(value_keys)
            else _lemmas(keys[position : position + len(value_keys)]) == value_keys
            and _proper_prefix(rest, keys, position + len(value_keys))
            for value_keys, _ in head.values
        )
    if not rest:
        return False
    for stop in range(position + 1, len(keys) + 1):
        if _proper_prefix(rest, keys, stop):
            return True
        if next(_ends(rest, keys, stop, None), None) is not None:
            return False  # the wildcard ends at its first literal: the phrase is complete
    return False


def lemma(key: str) -> str:
    """A word key with a plural "s" dropped, so "go to medication section" finds the "medications" value.

    Speech models often drop or add a plural "s"; no command should hinge on it. Short words ("is",
    "his") and "-ss" endings ("class") are left alone.
    """
    return key[:-1] if len(key) > 3 and key.endswith("s") and not key.endswith("ss") else key


def _lemmas(keys: Sequence[str]) -> tuple[str, ...]:
    return tuple(lemma(key) for key in keys)


def _strip(text: str) -> str:
    """A configured phrase word without punctuation around it ("section," → "section")."""
    return " ".join(word.strip(".,!?;:\"'()") for word in text.split())
