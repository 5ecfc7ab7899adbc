"""``dictation-daemon pair CODE`` and ``dictation-daemon pairings``: the user's side of pairing web pages.

A page from an allowed origin shows a code when it asks to use dictation; the user confirms it here,
from a terminal only they can use, and the page receives a token of its own. ``pairings`` lists the
paired sites and the requests waiting, and revokes a site (its open connections are closed at once).
Without a running daemon, ``pairings`` reads and changes the pairings file itself.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from ..rpc.client import RpcCallError
from ..rpc.pairing import PairingRefused
from ..rpc.pairing_file import PairingFileError, default_pairings_file, load_pairings, save_pairings
from .common import UsageError, add_config_argument, call_daemon, load_or_exit, run_guarded


def register(commands: argparse._SubParsersAction) -> None:
    pair = commands.add_parser("pair", help="let the web page that shows CODE use dictation")
    pair.add_argument("code", help="the code the page shows, e.g. 482913 or '482 913'")
    _add_socket_arguments(pair)
    pair.set_defaults(run=lambda arguments: run_guarded(_pair, arguments))
    pairings = commands.add_parser("pairings", help="list the web pages paired with dictation, or revoke one")
    pairings.add_argument("--revoke", metavar="ID", help="revoke the pairing ID: the site must pair again")
    pairings.add_argument("--json", action="store_true", help="print the list as JSON")
    _add_socket_arguments(pairings)
    pairings.set_defaults(run=lambda arguments: run_guarded(_pairings, arguments))


def _add_socket_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_argument(parser)
    parser.add_argument("--socket", type=Path, metavar="PATH", help="the daemon's socket (default from the config)")


def _pair(arguments: argparse.Namespace) -> int:
    try:
        paired = call_daemon(arguments, "pairing.confirm", {"code": arguments.code})
    except RpcCallError as error:
        raise UsageError(str(error)) from None
    print(f"paired {paired['origin']}{_named(paired)} as {paired['id']}")
    return 0


def _pairings(arguments: argparse.Namespace) -> int:
    path = _pairings_file(arguments)
    if arguments.revoke:
        try:
            result = call_daemon(arguments, "pairing.revoke", {"id": arguments.revoke},
                                 if_not_running=lambda: _revoke_in_file(path, arguments.revoke))
        except RpcCallError as error:
            raise UsageError(str(error)) from None
        print(f"revoked {result['revoked']}; {result['disconnected']} open connections closed")
        return 0
    listing = call_daemon(arguments, "pairing.list", if_not_running=lambda: _list_file(path))
    if arguments.json:
        print(json.dumps(listing, indent=2))
        return 0
    if not listing["pairings"] and not listing["waiting"]:
        print("no web page is paired")
    for pairing in listing["pairings"]:
        print(f"{pairing['id']}  {pairing['origin']}{_named(pairing)}  paired {_when(pairing['created'])}, "
              f"last used {_when(pairing['lastUsed'])}")
    for waiting in listing["waiting"]:
        print(f"waiting  {waiting['origin']}{_named(waiting)}  for `dictation-daemon pair CODE` "
              f"({waiting['expiresIn']:.0f} s left)")
    return 0


def _pairings_file(arguments: argparse.Namespace) -> Path:
    return load_or_exit(arguments.config).rpc.websocket.pairings_file or default_pairings_file()


def _list_file(path: Path) -> dict[str, Any]:
    try:
        book = load_pairings(path)
    except PairingFileError as error:
        raise UsageError(str(error)) from None
    return {"pairings": [pairing.info() for pairing in book.pairings.values()], "waiting": []}


def _revoke_in_file(path: Path, pairing_id: str) -> dict[str, Any]:
    try:
        book = load_pairings(path)
        book.revoke(pairing_id)
    except (PairingFileError, PairingRefused) as error:
        raise UsageError(str(error)) from None
    save_pairings(path, book)
    return {"revoked": pairing_id, "disconnected": 0}


def _named(entry: dict[str, Any]) -> str:
    return f" ({entry['site']})" if entry.get("site") else ""


def _when(seconds: float | None) -> str:
    return "never" if seconds is None else time.strftime("%Y-%m-%d %H:%M", time.localtime(seconds))
