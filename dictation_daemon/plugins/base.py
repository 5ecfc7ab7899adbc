"""The plugin interface: a plugin receives state, transcript and command events, in the order they happened.

A plugin is a class with a ``name`` and a :meth:`Plugin.create` factory, published by its package in the
entry point group ``dictation_daemon.plugins`` and switched on by listing its name in ``plugins.enabled``.
Events reach the enabled plugins in the configured order, one event at a time: a plugin that types text
can take its time, and the next event waits for it, so text, a Tab and more text land in that order.

A plugin *claims* a transcript or command by returning ``True`` (or a :class:`Claim` naming the editor
field the text went to): plugins after it do not receive it. That is how a command goes to exactly one
handler, and how a plugin that takes text elsewhere (an editor holding the target) keeps it from also
being typed into the focused window. Plugins that only observe (an audit trail, a webhook) use
:meth:`Plugin.on_delivered` instead, which sees every transcript and command, claimed or not, with where
it went. :class:`Claim` and :class:`Delivery` belong to the event vocabulary and are offered here as part
of the plugin interface.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from ..config.model import DaemonConfig
from ..events.delivery import Claim, Delivery
from ..events.dictation import CommandEvent, StateEvent, TranscriptEvent
from ..insertion.chords import Chord
from ..insertion.known import VoiceEdit

__all__ = ["Claim", "Delivery", "Inserter", "Plugin", "PluginContext", "PluginUnavailable"]


class PluginUnavailable(RuntimeError):
    """A plugin cannot work in this session (no display, a missing tool); the message says why."""


class Inserter(Protocol):
    """What an inserting plugin offers others (the commands plugin): text, take-backs and keys at the cursor."""

    async def insert(self, text: str) -> None:
        """Inserts text as dictation, with spacing and capitals at the join."""

    async def scratch_that(self) -> None:
        """Takes back the last inserted segment."""

    async def press_chord(self, chord: Chord) -> None:
        """Presses a key chord; the cursor may be in another field afterwards."""

    async def edit_by_voice(self, edit: VoiceEdit) -> None:
        """Selects or retypes what was dictated into the field (:mod:`~dictation_daemon.insertion.known`);
        raises :class:`~dictation_daemon.insertion.known.UnknownText` when it cannot, changing nothing."""


@dataclass
class PluginContext:
    """What all plugins share: the configuration and the services one plugin offers the others.

    ``inserter`` is set by the plugin that inserts text (keystroke or clipboard) when it starts, so plugins
    enabled after it can insert or press keys through it. ``notice`` shows the user a short sentence (on
    the indicator): why a command did nothing, for instance. It must never carry dictated words.
    """

    config: DaemonConfig
    inserter: Inserter | None = None
    notice: Callable[[str], None] = lambda message: None


class Plugin:
    """Base class of plugins. Every hook has a harmless default, so a plugin overrides only what it uses."""

    name: ClassVar[str]

    @classmethod
    def create(cls, context: PluginContext, options: Mapping[str, Any]) -> Plugin:
        """Builds the plugin; ``options`` come from ``plugins.options.<name>`` in the configuration.

        Raise :class:`PluginUnavailable` if it cannot work here, ``ValueError`` for bad options.
        """
        return cls()

    async def start(self) -> None:
        """Called once before the first event; may raise :class:`PluginUnavailable`."""

    async def stop(self) -> None:
        """Called once when the daemon stops."""

    async def on_state(self, event: StateEvent) -> None:
        """Every state change (all plugins receive it)."""

    async def on_transcript(self, event: TranscriptEvent) -> bool | Claim:
        """An interim or final segment; return ``True`` or a :class:`Claim` to claim it (later plugins do
        not get it)."""
        return False

    async def on_command(self, event: CommandEvent) -> bool | Claim:
        """A voice command; return ``True`` or a :class:`Claim` if this plugin handled it (later plugins do
        not get it)."""
        return False

    async def on_delivered(self, event: TranscriptEvent | CommandEvent, delivery: Delivery) -> None:
        """Every transcript and command once its delivery is decided, whoever claimed it (all plugins
        receive it): for plugins that observe rather than insert."""

    async def on_paste(self, text: str) -> bool:
        """Insert a previous dictation again (``paste-last``); return ``True`` if this plugin inserted it."""
        return False

    def on_user_input(self, what: str) -> None:
        """The user pressed a key or clicked (``what`` says which, for messages); called on the loop at once,
        ahead of queued events, so a plugin that relies on the focused field's text knows it may have changed."""
