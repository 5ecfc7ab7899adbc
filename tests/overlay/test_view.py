"""What the indicator shows, decided without a screen."""

from __future__ import annotations

from dictation_daemon.events.connection import ConnectionState, ConnectionStatus
from dictation_daemon.events.states import State
from dictation_daemon.overlay.view import View, view_of


def test_listening_shows_the_level_and_never_the_words_unless_allowed():
    assert view_of(State.LISTENING, level_dbfs=-30.0, interim="chest pain") == View("listening", "Listening", "", 0.5)
    shown = view_of(State.LISTENING, level_dbfs=-90.0, interim="patient reports chest pain", show_text=True)
    assert shown.detail == "patient reports chest pain" and shown.level == 0.0
    assert view_of(State.LISTENING, level_dbfs=3.0).level == 1.0


def test_the_connection_sentence_wins_while_words_wait_for_the_network():
    buffering = ConnectionStatus(ConnectionState.BUFFERING, seconds=12.0)
    view = view_of(State.LISTENING, connection=buffering, interim="words", show_text=True, level_dbfs=-20.0)
    assert view.detail == buffering.describe() and "12 s of dictation kept" in view.detail
    assert view_of(State.IDLE, connection=ConnectionStatus(ConnectionState.CONNECTED)).detail == ""


def test_each_state_has_its_own_picture():
    assert view_of(State.IDLE) == View("idle", "Dictation ready")
    assert view_of(State.FINISHING).state == "finishing" and view_of(State.FINISHING).level is None
    stopped = view_of(State.ERROR, reason="the microphone cannot record")
    assert stopped == View("error", "Dictation stopped", "the microphone cannot record")
