"""``dictation-daemon doctor`` as a user runs it: a subprocess on the virtual screen and microphone, the
local engine as its backend, a stand-in Corti token endpoint on loopback for the credentials."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from testkit.corti import CLIENT_ID, SECRET, TokenServer
from testkit.rig.daemon import write_wav

pytestmark = [pytest.mark.desktop, pytest.mark.engine]

DAEMON = Path(sys.executable).parent / "dictation-daemon"


def doctor(tmp_path: Path, env: dict[str, str], *arguments: str, **sections: Any) -> subprocess.CompletedProcess[str]:
    settings = {"backend": {"kind": "local"}, "rpc": {"socket_path": str(tmp_path / "rpc" / "rpc.sock")}, **sections}
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump(settings))
    return subprocess.run([str(DAEMON), "doctor", "--config", str(config), *arguments], env=env,
                          capture_output=True, text=True, timeout=180)


def by_name(result: subprocess.CompletedProcess[str]) -> dict[str, dict[str, Any]]:
    return {check["name"]: check for check in json.loads(result.stdout)["checks"]}


def without_corti(env: dict[str, str]) -> dict[str, str]:
    return {key: value for key, value in env.items() if not key.startswith("CORTI_")}


def test_everything_works_on_a_desktop_with_a_microphone_that_hears(microphone, x_display, tmp_path):
    tone = np.sin(2 * np.pi * 440 * np.arange(16000 * 8) / 16000) * 0.3
    player = microphone.play(str(write_wav(tone, tmp_path / "tone.wav")), wait=False)
    try:
        result = doctor(tmp_path, {**without_corti(microphone.env), "DISPLAY": x_display}, "--json")
    finally:
        player.kill()
        player.wait()
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    checks = by_name(result)
    assert report["ok"] is True
    assert {name: check["status"] for name, check in checks.items()} == {
        "configuration": "ok", "display and hotkeys": "ok", "typing and clipboard": "ok", "indicator": "ok",
        "microphone": "ok", "credentials": "ok", "backend": "ok", "control socket": "ok"}
    assert -40 < checks["microphone"]["level_dbfs"] < 0
    assert checks["backend"]["kind"] == "local" and checks["backend"]["round_trip_ms"] >= 0


def test_no_display_and_a_wrong_device_are_failures_with_advice(microphone, tmp_path):
    env = without_corti(microphone.env)
    env.pop("DISPLAY", None)
    result = doctor(tmp_path, env, audio={"device": "no such microphone"})
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    display = lines.index(next(line for line in lines if line.startswith("✗ display and hotkeys:")))
    assert "DISPLAY" in lines[display] and lines[display + 1].lstrip().startswith("→ start the daemon inside")
    indicator = lines.index(next(line for line in lines if line.startswith("! indicator:")))
    assert "no on-screen indicator: no graphical session" in lines[indicator]
    assert lines[indicator + 1].lstrip().startswith("→ run the daemon inside an X11 session")
    microphone_line = next(line for line in lines if line.startswith("✗ microphone:"))
    assert "'no such microphone' matches no input device" in microphone_line
    assert "set audio.device" in lines[lines.index(microphone_line) + 1]
    assert lines[-1] == "a required check failed"


def test_an_invalid_configuration_names_its_fields(microphone, tmp_path):
    result = doctor(tmp_path, without_corti(microphone.env), "--json", hotkeys={"talk": "ctrl+alt+nosuchkey"})
    assert result.returncode == 1
    configuration = by_name(result)["configuration"]
    assert configuration["status"] == "failed" and any("hotkeys.talk" in line for line in configuration["problems"])


def test_a_socket_folder_others_can_enter_fails(microphone, tmp_path):
    (tmp_path / "rpc").mkdir(mode=0o755)
    os.chmod(tmp_path / "rpc", 0o755)
    result = doctor(tmp_path, without_corti(microphone.env), "--json")
    socket = by_name(result)["control socket"]
    assert result.returncode == 1 and socket["status"] == "failed"
    assert "mode 0755, not 0700" in socket["summary"] and "chmod 700" in socket["advice"]


@pytest.fixture
def token_endpoint():
    server = TokenServer()
    server.start()
    yield server
    server.stop()


def test_credentials_fetch_a_token_and_a_wrong_secret_is_explained_without_being_shown(
        microphone, token_endpoint, tmp_path):
    corti = {"CORTI_CLIENT_ID": CLIENT_ID, "CORTI_AUTH_URL": token_endpoint.url}
    good = doctor(tmp_path, {**without_corti(microphone.env), **corti, "CORTI_CLIENT_SECRET": SECRET}, "--json")
    credentials = by_name(good)["credentials"]
    assert credentials["status"] == "ok" and token_endpoint.url in credentials["summary"]
    assert SECRET not in good.stdout + good.stderr
    assert token_endpoint.issued[0] not in good.stdout + good.stderr

    wrong_secret = "wr0ng-" + SECRET[::-1]
    bad = doctor(tmp_path, {**without_corti(microphone.env), **corti, "CORTI_CLIENT_SECRET": wrong_secret})
    assert bad.returncode == 1
    line = next(line for line in bad.stdout.splitlines() if line.startswith("✗ credentials:"))
    assert "InvalidClientError" in line and CLIENT_ID in line
    assert wrong_secret not in bad.stdout + bad.stderr and SECRET not in bad.stdout + bad.stderr
