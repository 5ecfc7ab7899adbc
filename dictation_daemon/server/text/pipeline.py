"""From recognised segments to the ``transcript`` and ``command`` data of one session.

Interim segments pass through untouched (spec §3). Each final is one stretch of speech with a pause
before and after it, which is what makes a command its own phrase (see :mod:`.commands`). A final goes
through, in order: command detection and removal, punctuation per the session's mode, formatting,
capitalisation, replacements. A command splits the final: the text before it, the command, the text after it, in spoken order, so that a client
inserts, runs the command, then inserts the rest. Times inside a segment are estimated from word
positions, the engine giving none per word.

The pipeline keeps one piece of state: the trailing words of the last final that may be the start of a
command phrase (see :mod:`.commands`). They are decided with the next final, or released by
:meth:`TextPipeline.flush`.

Everything here is bounded by the configuration's published limits and by the words of one final: a
configuration whose phrases would cost more than :data:`~.commands.MATCH_BUDGET` steps to match finds no
command in that final (its words are text), and replacements never grow a final's text past
:data:`~.replacements.MAX_GROWTH` characters.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from ...protocol.messages import CommandData, TranscribeConfig, TranscriptData
from ..recognizer import RecognizedSegment
from .commands import MatchingTooCostly, compile_phrases, find_commands, held_from
from .formatting import FormatContext, format_tokens
from .layout import capitalise, join
from .punctuation import punctuate
from .replacements import apply_replacements, compile_replacements
from .words import HeardWord, raw_text, split_words

Output = TranscriptData | CommandData

logger = logging.getLogger(__name__)


class TextPipeline:
    """Turns one session's segments into wire data, following its configuration."""

    def __init__(self, config: TranscribeConfig) -> None:
        self._mode = config.punctuation_mode
        self._phrases = compile_phrases(config.commands or [])
        self._format = FormatContext.for_language(config.effective_formatting, config.primary_language)
        self._replacements = compile_replacements(config.replacements or [])
        self._held: list[HeardWord] = []

    def process(self, segment: RecognizedSegment) -> list[Output]:
        """What to send for one segment; may hold back the last words of a final (see module doc)."""
        if not segment.is_final:
            words = segment.words.strip()
            if not words:
                return []
            return [TranscriptData(text=words, raw_transcript_text=words, start=segment.start,
                                   end=segment.end, is_final=False)]
        heard = split_words(segment.words, segment.start, segment.end)
        if heard:
            heard[0] = replace(heard[0], pause_before=True)  # the segmenter closed a span before it
        words = self._held + heard
        self._held = []
        return self._finals(words, hold=True)

    def flush(self) -> list[Output]:
        """Releases any held-back words, as text or as a command: called on ``flush`` and ``end``."""
        words, self._held = self._held, []
        return self._finals(words, hold=False)

    def _finals(self, words: list[HeardWord], *, hold: bool) -> list[Output]:
        keys = [word.key for word in words]
        pauses = [position for position, word in enumerate(words) if word.pause_before]
        try:
            matches = find_commands(self._phrases, keys, pauses)
            cut = held_from(self._phrases, keys, pauses, matches) if hold else len(words)
        except MatchingTooCostly:
            logger.warning("command phrases too costly to match in a final of %d words: kept as text", len(keys))
            matches, cut = [], len(words)
        self._held = words[cut:]
        output: list[Output] = []
        position = 0
        for match in matches:
            if match.end > cut:
                break
            output.extend(self._transcript(words[position : match.start]))
            spoken = words[match.start : match.end]
            output.append(CommandData(id=match.command_id, variables=match.variables,
                                      raw_transcript_text=raw_text(spoken),
                                      start=spoken[0].start, end=spoken[-1].end))
            position = match.end
        output.extend(self._transcript(words[position:cut]))
        return output

    def _transcript(self, words: list[HeardWord]) -> list[Output]:
        if not words:
            return []
        tokens = punctuate(words, self._mode)
        tokens = capitalise(format_tokens(tokens, self._format))
        text = apply_replacements(join(tokens), self._replacements)
        return [TranscriptData(text=text, raw_transcript_text=raw_text(words), start=words[0].start,
                               end=words[-1].end, is_final=True)]
