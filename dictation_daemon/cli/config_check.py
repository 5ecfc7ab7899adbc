"""``dictation-daemon config check [FILE]``: validates a configuration file and names every bad field."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..config import ConfigError, default_config_path, load_config
from ..server.auth import AuthSetupError, StaticTokens
from ..server.text.replacements import MAX_GROWTH, runaway_replacements


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("config", help="inspect the configuration")
    actions = parser.add_subparsers(dest="config_command", required=True, metavar="ACTION")
    check = actions.add_parser("check", help="validate a configuration file")
    check.add_argument("file", type=Path, nargs="?", help=f"default: {default_config_path()}")
    check.set_defaults(run=run_check)
    path = actions.add_parser("path", help="print where the configuration is looked up")
    path.set_defaults(run=lambda _: print(default_config_path()))


def run_check(arguments: argparse.Namespace) -> int:
    path = arguments.file or default_config_path()
    if not path.exists():
        print(f"{path}: no such file (the built-in defaults apply)")
        return 1
    try:
        config = load_config(path)
    except ConfigError as exc:
        print(exc)
        return 1
    if config.server.tokens_file is not None:
        try:
            StaticTokens.from_file(config.server.tokens_file.expanduser())
        except AuthSetupError as exc:
            print(f"{path}: server.tokens_file: {exc}")
            return 1
    runaway = runaway_replacements(config.transcription.replacements)
    if runaway:
        print(f"{path}: transcription.replacements: rule(s) {', '.join(str(number) for number in runaway)} "
              f"would grow a final by more than {MAX_GROWTH} characters and would be skipped")
        return 1
    print(f"{path}: valid")
    return 0
