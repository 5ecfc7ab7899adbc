"""The controller's decisions, trigger by trigger, in every state."""

from __future__ import annotations

from dictation_daemon.controller.machine import (
    BeginCapture,
    ControllerCore,
    DiscardCapture,
    EndCapture,
    StateChanged,
)
from dictation_daemon.events.states import State, Trigger


def listening() -> ControllerCore:
    core = ControllerCore()
    core.trigger(Trigger.START)
    return core


def finishing() -> ControllerCore:
    core = listening()
    core.trigger(Trigger.STOP)
    return core


def test_start_begins_capture_once():
    core = ControllerCore()
    assert core.trigger(Trigger.START) == [StateChanged(State.IDLE, State.LISTENING), BeginCapture()]
    assert core.trigger(Trigger.START) == []
    assert core.state is State.LISTENING


def test_stop_records_the_tail_and_finishes_on_flushed():
    core = listening()
    assert core.trigger(Trigger.STOP) == [StateChanged(State.LISTENING, State.FINISHING), EndCapture()]
    assert core.trigger(Trigger.STOP) == []
    assert core.finished() == [StateChanged(State.FINISHING, State.IDLE)]
    assert core.state is State.IDLE


def test_stop_and_cancel_while_idle_do_nothing():
    core = ControllerCore()
    assert core.trigger(Trigger.STOP) == []
    assert core.trigger(Trigger.CANCEL) == []
    assert core.finished() == []
    assert core.state is State.IDLE


def test_toggle_alternates_between_start_and_stop():
    core = ControllerCore()
    assert BeginCapture() in core.trigger(Trigger.TOGGLE)
    assert EndCapture() in core.trigger(Trigger.TOGGLE)
    assert core.state is State.FINISHING


def test_cancel_while_listening_discards_and_is_idle_at_once():
    core = listening()
    assert core.trigger(Trigger.CANCEL) == [StateChanged(State.LISTENING, State.IDLE), DiscardCapture()]
    assert core.finished() == []


def test_cancel_while_finishing_discards_the_results_still_to_come():
    core = finishing()
    assert core.trigger(Trigger.CANCEL) == [DiscardCapture()]
    assert core.state is State.FINISHING
    assert core.finished() == [StateChanged(State.FINISHING, State.IDLE)]


def test_a_start_while_finishing_waits_for_the_previous_utterance():
    core = finishing()
    assert core.trigger(Trigger.START) == []
    assert core.start_pending
    assert core.finished() == [StateChanged(State.FINISHING, State.IDLE),
                               StateChanged(State.IDLE, State.LISTENING), BeginCapture()]
    assert not core.start_pending


def test_a_pending_start_is_withdrawn_by_stop_toggle_or_cancel():
    for withdraw in (Trigger.STOP, Trigger.TOGGLE, Trigger.CANCEL):
        core = finishing()
        core.trigger(Trigger.START)
        core.trigger(withdraw)
        assert not core.start_pending
        assert core.finished() == [StateChanged(State.FINISHING, State.IDLE)]


def test_a_failure_discards_the_utterance_and_reports_why():
    core = listening()
    assert core.failed("the microphone failed") == [
        DiscardCapture(), StateChanged(State.LISTENING, State.ERROR, "the microphone failed")]
    assert core.error == "the microphone failed"
    assert core.finished() == []


def test_a_microphone_failure_keeps_what_was_captured_for_transcription():
    core = listening()
    assert core.failed("the microphone failed", keep_capture=True) == [
        StateChanged(State.LISTENING, State.ERROR, "the microphone failed")]
    assert core.finished() == []
    assert core.state is State.ERROR


def test_a_failure_while_idle_only_changes_the_state():
    core = ControllerCore()
    assert core.failed("no session") == [StateChanged(State.IDLE, State.ERROR, "no session")]


def test_recovery_returns_to_idle_and_a_start_from_error_tries_again():
    core = ControllerCore()
    core.failed("no session")
    assert core.recovered() == [StateChanged(State.ERROR, State.IDLE)]
    assert core.error is None
    assert core.recovered() == []
    core.failed("no session")
    assert core.trigger(Trigger.START) == [StateChanged(State.ERROR, State.LISTENING), BeginCapture()]
