"""Delivers the controller's events to the enabled plugins, one at a time and in order.

The controller publishes synchronously; the host queues each event and a single worker task hands it to
the plugins, so a plugin that types for a second delays only later insertions, never the controller or
the socket. A transcript or command is offered to the plugins in order until one claims it, unless it
arrives already delivered (an editor on the control socket took it when it was published); then every
plugin observes where it went (:meth:`Plugin.on_delivered`). A plugin that raises is logged (by name and
event kind, never with dictated text) and the next plugin still receives the event.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence

from ..events.delivery import Claim, Delivery
from ..events.dictation import CommandEvent, Event, StateEvent, TranscriptEvent
from .base import Plugin, PluginUnavailable

logger = logging.getLogger(__name__)


class _Published:
    """An event in the queue, with its delivery when it was decided before the plugins (an editor took it)."""

    __slots__ = ("event", "delivery")

    def __init__(self, event: Event, delivery: Delivery | None) -> None:
        self.event = event
        self.delivery = delivery


class _Paste:
    """A paste-last request travelling in the event queue, so it lands after the text before it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()


class PluginHost:
    """Owns the started plugins and their event queue."""

    def __init__(self, plugins: Sequence[Plugin], *, paste_first: Callable[[str], bool] | None = None) -> None:
        """``paste_first`` offers paste-last to an editor on the control socket before any plugin;
        ``True`` if the editor took the text."""
        self._plugins = list(plugins)
        self._paste_first = paste_first
        self._queue: asyncio.Queue[_Published | _Paste] = asyncio.Queue()
        self._worker: asyncio.Task[None] | None = None
        self.unavailable: dict[str, str] = {}
        """Plugins that could not start here, with the reason (shown by ``status``)."""

    @property
    def names(self) -> list[str]:
        """The plugins that run, in delivery order."""
        return [plugin.name for plugin in self._plugins]

    async def start(self) -> None:
        """Starts every plugin; one that is unavailable here is dropped and listed in :attr:`unavailable`."""
        running = []
        for plugin in self._plugins:
            try:
                await plugin.start()
            except PluginUnavailable as reason:
                logger.debug("plugin %s is not available: %s", plugin.name, reason)  # the daemon says it loudly
                self.unavailable[plugin.name] = str(reason)
                continue
            running.append(plugin)
        self._plugins = running
        self._worker = asyncio.create_task(self._deliver(), name="plugins")

    def publish(self, event: Event, delivery: Delivery | None = None) -> None:
        """Queues the event for the plugins; ``delivery`` when it was already claimed upstream."""
        self._queue.put_nowait(_Published(event, delivery))

    def user_input(self, what: str) -> None:
        """The user pressed a key or clicked (``what`` says which): each plugin hears of it at once."""
        for plugin in self._plugins:
            plugin.on_user_input(what)

    async def paste(self, text: str) -> bool:
        """Offers ``text`` to the plugins for insertion after every event queued before; ``True`` if inserted."""
        request = _Paste(text)
        self._queue.put_nowait(request)
        return await request.done

    async def drain(self) -> None:
        """Returns once every event queued so far has been delivered."""
        await self._queue.join()

    async def stop(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._worker
        for plugin in reversed(self._plugins):
            try:
                await plugin.stop()
            except Exception:
                logger.exception("plugin %s failed to stop", plugin.name)

    async def _deliver(self) -> None:
        while True:
            item = await self._queue.get()
            try:
                if isinstance(item, _Paste):
                    item.done.set_result(await self._offer_paste(item.text))
                else:
                    await self._dispatch(item.event, item.delivery)
            finally:
                self._queue.task_done()

    async def _dispatch(self, event: Event, delivered: Delivery | None) -> None:
        if isinstance(event, StateEvent):
            for plugin in self._plugins:
                try:
                    await plugin.on_state(event)
                except Exception:
                    logger.exception("plugin %s failed on a %s event", plugin.name, type(event).__name__)
            return
        if not isinstance(event, TranscriptEvent | CommandEvent):
            return  # usage and session errors are for the socket's clients, not for plugins
        delivery = delivered or await self._claim(event)
        if delivery.plugin is None and isinstance(event, CommandEvent):
            logger.info("command %s: no enabled plugin handles it", event.id)
        for plugin in self._plugins:
            try:
                await plugin.on_delivered(event, delivery)
            except Exception:
                logger.exception("plugin %s failed to observe a %s event", plugin.name, type(event).__name__)

    async def _claim(self, event: TranscriptEvent | CommandEvent) -> Delivery:
        """Offers the event to each plugin in order until one claims it."""
        for plugin in self._plugins:
            try:
                if isinstance(event, TranscriptEvent):
                    claim = await plugin.on_transcript(event)
                else:
                    claim = await plugin.on_command(event)
            except Exception:
                logger.exception("plugin %s failed on a %s event", plugin.name, type(event).__name__)
                continue
            if claim:
                return Delivery(plugin.name, claim.field if isinstance(claim, Claim) else None)
        return Delivery(None)

    async def _offer_paste(self, text: str) -> bool:
        if self._paste_first is not None and self._paste_first(text):
            return True
        for plugin in self._plugins:
            try:
                if await plugin.on_paste(text):
                    return True
            except Exception:
                logger.exception("plugin %s failed to paste", plugin.name)
        return False
