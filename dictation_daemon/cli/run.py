"""``dictation-daemon run``: the daemon itself (hotkeys, microphone, insertion, control socket)."""

from __future__ import annotations

import argparse
import asyncio

from ..plugins.registry import UnknownPlugin
from ..rpc.paths import UnsafeSocketFolder
from ..rpc.server import SocketInUse
from .common import UsageError, add_config_argument, load_or_exit, run_guarded, setup_logging


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("run", help="run the dictation daemon: hotkeys, microphone, insertion, control socket")
    add_config_argument(parser)
    parser.add_argument("--headless", action="store_true",
                        help="no hotkeys and no typing: dictation is driven and received through the socket only")
    parser.add_argument("--verbose", action="store_true", help="debug logging (includes dictated text)")
    parser.set_defaults(run=lambda arguments: run_guarded(_run, arguments))


def _run(arguments: argparse.Namespace) -> int:
    from ..controller.app import run_until_signalled

    config = load_or_exit(arguments.config)
    setup_logging(config, arguments.verbose)
    try:
        return asyncio.run(run_until_signalled(config, headless=arguments.headless))
    except (SocketInUse, UnsafeSocketFolder, UnknownPlugin) as error:
        raise UsageError(str(error)) from None
