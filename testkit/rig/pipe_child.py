"""A test window in a child process, asked questions over a line-based JSON pipe.

Toolkits must own their main loop, and each window needs its own display environment, so the rig's
text fields run as child processes; this is the parent's side of their pipe, shared by the X11 (Tk) and
Wayland (GTK) fields.
"""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

T = TypeVar("T")

ROOT = Path(__file__).resolve().parents[2]


class PipeChild:
    """A child process that answers one JSON line per request line; used as a context manager.

    Closing its stdin is how the child is told to quit.
    """

    description = "the child window"

    def __init__(self) -> None:
        self._process: subprocess.Popen[str] | None = None

    def start(self, command: Sequence[str], env: Mapping[str, str]) -> None:
        """Runs ``command`` with the repository root on its path, so a child run as ``python -m testkit.rig...``
        imports as the tests do."""
        path = ":".join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        self._process = subprocess.Popen(list(command), env={**env, "PYTHONPATH": path},
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        process = self._require_process()
        process.stdin.close()  # type: ignore[union-attr]
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def ask(self, request: dict[str, Any]) -> Any:
        """Sends one request and returns the child's answer."""
        process = self._require_process()
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(json.dumps(request) + "\n")
        process.stdin.flush()
        line = process.stdout.readline()
        if not line:
            raise RuntimeError(f"{self.description} exited (code {process.poll()})")
        return json.loads(line)["answer"]

    def _require_process(self) -> subprocess.Popen[str]:
        if self._process is None:
            raise RuntimeError(f"{type(self).__name__} is used outside its `with` block")
        return self._process


def until_quiet(read: Callable[[], T], seconds: float, limit: float = 20) -> T:
    """What ``read`` returns once it has not changed for ``seconds`` (or after ``limit`` seconds).

    Keys and edits reach a window asynchronously, through the display server or a socket, so a field is
    read back only after it has been quiet for a while.
    """
    content = read()
    quiet_since = time.monotonic()
    deadline = quiet_since + limit
    while time.monotonic() - quiet_since < seconds and time.monotonic() < deadline:
        time.sleep(0.05)
        latest = read()
        if latest != content:
            content, quiet_since = latest, time.monotonic()
    return content
