"""What several subcommands share: loading the configuration and setting up logging."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..config import ConfigError, DaemonConfig, load_config
from ..rpc.client import DaemonNotRunning, RpcCallError, RpcClient
from ..rpc.paths import default_socket_path


class UsageError(Exception):
    """A problem the user can fix; printed as one line, never as a traceback."""


def add_config_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, metavar="FILE",
                        help="YAML configuration (default: the per-user config file, if it exists)")


def load_or_exit(path: Path | None) -> DaemonConfig:
    try:
        return load_config(path)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": self.formatTime(record), "level": record.levelname, "logger": record.name,
                 "message": record.getMessage()}
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry)


def setup_logging(config: DaemonConfig, verbose: bool = False) -> None:
    """Logs to stderr (journald under systemd). Dictated text is only ever logged at DEBUG."""
    handler = logging.StreamHandler(sys.stderr)
    if config.logging.format == "json":
        handler.setFormatter(_JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel("DEBUG" if verbose else config.logging.level)
    for noisy in ("websockets", "httpx", "httpcore", "faster_whisper"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def run_guarded(function, arguments: argparse.Namespace) -> int:
    """Runs a subcommand, turning the errors a user can fix into one line on stderr and exit code 2."""
    try:
        return int(function(arguments) or 0)
    except UsageError as exc:
        print(f"dictation-daemon: {exc}", file=sys.stderr)
        return 2


def stop_timeout_seconds(text: str) -> float:
    """``--stop-timeout`` of ``run`` and ``service install``: the service passes it on to ``run``, so both
    refuse the same values, when the command is given rather than when the service starts."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 < value <= 600:
        raise argparse.ArgumentTypeError("give a number of seconds above 0 and at most 600")
    return value


def call_daemon(arguments: argparse.Namespace, method: str, params: dict[str, Any] | list[Any] | None = None,
                *, if_not_running: Callable[[], Any] | None = None) -> Any:
    """Calls the running daemon the way every command reaches it (``--socket``, else the configuration's
    socket; loopback TCP through its endpoint file when the daemon serves that). A daemon that is not
    running is answered by ``if_not_running()`` when given; otherwise it, or one that cannot be reached,
    is a :class:`UsageError`. An error answer raises ``RpcCallError``."""
    path = arguments.socket
    if path is None:
        config = load_or_exit(arguments.config)
        path = config.rpc.socket_path or default_socket_path()
    try:
        with RpcClient.connect(path) as client:
            return client.call(method, params)
    except DaemonNotRunning as error:
        if if_not_running is not None:
            return if_not_running()
        raise UsageError(f"{error}; start it with `dictation-daemon run`") from None
    except RpcCallError:
        raise
    except (OSError, ValueError) as error:
        raise UsageError(f"cannot talk to the daemon at {path}: {error}") from None
