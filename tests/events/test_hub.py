"""The event hub: every subscriber gets every event, whatever another subscriber does with it."""

from __future__ import annotations

import logging

import pytest

from dictation_daemon.events.connection import ConnectionState, ConnectionStatus
from dictation_daemon.events.dictation import (
    EVENT_NAMES,
    CommandEvent,
    SessionErrorEvent,
    StateEvent,
    TranscriptEvent,
    UsageEvent,
)
from dictation_daemon.events.hub import EventHub
from dictation_daemon.events.states import State

EVERY_KIND = [
    StateEvent(State.LISTENING, State.IDLE, connection=ConnectionStatus(ConnectionState.CONNECTED)),
    TranscriptEvent("Words.", "words period", 0.0, 1.0, True),
    CommandEvent("next_section", None, "next section", 1.0, 2.0),
    UsageEvent(1.0, final=True),
    SessionErrorEvent("session", "the server failed"),
]


@pytest.mark.parametrize("event", EVERY_KIND, ids=lambda event: type(event).__name__)
def test_a_failing_subscriber_is_logged_and_the_next_still_gets_the_event(event, caplog):
    hub = EventHub()
    received = []

    def failing(_event: object) -> None:
        raise RuntimeError("subscriber bug")

    hub.subscribe(failing)
    hub.subscribe(received.append)
    with caplog.at_level(logging.ERROR, logger="dictation_daemon.events.hub"):
        hub.publish(event)
    assert received == [event]
    assert [record.getMessage() for record in caplog.records] == [
        f"an event subscriber failed on a {EVENT_NAMES[type(event)]} event"]


def test_every_event_has_the_notification_name_it_is_sent_as():
    assert [EVENT_NAMES[type(event)] for event in EVERY_KIND] == ["state", "transcript", "command", "usage", "error"]


def test_unsubscribing_stops_delivery_and_twice_is_harmless():
    hub = EventHub()
    received = []
    unsubscribe = hub.subscribe(received.append)
    hub.publish(EVERY_KIND[1])
    unsubscribe()
    unsubscribe()
    hub.publish(EVERY_KIND[2])
    assert received == [EVERY_KIND[1]]
