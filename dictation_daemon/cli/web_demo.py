"""``dictation-daemon web-demo``: serve the demo EHR page of the ``dictation-web`` package locally.

The page connects to the running daemon's WebSocket, so it only works when the configuration enables it
and allows the page's origin; the command checks both and prints the lines to add when they are missing.
"""

from __future__ import annotations

import argparse
import threading
from pathlib import Path

from ..web.demo_server import DemoServer, package_folder
from .common import UsageError, add_config_argument, load_or_exit, run_guarded

DEFAULT_PORT = 8767


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("web-demo", help="serve the demo web EHR page on http://127.0.0.1:8767/")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port on 127.0.0.1 (default {DEFAULT_PORT})")
    parser.add_argument("--root", type=Path, metavar="FOLDER",
                        help="the dictation-web package's folder (default: plugins/dictation-web of this checkout)")
    add_config_argument(parser)
    parser.set_defaults(run=lambda arguments: run_guarded(_serve, arguments))


def _serve(arguments: argparse.Namespace) -> int:
    folder = arguments.root or package_folder()
    if folder is None:
        raise UsageError("cannot find the dictation-web package; give its folder with --root")
    websocket = load_or_exit(arguments.config).rpc.websocket
    try:
        server = DemoServer(folder, arguments.port)
    except (FileNotFoundError, OSError) as error:
        raise UsageError(str(error)) from None
    daemon_url = None if websocket.port == 8766 else f"ws://127.0.0.1:{websocket.port}/"
    with server:
        print(f"demo EHR page: {server.page_url(daemon_url)}")
        if not websocket.enabled or server.origin not in websocket.allowed_origins:
            print("the daemon must allow it; add to its configuration and restart it (or send SIGHUP):\n"
                  "rpc:\n  websocket:\n    enabled: true\n"
                  f"    allowed_origins: [{server.origin}]")
        print("press Ctrl+C to stop")
        threading.Event().wait()
    return 0
