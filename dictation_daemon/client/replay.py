"""The bookkeeping that lets a dictation survive a lost socket: what to replay, and what to deliver once.

Pure state, no I/O: the asyncio shell (:mod:`.resilient`) tells :class:`ReplayLedger` what the user
captured and asked for and what each server stream sent back, and asks it what to send next.

One continuous timeline runs through the whole session, counted in samples of the captured audio. Each
server stream starts at some point of it, its *origin*, and reports times from there; the ledger shifts
them back, so callers see one timeline however many sockets it took.

The cut point is the end of the last final result received (the *committed* point): the server finalises
at pauses, and everything before a final's end has been turned into results, so a new stream that starts
there re-hears exactly the audio that has produced nothing yet. A final that never arrived because the
socket died is produced again by the replay, once. A ``flushed`` answer also commits: every result for the
audio before that flush has arrived, except the last few encoder frames that may not have left yet, which
``flush_margin`` keeps.

Results are delivered once: a final or command ending at or before the committed point describes audio
already delivered and is dropped, as is an interim about such audio. ``CONFIG_ACCEPTED`` is delivered for
the first stream only, ``flushed`` once per flush the caller asked for, ``usage``/``ended`` only when the
caller's ``end`` completes (with the credits of every stream added up), and a server ``error`` never: the
shell reports it as the reason for reconnecting.
"""

from __future__ import annotations

import enum
from collections import deque
from dataclasses import dataclass

from ..protocol.audio_format import SAMPLE_RATE
from ..protocol.messages import (
    AudioEvent,
    Command,
    ConfigAccepted,
    DeltaUsage,
    Ended,
    ErrorDetail,
    ErrorMessage,
    Flushed,
    ServerMessage,
    Transcript,
    UnknownMessage,
    Usage,
)

CHUNK_SAMPLES = SAMPLE_RATE // 4
"""Audio goes out in chunks of at most 250 ms, what Corti recommends."""
FLUSH_MARGIN_SAMPLES = SAMPLE_RATE // 10
"""How far before a flush point the commit stays: the Ogg/Opus encoder runs up to about two 20 ms frames
(and a page) behind capture, so that much audio may still be on its way when the flush is sent."""
_SAME_TIME = 1e-3  # seconds: result times are rounded on the wire


class StreamOutcome(enum.Enum):
    """How a server stream finished."""

    ENDED = "ended"
    """The caller's ``end`` completed: the session is over."""
    LOST = "lost"
    """The socket closed first."""
    SERVER_ERROR = "server_error"
    """The server sent an ``error`` and ended the stream."""


@dataclass(frozen=True)
class SendAudio:
    """Send captured samples ``[start, end)``."""

    start: int
    end: int


@dataclass(frozen=True)
class SendFlush:
    """Send the next ``flush`` the caller asked for."""


@dataclass(frozen=True)
class SendEnd:
    """Send ``end``: everything captured has gone out."""


Action = SendAudio | SendFlush | SendEnd


class ReplayLedger:
    """Positions of one dictation session across its server streams, in samples from its start."""

    def __init__(self, chunk_samples: int = CHUNK_SAMPLES, flush_margin: int = FLUSH_MARGIN_SAMPLES) -> None:
        if chunk_samples < 1 or flush_margin < 0:
            raise ValueError("chunk_samples must be positive and flush_margin not negative")
        self.chunk_samples = chunk_samples
        self.flush_margin = flush_margin
        self.captured = 0
        self.committed = 0
        self.origin = 0
        self.sent = 0
        self.replay_until = 0
        self.streaming = False
        self.finished = False
        self.progressed = False
        """Whether the current stream produced a final result or answered a flush: real progress."""
        self.error: ErrorDetail | None = None
        """The ``error`` that ended the current (or last) stream, if any."""
        self._flushes: deque[int] = deque()  # positions of flushes not yet answered, oldest first
        self._flushes_sent = 0  # how many of those went out on the current stream
        self._end_at: int | None = None
        self._end_sent = False
        self._first_accepted = False
        self._credits_before = 0.0  # credits reported by streams that are over
        self._credits_stream = 0.0

    # --- what the caller does -------------------------------------------------------------------

    @property
    def end_requested(self) -> bool:
        return self._end_at is not None

    def capture(self, samples: int) -> None:
        """``samples`` more were captured (and kept by the shell)."""
        if self.end_requested:
            raise ValueError("no audio after end")
        self.captured += samples

    def request_flush(self) -> None:
        """The caller asked for every result of the audio captured so far."""
        self._flushes.append(self.captured)

    def request_end(self) -> None:
        """The caller ended the session after the audio captured so far."""
        if self._end_at is None:
            self._end_at = self.captured

    # --- server streams -------------------------------------------------------------------------

    def start_stream(self) -> float:
        """A new stream was accepted; it starts at the committed point. Returns the seconds to replay."""
        self.origin = self.sent = self.committed
        self.replay_until = self.captured
        self.streaming = True
        self.progressed = False
        self.error = None
        self._flushes_sent = 0
        self._end_sent = False
        return (self.captured - self.committed) / SAMPLE_RATE

    @property
    def replaying(self) -> bool:
        """Whether the current stream is still catching up with audio captured before it started."""
        return self.streaming and self.sent < self.replay_until

    def next_action(self) -> Action | None:
        """What the current stream should be sent next, or ``None`` when it is up to date."""
        if not self.streaming or self._end_sent:
            return None
        flush_at = self._flushes[self._flushes_sent] if self._flushes_sent < len(self._flushes) else None
        target = next(p for p in (flush_at, self._end_at, self.captured) if p is not None)
        if self.sent < target:
            return SendAudio(self.sent, min(target, self.sent + self.chunk_samples))
        if flush_at is not None:
            return SendFlush()
        if self._end_at is not None:
            return SendEnd()
        return None

    def mark_sent(self, action: Action) -> None:
        """The shell is sending ``action`` (counted before the send: a failed send ends the stream anyway)."""
        if isinstance(action, SendAudio):
            self.sent = action.end
        elif isinstance(action, SendFlush):
            self._flushes_sent += 1
        else:
            self._end_sent = True

    def receive(self, message: ServerMessage) -> list[ServerMessage]:
        """A message from the current stream; returns what to deliver to the caller (possibly nothing)."""
        if isinstance(message, ConfigAccepted):
            first, self._first_accepted = not self._first_accepted, True
            return [message] if first else []
        if isinstance(message, (Transcript, Command)):
            return self._result(message)
        if isinstance(message, Flushed):
            return self._flushed(message)
        if isinstance(message, AudioEvent):
            start_ms = message.data.start_time_ms + self.origin * 1000 // SAMPLE_RATE
            return [message.model_copy(update={"data": message.data.model_copy(update={"start_time_ms": start_ms})})]
        if isinstance(message, (Usage, DeltaUsage)):
            self._credits_stream = message.credits
            return [DeltaUsage(credits=self.credits)] if isinstance(message, DeltaUsage) else []
        if isinstance(message, ErrorMessage):
            self.error = message.error
            return []
        if isinstance(message, Ended):
            if self._end_sent and self.error is None:
                self.finished = True
                return [Usage(credits=self.credits), message]
            return []
        if isinstance(message, UnknownMessage):
            return [message]
        return []  # config refusals: the shell handles them when the stream opens

    def stream_over(self) -> StreamOutcome:
        """The current stream's socket is closed; says why, and gets ready for the next stream."""
        self.streaming = False
        self._credits_before += self._credits_stream
        self._credits_stream = 0.0
        if self.finished:
            return StreamOutcome.ENDED
        return StreamOutcome.SERVER_ERROR if self.error is not None else StreamOutcome.LOST

    @property
    def credits(self) -> float:
        """Credits reported so far by all streams (a stream cut before reporting counts what it last said)."""
        return round(self._credits_before + self._credits_stream, 6)

    # --- internals ------------------------------------------------------------------------------

    def _global(self, stream_seconds: float) -> float:
        return round(self.origin / SAMPLE_RATE + stream_seconds, 6)

    def _is_new(self, stream_end: float) -> bool:
        """Whether a result ending at ``stream_end`` covers audio not yet delivered."""
        return self._global(stream_end) > self.committed / SAMPLE_RATE + _SAME_TIME

    def _commit(self, stream_end: float) -> None:
        point = min(self.sent, round(self._global(stream_end) * SAMPLE_RATE))
        self.committed = max(self.committed, point)
        self.progressed = True

    def _result(self, message: Transcript | Command) -> list[ServerMessage]:
        """A transcript or command on the session's timeline, unless it is about audio already delivered."""
        data = message.data
        if not self._is_new(data.end):
            return []
        if isinstance(message, Command) or message.data.is_final:
            self._commit(data.end)
        shifted = data.model_copy(update={"start": self._global(data.start), "end": self._global(data.end)})
        return [message.model_copy(update={"data": shifted})]

    def _flushed(self, message: Flushed) -> list[ServerMessage]:
        if not self._flushes_sent:
            return []  # not an answer to anything this session asked
        position = self._flushes.popleft()
        self._flushes_sent -= 1
        self.committed = max(self.committed, min(self.sent, position - self.flush_margin))
        self.progressed = True
        return [message]
