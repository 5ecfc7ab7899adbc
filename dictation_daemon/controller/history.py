"""The last dictations, in memory only, so one that went to the wrong window can be inserted again.

Dictated text is patient data: it is never written to disk and never logged; the daemon forgets it when
it exits, and keeps at most the configured number of dictations while it runs.
"""

from __future__ import annotations

import collections
import time
from dataclasses import dataclass, field

from ..insertion.rules import join


@dataclass(frozen=True)
class Dictation:
    """One utterance's final text, as the finals joined by the insertion rules, and when it ended."""

    text: str
    finished_at: float = field(default_factory=time.time)


class DictationText:
    """Collects the finals of one utterance into one text, spaced and capitalised as they were inserted."""

    def __init__(self) -> None:
        self._text = ""

    def add(self, segment_text: str) -> None:
        self._text += join(self._text, segment_text)

    @property
    def text(self) -> str:
        return self._text


class History:
    """At most ``size`` dictations, newest last; a size of 0 keeps nothing."""

    def __init__(self, size: int) -> None:
        self._items: collections.deque[Dictation] = collections.deque(maxlen=size)
        self._size = size

    def add(self, text: str) -> None:
        if self._size and text.strip():
            self._items.append(Dictation(text))

    def last(self) -> Dictation | None:
        return self._items[-1] if self._items else None

    def __len__(self) -> int:
        return len(self._items)
