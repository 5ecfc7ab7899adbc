"""A daemon subprocess as systemd runs it: logging at INFO (not ``--verbose``), signals sent to its process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from testkit.rig.daemon import ConfiguredDaemon, launch
from testkit.rig.pulse import VirtualMicrophone


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
