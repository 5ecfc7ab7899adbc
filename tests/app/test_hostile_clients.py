"""Hostile socket clients against a real daemon on loopback TCP, all at once: the field holding the target
has command phrases built to be slow to match and replacements that double the spaces, twenty strangers
without the token send a request every second, and one client sends batches of ten thousand calls.
Meanwhile ``status`` answers within a second every time, and a dictation another client starts, spoken
into the microphone, reaches the field whole."""

from __future__ import annotations

import json
import socket
import threading
import time
from pathlib import Path

import pytest

from dictation_daemon.rpc.client import RpcClient
from dictation_daemon.rpc.paths import ENDPOINT_FILE
from testkit.rig.daemon import daemon_settings, spoken, words

pytestmark = [pytest.mark.desktop, pytest.mark.engine]

SENTENCE = "the patient reports mild chest pain since yesterday"
SLOW_COMMAND = {
    "id": "slow",
    "phrases": ["{e} {w0} {e} {w1} {e} {w2} {e} {w3} {e} {w4} {e} zzzq"],
    "variables": [{"key": "e", "type": "enum", "enum": ["the", "pain", "patient", "since"]},
                  *({"key": f"w{number}", "type": "wildcard"} for number in range(5))],
}
DOUBLING = [{"find": " ", "replace": "  "}] * 20


class Attack:
    """Runs attacks in threads until stopped; keeps the worst ``status`` time seen by its own prober."""

    def __init__(self, endpoint: Path) -> None:
        self.endpoint = endpoint
        self.stopped = threading.Event()
        self.slowest_status = 0.0
        self.statuses = 0
        self._threads = [threading.Thread(target=target, daemon=True)
                         for target in (self._strangers, self._batches, self._probe_status)]

    def __enter__(self) -> Attack:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        for thread in self._threads:
            thread.join(30)

    def _strangers(self) -> None:
        endpoint = json.loads(self.endpoint.read_text())
        connections = []
        for _ in range(20):
            connection = socket.create_connection((endpoint["host"], endpoint["port"]), timeout=5)
            connections.append(connection)
        while not self.stopped.wait(1.0):
            for connection in connections:
                try:
                    connection.sendall(b'{"jsonrpc":"2.0","method":"status","id":1}\n')
                except OSError:
                    pass  # closed at the authentication deadline, as it should be
        for connection in connections:
            connection.close()

    def _batches(self) -> None:
        endpoint = json.loads(self.endpoint.read_text())
        batch = ("[" + ",".join(f'{{"jsonrpc":"2.0","method":"status","id":{n}}}' for n in range(10_000)) + "]\n")
        with socket.create_connection((endpoint["host"], endpoint["port"]), timeout=30) as connection:
            reader = connection.makefile("rb")
            connection.sendall(json.dumps({"jsonrpc": "2.0", "method": "authenticate", "id": "token",
                                           "params": {"token": endpoint["token"]}}).encode() + b"\n")
            while not self.stopped.is_set():
                connection.sendall(batch.encode())
                while True:  # up to the batch's answer (an error: it would exceed 1 MiB), notifications skipped
                    message = json.loads(reader.readline())
                    if isinstance(message, dict) and "error" in message:
                        break

    def _probe_status(self) -> None:
        with RpcClient.over_tcp(self.endpoint, timeout=30) as client:
            while not self.stopped.wait(0.2):
                started = time.monotonic()
                assert client.call("status")["state"]
                self.slowest_status = max(self.slowest_status, time.monotonic() - started)
                self.statuses += 1


def finals_after_finishing(client: RpcClient) -> list[str]:
    """The final texts a client is told of until the dictation has finished (reconfigurations before it
    announce an idle state of their own, which is not the end)."""
    finals: list[str] = []
    while True:
        message = client.receive()
        params = message["params"]
        if message["method"] == "transcript" and params["isFinal"]:
            finals.append(params["text"])
        elif message["method"] == "state" and params["previous"] == "finishing" and params["state"] == "idle":
            return finals


def test_status_and_dictation_hold_up_under_hostile_clients(run_daemon, microphone, tmp_path) -> None:
    socket_path = tmp_path / "rpc" / "rpc.sock"
    settings = daemon_settings(socket_path, rpc={"transport": "tcp"})
    daemon = run_daemon(settings, "--headless")
    endpoint = socket_path.parent / ENDPOINT_FILE
    wav = spoken(tmp_path, "sentence", SENTENCE)
    with RpcClient.over_tcp(endpoint, timeout=60) as holder, RpcClient.over_tcp(endpoint, timeout=60) as listener:
        holder.call("initialize", {"protocolVersions": ["1.0"], "client": {"name": "holder"}, "commands": ["slow"]})
        holder.call("target.claim", {"field": "note", "configuration": {"commands": [SLOW_COMMAND],
                                                                        "replacements": DOUBLING}})
        time.sleep(1.0)  # the session reconfigured for the field
        with Attack(endpoint) as attack:
            time.sleep(2.0)
            assert listener.call("dictation.start") == {"state": "listening"}
            microphone.play(str(wav))
            assert listener.call("dictation.stop") == {"state": "finishing"}
            finals = finals_after_finishing(holder)
            started = time.monotonic()
            result = daemon.cli("status")
            cli_seconds = time.monotonic() - started
        assert words(" ".join(finals)) == words(SENTENCE)
        assert attack.statuses >= 10 and attack.slowest_status < 1.0, attack.slowest_status
        assert result.returncode == 0 and cli_seconds < 5.0  # a new process each time: Python's start-up counts
