"""The EHR API on a running daemon: registration, the target, field edits, command routing, per-field config."""

from __future__ import annotations

import socket
import time

import pytest

from dictation_daemon.events.dictation import CommandEvent, TranscriptEvent
from dictation_daemon.plugins.base import Plugin
from dictation_daemon.rpc.client import RpcCallError, RpcClient

from .messages import call, initialize, notifications
from testkit.rig.in_process import running_daemon

DAEMON_COMMANDS = ("next_section", "previous_section", "scratch_that")


class Typist(Plugin):
    """Stands where keystroke insertion is: records the finals and commands that reach it."""

    name = "typist"

    def __init__(self) -> None:
        self.typed: list[str] = []
        self.commands: list[str] = []

    async def on_transcript(self, event: TranscriptEvent) -> bool:
        if event.is_final:
            self.typed.append(event.text)
        return False

    async def on_command(self, event: CommandEvent) -> bool:
        self.commands.append(event.id)
        return True


def final(text: str, start: float) -> TranscriptEvent:
    return TranscriptEvent(text, text.lower().strip("."), start, start + 0.5, True)


def interim(text: str, start: float) -> TranscriptEvent:
    return TranscriptEvent(text, text, start, start + 0.3, False)


@pytest.fixture
def typist() -> Typist:
    return Typist()


@pytest.fixture
def rig(tmp_path, typist):
    with running_daemon(tmp_path, plugins=[typist]) as running:
        yield running


def test_initialize_negotiates_the_version_once(rig):
    with RpcClient(rig.socket) as client:
        with pytest.raises(RpcCallError) as refused:
            client.call("target.claim", {"field": "plan"})
        assert refused.value.code == -32002
        with pytest.raises(RpcCallError) as no_version:
            client.call("initialize", {"protocolVersions": ["0.9", "2.0"], "client": {"name": "old"}})
        assert no_version.value.code == -32020 and no_version.value.data == {"supported": ["1.0"]}
        result = call(client, "initialize", {"protocolVersions": ["2.0", "1.0"], "client": {"name": "Demo EHR"}})
        assert result["protocolVersion"] == "1.0" and "target.claim" in result["methods"]
        assert "transcript" in result["notifications"]
        with pytest.raises(RpcCallError) as twice:
            client.call("initialize", {"protocolVersions": ["1.0"], "client": {"name": "again"}})
        assert twice.value.code == -32003
        assert call(client, "shutdown") == {"registered": False}
        initialize(client, "again")
        status = call(client, "status")
        assert [entry["name"] for entry in status["rpc"]["registered"]] == ["again"]


def test_an_editor_holding_the_target_gets_joined_edits_and_nothing_is_typed(rig, typist):
    with RpcClient(rig.socket) as editor, RpcClient(rig.socket) as observer:
        initialize(editor, "editor")
        call(observer, "status")
        assert call(editor, "target.claim", {"field": "assessment", "before": "Stable.", "after": "Follow up."}) == {
            "field": "assessment", "language": "en", "commands": [*DAEMON_COMMANDS]}
        rig.publish(interim("the patient", 1.0), final("the patient is well.", 1.0), final("no fever", 2.0),
                    final("no fever", 2.0))
        edits = [params["insert"] for params in notifications(editor, "transcript", 4)]
        assert edits == [{"delete": 0, "text": " The patient "}, {"delete": 13, "text": " The patient is well. "},
                         {"delete": 0, "text": "No fever "}, None]
        seen = notifications(observer, "transcript", 4)
        assert [params["field"] for params in seen] == ["assessment"] * 4
        assert seen[1]["text"] == "the patient is well." and seen[1]["insert"] == edits[1]
        rig.drain_plugins()
        assert typist.typed == []

        assert call(editor, "target.release") == {"released": True}
        assert call(editor, "target.release") == {"released": False}
        rig.publish(final("typed now", 3.0))
        assert notifications(observer, "transcript", 1)[0]["field"] is None
        rig.drain_plugins()
        assert typist.typed == ["typed now"]


def test_commands_go_to_the_clients_that_handle_them_and_the_rest_to_the_desktop_mapping(rig, typist):
    with RpcClient(rig.socket) as editor, RpcClient(rig.socket) as pedal, RpcClient(rig.socket) as silent:
        initialize(editor, "editor", commands=["next_section", "go_to_section"])
        initialize(pedal, "pedal", commands=["next_section", "transfer"], inserts=False)
        initialize(silent, "silent")
        call(editor, "target.claim", {"field": "subjective"})
        rig.publish(CommandEvent("next_section", None, "next section", 1.0, 1.5),
                    CommandEvent("transfer", None, "transfer", 2.0, 2.5),
                    CommandEvent("go_to_section", {"section": "plan"}, "go to plan section", 3.0, 3.5),
                    CommandEvent("scratch_that", None, "scratch that", 4.0, 4.5))
        to_editor = notifications(editor, "command", 2)
        assert [(c["id"], c["variables"], c["field"]) for c in to_editor] == [
            ("next_section", None, "subjective"), ("go_to_section", {"section": "plan"}, "subjective")]
        assert [c["id"] for c in notifications(pedal, "command", 1)] == ["transfer"]
        call(editor, "target.release")
        rig.publish(CommandEvent("next_section", None, "next section", 5.0, 5.5))
        assert [c["id"] for c in notifications(editor, "command", 1)] == ["next_section"]
        assert [c["id"] for c in notifications(pedal, "command", 1)] == ["next_section"]
        rig.drain_plugins()
        assert typist.commands == ["scratch_that"]
        call(silent, "status")  # everything published so far is queued before this answer
        silent.settimeout = None
        received = []
        while True:
            try:
                silent._socket.settimeout(0.3)
                received.append(silent.receive()["method"])
            except (TimeoutError, socket.timeout):
                break
        assert "command" not in received


def test_a_claim_by_another_client_takes_the_target_and_a_disconnect_releases_it(rig, typist):
    with RpcClient(rig.socket) as first, RpcClient(rig.socket) as observer:
        initialize(first, "first")
        call(first, "target.claim", {"field": "plan"})
        with RpcClient(rig.socket) as second:
            initialize(second, "second")
            call(second, "target.claim", {"field": "history"})
            assert notifications(first, "target.lost", 1) == [
                {"field": "plan", "reason": "another client claimed the target"}]
            assert call(observer, "status")["rpc"]["target"]["field"] == "history"
        deadline = time.monotonic() + 10
        while call(observer, "status")["rpc"]["target"] is not None:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        rig.publish(final("after the editor went", 1.0))
        rig.drain_plugins()
        assert typist.typed == ["after the editor went"]


def test_paste_last_goes_to_the_editor_holding_the_target(rig):
    with RpcClient(rig.socket) as editor:
        initialize(editor, "editor")
        rig.call_soon(rig.daemon.controller.history.add, "Blood pressure 120/80.")
        call(editor, "target.claim", {"field": "objective", "before": "Pulse 72"})
        assert call(editor, "history.paste_last") == {"inserted": 22}
        pasted = notifications(editor, "transcript", 1)[0]
        assert pasted["insert"] == {"delete": 0, "text": " Blood pressure 120/80."}  # a noun keeps its capital


def wait_for_config(rig, predicate, what: str) -> None:
    deadline = time.monotonic() + 20
    while True:
        sessions = rig.daemon.controller.sessions
        if predicate(sessions.config) and sessions.ready:
            return
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def test_session_configure_reopens_the_session_for_the_field_and_release_reverts_it(rig):
    with RpcClient(rig.socket) as editor, RpcClient(rig.socket) as observer:
        initialize(editor, "editor", commands=["go_to_section"])
        with pytest.raises(RpcCallError) as not_held:
            editor.call("session.configure", {"language": "en"})
        assert not_held.value.code == -32021
        call(editor, "target.claim", {"field": "plan"})
        for bad in ({"commands": [{"id": "x", "phrases": ["{what} now"],
                                   "variables": [{"key": "what", "type": "wildcard"}]}]},
                    {"commands": [{"id": "x", "phrases": ["go to {section}"]}]},
                    {"formatting": {"dates": "someday"}},
                    {"language": 5},
                    {"unknown": True}):
            with pytest.raises(RpcCallError) as invalid:
                editor.call("session.configure", bad)
            assert invalid.value.code == -32602
        commands = [{"id": "go_to_section", "phrases": ["go to {section} section"],
                     "variables": [{"key": "section", "type": "enum", "enum": ["plan", "assessment"]}]},
                    {"id": "insert_template", "phrases": ["insert {name} template"],
                     "variables": [{"key": "name", "type": "wildcard"}]}]
        result = call(editor, "session.configure", {"commands": commands, "formatting": {"numbers": "numerals"},
                                                   "spokenPunctuation": False})
        assert result["commands"] == [*DAEMON_COMMANDS, "go_to_section", "insert_template"]
        wait_for_config(rig, lambda config: len(config.commands or []) == len(DAEMON_COMMANDS) + 2,
                        "the field's configuration")
        config = rig.daemon.controller.sessions.config
        assert config.effective_formatting.numbers == "numerals" and not config.spoken_punctuation
        call(editor, "session.configure", {"commands": commands[:1], "commandsMode": "replace"})
        wait_for_config(rig, lambda config: [c.id for c in config.commands] == ["go_to_section"], "replace")

        call(editor, "target.release")
        wait_for_config(rig, lambda config: len(config.commands or []) == len(DAEMON_COMMANDS)
                        and config.spoken_punctuation, "the daemon's configuration")

        call(editor, "target.claim", {"field": "plan", "configuration": {"language": "xx"}})
        error = notifications(observer, "error", 1)[0]
        assert error["source"] == "configuration" and error["field"] == "plan"
        wait_for_config(rig, lambda config: config.primary_language == "en", "the daemon's language back")
        assert call(observer, "status")["state"] == "idle"


def test_an_editor_receives_an_autotext_as_text_with_its_blanks_and_next_blank_as_a_command(tmp_path, typist):
    autotexts = {"texts": [{"id": "normal_exam", "phrases": ["insert normal exam"], "text": "Lungs: ***."}]}
    with running_daemon(tmp_path, plugins=[typist], autotexts=autotexts) as rig, RpcClient(rig.socket) as editor:
        initialize(editor, "EHR", commands=["next_blank"])
        call(editor, "target.claim", {"field": "exam", "before": "Exam:"})
        rig.publish(CommandEvent("autotext:normal_exam", None, "insert normal exam", 0.0, 1.0),
                    CommandEvent("next_blank", None, "next blank", 2.0, 2.5))
        inserted = notifications(editor, "transcript", 1)[0]
        assert inserted["insert"] == {"delete": 0, "text": " Lungs: ***."} and inserted["field"] == "exam"
        assert notifications(editor, "command", 1)[0]["id"] == "next_blank"
        rig.drain_plugins()
    assert typist.commands == [] and typist.typed == []
