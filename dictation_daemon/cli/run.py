"""``dictation-daemon run``: the daemon itself (hotkeys, microphone, insertion, control socket)."""

from __future__ import annotations

import argparse
import asyncio

from ..app.reload import DEFAULT_STOP_TIMEOUT
from ..config import load_config
from ..files.private import UnsafeFolder
from ..plugins.registry import UnknownPlugin
from ..rpc.server import SocketInUse
from .common import (
    UsageError,
    add_config_argument,
    load_or_exit,
    run_guarded,
    setup_logging,
    stop_timeout_seconds,
)


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("run", help="run the dictation daemon: hotkeys, microphone, insertion, control socket")
    add_config_argument(parser)
    parser.add_argument("--headless", action="store_true",
                        help="no hotkeys and no typing: dictation is driven and received through the socket only")
    parser.add_argument("--verbose", action="store_true", help="debug logging (includes dictated text)")
    parser.add_argument("--stop-timeout", type=stop_timeout_seconds, default=DEFAULT_STOP_TIMEOUT, metavar="SECONDS",
                        help="on SIGTERM/SIGINT, how long a dictation in progress may take to be finished and "
                             f"delivered before the daemon stops anyway (default {DEFAULT_STOP_TIMEOUT:g})")
    parser.set_defaults(run=lambda arguments: run_guarded(_run, arguments))


def _run(arguments: argparse.Namespace) -> int:
    from ..app.daemon import (
        run_until_signalled,  # the daemon's imports are heavy; other commands skip them
    )

    config = load_or_exit(arguments.config)
    setup_logging(config, arguments.verbose)
    try:
        return asyncio.run(run_until_signalled(
            config, headless=arguments.headless, stop_timeout=arguments.stop_timeout,
            load_config=lambda: load_config(arguments.config),
            configure_logging=lambda new: setup_logging(new, arguments.verbose),
        ))
    except (SocketInUse, UnsafeFolder, UnknownPlugin) as error:
        raise UsageError(str(error)) from None
