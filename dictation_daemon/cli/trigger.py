"""``dictation-daemon start|stop|toggle|cancel|status|paste-last``: drive the running daemon over its socket.

These work where global hotkeys cannot (Wayland, no permissions): bind them to a desktop shortcut or a
foot pedal script.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ..rpc.client import RpcCallError
from .common import (
    UsageError,
    add_config_argument,
    call_daemon,
    run_guarded,
)

_TRIGGERS = {
    "start": ("dictation.start", "start dictating (as if the push-to-talk key went down)"),
    "stop": ("dictation.stop", "stop dictating: the tail is recorded, then the text is inserted"),
    "toggle": ("dictation.toggle", "start dictating, or stop if dictating"),
    "cancel": ("dictation.cancel", "discard the dictation being recorded"),
}


def register(commands: argparse._SubParsersAction) -> None:
    for name, (method, help_text) in _TRIGGERS.items():
        parser = commands.add_parser(name, help=help_text)
        _add_socket_arguments(parser)
        parser.set_defaults(run=lambda arguments, method=method: run_guarded(lambda a: _trigger(a, method), arguments))
    status = commands.add_parser("status", help="show what the running daemon is doing")
    _add_socket_arguments(status)
    status.add_argument("--json", action="store_true", help="print the status document as JSON")
    status.set_defaults(run=lambda arguments: run_guarded(_status, arguments))
    paste = commands.add_parser("paste-last", help="insert the last dictation again into the focused field")
    _add_socket_arguments(paste)
    paste.set_defaults(run=lambda arguments: run_guarded(_paste_last, arguments))


def _add_socket_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_argument(parser)
    parser.add_argument("--socket", type=Path, metavar="PATH", help="the daemon's socket (default from the config)")


def _call(arguments: argparse.Namespace, method: str) -> Any:
    try:
        return call_daemon(arguments, method)
    except RpcCallError as error:
        raise UsageError(f"the daemon refused: {error}") from None


def _trigger(arguments: argparse.Namespace, method: str) -> int:
    print(_call(arguments, method)["state"])
    return 0


def _paste_last(arguments: argparse.Namespace) -> int:
    result = _call(arguments, "history.paste_last")
    print(f"inserted {result['inserted']} characters")
    return 0


def _status(arguments: argparse.Namespace) -> int:
    status = _call(arguments, "status")
    if arguments.json:
        print(json.dumps(status, indent=2))
        return 0
    print(describe_status(status))
    if status["hotkeys"]["support"] != "available":
        print(f"WARNING: {status['hotkeys']['reason']}", file=sys.stderr)
    return 0


def describe_status(status: dict[str, Any]) -> str:
    """The status document as a few readable lines."""
    microphone = status["microphone"]
    session = status["session"]
    lines = [
        f"state:      {status['state']}" + (f" ({status['error']})" if status.get("error") else ""),
        f"hotkeys:    {status['hotkeys']['support']}: {status['hotkeys']['reason']}",
        f"backend:    {status['backend']}, session {'ready' if session['ready'] else 'not ready'}"
        + (f" (refused: {session['refused']})" if session.get("refused") else ""),
        f"connection: {session['connection']['description'] if session.get('connection') else 'not opened yet'}",
        f"microphone: {microphone['state']}, {microphone['device']}, level {microphone['level_dbfs']} dBFS, "
        f"{microphone['overruns']} overruns, {microphone['drops']} drops"
        + (f" ({microphone['error']})" if microphone.get("error") else ""),
        f"plugins:    {', '.join(status['plugins']['running']) or 'none'}"
        + "".join(f"; {name} unavailable: {reason}" for name, reason in status["plugins"]["unavailable"].items()),
        f"history:    {status['history']} dictations in memory",
        f"socket:     {status['rpc']['socket']} ({status['rpc']['clients']} clients)",
    ]
    return "\n".join(lines)
