"""The words a session is likely to say, taken from its config, to prompt Whisper with.

Whisper's ``hotwords`` prompt makes the words in it likely: on twelve drug-name sentences spoken by three
synthetic voices, tiny.en spelled 13/14, 14/14 and 10/14 of the drug names right with them as hotwords,
2/14, 2/14 and 0/14 without (``initial_prompt`` scored the same). A session's config names three kinds of such
words: its keyterms (drug names and the like), the literal words and enum values of its commands, and,
with spoken punctuation on, the punctuation words themselves. Measured on the dictation set (69
utterances, tiny.en): keyterms alone gave 9.1% / 11.7% normalised WER on the slt / rms voices;
punctuation words, then command words, then keyterms gave 5.4% / 6.1%, with fewer "comma" → "common"
and "delete that" → "jolly fat" errors. Keyterms come last because they can be many: a prompt too long
for Whisper is cut at its end (:data:`PROMPT_TOKENS`).

Command words in the prompt also make the model hear them where they were not said ("the next sectional
image" → "the next section image"). Measured on the trust set's 22 hard negatives and 18 commands said
with pauses: without them, slt kept every word of one more hard negative (20 of 22 against 19) but
command recall on festival's kal voice fell from 100% to 83.3%. Commands heard inside a sentence no
longer fire (the pause rule), so the words stay, as the lesser harm.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from ...protocol.messages import PLACEHOLDER, TranscribeConfig
from ..lexicon.retrieval import heard_key

SPOKEN_PUNCTUATION_WORDS = (
    "period", "comma", "colon", "semicolon", "question mark", "exclamation mark", "new line",
    "new paragraph", "open parenthesis", "close parenthesis", "open quote", "close quote",
)
"""The most used English punctuation words of spec §5 (a prompt, not the rule: the text rules know all)."""

CLAUSE_END_WORDS = frozenset({"period", "comma", "colon", "semicolon", "question", "exclamation"})
"""The first words of the spoken marks that end a clause: no word of the clause follows them."""

PROMPT_TOKENS = 223
"""What Whisper reads of a prompt: half its 448-token context, less one. faster-whisper keeps the first 223
tokens and drops the rest unseen, so the prompt is cut here instead, at a phrase boundary. Medical terms
take a token per three or four letters, so characters are no measure of it."""


def session_vocabulary(config: TranscribeConfig) -> list[str]:
    """Phrases to prompt with, most general first, without repeats."""
    phrases: list[str] = []
    if config.punctuation_mode == "spoken" and config.primary_language.startswith("en"):
        phrases.extend(SPOKEN_PUNCTUATION_WORDS)
    for command in config.commands or []:
        enums = {variable.key: variable.enum or [] for variable in command.variables or []}
        for phrase in command.phrases:
            phrases.append(" ".join(PLACEHOLDER.sub(" ", phrase).split()))
        for values in enums.values():
            phrases.extend(values)
    phrases.extend(term.term for term in (config.keyterms.terms if config.keyterms else []))
    unique = dict.fromkeys(" ".join(phrase.split()) for phrase in phrases)
    return [phrase for phrase in unique if phrase]


def hotwords(phrases: Iterable[str], token_count: Callable[[str], int]) -> str | None:
    """The phrases that fit the prompt (:func:`fitting`) as one Whisper ``hotwords`` string."""
    return " ".join(fitting(phrases, token_count)) or None


def fitting(phrases: Iterable[str], token_count: Callable[[str], int]) -> list[str]:
    """The first phrases, as many as fit :data:`PROMPT_TOKENS` whole.

    ``token_count`` counts the model's tokens in a text. Whisper's tokenizer splits at spaces first, so a
    phrase with its leading space counts the same alone as inside the prompt.
    """
    kept: list[str] = []
    tokens = 0
    for phrase in phrases:
        tokens += token_count(" " + phrase)
        if tokens > PROMPT_TOKENS:
            break
        kept.append(phrase)
    return kept


def echoed_phrase(words: str, phrases: Sequence[str]) -> str | None:
    """The prompt's last phrase (``phrases`` are those in the prompt), if ``words`` end with it after other
    words, else ``None``.

    Whisper sometimes goes on from the end of its prompt once the speech is over: with "... stop dictation
    search for" as the prompt, "search for lab results" came back as "search for lab results search for".
    Such a tail is only a suspicion (a clinician may end on those words), which :mod:`.whisper` settles by
    decoding again with that phrase moved to the front of the prompt.
    """
    if not phrases:
        return None
    heard, phrase = word_keys(words), word_keys(phrases[-1])
    if len(heard) <= len(phrase) or heard[-len(phrase):] != phrase:
        return None
    return phrases[-1]


def word_keys(text: str) -> list[str]:
    """The words of ``text`` as compared, whatever the model's case and punctuation: "For," → "for"."""
    return [key for word in text.split() if (key := heard_key(word))]
