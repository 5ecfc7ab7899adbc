"""A daemon subprocess as systemd runs it: logging at INFO (not ``--verbose``), signals sent to its process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.rig.daemon import TALK, RunningDaemon, launch
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
        running = launch(config_file, env, Path(settings["rpc"]["socket_path"]), tmp_path / "daemon.log", *arguments)
        daemon = ConfiguredDaemon(running, config_file)
        started.append(daemon)
        return daemon

    yield start
    for daemon in started:
        if daemon.process.poll() is None:
            daemon.process.kill()
            daemon.process.wait()
