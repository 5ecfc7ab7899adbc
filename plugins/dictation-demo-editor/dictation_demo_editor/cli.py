"""``dictation-demo-editor``: opens the note window and connects it to the running daemon, if any."""

from __future__ import annotations

import argparse
import logging
import tkinter
from pathlib import Path

from dictation_client import ClientError

from .app import EditorApp
from .automation import Automation
from .link import DictationLink

logger = logging.getLogger(__name__)


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="dictation-demo-editor", description=__doc__)
    parser.add_argument("--socket", type=Path, default=None,
                        help="the daemon's control socket (default: $XDG_RUNTIME_DIR/dictation-daemon/rpc.sock)")
    parser.add_argument("--automation", action="store_true",
                        help="answer JSON requests on stdin with JSON lines on stdout (status, focus, read), for tests")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    arguments = parse_arguments(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        link: DictationLink | None = DictationLink.connect(arguments.socket)
    except ClientError as error:
        logger.warning("dictation is off: %s", error)
        link = None
    root = tkinter.Tk(className="dictationdemoeditor")
    app = EditorApp(root, link)
    if arguments.automation:
        Automation(app)
    try:
        root.mainloop()
    finally:
        if app.link is not None:
            app.link.close()


if __name__ == "__main__":
    main()
