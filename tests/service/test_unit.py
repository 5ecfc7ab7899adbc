"""The unit's text comes from the installed package alone, and the documented example cannot drift from it.

``config/systemd/dictation-daemon.service`` is what ``service install`` writes for :data:`EXAMPLE`. The wheel
test builds the project as a user installs it (not editable), installs it into a folder of its own and runs
``service install`` from there, in a working directory outside the checkout, so a template read from the
source tree, or one the wheel leaves out, fails it. Building needs pip to reach an index that has the
build backend (setuptools), as any installation from source does.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from dictation_daemon.service.unit import UnitSettings, read_template, render_unit

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_FILE = ROOT / "config" / "systemd" / "dictation-daemon.service"
EXAMPLE = UnitSettings(
    executable=Path("/home/user/.local/share/pipx/venvs/dictation-daemon/bin/dictation-daemon"),
    desktop=False,
    environment_file=Path("/home/user/.config/dictation-daemon/environment"),
    config_file=None,
    stop_timeout=10.0,
)
"""What a plain ``dictation-daemon service install`` of a pipx installation fills in."""
BUILD_INPUTS = ("pyproject.toml", "README.md", "dictation_daemon")


def test_the_documented_example_is_the_template_filled_in():
    assert EXAMPLE_FILE.read_text(encoding="utf-8") == render_unit(read_template(), EXAMPLE)


def test_service_install_from_a_built_wheel_writes_the_unit(tmp_path):
    source = tmp_path / "source"  # a copy, so the build leaves no build/ or egg-info in the checkout
    source.mkdir()
    for name in BUILD_INPUTS:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, source / name)
    pip = [sys.executable, "-m", "pip", "--quiet"]
    subprocess.run([*pip, "wheel", "--no-deps", "--wheel-dir", str(tmp_path / "dist"), str(source)],
                   check=True, timeout=240)
    [wheel] = (tmp_path / "dist").glob("dictation_daemon-*.whl")
    installed = tmp_path / "installed"
    subprocess.run([*pip, "install", "--no-deps", "--target", str(installed), str(wheel)], check=True, timeout=240)

    # The installed copy comes first on the path; the dependencies still come from this environment.
    env = {**os.environ, "PYTHONPATH": str(installed), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "PATH": str(tmp_path / "no-systemctl")}
    where = subprocess.run([sys.executable, "-c", "import dictation_daemon; print(dictation_daemon.__file__)"],
                           env=env, cwd=tmp_path, capture_output=True, text=True, check=True, timeout=60)
    assert Path(where.stdout.strip()).is_relative_to(installed)
    result = subprocess.run([sys.executable, "-m", "dictation_daemon", "service", "install"], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1, result.stderr  # written, then not started: there is no systemctl
    assert "systemctl is not installed" in result.stderr
    settings = UnitSettings(Path(sys.executable).parent / "dictation-daemon", False,
                            tmp_path / "config" / "dictation-daemon" / "environment", None, 10.0)
    unit = tmp_path / "config" / "systemd" / "user" / "dictation-daemon.service"
    assert unit.read_text(encoding="utf-8") == render_unit(read_template(), settings)
