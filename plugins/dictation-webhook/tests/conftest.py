"""Fixtures: a loopback HTTP receiver that records what is posted to it, and the daemon's test rig."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from types import TracebackType
from typing import Any

import pytest

from testkit.fixtures import microphone, start_daemon, x_display  # noqa: F401  (the daemon's test rig, as fixtures)


class Receiver:
    """``http.server`` on 127.0.0.1 (a free port) in a thread; ``posts`` holds the JSON bodies received.

    While ``gate`` is clear, requests wait before they are answered: a receiver that has stalled.
    """

    def __init__(self, status: int = 204) -> None:
        self.status = status
        self.posts: list[Any] = []
        self.arrived = threading.Condition()
        self.gate = threading.Event()
        self.gate.set()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.gate.wait(60)
                with receiver.arrived:
                    receiver.posts.append(json.loads(body))
                    receiver.arrived.notify_all()
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: the bodies are what the tests look at."""

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/dictation"

    def wait_for(self, count: int, timeout: float = 60) -> list[Any]:
        """The posts once ``count`` have arrived; raises ``AssertionError`` if they do not."""
        with self.arrived:
            if not self.arrived.wait_for(lambda: len(self.posts) >= count, timeout):
                raise AssertionError(f"{len(self.posts)} of {count} posts arrived")
            return list(self.posts)

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.gate.set()
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as running:
        yield running
