"""Reads the engine's text into words, keeping the model's punctuation aside rather than in the words.

Whisper writes its own punctuation, capitals and digits ("Blood pressure 120 over 80 comma heart rate
72."). Every later rule needs the spoken words without that punctuation (commands, spoken punctuation,
``rawTranscriptText``), while automatic punctuation needs the punctuation itself, so each word keeps the
marks written before and after it separately.

Decisions:

* Characters inside a word stay: "follow-up", "don't", "2.5", "8:30", "120/80", "COVID-19". A comma
  between digits is a thousands separator and is dropped ("1,000" → "1000").
* Symbols that stand for spoken words are read back as those words: "%" → "percent", "°C" → "degrees
  celsius", "°F" → "degrees fahrenheit", "a.m."/"p.m." → am/pm. A unit or am/pm glued to a number is split
  off ("20mg" → "20 mg"). So "fifty percent" means the same whether the model wrote words or "50%".
* Capitals the model put at the start of the clip or after its own sentence end are only its guess
  about sentence boundaries: such a word is lower-cased when nothing else in it is a capital ("Blood",
  "The", "A"), and kept otherwise ("BP", "McDonald", "I"). Capitals elsewhere (names, acronyms) are kept.
* Each word gets a time by its position in the segment, the engine giving none per word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .units import WRITTEN_FORMS

_PIECE = re.compile(
    r"(?P<meridiem>\b[ap]\.m\b\.?)"
    r"|(?P<degrees>°\s?[cf]\b|°)"
    r"|(?P<percent>%)"
    r"|(?P<word>\w+(?:(?:['/-]|(?<=\d)[.:,](?=\d))\w+)*)"
    r"|(?P<punct>[^\w\s%°]+)"
    r"|(?P<space>\s+)",
    re.IGNORECASE,
)
_GLUED = re.compile(r"(\d+(?:[.:]\d+)?)([^\W\d_]+)")
_SENTENCE_END = re.compile(r"(?<!\.)\.(?!\.)|[!?]")
_SYMBOL_WORDS = {"%": "percent", "°c": "degrees celsius", "°f": "degrees fahrenheit", "°": "degrees"}


@dataclass(frozen=True)
class HeardWord:
    """One recognised word: ``text`` as the model cased it, ``key`` for matching, and its time.

    ``before``/``after`` hold the model's punctuation written against the word (used only by automatic
    punctuation); a dash standing alone between two words is kept as "—" in ``after``. ``pause_before``
    says the speaker paused right before the word (it begins a segment): commands start and end only there.
    """

    text: str
    key: str
    start: float
    end: float
    before: str = ""
    after: str = ""
    pause_before: bool = False


def word_key(text: str) -> str:
    """The matching form of a word or phrase: lower case, typographic apostrophes made plain."""
    return text.replace("’", "'").lower()


def raw_text(words: list[HeardWord]) -> str:
    """The spoken words, lower case, without punctuation: ``rawTranscriptText``."""
    return " ".join(word.key for word in words)


def split_words(text: str, start: float, end: float) -> list[HeardWord]:
    """The words of one recognised segment, with the model's punctuation set aside and times spread evenly."""
    pieces = _pieces(text.replace("’", "'"))
    drafts: list[list[str]] = []  # [text, key, before, after]
    pending_before = ""
    for index, (kind, value) in enumerate(pieces):
        if kind == "word":
            drafts.append([value, _key_of(value), pending_before, ""])
            pending_before = ""
        elif kind == "punct":
            attached_to_previous = index > 0 and pieces[index - 1][0] == "word"
            attached_to_next = index + 1 < len(pieces) and pieces[index + 1][0] == "word"
            if drafts and (attached_to_previous or not attached_to_next):
                drafts[-1][3] += "—" if not attached_to_previous and set(value) <= set("-–—") else value
            else:
                pending_before += value
    _lower_model_sentence_starts(drafts)
    count = len(drafts)
    span = end - start
    return [
        HeardWord(
            text=word, key=key, before=before, after=after,
            start=round(start + span * position / count, 3),
            end=round(start + span * (position + 1) / count, 3),
        )
        for position, (word, key, before, after) in enumerate(drafts)
    ]


def _pieces(text: str) -> list[tuple[str, str]]:
    """The text as (kind, value) pieces, symbols already read back as words and glued units split."""
    pieces: list[tuple[str, str]] = []
    for match in _PIECE.finditer(text):
        kind, value = match.lastgroup or "space", match.group()
        if kind in ("degrees", "percent"):
            pieces.extend(("word", word) for word in _SYMBOL_WORDS[value.replace(" ", "").lower()].split())
        elif kind == "meridiem":
            pieces.append(("word", value))
        elif kind == "word":
            pieces.extend(("word", part) for part in _split_glued(value))
        else:
            pieces.append((kind, value))
    return pieces


def _split_glued(word: str) -> list[str]:
    """'20mg' → ['20', 'mg'], '8pm' → ['8', 'pm']; '3rd' and 'COVID19' stay whole."""
    glued = _GLUED.fullmatch(word)
    if glued and glued.group(2).lower() in WRITTEN_FORMS | {"am", "pm"}:
        return [glued.group(1).replace(",", ""), glued.group(2)]
    return [re.sub(r"(?<=\d),(?=\d)", "", word)]


def _key_of(word: str) -> str:
    key = word_key(word)
    if re.fullmatch(r"[ap]\.m\.?", key):
        return key[0] + "m"
    return key


def _lower_model_sentence_starts(drafts: list[list[str]]) -> None:
    """Undoes the model's capital at the clip start and after its own sentence ends (see module doc)."""
    at_sentence_start = True
    for draft in drafts:
        word = draft[0]
        if at_sentence_start and _only_initial_capital(word):
            draft[0] = word.lower()
        at_sentence_start = bool(_SENTENCE_END.search(draft[3]))  # an ellipsis ends no sentence


def _only_initial_capital(word: str) -> bool:
    if word == "I" or word.startswith("I'"):
        return False
    return word[:1].isupper() and not any(character.isupper() for character in word[1:])
