"""A read-only file server on loopback for the demo EHR page of ``plugins/dictation-web``.

The page must come from an origin (a browser sends none for ``file://`` pages in a way the daemon can
allow), so ``dictation-daemon web-demo`` serves the package's folder on ``http://127.0.0.1:PORT``. Only
what the page needs is served: the demo, the package's modules and React's browser builds; nothing is
listed, nothing outside those folders is reachable, and only GET and HEAD are answered.
"""

from __future__ import annotations

import os
import threading
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

SERVED_FOLDERS = ("demo/", "src/", "node_modules/react/umd/", "node_modules/react-dom/umd/")
SERVED_SUFFIXES = (".html", ".js", ".css", ".d.ts")


def package_folder() -> Path | None:
    """``plugins/dictation-web`` of the source checkout the daemon runs from, if it is one."""
    folder = Path(__file__).resolve().parents[2] / "plugins" / "dictation-web"
    return folder if (folder / "package.json").is_file() else None


class _DemoFiles(SimpleHTTPRequestHandler):
    """Serves the allowed files of ``directory``; everything else is 404."""

    def do_GET(self) -> None:
        if self._allowed():
            super().do_GET()

    def do_HEAD(self) -> None:
        if self._allowed():
            super().do_HEAD()

    def _allowed(self) -> bool:
        path = unquote(urlsplit(self.path).path)
        if path in ("/", "/demo"):
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", "/demo/" + (f"?{urlsplit(self.path).query}" if urlsplit(self.path).query else ""))
            self.end_headers()
            return False
        relative = path.lstrip("/")
        if relative.endswith("/"):
            relative += "index.html"
        if ".." in relative.split("/") or not relative.startswith(SERVED_FOLDERS) \
                or not relative.endswith(SERVED_SUFFIXES):
            self.send_error(HTTPStatus.NOT_FOUND)
            return False
        return True

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        """A folder without an index page is not listed."""
        self.send_error(HTTPStatus.NOT_FOUND)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Requests are not logged: the page is the user's, and nothing about it needs keeping."""


class DemoServer:
    """Serves ``folder`` on ``http://127.0.0.1:port/`` (0 picks a port) in a thread, until :meth:`close`."""

    def __init__(self, folder: Path, port: int = 0) -> None:
        if not (folder / "demo" / "index.html").is_file():
            raise FileNotFoundError(f"{folder} has no demo/index.html: give the dictation-web package's folder")
        if not (folder / "node_modules" / "react" / "umd").is_dir():
            raise FileNotFoundError(f"React is not installed in {folder}: run `npm ci` there (make install does)")
        self._server = ThreadingHTTPServer(("127.0.0.1", port), partial(_DemoFiles, directory=str(folder)))
        self.origin = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="web-demo", daemon=True)

    def __enter__(self) -> DemoServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def page_url(self, daemon_url: str | None = None) -> str:
        """The demo page, told where the daemon's WebSocket is when it is not the default."""
        return f"{self.origin}/demo/" + (f"?daemon={daemon_url}" if daemon_url else "")

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
