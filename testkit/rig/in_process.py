"""A real daemon in this process for socket tests: its control socket, plugin host and warm session against
the local server with the scripted recognizer, on an event loop of its own thread.

Tests talk to it through real sockets with the blocking client, and make the controller's events happen
with :meth:`DaemonRig.publish` (what the session would deliver), so the router, the plugin host and
every client's queue run exactly as in ``dictation-daemon run``.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from dictation_daemon.app.daemon import Daemon
from dictation_daemon.config.model import DaemonConfig
from dictation_daemon.events.dictation import Event
from dictation_daemon.plugins.base import Plugin
from dictation_daemon.server.app import LocalServer
from testkit.scripted import ScriptedRecognizer
from testkit.tones import SCRIPT


class DaemonRig:
    """The running daemon and its loop."""

    def __init__(self, daemon: Daemon, loop: asyncio.AbstractEventLoop, socket: Path) -> None:
        self.daemon = daemon
        self.loop = loop
        self.socket = socket

    def run(self, coroutine: Any, timeout: float = 30) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def call_soon(self, function: Any, *args: Any) -> Any:
        done: Future[Any] = Future()

        def call() -> None:
            try:
                done.set_result(function(*args))
            except BaseException as error:  # handed to the test thread
                done.set_exception(error)

        self.loop.call_soon_threadsafe(call)
        return done.result(10)

    def publish(self, *events: Event) -> None:
        """Publishes events on the daemon's hub, in order, as the controller does."""
        def publish_all() -> None:
            for event in events:
                self.daemon.events.publish(event)

        self.call_soon(publish_all)

    def drain_plugins(self) -> None:
        self.run(self.daemon.plugins.drain())


@contextmanager
def running_daemon(tmp_path: Path, rpc: dict[str, Any] | None = None, transcription: dict[str, Any] | None = None,
                   plugins: list[Plugin] | None = None, **sections: dict[str, Any]) -> Iterator[DaemonRig]:
    """A headless daemon on a private socket, its backend the scripted local server; ``plugins`` are added
    after the configured ones (recorders standing where keystroke insertion would be); ``sections`` are
    further configuration sections."""
    socket = tmp_path / "rpc" / "rpc.sock"
    started: Future[DaemonRig] = Future()
    stop_holder: dict[str, asyncio.Event] = {}

    async def main() -> None:
        async with LocalServer(ScriptedRecognizer(SCRIPT), port=0) as server:
            config = DaemonConfig.model_validate({
                "backend": {"kind": "url", "url": server.url},
                "hotkeys": {"enabled": False},
                "plugins": {"enabled": ["commands"]},
                "rpc": {"socket_path": str(socket), **(rpc or {})},
                "transcription": transcription or {},
                **sections,
            })
            daemon = Daemon(config, headless=True)
            if plugins:
                daemon.plugins._plugins.extend(plugins)
            stop = asyncio.Event()
            stop_holder["stop"] = stop
            loop = asyncio.get_running_loop()
            await daemon.run(stop, on_ready=lambda: started.set_result(DaemonRig(daemon, loop, socket)))

    errors: list[BaseException] = []

    def thread_main() -> None:
        try:
            asyncio.run(main())
        except BaseException as error:
            errors.append(error)
            if not started.done():
                started.set_exception(error)

    thread = threading.Thread(target=thread_main, daemon=True)
    thread.start()
    rig = started.result(60)
    try:
        yield rig
    finally:
        rig.loop.call_soon_threadsafe(stop_holder["stop"].set)
        thread.join(30)
    if errors:
        raise errors[0]
