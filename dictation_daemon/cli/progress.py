"""A one-line progress bar on stderr, for files long enough to wait for."""

from __future__ import annotations

import sys

WIDTH = 30


class ProgressBar:
    """Shows seconds of audio sent out of the total, redrawn in place."""

    def __init__(self, total_seconds: float) -> None:
        self.total = total_seconds

    def update(self, seconds: float) -> None:
        filled = int(WIDTH * min(1.0, seconds / self.total))
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (WIDTH - filled)}] {seconds:6.1f}/{self.total:.1f} s")
        sys.stderr.flush()

    def done(self) -> None:
        sys.stderr.write("\n")
        sys.stderr.flush()
