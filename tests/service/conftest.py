"""A daemon subprocess as systemd runs it: logging at INFO (not ``--verbose``), signals sent to its process."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.e2e.conftest import DAEMON, TALK, RunningDaemon
from tests.rig.pulse import VirtualMicrophone


class ConfiguredDaemon(RunningDaemon):
    """A running daemon and its configuration file, which a test rewrites before sending SIGHUP."""

    def __init__(self, running: RunningDaemon, config_file: Path) -> None:
        super().__init__(running.process, running.env, running.socket, running.log)
        self.config_file = config_file

    def write_config(self, settings: dict[str, Any]) -> None:
        self.config_file.write_text(yaml.safe_dump(settings))


def daemon_settings(socket: Path, **sections: dict[str, Any]) -> dict[str, Any]:
    """The local engine, the test hotkey, no plugin that types, a private socket; ``sections`` override."""
    settings: dict[str, Any] = {"backend": {"kind": "local"}, "hotkeys": {"talk": TALK},
                                "plugins": {"enabled": []}, "rpc": {"socket_path": str(socket)}}
    for section, values in sections.items():
        settings[section] = {**settings.get(section, {}), **values}
    return settings


@pytest.fixture
def run_daemon(microphone: VirtualMicrophone, tmp_path: Path) -> Iterator[Any]:
    """Starts ``dictation-daemon run`` with ``settings`` and extra arguments; ``display`` is a DISPLAY or None."""
    started: list[ConfiguredDaemon] = []

    def start(settings: dict[str, Any], *arguments: str, display: str | None = None) -> ConfiguredDaemon:
        config_file = tmp_path / "config.yaml"
        config_file.write_text(yaml.safe_dump(settings))
        env = {key: value for key, value in microphone.env.items() if key != "DISPLAY"}
        if display is not None:
            env["DISPLAY"] = display
        log = tmp_path / "daemon.log"
        process = subprocess.Popen([str(DAEMON), "run", "--config", str(config_file), *arguments],
                                   env=env, stdout=subprocess.DEVNULL, stderr=log.open("wb"))
        daemon = ConfiguredDaemon(RunningDaemon(process, env, Path(settings["rpc"]["socket_path"]), log), config_file)
        started.append(daemon)
        daemon.wait_for(lambda status: status["session"]["ready"] and status["state"] == "idle",
                        "the daemon to be ready")
        return daemon

    yield start
    for daemon in started:
        if daemon.process.poll() is None:
            daemon.process.kill()
            daemon.process.wait()
