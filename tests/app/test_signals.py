"""Signals as systemd sends them: SIGTERM mid-utterance delivers the text and exits 0; SIGHUP reloads the
configuration while the socket's clients stay connected; the log at INFO never holds a dictated word."""

from __future__ import annotations

import signal
import time
from typing import Any

import pytest

from dictation_daemon.rpc.client import RpcClient
from testkit.rig.daemon import TALK, daemon_settings, finals_until_idle, spoken, words

pytestmark = [pytest.mark.desktop, pytest.mark.engine]

SENTENCE = "the patient reports mild chest pain and shortness of breath on exertion"


def next_message(client: RpcClient, method: str, predicate: Any = lambda params: True) -> dict[str, Any]:
    """The next notification of ``method`` whose params satisfy ``predicate``; others are skipped."""
    while True:
        message = client.receive()
        if message["method"] == method and predicate(message["params"]):
            return message["params"]


def content_words(text: str) -> list[str]:
    """Words longer than three letters: recognition of a cut-off utterance may drop or add a short one."""
    return [word for word in words(text) if len(word) > 3]


def wait_for_log(daemon, text: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while text not in daemon.log.read_text():
        assert time.monotonic() < deadline, f"{text!r} never logged:\n{daemon.log.read_text()}"
        time.sleep(0.1)


def test_sigterm_mid_utterance_delivers_the_text_ends_the_session_and_exits_0(run_daemon, microphone, tmp_path):
    daemon = run_daemon(daemon_settings(tmp_path / "rpc" / "rpc.sock"), "--headless")
    with RpcClient(daemon.socket, timeout=60) as listener:
        listener.call("status")
        assert daemon.cli("start").stdout.strip() == "listening"
        player = microphone.play(str(spoken(tmp_path, "long", SENTENCE)), wait=False)
        try:
            heard = next_message(listener, "transcript", lambda params: len(words(params["text"])) >= 2)
            assert not heard["isFinal"], "the test means to stop mid-utterance, before any final arrived"
            daemon.process.send_signal(signal.SIGTERM)
            finals, states = finals_until_idle(listener)
        finally:
            player.kill()
            player.wait()
        assert daemon.process.wait(timeout=60) == 0
    assert states == ["finishing", "idle"]
    delivered = content_words(" ".join(finals))
    seen = content_words(heard["text"])[:-1]  # the last word of an interim may still have been cut mid-word
    assert set(seen) <= set(delivered) and len(delivered) > len(seen)  # what the user saw, and more, arrived
    assert set(delivered[:-1]) <= set(SENTENCE.split())  # the signal may cut the last word short
    log = daemon.log.read_text()
    assert "SIGTERM: stopping" in log and "finishing the dictation in progress" in log
    assert "Traceback" not in log


def test_sighup_applies_a_changed_hotkey_and_the_connected_client_stays(run_daemon, x_display, tmp_path):
    settings = daemon_settings(tmp_path / "rpc" / "rpc.sock")
    daemon = run_daemon(settings, display=x_display)
    assert daemon.call("status")["hotkeys"]["talk"] == TALK
    with RpcClient(daemon.socket, timeout=60) as listener:
        listener.call("status")
        daemon.write_config({**settings, "hotkeys": {"talk": "ctrl+alt+k"}})
        daemon.process.send_signal(signal.SIGHUP)
        daemon.wait_for(lambda status: status["hotkeys"]["talk"] == "ctrl+alt+k", "the new hotkey")

        daemon.xdotool("keydown", "ctrl+alt+k")
        try:
            assert next_message(listener, "state")["state"] == "listening"
        finally:
            daemon.xdotool("keyup", "k", "alt", "ctrl")
        assert next_message(listener, "state")["state"] == "finishing"
        assert next_message(listener, "state")["state"] == "idle"
        assert listener.call("status")["rpc"]["clients"] >= 1

        daemon.write_config({**settings, "hotkeys": {"talk": "ctrl+alt+nosuchkey"}})
        daemon.process.send_signal(signal.SIGHUP)
        wait_for_log(daemon, "configuration not reloaded; the one in force stays")
        status = listener.call("status")
        assert status["hotkeys"]["talk"] == "ctrl+alt+k" and status["hotkeys"]["support"] == "available"
        assert "hotkeys.talk" in daemon.log.read_text()

        assert daemon.cli("start").stdout.strip() == "listening"
        assert next_message(listener, "state")["state"] == "listening"
        daemon.cli("cancel")
        assert next_message(listener, "state")["state"] == "idle"
    daemon.process.send_signal(signal.SIGTERM)
    assert daemon.process.wait(timeout=60) == 0


def test_a_whole_dictation_logged_at_info_leaves_no_dictated_word_in_the_log(run_daemon, microphone, tmp_path):
    daemon = run_daemon(daemon_settings(tmp_path / "rpc" / "rpc.sock"), "--headless")
    with RpcClient(daemon.socket, timeout=60) as listener:
        listener.call("status")
        daemon.cli("start")
        microphone.play(str(spoken(tmp_path, "private", "the patient takes metoprolol for hypertension period")))
        daemon.cli("stop")
        finals = []
        while True:
            message = listener.receive()
            if message["method"] == "transcript" and message["params"]["isFinal"]:
                finals.append(message["params"]["text"])
            elif message["method"] == "state" and message["params"]["state"] == "idle":
                break
    daemon.process.send_signal(signal.SIGTERM)
    assert daemon.process.wait(timeout=60) == 0
    dictated = {word for word in words(" ".join(finals)) if len(word) > 3}
    assert {"patient", "takes"} <= dictated
    log = daemon.log.read_text().lower()
    assert "state: listening" in log and "state: idle" in log
    assert [word for word in dictated if word in log] == []
