"""The ``webhook`` plugin: each final transcript, as JSON, to a URL on this machine.

It shows the plugin interface from outside the daemon's package: a class with a ``name`` and
``create``, published in the ``dictation_daemon.plugins`` entry point group. It only observes, through
``on_delivered``: it sees every final wherever it went (typed into the focused window or taken by an
editor on the socket), and never changes where it goes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dictation_daemon.events.delivery import Delivery
from dictation_daemon.events.dictation import CommandEvent, TranscriptEvent
from dictation_daemon.plugins.base import Plugin, PluginContext

from .options import WebhookOptions
from .sender import WebhookSender


class WebhookPlugin(Plugin):
    """Posts ``{"text", "start", "end", "target"}`` for every final segment. ``target`` is the editor field
    that took the segment, and ``null`` for text that went to the focused window."""

    name = "webhook"

    def __init__(self, options: WebhookOptions) -> None:
        self.options = options
        self._sender = WebhookSender(options.url, queue_size=options.queue_size,
                                     timeout_seconds=options.timeout_seconds)

    @classmethod
    def create(cls, context: PluginContext, options: Mapping[str, Any]) -> WebhookPlugin:
        return cls(WebhookOptions.parse(options))

    async def start(self) -> None:
        self._sender.start()

    async def stop(self) -> None:
        await self._sender.stop()

    async def on_delivered(self, event: TranscriptEvent | CommandEvent, delivery: Delivery) -> None:
        if isinstance(event, TranscriptEvent) and event.is_final and event.text:
            self._sender.submit({"text": event.text, "start": event.start, "end": event.end,
                                 "target": delivery.field})
