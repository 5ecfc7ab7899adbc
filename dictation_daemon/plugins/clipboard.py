"""The ``clipboard`` plugin: pastes finals through the clipboard instead of typing them.

A paste is one chord however long the text, and the application's own paste handles every character,
which suits long dictations and applications that drop typed input. The insertion package picks the
chord per application (terminals use Ctrl+Shift+V) and restores the user's clipboard afterwards, only
if it still holds the dictated text. Take-backs ("scratch that") are still backspaces. On Wayland the
clipboard is ``wl-copy``/``wl-paste`` and the keys go through ``wtype``
(:mod:`~dictation_daemon.insertion.backend` picks). Interim text is
not shown in this mode: replacing it would mean a paste per interim.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..config.model import ClipboardPluginSection
from ..insertion.backend import Kind
from ..insertion.chords import Chord
from ..insertion.outcome import InsertionReport
from ..insertion.rules import Edit
from ..insertion.window import WindowInfo
from .field import Writer
from .inserting import InsertingPlugin

if TYPE_CHECKING:
    from ..insertion.clipboard import Clipboard


class ClipboardWriter:
    """A :class:`~.field.Writer` that deletes with backspaces and inserts with a paste."""

    def __init__(self, section: ClipboardPluginSection, kind: Kind) -> None:
        from ..insertion.clipboard import ClipboardPaster, PasteRules

        rules = PasteRules(section.paste_chord, section.paste_chords_by_window_class)
        if kind == "wayland":
            from ..insertion.wlclipboard import WaylandClipboard
            from ..insertion.wtype import WtypeTyper

            self._typer: Writer = WtypeTyper()
            clipboard: Clipboard = WaylandClipboard()
        else:
            from ..insertion.clipboard import X11Clipboard
            from ..insertion.keyboard import KeystrokeTyper

            self._typer = KeystrokeTyper()
            clipboard = X11Clipboard()
        self._paster = ClipboardPaster(self._typer, rules=rules, restore_delay=section.restore_delay_seconds,
                                       clipboard=clipboard)

    def focused_window(self) -> WindowInfo | None:
        return self._typer.focused_window()

    def apply(self, edit: Edit) -> InsertionReport:
        deleted = self._typer.apply(Edit(delete=edit.delete)).deleted if edit.delete else 0
        if not edit.insert:
            return InsertionReport("clipboard", 0, deleted, self._typer.focused_window(), 0.0)
        pasted = self._paster.paste(edit.insert).insertion
        return InsertionReport("clipboard", pasted.typed, deleted, pasted.window, pasted.modifier_wait)

    def press_chord(self, chord: str | Chord) -> InsertionReport:
        return self._typer.press_chord(chord)

    def close(self) -> None:
        self._paster.close()
        self._typer.close()


class ClipboardPlugin(InsertingPlugin):
    """Pastes dictation through the clipboard."""

    name = "clipboard"
    verb = "paste"
    needs_clipboard = True

    def writer_factory(self, kind: Kind) -> Callable[[], Writer]:
        section = self._context.config.plugins.clipboard
        return lambda: ClipboardWriter(section, kind)
