"""A backend that fires a command inside running speech, as Corti's cloud may: the daemon gives the words
back as text, in order, and runs no command; a command with pauses around it still runs.

The backend is a small real ``/transcribe`` server on loopback that answers each flush with a scripted
run of messages, whatever audio it was sent, so the test decides the messages' times exactly.
"""

from __future__ import annotations

from typing import Any

import pytest

from dictation_daemon.rpc.client import RpcClient
from testkit.rig.daemon import daemon_settings
from testkit.scripted_backend import ScriptedBackend, dictated

pytestmark = [pytest.mark.desktop]

TIMEOUT = 60.0


def transcript(text: str, start: float, end: float) -> dict[str, Any]:
    return {"type": "transcript", "data": {"text": text, "rawTranscriptText": text.lower().rstrip("."),
                                           "start": start, "end": end, "isFinal": True}}


def command(raw: str, start: float, end: float) -> dict[str, Any]:
    return {"type": "command", "data": {"id": "delete_last", "variables": None, "rawTranscriptText": raw,
                                        "start": start, "end": end}}


INSIDE_SPEECH = [transcript("He tends to", 0.2, 0.9), command("scratch that", 0.95, 1.5),
                 transcript("area at night.", 1.55, 2.4)]
WITH_PAUSES = [transcript("Heart sounds normal.", 0.2, 1.4), command("scratch that", 2.2, 2.9)]


def test_a_command_inside_speech_comes_back_as_its_words_and_one_with_pauses_runs(run_daemon, tmp_path):
    with ScriptedBackend([INSIDE_SPEECH, WITH_PAUSES]) as backend:
        settings = daemon_settings(tmp_path / "rpc" / "rpc.sock", backend={"kind": "url", "url": backend.url})
        daemon = run_daemon(settings, "--headless")
        with RpcClient(daemon.socket, timeout=TIMEOUT) as listener:
            listener.call("initialize", {"protocolVersions": ["1.0"], "client": {"name": "editor"},
                                         "commands": ["delete_last"]})
            listener.call("target.claim", {"field": "plan"})  # an editor's field: commands come to it
            assert list(dictated(listener)) == [
                ("text", "he tends to"), ("text", "scratch that"), ("text", "area at night"),
            ]
            assert list(dictated(listener)) == [("text", "heart sounds normal"), ("command", "delete_last")]
