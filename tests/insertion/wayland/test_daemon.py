"""The daemon on a Wayland desktop: sway's key bindings call the command line (push-to-talk), the local
engine transcribes the virtual microphone, and the text is typed through wtype into a native GTK field.

Recognition of synthetic speech varies in small ways, so words are compared normalised; the capital and
the full stop, which the daemon decides, are compared exactly.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from testkit.rig.daemon import DAEMON, RunningDaemon, launch, spoken, words
from testkit.rig.pulse import VirtualMicrophone
from testkit.rig.wayland import WaylandSession, WaylandTextField, wayland_session

pytestmark = [pytest.mark.desktop, pytest.mark.engine]

KEY = "F9"


@pytest.fixture(scope="module")
def socket_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("wayland-daemon") / "rpc" / "rpc.sock"


@pytest.fixture(scope="module")
def bound_session(socket_path: Path) -> Iterator[WaylandSession]:
    """A sway whose configuration binds push-to-talk on F9 to the command line, as docs/daemon.md shows."""
    bindings = (f"bindsym --no-repeat {KEY} exec {DAEMON} start --socket {socket_path}\n"
                f"bindsym --release {KEY} exec {DAEMON} stop --socket {socket_path}\n")
    with wayland_session(bindings) as session:
        yield session


@pytest.fixture
def daemon(bound_session: WaylandSession, microphone: VirtualMicrophone, socket_path: Path,
           tmp_path: Path) -> Iterator[RunningDaemon]:
    settings: dict[str, Any] = {"backend": {"kind": "local"}, "rpc": {"socket_path": str(socket_path)}}
    config_file = tmp_path / "config.yaml"
    config_file.write_text(yaml.safe_dump(settings))
    env = {**microphone.env, **bound_session.env}
    running = launch(config_file, env, socket_path, tmp_path / "daemon.log", "--verbose")
    yield running
    running.stop()


def hold_key_and_speak(session: WaylandSession, daemon: RunningDaemon, microphone: VirtualMicrophone,
                       wav: Path) -> None:
    """Holds F9 on a virtual keyboard (wtype presses it, then waits on its stdin) while the speech plays."""
    holder = subprocess.Popen(["wtype", "-P", KEY, "-", "-p", KEY], stdin=subprocess.PIPE, env=session.env)
    assert holder.stdin is not None
    try:
        daemon.wait_for(lambda status: status["state"] == "listening", "sway's binding to start dictation")
        microphone.play(str(wav))
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    daemon.wait_for(lambda status: status["state"] != "listening", "sway's release binding to stop dictation")
    daemon.wait_idle()


def test_status_says_how_to_bind_keys_and_that_typing_works(daemon: RunningDaemon) -> None:
    status = daemon.call("status")
    assert status["hotkeys"]["support"] == "unavailable"
    assert "bindsym --no-repeat" in status["hotkeys"]["reason"]
    assert "keystroke" in status["plugins"]["running"] and not status["plugins"]["unavailable"]


def test_push_to_talk_through_a_sway_binding_types_into_a_wayland_field(bound_session, daemon, microphone,
                                                                       tmp_path) -> None:
    wav = spoken(tmp_path, "one", "the patient reports mild chest pain period")
    with WaylandTextField(bound_session) as field:
        hold_key_and_speak(bound_session, daemon, microphone, wav)
        text = field.settle(1.0)
        wav = spoken(tmp_path, "two", "she denies fever period")
        hold_key_and_speak(bound_session, daemon, microphone, wav)
        both = field.settle(1.0)
    assert words(text) == "the patient reports mild chest pain".split()
    assert text.startswith("The ") and text.endswith("pain.")
    assert both.startswith(text + " She ") and words(both[len(text):]) == ["she", "denies", "fever"]
    assert both.endswith("fever.") and "  " not in both
