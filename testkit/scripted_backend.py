"""A small real ``/transcribe`` server on loopback that answers each flush with a scripted run of messages,
whatever audio it was sent, so a test decides the messages and their times exactly; and a helper that
dictates once through a daemon's socket and collects what came of it."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

from websockets.sync.server import ServerConnection, serve

from dictation_daemon.rpc.client import RpcClient


class ScriptedBackend:
    """Accepts a config (in one of ``languages``, else ``CONFIG_DENIED`` as Corti answers an unknown one),
    then answers the n-th flush with the n-th script of messages and ``flushed``."""

    def __init__(self, scripts: list[list[dict[str, Any]]], languages: frozenset[str] | None = None) -> None:
        self._scripts = iter(scripts)
        self._languages = languages
        self.configs: list[dict[str, Any]] = []
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
                self.configs.append(message["configuration"])
                language = message["configuration"].get("primaryLanguage")
                if self._languages is not None and language not in self._languages:
                    connection.send(json.dumps({"type": "CONFIG_DENIED", "reason": f"unknown language {language}"}))
                    return
                connection.send(json.dumps({"type": "CONFIG_ACCEPTED", "sessionId": "scripted",
                                            "configuration": message["configuration"]}))
            elif message["type"] == "flush":
                for answer in next(self._scripts, []):
                    connection.send(json.dumps(answer))
                connection.send(json.dumps({"type": "flushed"}))
            elif message["type"] == "end":
                connection.send(json.dumps({"type": "ended"}))
                return


def dictated(listener: RpcClient, errors: list[dict[str, Any]] | None = None) -> Iterator[tuple[str, str]]:
    """Starts and stops a dictation; yields ("text", raw text) and ("command", id) up to the return to idle,
    and adds the ``error`` notifications that came meanwhile to ``errors``."""
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
        elif message["method"] == "error" and errors is not None:
            errors.append(params)
