"""``dictation-daemon service``: the unit file it writes, removes and reports, with and without a user systemd.

The commands run as subprocesses with ``XDG_CONFIG_HOME`` in the test's folder. This machine has no user
service manager, so the real ``systemctl --user`` answers that it cannot connect; with ``PATH`` emptied
there is no ``systemctl`` at all. Both must end in a clear message and a written (or removed) file.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

DAEMON = Path(sys.executable).parent / "dictation-daemon"


def service(tmp_path: Path, *arguments: str, systemctl: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config")}
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    if not systemctl:
        env["PATH"] = str(tmp_path / "empty-path")
    return subprocess.run([str(DAEMON), "service", *arguments], env=env, capture_output=True, text=True, timeout=60)


def unit_file(tmp_path: Path) -> Path:
    return tmp_path / "config" / "systemd" / "user" / "dictation-daemon.service"


def test_install_writes_a_headless_unit_with_no_secret_and_explains_a_missing_systemctl(tmp_path):
    result = service(tmp_path, "install", systemctl=False)
    assert result.returncode == 1
    assert "systemctl is not installed" in result.stderr and "systemctl --user enable --now" in result.stderr
    path = unit_file(tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    text = path.read_text()
    assert f"ExecStart={DAEMON} run --headless --stop-timeout 10\n" in text
    assert "Restart=on-failure" in text and "TimeoutStopSec=20" in text and "WantedBy=default.target" in text
    environment = tmp_path / "config" / "dictation-daemon" / "environment"
    assert f"EnvironmentFile=-{environment}" in text
    assert "$" not in text.replace("$USER", "")  # every placeholder filled in
    assert "SECRET=" not in text and "TOKEN=" not in text
    assert f"put CORTI_CLIENT_ID=... and CORTI_CLIENT_SECRET=... in {environment}" in result.stdout


@pytest.mark.skipif(shutil.which("systemctl") is None, reason="needs the systemctl command")
def test_install_for_the_desktop_with_a_config_says_why_the_user_systemd_cannot_be_reached(tmp_path):
    config = tmp_path / "my config.yaml"
    config.write_text("hotkeys: {talk: ctrl+alt+d}\n")
    result = service(tmp_path, "install", "--desktop", "--config", str(config), "--stop-timeout", "4")
    text = unit_file(tmp_path).read_text()
    assert f"ExecStart={DAEMON} run --config '{config}' --stop-timeout 4\n" in text
    assert "PartOf=graphical-session.target" in text and "WantedBy=graphical-session.target" in text
    assert "TimeoutStopSec=14" in text
    if result.returncode == 1:  # no user service manager here: the reason and what to do later
        assert "no user service manager is reachable" in result.stderr and "enable-linger" in result.stderr


def test_install_refuses_a_configuration_that_does_not_validate(tmp_path):
    config = tmp_path / "bad.yaml"
    config.write_text("hotkeys: {talk: ctrl+alt+nosuchkey}\n")
    result = service(tmp_path, "install", "--config", str(config), systemctl=False)
    assert result.returncode == 2 and "hotkeys.talk" in result.stderr
    assert not unit_file(tmp_path).exists()


def test_status_explains_each_state_and_flags_a_readable_credentials_file(tmp_path):
    missing = service(tmp_path, "status", systemctl=False)
    assert missing.returncode == 1 and "not installed" in missing.stdout and "service install" in missing.stdout

    service(tmp_path, "install", systemctl=False)
    environment = tmp_path / "config" / "dictation-daemon" / "environment"
    environment.parent.mkdir(parents=True, exist_ok=True)
    environment.write_text("CORTI_CLIENT_ID=someone\nCORTI_CLIENT_SECRET=not-for-eyes\n")
    environment.chmod(0o644)
    result = service(tmp_path, "status", systemctl=False)
    assert result.returncode == 1
    assert f"command:     {DAEMON} run --headless" in result.stdout
    assert f"is readable by others (mode 0644); run: chmod 600 {environment}" in result.stdout
    assert "cannot tell whether it runs: systemctl is not installed" in result.stdout
    assert "not-for-eyes" not in result.stdout + result.stderr

    environment.chmod(0o600)
    assert f"{environment} (private)" in service(tmp_path, "status", systemctl=False).stdout


def test_uninstall_removes_the_unit_and_says_when_there_was_none(tmp_path):
    service(tmp_path, "install", systemctl=False)
    result = service(tmp_path, "uninstall", systemctl=False)
    assert result.returncode == 0 and "removed" in result.stdout and "could not stop the service" in result.stderr
    assert not unit_file(tmp_path).exists()
    again = service(tmp_path, "uninstall", systemctl=False)
    assert again.returncode == 0 and "not installed" in again.stdout


@pytest.mark.parametrize("seconds", ["0", "-3", "601", "soon"])
def test_install_refuses_a_stop_timeout_that_run_would_refuse(tmp_path, seconds):
    result = service(tmp_path, "install", "--stop-timeout", seconds, systemctl=False)
    assert result.returncode == 2 and "--stop-timeout" in result.stderr
    assert not unit_file(tmp_path).exists()
