"""``dictation-daemon rpc METHOD [JSON]``: one JSON-RPC call to the running daemon, for scripts.

The result is printed as JSON on stdout. A JSON-RPC error prints its code and message on stderr and
exits 1; a daemon that cannot be reached, or params that are not JSON, exit 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..rpc.client import RpcCallError
from .common import (
    UsageError,
    add_config_argument,
    call_daemon,
    run_guarded,
)


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("rpc", help="call a method of the running daemon's socket and print the result")
    parser.add_argument("method", help="the method, e.g. status, dictation.start, target.claim")
    parser.add_argument("params", nargs="?", help="its params as JSON (an object or an array)")
    add_config_argument(parser)
    parser.add_argument("--socket", type=Path, metavar="PATH", help="the daemon's socket (default from the config)")
    parser.set_defaults(run=lambda arguments: run_guarded(_call, arguments))


def _call(arguments: argparse.Namespace) -> int:
    params = None
    if arguments.params is not None:
        try:
            params = json.loads(arguments.params)
        except ValueError as error:
            raise UsageError(f"params are not JSON: {error}") from None
        if not isinstance(params, (dict, list)):
            raise UsageError("params must be a JSON object or array")
    try:
        result = call_daemon(arguments, arguments.method, params)
    except RpcCallError as error:
        print(f"dictation-daemon: error {error.code}: {error}", file=sys.stderr)
        return 1
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0
