"""The session's ``replacements`` (spec §4): case-insensitive find/replace on final ``text``, applied last.

A ``find`` that begins or ends with a letter or digit matches only at a word boundary on that side, so
replacing "pt" does not touch "apt"; other ends (".", "/") match anywhere. Replacements run in the order
given, each on the result of the one before; the replacement text is inserted literally.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ...protocol.messages import Replacement


def compile_replacements(replacements: Sequence[Replacement]) -> list[tuple[re.Pattern[str], str]]:
    return [(_pattern(replacement.find), replacement.replace) for replacement in replacements]


def apply_replacements(text: str, compiled: Sequence[tuple[re.Pattern[str], str]]) -> str:
    for pattern, replace in compiled:
        text = pattern.sub(lambda _match, replace=replace: replace, text)
    return text


def _pattern(find: str) -> re.Pattern[str]:
    start = r"(?<!\w)" if re.match(r"\w", find) else ""
    end = r"(?!\w)" if re.search(r"\w$", find) else ""
    return re.compile(start + re.escape(find) + end, re.IGNORECASE)
