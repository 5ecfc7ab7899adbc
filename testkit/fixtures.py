"""Fixtures for the real parts: a virtual screen, a virtual microphone, and daemons started on them.

A suite's ``conftest.py`` imports the ones it uses, so the package's tests and the plugins' tests share them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from testkit.rig.daemon import TALK, RunningDaemon, launch
from testkit.rig.display import virtual_display
from testkit.rig.pulse import VirtualMicrophone, virtual_microphone


@pytest.fixture(scope="session")
def x_display() -> Iterator[str]:
    """DISPLAY of a private Xvfb screen."""
    with virtual_display() as display:
        yield display


@pytest.fixture(scope="session")
def microphone() -> Iterator[VirtualMicrophone]:
    """A PulseAudio null sink whose monitor is the default capture device."""
    with virtual_microphone() as mic:
        yield mic


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
