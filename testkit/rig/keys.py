"""Every key event on an X display, as the server reports it to the RECORD extension.

A grabbed hotkey never reaches the focused window, so a test that needs to know what the keyboard did
(did a held key auto-repeat?) listens the way the daemon does, in a child process of its own.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

_LISTEN = """
import sys
from pynput import keyboard

def name(key):
    return getattr(key, "char", None) or getattr(key, "name", None) or str(key)

with keyboard.Listener(on_press=lambda key: print("press", name(key), flush=True),
                       on_release=lambda key: print("release", name(key), flush=True)) as listener:
    listener.wait()
    print("ready", flush=True)
    sys.stdin.read()
"""


@contextmanager
def recorded_keys(display: str) -> Iterator[list[tuple[str, str]]]:
    """Yields a list that holds ``(press|release, key name)`` events once the block ends."""
    events: list[tuple[str, str]] = []
    process = subprocess.Popen([sys.executable, "-c", _LISTEN], env={"DISPLAY": display, "PATH": ""},
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdin is not None
    if process.stdout.readline().strip() != "ready":
        process.kill()
        raise RuntimeError("the key recorder did not start")
    try:
        yield events
    finally:
        time.sleep(0.2)  # the last events are still on their way
        output, _ = process.communicate("", timeout=10)
        events.extend(tuple(line.split(" ", 1)) for line in output.splitlines())  # type: ignore[misc]
