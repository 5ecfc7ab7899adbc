"""Voice commands (spec §4): finding the session's command phrases among the spoken words.

A command is its own phrase: it fires only when a pause lies right before it (or the utterance starts
there) and right after it (or the utterance ends there). This is the rule dictation users know from
Dragon, and it is what keeps ordinary sentences intact: "he tends to scratch that area at night" or
"the next sectional image shows no fracture" are running speech, so their words stay text, formatted like
any other, even when the model hears a command phrase inside them. The pauses are the places where the
segmenter closed a span (``engine.pause_seconds`` of quiet, 0.5 s by default): the caller passes them as
word positions. When in doubt, text wins: a phrase that runs into the speech around it is text.

Matching is on word keys (lower case, the model's punctuation set aside), whole words only, so "Next
section." written by the model still fires.

* A hyphen inside a word is a word boundary for matching, in the configuration and in the speech alike:
  the model writes "follow-up" or "follow up" as it likes, so "schedule follow up" fires on "Schedule
  follow-up." and "follow-up visit" on "follow up visit". A match still starts and ends on whole
  recognised words, since whole words are what leaves the text: "up" or "follow" alone does not fire
  inside "follow-up". Within a match the parts line up freely ("go to plan-section" fires "go to
  {section} section").
* An enum variable matches one of its values, which may have several words; the value reported is the
  one from the configuration, as written there.
* A plural "s" does not decide a match (:func:`lemma`), part by part: "go to medication section" finds
  the "medications" value, "next sections" said on its own still means "next section". Inside running
  speech the pause rule keeps "review the previous sections of the chart" text.
* A wildcard takes one or more words up to the first place where the rest of the phrase matches; a
  wildcard ending a phrase takes the rest of the phrase, up to a pause where another command begins.
  Its value is the spoken words, lower case, hyphenated as the model wrote them ("follow-up tomorrow").
* Scanning goes left to right; at each pause the longest match of any phrase wins (ties: the command
  listed first), and matches never overlap.

A speaker may pause inside a phrase ("go to" | "plan section"). So the trailing words of a final that
could still grow into a phrase, starting at a pause, are held back (:func:`held_from`) and decided with
the next final. Only those words are held: a final ending in "go to" said on its own holds two words, a
final ending in an ordinary word, or in "go to" inside a sentence, holds nothing. A match ending the
segment is held too when it is also the start of a longer phrase, so that the longest match can still win.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ...protocol.messages import PLACEHOLDER, CommandDefinition
from .words import word_key

_NOT_PLURAL = frozenset({"has", "his", "its", "was", "yes"})


@dataclass(frozen=True)
class Literal:
    key: str


@dataclass(frozen=True)
class EnumVariable:
    name: str
    values: tuple[tuple[tuple[str, ...], str], ...]  # (value as part keys, value as configured)


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


@dataclass(frozen=True)
class _Parts:
    """The recognised words cut at their inner hyphens: what phrases are matched against.

    The model hyphenates as it likes, so a phrase must meet "follow-up" as "follow up". Whole words are
    still what a command removes from the text, so a match starts and ends only where a word does:
    ``word_starts`` gives the part position of each word's start (and of the end), ``word_at`` the other
    way round.
    """

    keys: tuple[str, ...]
    lemmas: tuple[str, ...]
    word_starts: tuple[int, ...]
    word_at: Mapping[int, int]
    pauses: frozenset[int]
    """Part positions where a pause lies: where a match may start and end."""


class Phrasebook:
    """The phrases of a configuration, in configuration order, indexed by the words they can start with.

    A final is matched only against the phrases that can start with the word at each pause, so a
    configuration of thousands of commands costs little more per final than one of ten.
    """

    def __init__(self, phrases: Sequence[Phrase]) -> None:
        self.phrases = tuple(phrases)
        starting: dict[str, list[int]] = {}
        for number, phrase in enumerate(self.phrases):
            for key in _first_keys(phrase.elements):
                starting.setdefault(key, []).append(number)
        self._starting = {key: tuple(sorted(set(numbers))) for key, numbers in starting.items()}

    def starting_with(self, key: str) -> tuple[int, ...]:
        """The numbers of the phrases that can start with the word (lemma) ``key``, in configuration order."""
        return self._starting.get(key, ())


def _first_keys(elements: Sequence[Element]) -> set[str]:
    if not elements:
        return set()
    head = elements[0]
    if isinstance(head, Literal):
        return {head.key} if head.key else set()
    if isinstance(head, EnumVariable):
        return {value_keys[0] for value_keys, _ in head.values if value_keys}
    return set()  # a phrase never starts with a wildcard (the configuration is refused)


def compile_phrases(commands: Sequence[CommandDefinition]) -> Phrasebook:
    """Every phrase of every command, as elements to match, in configuration order."""
    phrases: list[Phrase] = []
    for command in commands:
        variables = tuple((variable.key, variable.type, tuple(variable.enum or ()))
                          for variable in command.variables or [])
        for phrase in command.phrases:
            phrases.append(Phrase(command.id, _elements(phrase, variables), bool(variables)))
    return Phrasebook(phrases)


@functools.lru_cache(maxsize=16_384)
def _elements(phrase: str, variables: tuple[tuple[str, str, tuple[str, ...]], ...]) -> tuple[Element, ...]:
    """A phrase as elements to match, given its command's variables as (key, type, enum values).

    Remembered: every session of a daemon (or of a site's editors) sends the same phrases again, and a
    configuration of a thousand commands would otherwise be compiled anew for each."""
    declared = {key: (kind, values) for key, kind, values in variables}
    elements: list[Element] = []
    for token in phrase.split():
        placeholder = PLACEHOLDER.fullmatch(token)
        if placeholder is None:
            elements.extend(Literal(part) for part in _configured_parts(token))
            continue
        key = placeholder.group(1)
        kind, values = declared[key]
        if kind == "enum":
            elements.append(EnumVariable(key, tuple((_configured_parts(value), value) for value in values)))
        else:
            elements.append(WildcardVariable(key))
    return tuple(elements)


MATCH_BUDGET = 200_000
"""How many matching steps one final may cost. Every step is memoised, so ordinary configurations need a
few thousand at most; a configuration built to be slow (an enum between wildcards, repeated) meets this
bound in well under a second, and then no command is found in that final: its words stay text."""


class MatchingTooCostly(Exception):
    """The configuration's phrases cost more than :data:`MATCH_BUDGET` steps on one final."""


def find_commands(
    phrases: Phrasebook, keys: Sequence[str], pauses: Iterable[int],
) -> list[CommandMatch]:
    """Non-overlapping matches, leftmost first, the longest at each pause, in word positions.

    ``pauses`` are the word positions (0 to ``len(keys)``) with a pause before them; the start and the
    end of ``keys`` always count as pauses. Raises :class:`MatchingTooCostly` past the budget.
    """
    parts = _cut(keys, pauses)
    budget = _Budget()
    first_pass = _Matcher(phrases, parts, None, budget)
    starts = frozenset(position for position in parts.word_starts[:-1] if first_pass.longest_at(position))
    matcher = _Matcher(phrases, parts, starts, budget)
    matches: list[CommandMatch] = []
    word = 0
    while word < len(keys):
        match = matcher.longest_at(parts.word_starts[word])
        if match is None:
            word += 1
            continue
        matches.append(match)
        word = match.end
    return matches


def held_from(
    phrases: Phrasebook, keys: Sequence[str], pauses: Iterable[int], matches: Sequence[CommandMatch],
) -> int:
    """Where the words that may still become a phrase begin; ``len(keys)`` when none may.

    At most :data:`MAX_HELD_WORDS` words are held: a longer run that has not become a phrase yet is text.
    Raises :class:`MatchingTooCostly` past the budget.
    """
    if matches and matches[-1].end == len(keys):
        candidates: Sequence[int] = [matches[-1].start]
    else:
        candidates = range(max(matches[-1].end if matches else 0, len(keys) - MAX_HELD_WORDS), len(keys))
    parts = _cut(keys, pauses)
    matcher = _Matcher(phrases, parts, None, _Budget())
    for start in candidates:
        position = parts.word_starts[start]
        if position in parts.pauses and matcher.any_proper_prefix(position):
            return start
    return len(keys)


MAX_HELD_WORDS = 12
"""The most trailing words held back as a possible start of a phrase: a command is a short phrase, and
words held longer would reach the field late or, if the session ended badly, not at all."""


def _cut(keys: Sequence[str], pauses: Iterable[int]) -> _Parts:
    """The word keys as parts split at hyphens, remembering where each word begins and where pauses lie."""
    part_keys: list[str] = []
    word_starts: list[int] = []
    for key in keys:
        word_starts.append(len(part_keys))
        part_keys.extend(key.split("-"))
    word_starts.append(len(part_keys))
    word_at = {position: word for word, position in enumerate(word_starts)}
    pause_parts = frozenset({0, len(part_keys)} | {word_starts[word] for word in pauses if 0 <= word < len(word_starts)})
    return _Parts(tuple(part_keys), _lemmas(part_keys), tuple(word_starts), word_at, pause_parts)


class _Budget:
    """Counts matching steps against :data:`MATCH_BUDGET`."""

    def __init__(self) -> None:
        self.left = MATCH_BUDGET

    def spend(self, steps: int = 1) -> None:
        self.left -= steps
        if self.left < 0:
            raise MatchingTooCostly


Ends = Mapping[int, Mapping[str, str]]
"""The part positions where a match can end, each with the variables of the first way found to get there."""


class _Matcher:
    """Phrases matched against one final's parts, each (phrase, element, position) worked out once.

    Matching by plain recursion tries every split of every wildcard, which grows as the number of words to
    the power of the wildcards; remembering where the rest of a phrase can end from each position keeps
    it to the number of words squared per element.
    """

    def __init__(self, book: Phrasebook, parts: _Parts, starts: frozenset[int] | None,
                 budget: _Budget) -> None:
        """``starts`` are the positions where some phrase matches: a closing wildcard stops before the
        first of them after its own start; ``None`` lets it run to the end."""
        self._book = book
        self._phrases = book.phrases
        self._parts = parts
        self._starts = starts
        self._budget = budget
        self._ends: dict[tuple[int, int, int], Ends] = {}
        self._prefixes: dict[tuple[int, int, int], bool] = {}

    def longest_at(self, position: int) -> CommandMatch | None:
        """The longest match beginning at the word starting at part ``position``, in word positions; none
        unless a pause lies before that word."""
        parts = self._parts
        if position not in parts.pauses:
            return None
        best: CommandMatch | None = None
        for number in self._starting_at(position):
            phrase = self._phrases[number]
            for end, variables in self.ends(number, 0, position).items():
                if end > position and (best is None or parts.word_at[end] > best.end):
                    best = CommandMatch(phrase.command_id, parts.word_at[position], parts.word_at[end],
                                        dict(variables) if phrase.has_variables else None)
        return best

    def ends(self, number: int, index: int, position: int) -> Ends:
        """Where phrase ``number``'s elements from ``index`` on can end when matched from ``position``."""
        key = (number, index, position)
        found = self._ends.get(key)
        if found is None:
            self._budget.spend()
            found = self._ends[key] = self._find_ends(self._phrases[number].elements, number, index, position)
        return found

    def _find_ends(self, elements: Sequence[Element], number: int, index: int, position: int) -> Ends:
        parts = self._parts
        if index == len(elements):
            return {position: {}} if position in parts.pauses else {}
        head = elements[index]
        if isinstance(head, Literal):
            if position < len(parts.lemmas) and parts.lemmas[position] == head.key:
                return self.ends(number, index + 1, position + 1)
            return {}
        found: dict[int, Mapping[str, str]] = {}
        if isinstance(head, EnumVariable):
            for value_keys, value in head.values:
                self._budget.spend()
                if parts.lemmas[position : position + len(value_keys)] == value_keys:
                    for end, variables in self.ends(number, index + 1, position + len(value_keys)).items():
                        found.setdefault(end, {head.name: value, **variables})
            return found
        if index == len(elements) - 1:
            stop = min((start for start in self._starts or () if start > position), default=len(parts.keys))
            return {stop: {head.name: _spoken(parts, position, stop)}} if stop > position else {}
        for stop in range(position + 1, len(parts.keys)):
            rest = self.ends(number, index + 1, stop)
            if rest:
                spoken = _spoken(parts, position, stop)
                self._budget.spend(len(rest))
                return {end: {head.name: spoken, **variables} for end, variables in rest.items()}
        return found

    def any_proper_prefix(self, position: int) -> bool:
        """Whether ``parts[position:]`` (not empty) could be the start of some phrase with words still
        to come."""
        return any(self._prefix(number, 0, position) for number in self._starting_at(position))

    def _starting_at(self, position: int) -> tuple[int, ...]:
        """The phrases that can start with the part at ``position`` (none past the last part)."""
        lemmas = self._parts.lemmas
        return self._book.starting_with(lemmas[position]) if position < len(lemmas) else ()

    def _prefix(self, number: int, index: int, position: int) -> bool:
        key = (number, index, position)
        known = self._prefixes.get(key)
        if known is None:
            self._budget.spend()
            known = self._prefixes[key] = self._find_prefix(number, index, position)
        return known

    def _find_prefix(self, number: int, index: int, position: int) -> bool:
        parts = self._parts
        elements = self._phrases[number].elements
        if position == len(parts.keys):
            return index < len(elements)
        if index == len(elements):
            return False
        head = elements[index]
        if isinstance(head, Literal):
            return parts.lemmas[position] == head.key and self._prefix(number, index + 1, position + 1)
        if isinstance(head, EnumVariable):
            remaining = parts.lemmas[position:]
            for value_keys, _ in head.values:
                self._budget.spend()
                if len(remaining) < len(value_keys):
                    if value_keys[: len(remaining)] == remaining:
                        return True
                elif (parts.lemmas[position : position + len(value_keys)] == value_keys
                      and self._prefix(number, index + 1, position + len(value_keys))):
                    return True
            return False
        if index == len(elements) - 1:
            return False
        for stop in range(position + 1, len(parts.keys) + 1):
            if self._prefix(number, index + 1, stop):
                return True
            if self.ends(number, index + 1, stop):
                return False  # the wildcard ends at its first literal: the phrase is complete
        return False


def _spoken(parts: _Parts, start: int, stop: int) -> str:
    """Parts ``start:stop`` as the spoken words, lower case, with the model's hyphens back where they were."""
    return "".join(
        ("" if position == start else " " if position in parts.word_at else "-") + parts.keys[position]
        for position in range(start, stop)
    )


def lemma(key: str) -> str:
    """A word key with a plural "s" dropped, so "go to medication section" finds the "medications" value.

    Speech models often drop or add a plural "s"; no command should hinge on it. Two-letter words ("is",
    "us"), "-ss" endings ("class") and the few short words that only look plural ("his", "its") are left
    alone. Other three-letter words lose the "s" ("ups" → "up"), so that "follow-ups" matches "follow up"
    part by part; a stem that is no word ("bus" → "bu") does no harm, both sides losing the same "s".
    """
    if len(key) < 3 or not key.endswith("s") or key.endswith("ss") or key in _NOT_PLURAL:
        return key
    return key[:-1]


def _lemmas(keys: Sequence[str]) -> tuple[str, ...]:
    return tuple(lemma(key) for key in keys)


def _configured_parts(text: str) -> tuple[str, ...]:
    """A configured phrase word or enum value as part keys, cut at hyphens like the spoken words."""
    return _lemmas([part for word in word_key(_strip(text)).split() for part in word.split("-") if part])


def _strip(text: str) -> str:
    """A configured phrase word without punctuation around it ("section," → "section")."""
    return " ".join(word.strip(".,!?;:\"'()") for word in text.split())
