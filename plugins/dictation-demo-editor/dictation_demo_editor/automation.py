"""Driving the editor from another program: JSON requests on stdin, one answer per line on stdout.

Tests (and scripts) need to put the cursor into a section and read the note back without screen
scraping. Each request is a JSON object; each answer is ``{"answer": ...}`` on a line of its own:

- ``{"do": "status"}``: ``{"claimed": section or null, "focused": section or null, "connected": bool}``
- ``{"do": "focus", "section": NAME}``: takes keyboard focus into that section; ``true``
- ``{"do": "read"}``: every section's text, without interim text

The editor quits when stdin closes. Requests are handled on Tk's thread, between its other events.
"""

from __future__ import annotations

import json
import queue
import sys
import threading
from typing import Any, TextIO

from .app import EditorApp

POLL_MILLISECONDS = 10


class Automation:
    """Reads requests on a thread of its own and answers them from Tk's loop."""

    def __init__(self, app: EditorApp, requests: TextIO = sys.stdin, answers: TextIO = sys.stdout) -> None:
        self._app = app
        self._answers = answers
        self._queue: queue.Queue[dict[str, Any] | None] = queue.Queue()
        threading.Thread(target=self._read, args=(requests,), name="automation", daemon=True).start()
        app.root.after(POLL_MILLISECONDS, self._poll)

    def _read(self, requests: TextIO) -> None:
        for line in requests:
            if line.strip():
                self._queue.put(json.loads(line))
        self._queue.put(None)

    def _poll(self) -> None:
        while True:
            try:
                request = self._queue.get_nowait()
            except queue.Empty:
                self._app.root.after(POLL_MILLISECONDS, self._poll)
                return
            if request is None:
                self._app.root.destroy()
                return
            self._answers.write(json.dumps({"answer": self._answer(request)}) + "\n")
            self._answers.flush()

    def _answer(self, request: dict[str, Any]) -> Any:
        app = self._app
        match request.get("do"):
            case "status":
                return {"claimed": app.link.claimed if app.link else None,
                        "focused": app.window.focused_section(), "connected": app.link is not None}
            case "focus":
                app.window.focus(request["section"], force=True)
                return True
            case "read":
                return app.window.contents()
        raise ValueError(f"unknown request {request.get('do')!r}")
