"""The ``dictation-daemon`` command: one module per subcommand, each adding its own arguments."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from .. import __version__
from . import (
    autotexts,
    config_check,
    devices,
    doctor,
    pairing,
    rpc,
    run,
    serve,
    service,
    transcribe,
    trigger,
    web_demo,
)

SUBCOMMANDS = (run, trigger, rpc, pairing, autotexts, devices, serve, transcribe, config_check, service, doctor, web_demo)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dictation-daemon",
        description="Medical dictation into any application, over Corti's /transcribe or the embedded engine.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in SUBCOMMANDS:
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = build_parser().parse_args(argv)
    try:
        return int(arguments.run(arguments) or 0)
    except KeyboardInterrupt:
        return 130
