"""The dictation state machine as pure decisions: triggers in, effects out, no I/O and no clock.

Hotkeys, the socket and the command line all send the same triggers; this core decides what they mean in
the current state, so a second "start" never starts twice and a "stop" while nothing records does nothing.
The asyncio shell (:mod:`.controller`) carries out the effects and reports back when capture has finished.

States: ``idle`` → ``listening`` (recording) → ``finishing`` (the tail, then ``flush`` until ``flushed``)
→ ``idle``; ``error`` when the microphone or the session failed, left by the next start that works.
A start during ``finishing`` is remembered and carried out as soon as the previous utterance is done,
because the microphone records one utterance at a time; the pre-roll covers the short wait.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..events.states import State, Trigger


@dataclass(frozen=True)
class BeginCapture:
    """Start an utterance (pre-roll included) and stream it into the warm session."""


@dataclass(frozen=True)
class EndCapture:
    """Record the tail, then flush the session and report :meth:`ControllerCore.finished` on ``flushed``."""


@dataclass(frozen=True)
class DiscardCapture:
    """Drop the utterance: stop recording at once and throw away the results still to come for it."""


@dataclass(frozen=True)
class StateChanged:
    """The state moved; ``reason`` explains an error (never dictated text)."""

    previous: State
    current: State
    reason: str | None = None


Effect = BeginCapture | EndCapture | DiscardCapture | StateChanged


class ControllerCore:
    """The decisions of the controller. Every method returns the effects to carry out, in order."""

    def __init__(self) -> None:
        self._state = State.IDLE
        self._error: str | None = None
        self._start_pending = False

    @property
    def state(self) -> State:
        return self._state

    @property
    def error(self) -> str | None:
        """Why the state is ``error``; ``None`` in every other state."""
        return self._error

    @property
    def start_pending(self) -> bool:
        """A start arrived while finishing and will be carried out when the utterance is done."""
        return self._start_pending

    def trigger(self, trigger: Trigger) -> list[Effect]:
        if trigger is Trigger.TOGGLE:
            trigger = Trigger.STOP if self._state is State.LISTENING or self._start_pending else Trigger.START
        if trigger is Trigger.START:
            return self._start()
        if trigger is Trigger.STOP:
            return self._stop()
        return self._cancel()

    def finished(self) -> list[Effect]:
        """The utterance's results are all in (``flushed``), or its discarded audio is gone."""
        if self._state is not State.FINISHING:
            return []
        effects = self._move(State.IDLE)
        if self._start_pending:
            self._start_pending = False
            effects += self._start()
        return effects

    def failed(self, reason: str, *, keep_capture: bool = False) -> list[Effect]:
        """The microphone or the session failed; whatever was recording is dropped, unless ``keep_capture``.

        ``keep_capture`` is for a microphone that stopped mid-utterance: the utterance ended there, and
        what it captured up to then is still worth transcribing, so it is not discarded.
        """
        recording = self._state in (State.LISTENING, State.FINISHING)
        effects: list[Effect] = [DiscardCapture()] if recording and not keep_capture else []
        self._start_pending = False
        return effects + self._move(State.ERROR, reason)

    def recovered(self) -> list[Effect]:
        """What failed works again (the session reconnected, the microphone reopened)."""
        return self._move(State.IDLE) if self._state is State.ERROR else []

    def _start(self) -> list[Effect]:
        if self._state in (State.IDLE, State.ERROR):
            return [*self._move(State.LISTENING), BeginCapture()]
        if self._state is State.FINISHING:
            self._start_pending = True
        return []

    def _stop(self) -> list[Effect]:
        if self._state is State.LISTENING:
            return [*self._move(State.FINISHING), EndCapture()]
        self._start_pending = False
        return []

    def _cancel(self) -> list[Effect]:
        self._start_pending = False
        if self._state is State.LISTENING:
            return [*self._move(State.IDLE), DiscardCapture()]
        if self._state is State.FINISHING:
            return [DiscardCapture()]
        return []

    def _move(self, state: State, reason: str | None = None) -> list[Effect]:
        previous, self._state = self._state, state
        self._error = reason if state is State.ERROR else None
        if previous is state and state is not State.ERROR:
            return []
        return [StateChanged(previous, state, reason)]
