"""The controller's asyncio shell: carries out :class:`ControllerCore`'s effects with the microphone and session.

Each utterance is a *take*: the microphone's utterance (pre-roll first) streamed into the warm session,
ended with ``flush``. Results arrive in order, and a take's last result comes before its ``flushed``,
so the results that arrive belong to the oldest take whose ``flushed`` is still due. A cancelled take
is flushed too, and what arrives for it is dropped: the session stays warm and nothing of it is inserted.
A take only starts sending once the take before it has been flushed, so their results never mix.

The session reconnects and replays by itself, so a dropped network or a server error costs a take
nothing: its ``flushed`` comes late, and meanwhile every connection status is published as a state event
(the state unchanged, the connection what changed) so the user sees why. A microphone that fails
mid-utterance ends the take there: the state becomes ``error``, and what it captured is still transcribed.
"""

from __future__ import annotations

import asyncio
import collections
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from ..capture.cues import Cue, CuePlayer, without_cues
from ..capture.microphone import Microphone, MicrophoneState
from ..capture.utterance import MicrophoneFailed, Utterance
from ..client.command_pauses import DEFAULT_MIN_PAUSE_SECONDS, HOLD_SECONDS, CommandPauses
from ..client.errors import ConfigRefused
from ..client.resilient import ResilientSession
from ..events.connection import ConnectionStatus
from ..events.dictation import (
    CommandEvent,
    SessionErrorEvent,
    StateEvent,
    TranscriptEvent,
    UsageEvent,
    connection_json,
)
from ..events.hub import EventHub
from ..events.states import State, Trigger
from ..protocol.messages import (
    Command,
    DeltaUsage,
    ErrorMessage,
    Flushed,
    ServerMessage,
    Transcript,
    Usage,
)
from .history import DictationText, History
from .machine import (
    BeginCapture,
    ControllerCore,
    DiscardCapture,
    Effect,
    EndCapture,
    StateChanged,
)
from .warm import WarmSession

logger = logging.getLogger(__name__)

MICROPHONE_RETRY_DELAYS = (0.5, 1.0, 2.0, 5.0, *([10.0] * 30))
"""Seconds between attempts to reopen a failed microphone (about five minutes in all, then at the next start)."""


@dataclass
class _Take:
    """One utterance on its way through the session."""

    utterance: Utterance
    text: DictationText = field(default_factory=DictationText)
    discard: bool = False
    sent: asyncio.Event = field(default_factory=asyncio.Event)
    """Set once the take's audio and its ``flush`` went out (or failed): the next take may send."""
    core_waits: bool = True
    """Whether the core is finishing this take and waits for its ``flushed``; not once it moved on without
    it (a cancel while listening, a microphone failure), so a late ``flushed`` cannot end a later take."""


class Controller:
    """Runs dictation: triggers from hotkeys, the socket or the command line; events out through ``events``."""

    def __init__(
        self,
        microphone: Microphone,
        sessions: WarmSession | None = None,
        *,
        events: EventHub,
        history: History,
        tail_ms: float = 400,
        cues: CuePlayer | None = None,
        command_pause_seconds: float = DEFAULT_MIN_PAUSE_SECONDS,
    ) -> None:
        self._microphone = microphone
        self._sessions = sessions
        self._events = events
        self._history = history
        self._tail_ms = tail_ms
        self._cues = cues
        self._core = ControllerCore()
        self._takes: collections.deque[_Take] = collections.deque()
        self._current: _Take | None = None
        self._last_sent: _Take | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._reopening = False
        self._connection: ConnectionStatus | None = None
        self.command_pauses = CommandPauses(command_pause_seconds)
        """Gives back as text the commands a backend fired inside running speech; its
        ``min_pause_seconds`` may be changed between dictations."""

    def attach(self, sessions: WarmSession) -> None:
        """Sets the session keeper, which needs the controller's callbacks and so is made after it."""
        self._sessions = sessions
        self._connection = sessions.status
        sessions.watch(lambda status: self._connection_changed(sessions, status))

    @property
    def state(self) -> State:
        return self._core.state

    @property
    def error(self) -> str | None:
        return self._core.error

    @property
    def busy(self) -> bool:
        """An utterance is recording or results are still due: the session must not be replaced now."""
        return bool(self._takes) or self._core.state in (State.LISTENING, State.FINISHING)

    @property
    def sessions(self) -> WarmSession | None:
        return self._sessions

    @property
    def history(self) -> History:
        return self._history

    def trigger(self, trigger: Trigger) -> State:
        """Start, stop, toggle or cancel; returns the state afterwards."""
        self._apply(self._core.trigger(trigger))
        return self._core.state

    def status(self) -> dict[str, Any]:
        """What ``status`` reports: never any dictated text, only counts and states."""
        sessions = self._sessions
        stats = self._microphone.stats
        device = self._microphone.device
        return {
            "state": self._core.state.value,
            "error": self._core.error,
            "session": {
                "ready": bool(sessions and sessions.ready),
                "refused": sessions.refusal if sessions else None,
                "connection": connection_json(self._connection),
            },
            "microphone": {
                "state": self._microphone.state.value,
                "device": device.describe() if device else "system default input",
                "error": str(self._microphone.error) if self._microphone.error else None,
                "overruns": stats.overruns,
                "drops": stats.drops,
                "level_dbfs": round(stats.level_dbfs, 1),
            },
            "history": len(self._history),
        }

    # --- callbacks of the microphone and the warm session -----------------------------------------

    def microphone_failed(self, error: MicrophoneFailed) -> None:
        """The input device went away: say so, and reopen it in the background for the next start's pre-roll.

        An utterance being recorded ended with the failure; what it captured is still transcribed.
        """
        if self._current is not None:
            self._current.core_waits = False
        self._apply(self._core.failed(f"the microphone failed: {error}", keep_capture=True))
        if not self._reopening:
            self._reopening = True
            self._spawn(self._reopen_microphone())

    async def _reopen_microphone(self) -> None:
        try:
            for delay in MICROPHONE_RETRY_DELAYS:
                await asyncio.sleep(delay)
                if self._microphone.state is MicrophoneState.RUNNING:
                    break
                try:
                    self._microphone.open()
                except (LookupError, OSError) as error:
                    logger.warning("the microphone cannot be reopened yet: %s", error)
                    continue
                logger.info("the microphone works again")
                self._recover()
                break
        finally:
            self._reopening = False

    def session_ready(self) -> None:
        """The session is connected and up to date."""
        self._recover()

    def _recover(self) -> None:
        """Leaves the error state once both parts work: the microphone has not failed, the session is usable."""
        sessions = self._sessions
        if self._microphone.state is not MicrophoneState.FAILED and sessions is not None and sessions.usable:
            self._apply(self._core.recovered())

    def _connection_changed(self, sessions: WarmSession, status: ConnectionStatus) -> None:
        """Publishes the connection's new status with the unchanged state, so clients see what happens."""
        if sessions is not self._sessions:
            return  # a replaced session closing
        self._connection = status
        state = self._core.state
        self._events.publish(StateEvent(state, state, self._core.error, status))

    def session_lost(self, reason: str) -> None:
        """The session gave up; takes still waiting for results have lost them."""
        waiting = bool(self._takes) or self._core.state in (State.LISTENING, State.FINISHING)
        for held in self.command_pauses.release():
            self._deliver(held)  # its words were heard in full before the session went
        self._takes.clear()
        if waiting:
            self._apply(self._core.failed(reason))

    def session_message(self, message: ServerMessage) -> None:
        for checked in self.command_pauses.receive(message):
            self._deliver(checked)
        if self.command_pauses.holding:
            asyncio.get_running_loop().call_later(HOLD_SECONDS, self._expire_command, self.command_pauses.held)

    def _expire_command(self, command: object) -> None:
        """Fires a command still held since ``command`` came: no words ran on from it."""
        if self.command_pauses.held is command:
            for held in self.command_pauses.expire():
                self._deliver(held)

    def _deliver(self, message: ServerMessage) -> None:
        take = self._takes[0] if self._takes else None
        if isinstance(message, Transcript):
            if take is not None and take.discard:
                return
            data = message.data
            if data.is_final and take is not None:
                take.text.add(data.text)
            logger.debug("transcript (%s): %r", "final" if data.is_final else "interim", data.text)
            self._events.publish(TranscriptEvent(data.text, data.raw_transcript_text, data.start, data.end, data.is_final))
        elif isinstance(message, Command):
            if take is not None and take.discard:
                return
            data = message.data
            logger.debug("command %s", data.id)
            self._events.publish(CommandEvent(data.id, data.variables, data.raw_transcript_text, data.start, data.end))
        elif isinstance(message, Flushed):
            if take is None:
                return
            self._takes.popleft()
            if not take.discard:
                self._history.add(take.text.text)
            if take.core_waits:
                self._apply(self._core.finished())
        elif isinstance(message, (Usage, DeltaUsage)):
            self._events.publish(UsageEvent(message.credits, final=isinstance(message, Usage)))
        elif isinstance(message, ErrorMessage):
            error = message.error
            self._events.publish(SessionErrorEvent("session", f"{error.title} ({error.status})"
                                                   + (f": {error.details}" if error.details else "")))

    # --- effects -------------------------------------------------------------------------------------

    def _apply(self, effects: list[Effect]) -> None:
        for effect in effects:
            if isinstance(effect, StateChanged):
                self._announce(effect)
            elif isinstance(effect, BeginCapture):
                self._begin()
            elif isinstance(effect, EndCapture):
                self._microphone.stop_utterance(self._tail_ms)
            elif isinstance(effect, DiscardCapture):
                self._discard()

    def _announce(self, change: StateChanged) -> None:
        if change.current is State.ERROR:
            logger.warning("dictation error: %s", change.reason)
        else:
            logger.info("state: %s", change.current.value)
        if self._cues is not None and change.current is State.LISTENING:
            self._spawn(self._cues.play(Cue.START))
        elif self._cues is not None and change.previous is State.LISTENING and change.current is State.FINISHING:
            self._spawn(self._cues.play(Cue.STOP))
        self._events.publish(StateEvent(change.current, change.previous, change.reason, self._connection))

    def _begin(self) -> None:
        try:
            if self._microphone.state is not MicrophoneState.RUNNING:
                self._microphone.open()
            utterance = self._microphone.start_utterance()
        except (MicrophoneFailed, LookupError, OSError) as error:
            self._apply(self._core.failed(f"the microphone cannot record: {error}"))
            return
        take = _Take(utterance)
        previous, self._last_sent = self._last_sent, take
        self._current = take
        self._takes.append(take)
        self._spawn(self._stream(take, previous))

    def _discard(self) -> None:
        take = self._current
        if take is None:
            return
        take.discard = True
        take.core_waits = self._core.state is State.FINISHING
        if take.utterance.outcome is None:
            self._microphone.cancel_utterance()

    async def _stream(self, take: _Take, previous: _Take | None) -> None:
        """Sends the take's audio and its flush; results come back through :meth:`session_message`.

        The flush is awaited without a time limit: while the connection is down the session keeps the
        audio and answers once it is back. Only a session that gave up fails the take, except one whose
        configuration (a field's) was refused: the warm session then falls back to the daemon's own, and
        the take's audio so far is sent again into that one, so no word is lost to a bad configuration.
        """
        try:
            if previous is not None:
                await previous.sent.wait()
            assert self._sessions is not None
            audio = aiter(self._audio(take.utterance))
            sent: list[bytes] = []
            session = await self._sessions.session()
            try:
                await self._send_take(take, session, audio, sent)
            except Exception:
                if not isinstance(session.failure, ConfigRefused):
                    raise
                fallback = await self._sessions.session()
                if fallback is session:
                    raise
                logger.info("the take goes again into the session with the daemon's configuration")
                await self._send_take(take, fallback, audio, sent)
        except Exception as error:  # whatever made the session give up (refusal, credentials, network)
            self._fail(take, f"the transcription session failed: {error or type(error).__name__}")
        finally:
            take.sent.set()
            if self._current is take and take.utterance.outcome is not None:
                self._current = None

    @staticmethod
    async def _send_take(take: _Take, session: ResilientSession, audio: AsyncIterator[bytes], sent: list[bytes],
                         ) -> None:
        """Sends what ``sent`` holds (audio that went to a session before), then the rest of ``audio``,
        remembering each chunk in ``sent`` before it goes, then the flush, and waits for its answer."""
        for chunk in sent:
            await session.send_audio(chunk)
        try:
            async for chunk in audio:
                sent.append(chunk)
                await session.send_audio(chunk)
        except MicrophoneFailed:
            pass  # microphone_failed reported it; the audio captured before it is transcribed
        take.sent.set()
        await session.flush(timeout=None)

    def _fail(self, take: _Take, reason: str) -> None:
        take.discard = True
        if take is self._current:
            self._apply(self._core.failed(reason))

    def _audio(self, utterance: Utterance) -> AsyncIterator[bytes]:
        return without_cues(utterance) if self._cues is not None else utterance

    def _spawn(self, coroutine: Any) -> None:
        task = asyncio.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def close(self) -> None:
        """Discards what is recording and waits for the work in flight."""
        self._apply(self._core.trigger(Trigger.CANCEL))
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
