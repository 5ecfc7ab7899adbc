"""A backend that fires a command inside running speech, as Corti's cloud may: the daemon gives the words
back as text, in order, and runs no command; a command with pauses around it still runs.

The backend is a small real ``/transcribe`` server on loopback that answers each flush with a scripted
run of messages, whatever audio it was sent, so the test decides the messages' times exactly.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from websockets.sync.server import ServerConnection, serve

from dictation_daemon.rpc.client import RpcClient
from testkit.rig.daemon import daemon_settings

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


class ScriptedBackend:
    """Accepts a config, then answers the n-th flush with the n-th script of messages and ``flushed``."""

    def __init__(self, scripts: list[list[dict[str, Any]]]) -> None:
        self._scripts = iter(scripts)
        self._server = serve(self._session, "127.0.0.1", 0)
        self.url = f"ws://127.0.0.1:{self._server.socket.getsockname()[1]}/audio-bridge/v2/transcribe"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> ScriptedBackend:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._thread.join(5)

    def _session(self, connection: ServerConnection) -> None:
        for frame in connection:
            if isinstance(frame, bytes):
                continue
            message = json.loads(frame)
            if message["type"] == "config":
                connection.send(json.dumps({"type": "CONFIG_ACCEPTED", "sessionId": "scripted",
                                            "configuration": message["configuration"]}))
            elif message["type"] == "flush":
                for answer in next(self._scripts, []):
                    connection.send(json.dumps(answer))
                connection.send(json.dumps({"type": "flushed"}))
            elif message["type"] == "end":
                connection.send(json.dumps({"type": "ended"}))
                return


def dictated(listener: RpcClient) -> Iterator[tuple[str, str]]:
    """Starts and stops a dictation; yields ("text", raw text) and ("command", id) up to the return to idle."""
    assert listener.call("dictation.start") == {"state": "listening"}
    assert listener.call("dictation.stop") == {"state": "finishing"}
    started = False
    while True:
        message = listener.receive()
        params = message["params"]
        if message["method"] == "state" and params["state"] != params["previous"]:
            started = started or params["state"] == "listening"
            if started and params["state"] == "idle":
                return
        elif started and message["method"] == "transcript" and params["isFinal"]:
            yield "text", params["rawTranscriptText"]
        elif started and message["method"] == "command":
            yield "command", params["id"]


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
