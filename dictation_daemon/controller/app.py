"""``dictation-daemon run`` put together: backend, microphone, warm session, plugins, socket and hotkeys.

Start-up never stops at a part that cannot work in this session: without global hotkeys (no display,
Wayland) the daemon says so loudly and keeps serving the socket and the command-line trigger; without a
display the typing plugins are left out; without a microphone it reports the error and tries the device
again at the next start. Only a bad configuration or a second daemon on the same socket stop it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Callable
from typing import Any

from .. import __version__
from ..capture.cues import CuePlayer
from ..capture.microphone import Microphone
from ..client.backend import open_backend
from ..config.model import DaemonConfig
from ..hotkeys.availability import HotkeyAvailability, Support, check_hotkeys
from ..hotkeys.combo import parse_combo
from ..hotkeys.listener import HotkeyListener, HotkeysUnavailable
from ..hotkeys.machine import Action, Bindings, Mode, PushToTalk
from ..plugins.base import PluginContext
from ..plugins.host import PluginHost
from ..plugins.registry import create_plugins
from ..rpc.jsonrpc import Dispatcher
from ..rpc.methods import forward_events, register_daemon_methods
from ..rpc.paths import default_socket_path
from ..rpc.server import RpcServer
from .daemon import Controller
from .events import EventHub
from .history import History
from .machine import Trigger
from .warm import WarmSession

logger = logging.getLogger(__name__)

_TRIGGER_ACTIONS = {Action.START: Trigger.START, Action.STOP: Trigger.STOP, Action.CANCEL: Trigger.CANCEL}


def shout(message: str) -> None:
    """A warning nobody can miss on a terminal or in the journal: logged, and framed on stderr."""
    logger.warning("%s", message)
    bar = "!" * 78
    print(f"{bar}\nWARNING: {message}\n{bar}", file=sys.stderr, flush=True)


def hotkey_availability(config: DaemonConfig, headless: bool) -> HotkeyAvailability:
    if headless:
        return HotkeyAvailability(Support.UNAVAILABLE, "global hotkeys are off (--headless); use the socket or "
                                  "`dictation-daemon start|stop|toggle|cancel`")
    if not config.hotkeys.enabled:
        return HotkeyAvailability(Support.UNAVAILABLE, "global hotkeys are disabled in the configuration "
                                  "(hotkeys.enabled); use `dictation-daemon start|stop|toggle|cancel`")
    return check_hotkeys()


def push_to_talk(config: DaemonConfig) -> PushToTalk:
    section = config.hotkeys
    bindings = Bindings(
        talk=parse_combo(section.talk),
        cancel=parse_combo(section.cancel) if section.cancel else None,
        paste_last=parse_combo(section.paste_last) if section.paste_last else None,
    )
    return PushToTalk(bindings, Mode(section.mode), tap_seconds=section.tap_seconds,
                      repeat_window=section.repeat_window_seconds)


class Daemon:
    """Everything that runs for the lifetime of ``dictation-daemon run``."""

    def __init__(self, config: DaemonConfig, *, headless: bool = False) -> None:
        self.config = config
        self.headless = headless
        self.events = EventHub()
        self.microphone = Microphone(config.audio.device, preroll_ms=config.audio.preroll_ms,
                                     on_failure=lambda error: self.controller.microphone_failed(error))
        cues = CuePlayer(volume=config.audio.cue_volume) if config.audio.cues else None
        self.controller = Controller(self.microphone, events=self.events, history=History(config.history.size),
                                     tail_ms=config.audio.tail_ms, cues=cues)
        self.plugins = PluginHost(create_plugins(config, PluginContext(config), headless=headless))
        self.hotkeys = hotkey_availability(config, headless)
        self.backend_kind = "none"
        self.rpc: RpcServer | None = None
        self._listener: HotkeyListener | None = None
        self._tasks: set[asyncio.Task[Any]] = set()

    def status(self) -> dict[str, Any]:
        """The ``status`` document: states, reasons and counts, never dictated text."""
        return {
            "version": __version__,
            **self.controller.status(),
            "backend": self.backend_kind,
            "hotkeys": {
                "support": self.hotkeys.support.value,
                "reason": self.hotkeys.reason,
                "talk": self.config.hotkeys.talk,
                "mode": self.config.hotkeys.mode,
            },
            "plugins": {"running": self.plugins.names, "unavailable": self.plugins.unavailable},
            "rpc": {"socket": str(self.rpc.path) if self.rpc else None,
                    "clients": self.rpc.client_count if self.rpc else 0},
        }

    async def paste_last(self) -> bool:
        last = self.controller.history.last()
        return last is not None and await self.plugins.paste(last.text)

    async def run(self, stop: asyncio.Event, on_ready: Callable[[], None] | None = None) -> None:
        if not self.hotkeys.usable:
            shout(self.hotkeys.reason)
        async with open_backend(self.config) as backend:
            self.backend_kind = backend.kind
            sessions = WarmSession(
                backend, self.config.transcription.to_transcribe_config(),
                on_message=self.controller.session_message,
                on_ready=self.controller.session_ready,
                on_lost=self.controller.session_lost,
            )
            self.controller.attach(sessions)
            self._open_microphone()
            self.events.subscribe(self.plugins.publish)
            await self.plugins.start()
            for name, reason in self.plugins.unavailable.items():
                shout(f"plugin {name} cannot work here: {reason}")
            sessions.start()
            try:
                await self._start_rpc()
                await self._start_hotkeys()
                logger.info("dictation daemon ready (backend %s, hotkeys %s)", backend.kind, self.hotkeys.support.value)
                if on_ready is not None:
                    on_ready()
                await stop.wait()
            finally:
                await self._shutdown(sessions)

    def _open_microphone(self) -> None:
        try:
            self.microphone.open()
        except (LookupError, OSError) as error:
            shout(f"the microphone cannot be opened: {error}; it is tried again at the next start")

    async def _start_rpc(self) -> None:
        if not self.config.rpc.enabled:
            return
        dispatcher = Dispatcher()
        register_daemon_methods(dispatcher, self.controller, self.status, self.plugins.paste)
        path = self.config.rpc.socket_path or default_socket_path()
        self.rpc = RpcServer(dispatcher, path, max_clients=self.config.rpc.max_clients,
                             queue_size=self.config.rpc.queue_size)
        await self.rpc.start()
        forward_events(self.events, self.rpc)

    async def _start_hotkeys(self) -> None:
        if not self.hotkeys.usable:
            return
        self._listener = HotkeyListener(push_to_talk(self.config), self._on_hotkey)
        try:
            await self._listener.start()
        except HotkeysUnavailable as error:
            self._listener = None
            self.hotkeys = HotkeyAvailability(Support.UNAVAILABLE, f"global hotkeys are unavailable: {error}")
            shout(self.hotkeys.reason)
            return
        logger.info("hotkeys: %s to talk (%s)", self.config.hotkeys.talk, self.config.hotkeys.mode)

    def _on_hotkey(self, action: Action) -> None:
        if action is Action.PASTE_LAST:
            task = asyncio.create_task(self.paste_last())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        else:
            self.controller.trigger(_TRIGGER_ACTIONS[action])

    async def _shutdown(self, sessions: WarmSession) -> None:
        if self._listener is not None:
            self._listener.stop()
        await self.controller.close()
        if self.rpc is not None:
            await self.rpc.close()
        await sessions.close()
        await self.plugins.stop()
        self.microphone.close()
        for task in list(self._tasks):
            task.cancel()


async def run_until_signalled(config: DaemonConfig, *, headless: bool = False) -> int:
    """Runs the daemon until SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    daemon = Daemon(config, headless=headless)
    with contextlib.suppress(asyncio.CancelledError):
        await daemon.run(stop, on_ready=lambda: print("dictation daemon ready", file=sys.stderr, flush=True))
    return 0
