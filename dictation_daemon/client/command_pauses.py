"""A command is its own phrase, whichever server heard it: the client's half of the pause rule. Pure.

The embedded server fires a command only when a pause lies before and after it. Corti's cloud (or any
other server) may not, and a command fired inside running speech moves the cursor or deletes text the
clinician did not mean to lose. So the client applies the same rule to the messages it receives, from
their ``start``/``end`` times (seconds of the stream's audio): a command that starts less than
``min_pause_seconds`` after the previous final ended, or ends less than that before the next final
starts, ran into the speech around it and is given back as text, its ``rawTranscriptText`` as a final
transcript in its place. The server has already taken the command's words out of the neighbouring
``text`` (spec §3), so the words come back exactly once: nothing is lost and nothing doubled.

Whether speech follows is only known when the next message arrives, so a command is held until then:
the next final or command decides it, and ``flushed`` or ``ended`` (the end of the dictation, which is
a pause) lets it fire. A server sends the words of one stretch of speech together, so words that ran
into a command arrive right behind it; the shell therefore fires a command still held after
:data:`HOLD_SECONDS` (:meth:`CommandPauses.expire`), so that an editor moves to the next field before
the next sentence's text arrives. Interim transcripts that arrive while a command is held are dropped:
they belong to speech after the command, and typing them before the command has moved the cursor would
put them in the wrong place; the final that replaces them is delivered in order.
"""

from __future__ import annotations

from ..protocol.messages import Command, Ended, Flushed, ServerMessage, Transcript, TranscriptData

DEFAULT_MIN_PAUSE_SECONDS = 0.3
"""Quiet that must separate a command from the speech around it. The embedded server closes a segment
after ``engine.pause_seconds`` (0.5 s) of quiet and reports each segment's voiced times, so its commands
are always at least that far from their neighbours; a shorter gap than this between the words of two
messages is one stretch of speech."""


HOLD_SECONDS = 0.3
"""Wall-clock time a command is held for the words that may run on from it: a server sends the messages
of one stretch of speech within milliseconds of each other, and a later sentence comes after a pause."""


class CommandPauses:
    """Passes server messages on in order, turning back into text the commands said without pauses."""

    def __init__(self, min_pause_seconds: float = DEFAULT_MIN_PAUSE_SECONDS) -> None:
        self.min_pause_seconds = min_pause_seconds
        self._speech_end: float | None = None  # end of the last final or command of this dictation
        self._held: Command | None = None

    @property
    def holding(self) -> bool:
        """Whether a command waits for the next message to be decided."""
        return self._held is not None

    @property
    def held(self) -> Command | None:
        """The command waiting to be decided, if any."""
        return self._held

    def receive(self, message: ServerMessage) -> list[ServerMessage]:
        """The messages to act on now, in order, for one message from the server."""
        if isinstance(message, Transcript):
            if not message.data.is_final:
                return [] if self._held is not None else [message]
            if not message.data.raw_transcript_text.strip():
                return [message]
            released = self._decide_held(next_start=message.data.start)
            self._speech_end = message.data.end
            return [*released, message]
        if isinstance(message, Command):
            released = self._decide_held(next_start=message.data.start)
            if self._speech_end is not None and message.data.start - self._speech_end < self.min_pause_seconds:
                self._speech_end = message.data.end
                return [*released, as_text(message)]
            self._held = message
            return released
        if isinstance(message, (Flushed, Ended)):
            return [*self.release(), message]
        return [message]

    def expire(self) -> list[ServerMessage]:
        """The held command, fired: nothing ran on from it within the hold. What comes next is checked
        against its end, as after any command."""
        held, self._held = self._held, None
        if held is None:
            return []
        self._speech_end = held.data.end
        return [held]

    def release(self) -> list[ServerMessage]:
        """The held command, if any, fired: the dictation has ended, which is a pause."""
        released = self._decide_held(next_start=None)
        self._speech_end = None
        return released

    def _decide_held(self, next_start: float | None) -> list[ServerMessage]:
        """The held command, fired or as text, now that what follows it is known (``None``: a pause)."""
        held, self._held = self._held, None
        if held is None:
            return []
        self._speech_end = held.data.end
        if next_start is not None and next_start - held.data.end < self.min_pause_seconds:
            return [as_text(held)]
        return [held]


def as_text(command: Command) -> Transcript:
    """The command's spoken words as a final transcript over the same stretch of audio."""
    words = command.data.raw_transcript_text
    return Transcript(data=TranscriptData(text=words, raw_transcript_text=words, start=command.data.start,
                                          end=command.data.end, is_final=True))
