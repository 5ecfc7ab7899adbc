"""Observers see every transcript and command with where it went, claimed or not."""

from __future__ import annotations

import asyncio

from dictation_daemon.events.delivery import Claim, Delivery
from dictation_daemon.events.dictation import (
    CommandEvent,
    SessionErrorEvent,
    StateEvent,
    TranscriptEvent,
    UsageEvent,
)
from dictation_daemon.events.states import State
from dictation_daemon.plugins.base import Plugin
from dictation_daemon.plugins.host import PluginHost


class Editor(Plugin):
    """Takes finals for a field, as the socket's plugin does while an editor holds the target."""

    name = "editor"

    def __init__(self, field: str | None) -> None:
        self.field = field

    async def on_transcript(self, event: TranscriptEvent) -> bool | Claim:
        return Claim(self.field) if event.is_final else False


class Handler(Plugin):
    """Handles one command id with a plain ``True``."""

    name = "handler"

    async def on_command(self, event: CommandEvent) -> bool:
        return event.id == "next_section"


class Broken(Plugin):
    name = "broken"

    async def on_delivered(self, event: TranscriptEvent | CommandEvent, delivery: Delivery) -> None:
        raise RuntimeError("fails on purpose")


class Observer(Plugin):
    """Records every delivery it is told of, and every claimable event offered to it."""

    name = "observer"

    def __init__(self) -> None:
        self.delivered: list[tuple[str, Delivery]] = []
        self.offered: list[str] = []

    async def on_transcript(self, event: TranscriptEvent) -> bool:
        self.offered.append(event.text)
        return False

    async def on_delivered(self, event: TranscriptEvent | CommandEvent, delivery: Delivery) -> None:
        label = event.text if isinstance(event, TranscriptEvent) else event.id
        self.delivered.append((label, delivery))


def deliver(plugins: list[Plugin], events: list[object]) -> None:
    async def main() -> None:
        host = PluginHost(plugins)
        await host.start()
        for event in events:
            host.publish(event)
        await host.drain()
        await host.stop()

    asyncio.run(main())


def test_an_observer_after_the_claimer_still_learns_of_the_text_and_its_field():
    observer = Observer()
    deliver([Editor("plan"), Handler(), Broken(), observer], [
        StateEvent(State.LISTENING, State.IDLE),
        TranscriptEvent("stable", "stable", 0.0, 0.5, False),
        TranscriptEvent("Stable.", "stable", 0.0, 1.0, True),
        CommandEvent("next_section", None, "next section", 1.0, 2.0),
        CommandEvent("unknown", None, "unknown", 2.0, 3.0),
    ])
    assert observer.offered == ["stable"]  # the claimed final is not offered, only observed
    assert observer.delivered == [
        ("stable", Delivery(None)),
        ("Stable.", Delivery("editor", "plan")),
        ("next_section", Delivery("handler")),
        ("unknown", Delivery(None)),
    ]


def test_a_claim_without_a_field_is_delivered_to_no_field():
    observer = Observer()
    deliver([Editor(None), observer], [TranscriptEvent("Stable.", "stable", 0.0, 1.0, True)])
    assert observer.delivered == [("Stable.", Delivery("editor"))]


def test_usage_and_session_errors_are_not_offered_to_plugins(caplog):
    observer, handler = Observer(), Handler()
    deliver([handler, observer], [UsageEvent(1.5, final=False), SessionErrorEvent("session", "server error (500)"),
                                  TranscriptEvent("Stable.", "stable", 0.0, 1.0, True)])
    assert observer.delivered == [("Stable.", Delivery(None))]
    assert not [record for record in caplog.records if record.levelname in ("ERROR", "WARNING")]
