"""The daemon as users run it: ``dictation-daemon run`` in a subprocess on the test screen and microphone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from benchmarks.speech import speech, with_pauses
from tests.rig.daemon import TALK, RunningDaemon, launch, write_wav
from tests.rig.pulse import VirtualMicrophone


def spoken(tmp_path: Path, name: str, *parts: str | float) -> Path:
    """A WAV of the festival voice saying the text parts, numbers being seconds of silence."""
    clips = [part if isinstance(part, (int, float)) else speech(part) for part in parts]
    return write_wav(with_pauses([0.2, *clips, 0.3]), tmp_path / f"{name}.wav")


@pytest.fixture
def start_daemon(x_display: str, microphone: VirtualMicrophone, tmp_path: Path) -> Iterator[Any]:
    """Starts the daemon with the given configuration sections (local engine, test hotkey, private socket),
    on the test screen unless ``display`` is false."""
    started: list[RunningDaemon] = []

    def start(config: dict[str, Any] | None = None, *extra: str, display: bool = True) -> RunningDaemon:
        socket = tmp_path / "rpc" / "rpc.sock"
        settings: dict[str, Any] = {"backend": {"kind": "local"}, "hotkeys": {"talk": TALK},
                                    "rpc": {"socket_path": str(socket)}}
        for section, values in (config or {}).items():
            settings[section] = {**settings.get(section, {}), **values}
        config_file = tmp_path / "config.yaml"
        config_file.write_text(yaml.safe_dump(settings))
        env = {**microphone.env, "DISPLAY": x_display}
        if not display:
            del env["DISPLAY"]
        daemon = launch(config_file, env, socket, tmp_path / "daemon.log", "--verbose", *extra)
        started.append(daemon)
        return daemon

    yield start
    for daemon in started:
        daemon.stop()


def words(text: str) -> list[str]:
    """Lower-case words without punctuation, for comparing recognised text where exact words vary."""
    return "".join(char.lower() if char.isalnum() or char.isspace() else " " for char in text).split()


def finals_until_idle(listener: Any) -> tuple[list[str], list[str]]:
    """Final texts and state names a socket client is notified of, up to and including the next idle."""
    finals: list[str] = []
    states: list[str] = []
    while "idle" not in states:
        message = listener.receive()
        if message["method"] == "transcript" and message["params"]["isFinal"]:
            finals.append(message["params"]["text"])
        elif message["method"] == "state":
            states.append(message["params"]["state"])
    return finals, states
