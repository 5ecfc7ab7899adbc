"""Faults under the running daemon: the network cut mid-utterance, the server restarted or ending the stream
with an error, the microphone unplugged and plugged back.

The daemon runs as users run it (a subprocess, driven headless through its socket, recording the virtual
microphone) against the tone-scripted server behind a loopback proxy the test controls, so the expected
words are exact. Each fault comes after the first phrase's final text arrived, in the middle of the long
utterance that follows it; the dictation must deliver what the clean run delivers, every word once, and
the ``state`` notifications and ``status`` must say what happened.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from dictation_daemon.rpc.client import RpcClient
from testkit.resilience.background import BackgroundRig
from testkit.resilience.faults import FailingOnceRecognizer
from testkit.rig.daemon import RunningDaemon
from testkit.rig.pulse import VirtualMicrophone
from testkit.scripted import ScriptedRecognizer
from testkit.tones import SCRIPT, as_wav, tones

pytestmark = [pytest.mark.desktop]

SPEECH = tones((None, 0.3), (440, 0.6), (None, 0.6), (880, 3.6), (None, 0.6), (660, 0.6), (None, 0.6),
               (440, 0.6), (None, 0.4))
"""A phrase, a long utterance (1.5 s to 5.1 s, where the faults strike), a voice command, a phrase."""
EXPECTED_FINALS = ["patient is stable", "plan as discussed", "patient is stable"]
LISTENER_TIMEOUT = 90.0


@dataclass
class Dictation:
    """What the socket's clients were told during one dictation."""

    finals: list[str] = field(default_factory=list)
    states: list[dict[str, Any]] = field(default_factory=list)

    def take(self, message: dict[str, Any]) -> None:
        params = message["params"]
        if message["method"] == "transcript" and params["isFinal"]:
            self.finals.append(params["rawTranscriptText"])
        elif message["method"] == "state":
            self.states.append(params)

    def connection_states(self) -> list[str]:
        return [params["connection"]["state"] for params in self.states if params["connection"]]

    def descriptions(self, state: str) -> list[str]:
        return [params["connection"]["description"] for params in self.states
                if params["connection"] and params["connection"]["state"] == state]


@pytest.fixture
def speech_wav(tmp_path: Path) -> Path:
    path = tmp_path / "speech.wav"
    path.write_bytes(as_wav(SPEECH))
    return path


@pytest.fixture
def scripted() -> Iterator[Callable[..., BackgroundRig]]:
    """Starts a scripted server behind a proxy (the plain script unless a recognizer is given)."""
    rigs: list[BackgroundRig] = []

    def start(recognizer: ScriptedRecognizer | None = None) -> BackgroundRig:
        rig = BackgroundRig(recognizer or ScriptedRecognizer(SCRIPT)).__enter__()
        rigs.append(rig)
        return rig

    yield start
    for rig in rigs:
        rig.__exit__(None, None, None)


def daemon_on(start_daemon: Callable[..., RunningDaemon], rig: BackgroundRig) -> RunningDaemon:
    return start_daemon({"backend": {"kind": "url", "url": rig.url}, "hotkeys": {"enabled": False}},
                        "--headless", display=False)


def receive_until(listener: RpcClient, dictation: Dictation, done: Callable[[dict[str, Any]], bool]) -> None:
    """Reads notifications into ``dictation`` up to and including the first one ``done`` accepts."""
    while True:
        message = listener.receive()
        dictation.take(message)
        if done(message):
            return


def is_final(message: dict[str, Any]) -> bool:
    return message["method"] == "transcript" and message["params"]["isFinal"]


def hears(words: str) -> Callable[[dict[str, Any]], bool]:
    """Accepts the first interim text of ``words``: the server has heard some of them."""
    return lambda message: message["method"] == "transcript" and not message["params"]["isFinal"] \
        and message["params"]["rawTranscriptText"] == words


def is_idle_again(message: dict[str, Any]) -> bool:
    return message["method"] == "state" and message["params"]["state"] == "idle" \
        and message["params"]["previous"] != "idle"


def dictate(daemon: RunningDaemon, microphone: VirtualMicrophone, wav: Path,
            fault: Callable[[], None] | None = None) -> Dictation:
    """Speaks ``wav`` into the microphone between a start and a stop, with ``fault`` right after the first
    final text arrived; returns what the clients were told until the daemon was idle again."""
    dictation = Dictation()
    with RpcClient(daemon.socket, timeout=LISTENER_TIMEOUT) as listener:
        assert listener.call("dictation.start") == {"state": "listening"}
        player = microphone.play(str(wav), wait=False)
        receive_until(listener, dictation, is_final)
        if fault is not None:
            fault()
        assert player.wait(timeout=60) == 0
        assert listener.call("dictation.stop") == {"state": "finishing"}
        receive_until(listener, dictation, is_idle_again)
    return dictation


def assert_everything_once(dictation: Dictation) -> None:
    assert dictation.finals == EXPECTED_FINALS
    assert [params["state"] for params in dictation.states if params["state"] != params["previous"]] == [
        "listening", "finishing", "idle"]


def test_a_clean_dictation_through_the_daemon(start_daemon, scripted, microphone, speech_wav):
    rig = scripted()
    daemon = daemon_on(start_daemon, rig)
    dictation = dictate(daemon, microphone, speech_wav)
    assert_everything_once(dictation)
    assert dictation.connection_states() == ["connected"] * len(dictation.states)
    assert rig.connections == 1
    assert daemon.call("status")["session"]["connection"]["state"] == "connected"


def test_the_connection_cut_three_times_in_one_utterance(start_daemon, scripted, microphone, speech_wav):
    rig = scripted()
    daemon = daemon_on(start_daemon, rig)

    def three_cuts() -> None:
        for _ in range(3):
            before = rig.connections
            assert rig.cut() == 1
            rig.wait_reconnected(before)
            # Each cut falls mid-stream: a cut while the new connection still awaits acceptance is reported
            # as a failed reconnection attempt instead, which is another test's case.
            daemon.wait_for(lambda status: (status["session"]["connection"] or {}).get("state") == "connected",
                            "the session to be accepted again")

    dictation = dictate(daemon, microphone, speech_wav, three_cuts)
    assert_everything_once(dictation)
    assert rig.connections == 4
    lost = dictation.descriptions("reconnecting")
    assert len(lost) == 3 and all(d.startswith("Connection lost (the connection dropped)") for d in lost)
    assert len(dictation.descriptions("replaying")) == 3
    assert all(d.startswith("Reconnected; resending") for d in dictation.descriptions("replaying"))
    assert dictation.connection_states()[-1] == "connected"
    status = daemon.call("status")
    assert status["state"] == "idle" and status["session"]["connection"]["description"] == "Connected."
    assert "connection: Connected." in daemon.cli("status").stdout


def test_the_server_restarted_mid_utterance(start_daemon, scripted, microphone, speech_wav):
    rig = scripted()
    daemon = daemon_on(start_daemon, rig)
    dictation = dictate(daemon, microphone, speech_wav, lambda: rig.restart_server(down_for=1.0))
    assert_everything_once(dictation)
    assert dictation.descriptions("reconnecting")
    assert dictation.descriptions("replaying")
    assert dictation.connection_states()[-1] == "connected"


def test_a_server_error_that_ends_the_stream(start_daemon, scripted, microphone, speech_wav):
    recognizer = FailingOnceRecognizer(SCRIPT, fail_after=2.5)
    rig = scripted(recognizer)
    daemon = daemon_on(start_daemon, rig)
    dictation = dictate(daemon, microphone, speech_wav)
    assert recognizer.failures == 1
    assert_everything_once(dictation)
    [lost] = dictation.descriptions("reconnecting")
    assert lost.startswith("Connection lost (the server ended the stream: ")
    assert dictation.descriptions("replaying")


def test_the_microphone_unplugged_mid_utterance_and_plugged_back(start_daemon, scripted, microphone, tmp_path):
    rig = scripted()
    daemon = daemon_on(start_daemon, rig)
    long_speech = tmp_path / "long.wav"
    long_speech.write_bytes(as_wav(tones((None, 0.3), (440, 0.6), (None, 0.6), (880, 6.0))))
    phrase = tmp_path / "phrase.wav"
    phrase.write_bytes(as_wav(tones((None, 0.3), (660, 0.2), (None, 0.3), (440, 0.6), (None, 0.4))))

    interrupted = Dictation()
    with RpcClient(daemon.socket, timeout=LISTENER_TIMEOUT) as listener:
        assert listener.call("dictation.start") == {"state": "listening"}
        player = microphone.play(str(long_speech), wait=False)
        receive_until(listener, interrupted, hears("plan as discussed"))  # the long tone is being recorded
        unplugged = unplug(microphone)
        try:
            receive_until(listener, interrupted, lambda m: m["method"] == "state" and m["params"]["state"] == "error")
            player.wait(timeout=30)
            failed = daemon.wait_for(lambda status: status["history"] == 1, "the captured audio's text")
            assert failed["state"] == "error" and failed["microphone"]["state"] == "failed"
            assert failed["error"].startswith("the microphone failed: ") and failed["microphone"]["error"]
            assert "state:      error (the microphone failed: " in daemon.cli("status").stdout
        finally:
            plug_back(microphone, unplugged)
        receive_until(listener, interrupted, lambda m: m["method"] == "state" and m["params"]["state"] == "idle")
    # What was captured before the device went is transcribed, once: the phrase, and the long tone so far.
    assert interrupted.finals == ["patient is stable", "plan as discussed"]
    error = next(params for params in interrupted.states if params["state"] == "error")
    assert error["previous"] == "listening" and error["reason"].startswith("the microphone failed: ")
    recovered = daemon.call("status")
    assert recovered["microphone"]["state"] == "running" and recovered["error"] is None

    after = dictate(daemon, microphone, phrase)
    assert after.finals == ["patient is stable"]


def unplug(microphone: VirtualMicrophone) -> list[str]:
    """Unloads the null sink and the fallback sink, so no input device is left (as when the only headset goes;
    with the fallback left, PulseAudio would quietly move the recording to its silent monitor)."""
    modules = microphone.pactl("list", "short", "modules").splitlines()
    unloaded = []
    for name in ("module-always-sink", "module-null-sink"):
        index, module, *arguments = next(line for line in modules if line.split("\t")[1] == name).split("\t")
        microphone.pactl("unload-module", index)
        unloaded.append(" ".join([module, *arguments]).strip())
    return unloaded


def plug_back(microphone: VirtualMicrophone, unloaded: list[str]) -> None:
    for module in reversed(unloaded):
        microphone.pactl("load-module", *module.split())
    microphone.pactl("set-default-source", microphone.source)
    microphone.pactl("set-default-sink", microphone.sink)
