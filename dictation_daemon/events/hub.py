"""Fan-out of the controller's events to whoever listens, synchronously and in order.

Subscribers that do slow work (typing, network) queue the event and do it elsewhere, so no subscriber can
hold up the controller or another subscriber.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from .dictation import EVENT_NAMES, Event

logger = logging.getLogger(__name__)


class EventHub:
    """Hands each event to every subscriber; one that raises is logged and the others still get the event."""

    def __init__(self) -> None:
        self._subscribers: list[Callable[[Event], None]] = []

    def subscribe(self, subscriber: Callable[[Event], None]) -> Callable[[], None]:
        """Adds a subscriber; returns the function that removes it again."""
        self._subscribers.append(subscriber)
        return lambda: self._subscribers.remove(subscriber) if subscriber in self._subscribers else None

    def publish(self, event: Event) -> None:
        for subscriber in list(self._subscribers):
            try:
                subscriber(event)
            except Exception:
                logger.exception("an event subscriber failed on a %s event", EVENT_NAMES[type(event)])
