"""SIGHUP with a changed ``backend`` section: the next dictation goes to the new ``/transcribe`` server while
a socket client stays connected, and a new backend that is invalid or cannot be opened leaves the old one working.

Two tone-scripted servers run on loopback, each behind the counting proxy of the fault tests. They script
the same tone as different phrases, so a final text names the server that produced it.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dictation_daemon.rpc.client import RpcClient
from testkit.resilience.background import BackgroundRig
from testkit.rig.daemon import ConfiguredDaemon, daemon_settings
from testkit.rig.pulse import VirtualMicrophone
from testkit.scripted import ScriptedRecognizer
from testkit.tones import SCRIPT, as_wav, tones

pytestmark = [pytest.mark.desktop]

SECOND_SCRIPT = {frequency: f"second server {phrase}" for frequency, phrase in SCRIPT.items()}
PHRASE = tones((None, 0.3), (440, 0.6), (None, 0.4))
"""One burst: "patient is stable" on the first server, "second server patient is stable" on the second."""
TIMEOUT = 90.0


def dictate(listener: RpcClient, microphone: VirtualMicrophone, wav: Path) -> list[str]:
    """Speaks ``wav`` between a start and a stop sent by ``listener``; the raw final texts it is then told of,
    up to the return to idle (notifications queued before the start, such as connection changes, are skipped)."""
    assert listener.call("dictation.start") == {"state": "listening"}
    microphone.play(str(wav))
    assert listener.call("dictation.stop") == {"state": "finishing"}
    finals: list[str] = []
    states: list[str] = []
    while "idle" not in states:
        message = listener.receive()
        params = message["params"]
        if message["method"] == "transcript" and params["isFinal"] and "listening" in states:
            finals.append(params["rawTranscriptText"])
        elif message["method"] == "state" and params["state"] != params["previous"]:
            states.append(params["state"])
    assert states == ["listening", "finishing", "idle"]
    return finals


def wait_until(condition: Callable[[], bool], what: str, daemon: ConfiguredDaemon) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}:\n{daemon.log.read_text()}"
        time.sleep(0.1)


def reload(daemon: ConfiguredDaemon, settings: dict[str, Any], outcome: str) -> None:
    """Writes ``settings``, sends SIGHUP and waits until the log has one more line with ``outcome``."""
    before = daemon.log.read_text().count(outcome)
    daemon.write_config(settings)
    daemon.process.send_signal(signal.SIGHUP)
    wait_until(lambda: daemon.log.read_text().count(outcome) > before, f"{outcome!r} in the log", daemon)


def test_sighup_moves_dictation_to_a_new_backend_and_keeps_it_through_broken_ones(run_daemon, microphone, tmp_path):
    wav = tmp_path / "phrase.wav"
    wav.write_bytes(as_wav(PHRASE))
    with BackgroundRig(ScriptedRecognizer(SCRIPT)) as first, \
            BackgroundRig(ScriptedRecognizer(SECOND_SCRIPT)) as second:
        settings = daemon_settings(tmp_path / "rpc" / "rpc.sock", backend={"kind": "url", "url": first.url})
        daemon = run_daemon(settings, "--headless")
        with RpcClient(daemon.socket, timeout=TIMEOUT) as listener:
            assert dictate(listener, microphone, wav) == ["patient is stable"]

            reload(daemon, {**settings, "backend": {"kind": "url", "url": second.url}},
                   "configuration reloaded: backend applied")
            wait_until(lambda: first.live == 0 and second.live == 1, "the session to move to the second server",
                       daemon)
            assert dictate(listener, microphone, wav) == ["second server patient is stable"]
            assert first.connections == 1

            for broken, reason in (({"kind": "url"}, "no backend.url is set"),
                                   ({"kind": "url", "url": first.url, "colour": "red"}, "backend.colour")):
                reload(daemon, {**settings, "backend": broken}, "configuration not reloaded; the one in force stays")
                assert reason in daemon.log.read_text()
                assert dictate(listener, microphone, wav) == ["second server patient is stable"]
            assert first.connections == 1 and second.connections == 1
            assert listener.call("status")["rpc"]["clients"] >= 1
        daemon.process.send_signal(signal.SIGTERM)
        assert daemon.process.wait(timeout=60) == 0
    assert "Traceback" not in daemon.log.read_text()
