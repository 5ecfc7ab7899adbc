"""The unit file: where it goes, and its text from the template shipped inside the package.

The template is package data (``dictation-daemon.service`` beside this module, read through
:mod:`importlib.resources`), so ``service install`` works the same from a wheel as from a checkout. It stays
a unit file rather than strings in Python, so its systemd syntax and comments read as they will be
installed. It is the one source of the unit's text: ``config/systemd/dictation-daemon.service`` is this
template filled in for example settings, and a test keeps the two equal.

Pure apart from reading the template. Secrets never go into the unit (it is an ordinary 0644 file that
``systemctl cat`` shows to anyone); they come from an EnvironmentFile the user creates with mode 0600.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from string import Template

UNIT_NAME = "dictation-daemon.service"
"""The installed unit's name, and the template's beside this module."""
UNIT_MODE = 0o644
ENVIRONMENT_FILE_MODE = 0o600
STOP_MARGIN_SECONDS = 10
"""systemd waits this much longer than the daemon's own stop timeout before it kills it."""


class TemplateMissing(FileNotFoundError):
    """The installed package lacks its unit template (it was built without its package data)."""


@dataclass(frozen=True)
class UnitSettings:
    """What distinguishes one installation: the command, the mode, the files it reads."""

    executable: Path
    """The absolute path of the ``dictation-daemon`` command in the environment it is installed in."""
    desktop: bool
    """``run`` with hotkeys and typing in the graphical session, or ``run --headless`` (socket only)."""
    environment_file: Path
    config_file: Path | None
    stop_timeout: float


def config_home(environ: Mapping[str, str] = os.environ) -> Path:
    """``$XDG_CONFIG_HOME``, or ``~/.config`` as the XDG specification says when it is unset or empty."""
    value = environ.get("XDG_CONFIG_HOME", "")
    return Path(value) if value else Path.home() / ".config"


def unit_path(environ: Mapping[str, str] = os.environ) -> Path:
    """Where systemd looks for the user's own units."""
    return config_home(environ) / "systemd" / "user" / UNIT_NAME


def environment_file_path(environ: Mapping[str, str] = os.environ) -> Path:
    """The file with the credentials (``KEY=value`` lines), next to the daemon's configuration."""
    return config_home(environ) / "dictation-daemon" / "environment"


def exec_start(settings: UnitSettings) -> str:
    """The ``ExecStart`` command line, quoted the way systemd (like a shell) splits it."""
    command = [str(settings.executable), "run"]
    if not settings.desktop:
        command.append("--headless")
    if settings.config_file is not None:
        command += ["--config", str(settings.config_file)]
    command += ["--stop-timeout", f"{settings.stop_timeout:g}"]
    return shlex.join(command)


def render_unit(template: str, settings: UnitSettings) -> str:
    """The unit file's text. A desktop unit starts and stops with the graphical session, whose DISPLAY it needs;
    a headless one starts with the user's service manager."""
    if settings.desktop:
        dependencies = "After=graphical-session.target\nPartOf=graphical-session.target"
        wanted_by = "graphical-session.target"
    else:
        dependencies = "After=network-online.target"
        wanted_by = "default.target"
    return Template(template).substitute(
        unit_dependencies=dependencies,
        exec_start=exec_start(settings),
        environment_file=str(settings.environment_file),
        timeout_stop=f"{settings.stop_timeout + STOP_MARGIN_SECONDS:g}",
        wanted_by=wanted_by,
    )


def read_template() -> str:
    try:
        return resources.files(__package__).joinpath(UNIT_NAME).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TemplateMissing(f"the unit template {UNIT_NAME} is missing from the installed package "
                              f"{__package__}; reinstall dictation-daemon") from None


def environment_file_problem(path: Path) -> str | None:
    """Why the credentials file is unsafe (readable by others, or not the user's), or ``None`` when it is
    fine or absent (it is optional: without it the daemon uses the local engine)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    if info.st_uid != os.getuid():
        return f"{path} belongs to another user"
    if info.st_mode & 0o077:
        return f"{path} is readable by others (mode {info.st_mode & 0o777:04o}); run: chmod 600 {path}"
    return None
