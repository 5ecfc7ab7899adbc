"""``dictation-daemon run`` put together: backend, microphone, warm session, plugins, socket and hotkeys.

Start-up never stops at a part that cannot work in this session: without global hotkeys (no display,
Wayland) the daemon says so loudly and keeps serving the socket and the command-line trigger; without a
display the typing plugins are left out; without a microphone it reports the error and tries the device
again at the next start. Only a bad configuration or a second daemon on the same socket stop it.

Signals: SIGTERM and SIGINT end a dictation in progress the way a key release would (the tail, flush,
delivery to the plugins and the socket's clients), end the session and exit 0, within ``stop_timeout``
seconds; a second signal stops at once. SIGHUP reloads the configuration and rebuilds only the parts whose
sections changed (:mod:`.reload`), keeping the socket and its clients; a file that does not validate, or a
backend that cannot be opened, is logged and the configuration in force stays.
"""

from __future__ import annotations

import asyncio
import os
import contextlib
import logging
import signal
import sys
from collections.abc import Callable
from contextlib import AsyncExitStack
from typing import Any

from .. import __version__
from ..capture.cues import CuePlayer
from ..capture.microphone import Microphone
from ..config.loader import ConfigError
from ..config.model import DaemonConfig
from ..controller.controller import Controller
from ..controller.history import History
from ..controller.warm import WarmSession
from ..events.dictation import Event, StateEvent
from ..events.hub import EventHub
from ..events.states import SETTLED, Trigger
from ..hotkeys.availability import HotkeyAvailability, Support, check_hotkeys
from ..hotkeys.combo import parse_combo
from ..hotkeys.listener import HotkeyListener, HotkeysUnavailable
from ..hotkeys.pointer import ClickListener
from ..overlay.process import NOTICE_SECONDS, Indicator
from ..hotkeys.machine import Action, Bindings, Mode, PushToTalk
from ..plugins.base import PluginContext
from ..plugins.host import PluginHost
from ..plugins.registry import create_plugins
from .backend import open_backend
from .control import ControlSocket
from .reload import DEFAULT_STOP_TIMEOUT, plan_reload

logger = logging.getLogger(__name__)

_TRIGGER_ACTIONS = {Action.START: Trigger.START, Action.STOP: Trigger.STOP, Action.CANCEL: Trigger.CANCEL}


def shout(message: str) -> None:
    """A warning nobody can miss: logged (the journal's copy), and framed when stderr is a terminal."""
    logger.warning("%s", message)
    if sys.stderr.isatty():
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


class _Transcription:
    """A backend and the warm session on it, opened and closed together, so a reload swaps them as one."""

    def __init__(self, kind: str, sessions: WarmSession, stack: AsyncExitStack) -> None:
        self.kind = kind
        self.sessions = sessions
        self._stack = stack

    async def close(self) -> None:
        """Ends the session politely (the server reports usage), then stops the backend (the local engine)."""
        await self._stack.aclose()


class Daemon:
    """Everything that runs for the lifetime of ``dictation-daemon run``."""

    def __init__(
        self,
        config: DaemonConfig,
        *,
        headless: bool = False,
        stop_timeout: float = DEFAULT_STOP_TIMEOUT,
        configure_logging: Callable[[DaemonConfig], None] | None = None,
    ) -> None:
        self.config = config
        self.headless = headless
        self.stop_timeout = stop_timeout
        self._configure_logging = configure_logging
        self.events = EventHub()
        self.microphone = Microphone(config.audio.device, preroll_ms=config.audio.preroll_ms,
                                     latency_ms=config.audio.latency_ms,
                                     on_failure=lambda error: self.controller.microphone_failed(error))
        cues = CuePlayer(volume=config.audio.cue_volume) if config.audio.cues else None
        self.controller = Controller(self.microphone, events=self.events, history=History(config.history.size),
                                     tail_ms=config.audio.tail_ms, cues=cues,
                                     command_pause_seconds=config.transcription.command_pause_seconds)
        self.control = ControlSocket(
            config.rpc, self.controller, self.events, status=self.status,
            paste=lambda text: self.plugins.paste(text),
            base_config=lambda: self.config.session_config(),
            autotext=self._autotext_text, notice=self._notice,
        ) if config.rpc.enabled else None
        self.indicator: Indicator | None = None
        self.plugins = self._make_plugins(config)
        self.hotkeys = hotkey_availability(config, headless)
        self._control_started = False
        self._transcription: _Transcription | None = None
        self._listener: HotkeyListener | None = None
        self._clicks: ClickListener | None = None
        self._reloading = asyncio.Lock()
        self._ready = asyncio.Event()
        self._tasks: set[asyncio.Task[Any]] = set()

    def status(self) -> dict[str, Any]:
        """The ``status`` document: states, reasons and counts, never dictated text."""
        return {
            "version": __version__,
            **self.controller.status(),
            "backend": self._transcription.kind if self._transcription else "none",
            "hotkeys": {
                "support": self.hotkeys.support.value,
                "reason": self.hotkeys.reason,
                "talk": self.config.hotkeys.talk,
                "mode": self.config.hotkeys.mode,
            },
            "plugins": {"running": self.plugins.names, "unavailable": self.plugins.unavailable},
            "rpc": self.control.status() if self.control and self._control_started else {
                "socket": None, "transport": None, "websocket": None, "clients": 0, "registered": [], "target": None},
        }

    async def paste_last(self) -> bool:
        last = self.controller.history.last()
        return last is not None and await self.plugins.paste(last.text)

    async def run(self, stop: asyncio.Event, on_ready: Callable[[], None] | None = None) -> None:
        """Serves until ``stop`` is set, then finishes the dictation in progress and shuts down."""
        if not self.hotkeys.usable:
            shout(self.hotkeys.reason)
        self._transcription = await self._open_transcription(self.config)
        self.controller.attach(self._transcription.sessions)
        try:
            self._open_microphone()
            await self.plugins.start()
            self.events.subscribe(self._deliver)
            self._report_unavailable_plugins(self.plugins)
            self._transcription.sessions.start()
            await self._start_rpc()
            await self._start_hotkeys(self.config)
            await self._start_indicator()
            logger.info("dictation daemon ready (backend %s, hotkeys %s)",
                        self._transcription.kind, self.hotkeys.support.value)
            self._ready.set()
            if on_ready is not None:
                on_ready()
            await stop.wait()
            await self.finish_dictation()
        finally:
            await self._shutdown()

    async def finish_dictation(self) -> bool:
        """Ends a dictation in progress the way a key release would and waits, at most ``stop_timeout``
        seconds, until its text has reached the plugins and the socket's clients. ``False`` if time ran out."""
        self._stop_hotkeys()
        try:
            async with asyncio.timeout(self.stop_timeout):
                if self.controller.state not in SETTLED:
                    logger.info("stopping: finishing the dictation in progress first")
                    self.controller.trigger(Trigger.STOP)
                    await self._settled()
                await self.plugins.drain()
                if self.control is not None and self._control_started:
                    await self.control.server.drain()
        except TimeoutError:
            logger.warning("stopping: the dictation in progress was not delivered within %g s and is lost",
                           self.stop_timeout)
            return False
        return True

    def request_reload(self, load: Callable[[], DaemonConfig]) -> None:
        """SIGHUP: reads the configuration again with ``load`` and applies it in the background (once
        start-up is complete, so a reload never races the parts still being built)."""
        self._spawn(self._reload_from(load))

    async def _reload_from(self, load: Callable[[], DaemonConfig]) -> None:
        await self._ready.wait()
        async with self._reloading:
            try:
                config = load()
            except ConfigError as error:
                logger.error("configuration not reloaded; the one in force stays: %s", error)
                return
            await self.reload(config)

    async def reload(self, config: DaemonConfig) -> bool:
        """Applies ``config``, rebuilding only what its changed sections feed; ``False`` if it was rejected.

        The new backend and plugins are built first, while the old ones keep working; they replace the old
        ones only once no dictation is in flight, so an utterance never moves between sessions or plugins.
        """
        plan = plan_reload(self.config, config)
        if plan.empty:
            logger.info("configuration reloaded: nothing changed")
            return True
        transcription: _Transcription | None = None
        plugins: PluginHost | None = None
        try:
            if plan.backend:
                transcription = await self._open_transcription(config)
            if plan.plugins:
                plugins = self._make_plugins(config)
                await plugins.start()
        except Exception as error:  # whatever the backend or a plugin raises: the running daemon must go on
            logger.error("configuration not reloaded; the one in force stays: %s", error or type(error).__name__)
            if plugins is not None:
                await plugins.stop()
            if transcription is not None:
                await transcription.close()
            return False
        try:
            if plan.hotkeys:
                self._stop_hotkeys()
                self.hotkeys = hotkey_availability(config, self.headless)
                if not self.hotkeys.usable:
                    shout(self.hotkeys.reason)
                await self._start_hotkeys(config)
            await self._settled()
        except BaseException:  # stopped while waiting: what was built for the new configuration goes too
            if plugins is not None:
                await plugins.stop()
            if transcription is not None:
                await transcription.close()
            raise
        retired_transcription, retired_plugins = None, None
        if transcription is not None:
            retired_transcription, self._transcription = self._transcription, transcription
            self.controller.attach(transcription.sessions)
            transcription.sessions.start()
        if plugins is not None:
            retired_plugins, self.plugins = self.plugins, plugins
            self._report_unavailable_plugins(plugins)
        self.config = config
        self.controller.command_pauses.min_pause_seconds = config.transcription.command_pause_seconds
        if plan.logging and self._configure_logging is not None:
            self._configure_logging(config)
        logger.info("configuration reloaded: %s applied", ", ".join(plan.changed))
        if plan.needs_restart:
            logger.warning("configuration sections %s take effect at the next start", ", ".join(plan.needs_restart))
        if retired_plugins is not None:
            await retired_plugins.drain()
            await retired_plugins.stop()
        if retired_transcription is not None:
            await retired_transcription.close()
        return True

    async def _settled(self) -> None:
        """Returns once no dictation is in flight; a start queued behind a finishing one keeps it waiting."""
        changed = asyncio.Event()

        def watch(event: Event) -> None:
            if isinstance(event, StateEvent):
                changed.set()

        unsubscribe = self.events.subscribe(watch)
        try:
            while self.controller.state not in SETTLED:
                changed.clear()
                await changed.wait()
        finally:
            unsubscribe()

    async def _open_transcription(self, config: DaemonConfig) -> _Transcription:
        """Starts the configured backend and prepares a warm session on it (opened by ``sessions.start()``)."""
        stack = AsyncExitStack()
        try:
            backend = await stack.enter_async_context(open_backend(config))
            transcription: _Transcription | None = None

            def current(callback: Callable[..., None]) -> Callable[..., None]:
                # A replaced session may still report while it closes; only the one in use speaks to the controller.
                return lambda *args: callback(*args) if self._transcription is transcription else None

            sessions = WarmSession(
                backend, config.session_config(),
                on_message=current(self.controller.session_message),
                on_ready=current(self.controller.session_ready),
                on_lost=current(self.controller.session_lost),
                buffer_limit_seconds=config.backend.offline_buffer_minutes * 60,
                fallback=lambda: self.config.session_config(),
            )
            stack.push_async_callback(sessions.close)
            transcription = _Transcription(backend.kind, sessions, stack)
        except BaseException:
            await stack.aclose()
            raise
        return transcription

    def _autotext_text(self, command_id: str) -> str | None:
        autotext = self.config.autotexts.find(command_id)
        return autotext.text if autotext is not None else None

    def _deliver(self, event: Event) -> None:
        """The event hub's subscriber: the socket's clients hear of the event first (at once, and they may
        claim it), then it goes to the plugins with that decision."""
        delivery = self.control.route(event) if self.control is not None else None
        self.plugins.publish(event, delivery)

    def _make_plugins(self, config: DaemonConfig) -> PluginHost:
        """The configured plugins; paste-last goes to an editor holding the target before them."""
        plugins = create_plugins(config, PluginContext(config, notice=self._notice), headless=self.headless)
        return PluginHost(plugins, paste_first=self.control.paste if self.control is not None else None)

    @staticmethod
    def _report_unavailable_plugins(plugins: PluginHost) -> None:
        for name, reason in plugins.unavailable.items():
            shout(f"plugin {name} cannot work here: {reason}")

    def _open_microphone(self) -> None:
        try:
            self.microphone.open()
        except (LookupError, OSError) as error:
            shout(f"the microphone cannot be opened: {error}; it is tried again at the next start")

    async def _start_rpc(self) -> None:
        if self.control is not None:
            await self.control.start()
            self._control_started = True

    async def _start_hotkeys(self, config: DaemonConfig) -> None:
        if not self.hotkeys.usable:
            return
        self._listener = HotkeyListener(push_to_talk(config), self._on_hotkey,
                                        on_other_key=lambda: self.plugins.user_input("you pressed a key"))
        try:
            await self._listener.start()
        except HotkeysUnavailable as error:
            self._listener = None
            self.hotkeys = HotkeyAvailability(Support.UNAVAILABLE, f"global hotkeys are unavailable: {error}")
            shout(self.hotkeys.reason)
            return
        self._clicks = ClickListener(lambda: self.plugins.user_input("you clicked"))
        try:
            self._clicks.start()
        except HotkeysUnavailable as error:
            self._clicks = None
            logger.warning("clicks are not seen (%s): edits by voice trust the field until its focus moves", error)
        logger.info("hotkeys: %s to talk (%s)", config.hotkeys.talk, config.hotkeys.mode)

    def _notice(self, message: str, seconds: float = NOTICE_SECONDS) -> None:
        """A sentence for the user (why a command did nothing, a page's pairing code): on the indicator when
        there is one; the caller logs it."""
        if self.indicator is not None:
            self.indicator.notice(message, seconds)

    async def _start_indicator(self) -> None:
        """The on-screen indicator, on a desktop with an X display (XWayland included) unless it is off."""
        if self.headless or not self.config.ui.overlay.enabled or not os.environ.get("DISPLAY"):
            return
        self.indicator = Indicator(self.config.ui.overlay, level=lambda: self.microphone.stats.level_dbfs)
        await self.indicator.start()
        self.events.subscribe(self.indicator.on_event)

    def _stop_hotkeys(self) -> None:
        if self._listener is not None:
            self._listener.stop()
            self._listener = None
        if self._clicks is not None:
            self._clicks.stop()
            self._clicks = None

    def _on_hotkey(self, action: Action) -> None:
        if action is Action.PASTE_LAST:
            self._spawn(self.paste_last())
        else:
            self.controller.trigger(_TRIGGER_ACTIONS[action])

    def _spawn(self, coroutine: Any) -> None:
        task = asyncio.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _shutdown(self) -> None:
        self._stop_hotkeys()
        if self.indicator is not None:
            await self.indicator.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.controller.close()
        if self.control is not None:
            await self.control.close()
        if self._transcription is not None:
            await self._transcription.close()
        await self.plugins.stop()
        self.microphone.close()


async def run_until_signalled(
    config: DaemonConfig,
    *,
    headless: bool = False,
    stop_timeout: float = DEFAULT_STOP_TIMEOUT,
    load_config: Callable[[], DaemonConfig] | None = None,
    configure_logging: Callable[[DaemonConfig], None] | None = None,
) -> int:
    """Runs the daemon until SIGTERM or SIGINT (a second one stops at once); SIGHUP reloads with ``load_config``."""
    daemon = Daemon(config, headless=headless, stop_timeout=stop_timeout, configure_logging=configure_logging)
    stop = asyncio.Event()
    runner = asyncio.create_task(
        daemon.run(stop, on_ready=lambda: print("dictation daemon ready", file=sys.stderr, flush=True)))

    def on_stop_signal(signum: signal.Signals) -> None:
        if stop.is_set():
            logger.warning("%s again: stopping at once", signum.name)
            runner.cancel()
        else:
            logger.info("%s: stopping", signum.name)
            stop.set()

    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, on_stop_signal, signum)
    if load_config is not None:
        loop.add_signal_handler(signal.SIGHUP, lambda: daemon.request_reload(load_config))
    try:
        with contextlib.suppress(asyncio.CancelledError):
            await runner
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            loop.remove_signal_handler(signum)
    return 0
