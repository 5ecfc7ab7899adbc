"""The session's ``replacements`` (spec §4): case-insensitive find/replace on final ``text``, applied last.

A ``find`` that begins or ends with a letter or digit matches only at a word boundary on that side, so
replacing "pt" does not touch "apt"; other ends (".", "/") match anywhere. Replacements run in the order
given, each on the result of the one before; the replacement text is inserted literally.

A replacement that would make the text longer than its spoken form plus :data:`MAX_GROWTH` characters is
skipped (with the ones after it still applied): twenty rules that each double the spaces would otherwise
make a final of a million characters, more than any client can be sent. The words are never lost: the
text stays as the rules before it left it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from ...protocol.messages import Replacement

MAX_GROWTH = 16_384
"""How many characters replacements may add to one final: room for expanding every abbreviation of a
long sentence and for a paragraph-long template, far below the 1 MiB a message may hold."""

logger = logging.getLogger(__name__)


def compile_replacements(replacements: Sequence[Replacement]) -> list[tuple[re.Pattern[str], str]]:
    return [(_pattern(replacement.find), replacement.replace) for replacement in replacements]


def apply_replacements(text: str, compiled: Sequence[tuple[re.Pattern[str], str]]) -> str:
    replaced, skipped = _applied(text, compiled)
    if skipped:
        logger.warning("%d replacement(s) would grow the text past %d characters: skipped", len(skipped),
                       len(text) + MAX_GROWTH)
    return replaced


def runaway_replacements(replacements: Sequence[Replacement]) -> list[int]:
    """The positions of the rules that would be skipped when their own ``find`` is said: a rule whose text
    the later rules keep growing ("a space becomes two", twenty times over) or a replacement longer than
    the bound. For ``config check``, which can say so before any dictation."""
    compiled = compile_replacements(replacements)
    return [position for position, replacement in enumerate(replacements)
            if _applied(f"said {replacement.find} here", compiled)[1]]


def _applied(text: str, compiled: Sequence[tuple[re.Pattern[str], str]]) -> tuple[str, list[int]]:
    """``text`` with the rules applied in order, and the positions of those skipped for growing it past
    :data:`MAX_GROWTH` (counted before any string is built, so a runaway rule costs nothing)."""
    limit = len(text) + MAX_GROWTH
    skipped: list[int] = []
    for position, (pattern, replace) in enumerate(compiled):
        added = sum(len(replace) - (found.end() - found.start()) for found in pattern.finditer(text))
        if len(text) + added > limit:
            skipped.append(position)
            continue
        text = pattern.sub(lambda _match, replace=replace: replace, text)
    return text, skipped


def _pattern(find: str) -> re.Pattern[str]:
    start = r"(?<!\w)" if re.match(r"\w", find) else ""
    end = r"(?!\w)" if re.search(r"\w$", find) else ""
    return re.compile(start + re.escape(find) + end, re.IGNORECASE)
