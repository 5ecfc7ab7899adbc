"""Plugins get events in order, one at a time; a claim stops a transcript or command; a failing plugin is contained."""

from __future__ import annotations

import asyncio

import pytest

from dictation_daemon.config.model import DaemonConfig
from dictation_daemon.events.dictation import CommandEvent, StateEvent, TranscriptEvent
from dictation_daemon.events.states import State
from dictation_daemon.plugins.base import Plugin, PluginContext, PluginUnavailable
from dictation_daemon.plugins.host import PluginHost
from dictation_daemon.plugins.registry import UnknownPlugin, create_plugins


class Recorder(Plugin):
    """Records what it receives; claims the command ids and transcripts it is told to."""

    name = "recorder"

    def __init__(self, label: str, log: list[str], *, claims: frozenset[str] = frozenset()) -> None:
        self.label, self.log, self.claims = label, log, claims

    async def on_state(self, event: StateEvent) -> None:
        self.log.append(f"{self.label} state {event.state.value}")

    async def on_transcript(self, event: TranscriptEvent) -> bool:
        await asyncio.sleep(0.01)  # a slow insertion must not let the next event overtake it
        self.log.append(f"{self.label} text {event.text}")
        return "text" in self.claims

    async def on_command(self, event: CommandEvent) -> bool:
        self.log.append(f"{self.label} command {event.id}")
        return event.id in self.claims

    async def on_paste(self, text: str) -> bool:
        self.log.append(f"{self.label} paste {text}")
        return "paste" in self.claims


class Broken(Plugin):
    name = "broken"

    async def on_transcript(self, event: TranscriptEvent) -> bool:
        raise RuntimeError("fails on purpose")


class Unavailable(Plugin):
    name = "unavailable"

    async def start(self) -> None:
        raise PluginUnavailable("no display")


def text(value: str) -> TranscriptEvent:
    return TranscriptEvent(value, value, 0.0, 1.0, True)


def run(plugins: list[Plugin], actions) -> PluginHost:
    async def main() -> PluginHost:
        host = PluginHost(plugins)
        await host.start()
        await actions(host)
        await host.drain()
        await host.stop()
        return host

    return asyncio.run(main())


def test_events_arrive_in_order_and_claims_stop_them():
    log: list[str] = []
    first = Recorder("first", log, claims=frozenset({"next_section"}))
    second = Recorder("second", log, claims=frozenset({"paste"}))

    async def actions(host: PluginHost) -> None:
        host.publish(StateEvent(State.LISTENING, State.IDLE))
        host.publish(text("one"))
        host.publish(CommandEvent("next_section", None, "next section", 1.0, 2.0))
        host.publish(text("two"))
        host.publish(CommandEvent("unknown", None, "unknown", 2.0, 3.0))
        assert await host.paste("again")

    run([first, Broken(), second], actions)
    assert log == [
        "first state listening", "second state listening",
        "first text one", "second text one",
        "first command next_section",
        "first text two", "second text two",
        "first command unknown", "second command unknown",
        "first paste again", "second paste again",
    ]


def test_an_unavailable_plugin_is_left_out_with_its_reason():
    log: list[str] = []

    async def actions(host: PluginHost) -> None:
        assert not await host.paste("nothing inserts this")

    host = run([Unavailable(), Recorder("only", log)], actions)
    assert host.names == ["recorder"] and host.unavailable == {"unavailable": "no display"}


def test_enabled_plugins_are_created_in_order_and_unknown_names_are_refused():
    config = DaemonConfig.model_validate({"plugins": {"enabled": ["commands", "keystroke"]}})
    assert [plugin.name for plugin in create_plugins(config, PluginContext(config))] == ["commands", "keystroke"]
    assert [plugin.name for plugin in create_plugins(config, PluginContext(config), headless=True)] == ["commands"]
    config = DaemonConfig.model_validate({"plugins": {"enabled": ["no-such-plugin"]}})
    with pytest.raises(UnknownPlugin, match="dictation_daemon.plugins"):
        create_plugins(config, PluginContext(config))
