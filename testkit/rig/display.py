"""A private Xvfb screen, so tests can press keys and read windows without touching a real desktop."""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

START_SECONDS = 30.0


@contextmanager
def virtual_display() -> Iterator[str]:
    """Starts Xvfb and yields its DISPLAY value (``:N``); stops it afterwards.

    Xvfb picks the display number itself (``-displayfd``): it takes the first number whose lock file it can
    create, which no other process can take at the same moment. Choosing a number by looking for a free one
    first lets two test runs starting together on one machine pick the same screen, and one of them then
    loses its windows when the other's Xvfb stops.

    ``-noreset`` keeps the server as it is when its last client disconnects, so one test ending cannot
    break the next one's first connection.
    """
    if shutil.which("Xvfb") is None:
        raise RuntimeError("Xvfb is not installed (Debian package xvfb; `make install` installs it)")
    number_out, number_in = os.pipe()
    try:
        process = subprocess.Popen(
            ["Xvfb", "-displayfd", str(number_in), "-screen", "0", "1280x800x24", "-nolisten", "tcp", "-noreset"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, pass_fds=(number_in,),
        )
    finally:
        os.close(number_in)
    try:
        with os.fdopen(number_out, "rb") as numbers:
            deadline = time.monotonic() + START_SECONDS
            ready, _, _ = select.select([numbers], [], [], START_SECONDS)
            number = numbers.readline().strip() if ready else b""  # written once the server accepts clients
        if not number.isdigit():
            raise RuntimeError(f"Xvfb did not start (exit {process.poll()})")
        display = f":{number.decode()}"
        env = {**os.environ, "DISPLAY": display}
        while subprocess.run(["xdpyinfo"], env=env, capture_output=True).returncode != 0:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Xvfb on {display} does not answer")
            time.sleep(0.05)
        yield display
    finally:
        process.terminate()
        process.wait(timeout=10)
