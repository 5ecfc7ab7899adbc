"""The configuration file and the control socket's permissions."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..config import ConfigError, DaemonConfig, default_config_path, load_config
from ..rpc.paths import default_socket_path
from .report import Check, fail, ok


def check_config(path: Path | None) -> tuple[Check, DaemonConfig]:
    """The verdict and the configuration the other checks use: the built-in defaults when the file is bad."""
    name = "configuration"
    shown = path or default_config_path()
    try:
        config = load_config(path)
    except ConfigError as error:
        return fail(name, f"{error.source} is invalid ({len(error.problems)} problems): " + "; ".join(error.problems),
                    "fix the fields named (see config/default.yaml); the other checks use the defaults",
                    problems=error.problems), DaemonConfig()
    if path is None and not shown.exists():
        return ok(name, f"no file at {shown}: the built-in defaults apply"), config
    return ok(name, f"{shown} is valid"), config


def check_socket(config: DaemonConfig) -> Check:
    """The folder must be 0700 and the socket 0600, both the user's: otherwise others could drive the daemon."""
    name = "control socket"
    path = config.rpc.socket_path or default_socket_path()
    folder = path.parent
    if not folder.exists():
        return ok(name, f"no daemon has run yet: {folder} is created private (0700) at start")
    problems = [problem for problem in (_private(folder, 0o700), _private(path, 0o600) if path.exists() else None)
                if problem]
    if problems:
        return fail(name, "; ".join(problems), f"stop the daemon, then: chmod 700 {folder} (the socket is "
                    "recreated 0600 at start)", socket=str(path))
    if not path.exists():
        return ok(name, f"{folder} is private; no daemon runs (no socket)", socket=str(path))
    return ok(name, f"{path} is private (folder 0700, socket 0600)", socket=str(path))


def _private(path: Path, mode: int) -> str | None:
    info = path.lstat()
    if info.st_uid != os.getuid():
        return f"{path} belongs to another user"
    if stat.S_IMODE(info.st_mode) != mode:
        return f"{path} has mode {stat.S_IMODE(info.st_mode):04o}, not {mode:04o}"
    return None

