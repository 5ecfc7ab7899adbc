"""``dictation-daemon service install|uninstall|status``: the daemon as a systemd user service.

Exit codes: 0 done (``status``: installed and running), 1 the unit file is in place but systemd could not
be asked to act on it, or (``status``) the service is not installed or not running; 2 a usage error.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from ..service.systemctl import SystemdUnavailable, systemctl
from ..service.unit import (
    ENVIRONMENT_FILE_MODE,
    UNIT_MODE,
    UNIT_NAME,
    TemplateMissing,
    UnitSettings,
    environment_file_path,
    environment_file_problem,
    read_template,
    render_unit,
    unit_path,
)
from .common import UsageError, load_or_exit, run_guarded, stop_timeout_seconds
from .run import DEFAULT_STOP_TIMEOUT

_ENABLE_LATER = ("once a user service manager runs (log in through a systemd session, or enable lingering with "
                 "`loginctl enable-linger $USER`), run: systemctl --user daemon-reload && "
                 f"systemctl --user enable --now {UNIT_NAME}")


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("service", help="install, remove or inspect the systemd user service")
    actions = parser.add_subparsers(dest="service_command", required=True, metavar="ACTION")
    install = actions.add_parser("install", help="write the user unit, then enable and start it")
    install.add_argument("--desktop", action="store_true",
                         help="run with hotkeys and typing in the graphical session (default: --headless, "
                              "driven through the socket only)")
    install.add_argument("--config", type=Path, metavar="FILE", help="the configuration the service runs with")
    install.add_argument("--stop-timeout", type=stop_timeout_seconds, default=DEFAULT_STOP_TIMEOUT, metavar="SECONDS",
                         help="passed to `run --stop-timeout`; systemd's own stop timeout is 10 s longer")
    install.set_defaults(run=lambda arguments: run_guarded(_install, arguments))
    uninstall = actions.add_parser("uninstall", help="stop and disable the service and remove its unit")
    uninstall.set_defaults(run=lambda arguments: run_guarded(_uninstall, arguments))
    status = actions.add_parser("status", help="whether the unit is installed, enabled and running")
    status.set_defaults(run=lambda arguments: run_guarded(_status, arguments))


def daemon_executable() -> Path:
    """The absolute path of this environment's ``dictation-daemon``, so the unit runs the same installation."""
    beside_python = Path(sys.executable).parent / "dictation-daemon"
    if beside_python.exists():
        return beside_python.absolute()
    found = shutil.which("dictation-daemon")
    if found is None:
        raise UsageError("cannot find the dictation-daemon command of this installation")
    return Path(found).absolute()


def _install(arguments: argparse.Namespace) -> int:
    config_file = arguments.config.absolute() if arguments.config else None
    if config_file is not None:
        load_or_exit(config_file)  # a unit that cannot start is worse than no unit
    settings = UnitSettings(daemon_executable(), arguments.desktop, environment_file_path(), config_file,
                            arguments.stop_timeout)
    try:
        text = render_unit(read_template(), settings)
    except TemplateMissing as error:
        raise UsageError(str(error)) from None
    path = unit_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(UNIT_MODE)
    print(f"wrote {path}")
    _advise_environment_file(settings.environment_file)
    try:
        for step in (("daemon-reload",), ("enable", "--now", UNIT_NAME)):
            outcome = systemctl(*step)
            if not outcome.ok:
                print(f"systemctl --user {' '.join(step)} failed: {outcome.output}", file=sys.stderr)
                return 1
    except SystemdUnavailable as error:
        print(f"not started: {error}; {_ENABLE_LATER}", file=sys.stderr)
        return 1
    print(f"enabled and started {UNIT_NAME}; logs: journalctl --user -u {UNIT_NAME}")
    return 0


def _advise_environment_file(path: Path) -> None:
    problem = environment_file_problem(path)
    if problem is not None:
        print(f"WARNING: {problem}", file=sys.stderr)
    elif not path.exists():
        print(f"credentials (optional): put CORTI_CLIENT_ID=... and CORTI_CLIENT_SECRET=... in {path}, "
              f"created with mode {ENVIRONMENT_FILE_MODE:04o} (umask 077; touch {path})")


def _uninstall(arguments: argparse.Namespace) -> int:
    path = unit_path()
    if not path.exists():
        print(f"not installed: there is no {path}")
        return 0
    reachable = True
    try:
        systemctl("disable", "--now", UNIT_NAME)
    except SystemdUnavailable as error:
        reachable = False
        print(f"could not stop the service: {error}", file=sys.stderr)
    path.unlink()
    print(f"removed {path}")
    if reachable:
        systemctl("daemon-reload")
    return 0


def _status(arguments: argparse.Namespace) -> int:
    path = unit_path()
    environment = environment_file_path()
    if not path.exists():
        print(f"not installed: there is no {path}; install it with `dictation-daemon service install`")
        return 1
    exec_line = next((line for line in path.read_text(encoding="utf-8").splitlines()
                      if line.startswith("ExecStart=")), "ExecStart missing")
    print(f"unit:        {path}\ncommand:     {exec_line.removeprefix('ExecStart=')}")
    problem = environment_file_problem(environment)
    print(f"credentials: {problem or (f'{environment} (private)' if environment.exists() else 'none (no EnvironmentFile)')}")
    try:
        enabled = systemctl("is-enabled", UNIT_NAME).output or "unknown"
        active = systemctl("is-active", UNIT_NAME).output or "unknown"
    except SystemdUnavailable as error:
        print(f"systemd:     cannot tell whether it runs: {error}; {_ENABLE_LATER}")
        return 1
    print(f"enabled:     {enabled}\nactive:      {active}")
    return 0 if active == "active" and problem is None else 1
