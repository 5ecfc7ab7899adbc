"""The ``keystroke`` plugin: types finals into whatever field has focus, optionally with live interim text.

Typing goes through the insertion package (modifier wait, unicode-safe keys), on X11 or through ``wtype``
on Wayland (:mod:`~dictation_daemon.insertion.backend` picks); this plugin only decides what to type: finals always, interims when ``plugins.keystroke.interim`` is on, each interim replacing
the previous one in place with the smallest edit. It does not claim transcripts, so plugins after it
still see them.
"""

from __future__ import annotations

from collections.abc import Callable

from ..insertion.backend import Kind
from .base import PluginContext
from .field import Writer
from .inserting import InsertingPlugin


class KeystrokePlugin(InsertingPlugin):
    """Types dictation as key presses."""

    name = "keystroke"
    verb = "type"

    def __init__(self, context: PluginContext) -> None:
        super().__init__(context)
        self._interim = context.config.plugins.keystroke.interim

    def shows_interims(self) -> bool:
        return self._interim

    def writer_factory(self, kind: Kind) -> Callable[[], Writer]:
        return lambda: _make_typer(kind)


def _make_typer(kind: Kind) -> Writer:
    """Imported late: pynput connects to the display when it is first imported."""
    if kind == "wayland":
        from ..insertion.wtype import WtypeTyper

        return WtypeTyper()
    from ..insertion.keyboard import KeystrokeTyper

    return KeystrokeTyper()
