"""The two kinds of piece a final's text is built from: words and punctuation marks.

Punctuation and formatting both work on this small vocabulary rather than on strings, so that spacing
("no space before a comma") and capitalisation ("capital after a full stop") are decided once, in
:mod:`.layout`, whatever produced the mark: a spoken "comma", the model's own ",", or a formatting rule.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Word:
    """A word as it will be written (``text``) and as it is matched (``key``, lower case)."""

    text: str
    key: str

    @classmethod
    def of(cls, text: str) -> Word:
        """A word whose matching key is simply its lower-cased text (formatting output, symbols)."""
        return cls(text, text.lower())


@dataclass(frozen=True)
class Mark:
    """A punctuation mark and how it sits between words.

    ``space_before``/``space_after`` say whether the mark wants a space on that side; a space is written
    only where both neighbours want one. ``capitalise_next`` marks the end of a sentence (or a paragraph
    break): the next word starts with a capital letter.
    """

    text: str
    space_before: bool
    space_after: bool
    capitalise_next: bool = False


Token = Word | Mark
