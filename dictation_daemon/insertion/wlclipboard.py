"""The Wayland clipboard through ``wl-copy`` and ``wl-paste`` (Debian package wl-clipboard).

``wl-copy`` hands the text to a background process of its own, which serves it until something else is
copied, so the copy only holds once ``wl-paste`` reads it back; :class:`~.clipboard.ClipboardPaster`
waits for that. The text goes to ``wl-copy`` on its stdin, never on its command line, where every user of
the machine could read it in the process list.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping

from .outcome import InsertionError

DEB = "wl-clipboard"
TIMEOUT_SECONDS = 5.0
#: What wl-paste says when nothing holds the clipboard (and not, say, only an image).
NO_SELECTION = "No selection"


def wl_clipboard_problem() -> str | None:
    """Why the Wayland clipboard cannot be used, or ``None`` when its tools are there."""
    missing = [tool for tool in ("wl-copy", "wl-paste") if shutil.which(tool) is None]
    if missing:
        return f"{' and '.join(missing)} not installed (Debian: apt install {DEB})"
    return None


class WaylandClipboard:
    """A :class:`~.clipboard.Clipboard` on the Wayland display of ``environ``."""

    def __init__(self, environ: Mapping[str, str] = os.environ) -> None:
        problem = wl_clipboard_problem()
        if problem:
            raise InsertionError(problem)
        self._environ = dict(environ)

    def read(self) -> str | None:
        """The clipboard's text; ``None`` when nothing holds it, ``""`` when it holds no text (an image)."""
        result = self._run(["wl-paste", "--no-newline", "--type", "text"])
        if result.returncode == 0:
            return result.stdout.decode(errors="replace")
        return None if NO_SELECTION in result.stderr.decode(errors="replace") else ""

    def write(self, text: str) -> None:
        """Starts ``wl-copy``; it returns once its background process has forked off to serve the text.

        Its output goes to a file, not a pipe: the background process keeps the pipe open, and reading it
        would wait until something else is copied.
        """
        with tempfile.TemporaryFile() as errors:
            try:
                result = subprocess.run(["wl-copy", "--type", "text/plain;charset=utf-8"], input=text.encode(),
                                        env=self._environ, stdout=subprocess.DEVNULL, stderr=errors,
                                        timeout=TIMEOUT_SECONDS)
            except (OSError, subprocess.TimeoutExpired) as error:
                raise InsertionError(f"wl-copy did not run: {error}") from error
            if result.returncode != 0:
                errors.seek(0)
                raise InsertionError(f"wl-copy failed: {errors.read().decode(errors='replace').strip()}")

    def empty(self) -> None:
        self._run(["wl-copy", "--clear"])

    def _run(self, command: list[str]) -> subprocess.CompletedProcess[bytes]:
        try:
            return subprocess.run(command, env=self._environ, capture_output=True, timeout=TIMEOUT_SECONDS)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise InsertionError(f"{command[0]} did not run: {error}") from error
