"""A private Xvfb screen, so tests can press keys and read windows without touching a real desktop."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _free_display_number() -> int:
    for number in range(90, 200):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            return number
    raise RuntimeError("no free X display number between :90 and :199")


@contextmanager
def virtual_display() -> Iterator[str]:
    """Starts Xvfb and yields its DISPLAY value (``:N``); stops it afterwards.

    ``-noreset`` keeps the server as it is when its last client disconnects, so one test ending cannot
    break the next one's first connection.
    """
    if shutil.which("Xvfb") is None:
        raise RuntimeError("Xvfb is not installed (Debian package xvfb; `make install` installs it)")
    number = _free_display_number()
    display = f":{number}"
    process = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp", "-noreset"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while not Path(f"/tmp/.X11-unix/X{number}").exists():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Xvfb did not start on {display}")
            time.sleep(0.05)
        env = {**os.environ, "DISPLAY": display}
        while subprocess.run(["xdpyinfo"], env=env, capture_output=True).returncode != 0:
            if time.monotonic() > deadline:
                raise RuntimeError(f"Xvfb on {display} does not answer")
            time.sleep(0.05)
        yield display
    finally:
        process.terminate()
        process.wait(timeout=10)
