"""Telling the user a web page asks to pair: a desktop notification with the page's origin and code.

The code also goes to the daemon's log (a warning), so a headless session or a desktop without a
notification server still shows it; the indicator shows it while the request waits, and the desktop
notification, sent by ``notify-send`` where it is installed, is never waited for.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import time
from collections.abc import Callable

from ..rpc.pairing import Request

logger = logging.getLogger(__name__)

NOTIFY_SECONDS = 5.0


class PairingNotice:
    """Announces pairing requests on the indicator (``show``) and the desktop; :meth:`close` waits for the last
    notification to be sent."""

    def __init__(self, show: Callable[[str, float], None] = lambda message, seconds: None) -> None:
        self._show = show
        self._tasks: set[asyncio.Task[None]] = set()

    def __call__(self, request: Request | None) -> None:
        if request is None:  # confirmed: the indicator stops asking
            self._show("", 0.0)
            return
        self._show(f"{request.site or request.origin} asks to use dictation. If the page shows "
                   f"{request.code[:3]} {request.code[3:]}, run: dictation-daemon pair {request.code}",
                   max(0.0, request.expires - time.time()))
        program = shutil.which("notify-send")
        if program is None or not (os.environ.get("DBUS_SESSION_BUS_ADDRESS") or os.environ.get("XDG_RUNTIME_DIR")):
            return
        body = (f"{request.site or request.origin} ({request.origin}) asks to use dictation.\n"
                f"If the page shows {request.code[:3]} {request.code[3:]}, run: dictation-daemon pair {request.code}")
        task = asyncio.get_running_loop().create_task(_send(program, "Pair a web page with dictation?", body))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def _send(program: str, summary: str, body: str) -> None:
    try:
        process = await asyncio.create_subprocess_exec(
            program, "--app-name=dictation-daemon", "--urgency=normal", summary, body,
            stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
    except OSError as error:
        logger.info("no desktop notification of the pairing request: %s", error)
        return
    try:
        await asyncio.wait_for(process.wait(), NOTIFY_SECONDS)
    except TimeoutError:
        process.kill()
        await process.wait()
