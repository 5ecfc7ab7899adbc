"""Pasting dictated text through the clipboard, and giving the user's clipboard back afterwards.

Pasting is one chord however long the text, and the application's own paste handles every character,
so it suits long dictations and applications that reject typed input. Its risks are the user's clipboard
and the chord itself:

* The previous clipboard is restored ``restore_delay`` seconds (0.5 s by default) after the chord,
  because the application reads the clipboard when it handles the chord, not when it is sent; and only
  if the clipboard still holds our text: if the user copied something meanwhile, that stays. An empty
  clipboard is emptied again (no owner), not left holding an empty string. Restoring runs on a timer
  thread, so the next insertion does not wait; a paste that comes before the timer takes over the
  pending restore, so the clipboard from before the first of them is what comes back.
* Terminals paste with Ctrl+Shift+V (Ctrl+V is a control character there): :class:`PasteRules` picks
  the chord from the focused window's WM_CLASS.

Only text is saved: a clipboard holding an image or files comes back as empty text.

The rules above are the same on X11 and Wayland; only the :class:`Clipboard` (:class:`X11Clipboard` here,
:class:`~.wlclipboard.WaylandClipboard` there) and whatever presses the chord differ.
"""

from __future__ import annotations

import enum
import logging
import threading
import time
from collections.abc import Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Protocol

import pyperclip
import Xlib.display
import Xlib.X
from Xlib.protocol import request

from .chords import Chord
from .outcome import InsertionError, InsertionReport
from .window import WindowInfo

log = logging.getLogger(__name__)

CLIPBOARD_TIMEOUT = 2.0

#: WM_CLASS names (lower case) of terminals whose clipboard paste is Ctrl+Shift+V. xterm and urxvt are
#: not listed: out of the box neither has a key that pastes the clipboard.
TERMINALS = frozenset(
    """gnome-terminal gnome-terminal-server konsole kitty alacritty xfce4-terminal terminator tilix
    lxterminal mate-terminal qterminal terminology org.wezfurlong.wezterm wezterm foot footclient
    sakura guake tilda st st-256color kgx com.raggesilver.blackbox io.elementary.terminal""".split()
)


class PasteRules:
    """Which chord pastes in which application: ``by_window_class`` maps WM_CLASS names to chords.

    Names match the WM_CLASS instance or class, case-insensitively; every other window gets
    ``default``. Without ``by_window_class``, the terminals in :data:`TERMINALS` get Ctrl+Shift+V.
    Chords are checked here, so a bad configuration fails at start, not at the first paste.
    """

    def __init__(self, default: str = "ctrl+v", by_window_class: Mapping[str, str] | None = None):
        rules = dict.fromkeys(TERMINALS, "ctrl+shift+v") if by_window_class is None else by_window_class
        self.default = Chord.parse(default)
        self._by_class = {name.lower(): Chord.parse(chord) for name, chord in rules.items()}

    def chord_for(self, window: WindowInfo | None) -> Chord:
        """The chord that pastes in ``window``."""
        if window is not None:
            for name in (window.instance.lower(), window.class_name.lower()):
                if name in self._by_class:
                    return self._by_class[name]
        return self.default


class Clipboard(Protocol):
    """The desktop's clipboard, as text."""

    def read(self) -> str | None:
        """The clipboard's text, or ``None`` when nothing holds the clipboard."""
        ...

    def write(self, text: str) -> None:
        """Puts ``text`` on the clipboard; it may take hold only after this returns."""
        ...

    def empty(self) -> None:
        """Leaves the clipboard with no owner, as it was before anything was copied."""
        ...


class ChordSender(Protocol):
    """What presses the paste chord: the typer of the same session."""

    def focused_window(self) -> WindowInfo | None: ...
    def press_chord(self, chord: str | Chord) -> InsertionReport: ...


class X11Clipboard:
    """The X clipboard through xclip (written by a background process of its own) and the X server."""

    def __init__(self) -> None:
        pyperclip.set_clipboard("xclip")

    def read(self) -> str | None:
        return _read_clipboard()

    def write(self, text: str) -> None:
        pyperclip.copy(text)

    def empty(self) -> None:
        _empty_clipboard()


class RestoreOutcome(enum.Enum):
    """What became of the clipboard after a paste."""

    RESTORED = "restored"
    EMPTIED = "emptied, as it was before"
    CHANGED_MEANWHILE = "left alone: something else was copied meanwhile"
    TAKEN_OVER = "taken over by the next paste"
    FAILED = "could not be restored: the clipboard did not take it back"


@dataclass(frozen=True)
class PasteReport:
    """A sent paste: the chord, where it went, and ``restored``, which resolves once the clipboard is dealt with."""

    insertion: InsertionReport
    chord: Chord
    restored: Future[RestoreOutcome]


@dataclass
class _PendingRestore:
    previous: str | None
    text: str
    outcome: Future[RestoreOutcome] = field(default_factory=Future)
    timer: threading.Timer | None = None


class ClipboardPaster:
    """Puts text on the clipboard, presses the paste chord for the focused window, restores the clipboard.

    The chord goes through ``typer``, so it waits for the user's modifier keys like typing does. The
    clipboard is X11's unless another is given.
    """

    def __init__(self, typer: ChordSender, *, rules: PasteRules | None = None, restore_delay: float = 0.5,
                 clipboard: Clipboard | None = None):
        self._clipboard = clipboard or X11Clipboard()
        self._typer = typer
        self.rules = rules or PasteRules()
        self.restore_delay = restore_delay
        self._lock = threading.Lock()
        self._pending: _PendingRestore | None = None

    def paste(self, text: str) -> PasteReport:
        """Pastes ``text`` into the focused window; raises ``InsertionError`` (clipboard restored) if refused."""
        chord = self.rules.chord_for(self._typer.focused_window())
        with self._lock:
            previous = self._take_over(self._pending) if self._pending is not None else self._clipboard.read()
            pending = self._pending = _PendingRestore(previous, text)
            copied = self._copy(text)
        try:
            if not copied:
                raise InsertionError(f"the clipboard did not take the text within {CLIPBOARD_TIMEOUT:g} s")
            sent = self._typer.press_chord(chord)
        except InsertionError:
            self._restore(pending)
            raise
        pending.timer = threading.Timer(self.restore_delay, self._restore, args=(pending,))
        pending.timer.daemon = True
        pending.timer.start()
        log.debug("pasted %d characters with %s", len(text), chord)
        report = InsertionReport("clipboard", len(text), 0, sent.window, sent.modifier_wait)
        return PasteReport(report, chord, pending.outcome)

    def close(self) -> None:
        """Restores a pending clipboard now rather than after the delay."""
        with self._lock:
            pending = self._pending
        if pending is not None:
            if pending.timer is not None:
                pending.timer.cancel()
            self._restore(pending)

    @staticmethod
    def _take_over(pending: _PendingRestore) -> str | None:
        """Cancels a pending restore and returns the clipboard it would have restored."""
        if pending.timer is not None:
            pending.timer.cancel()
        pending.outcome.set_result(RestoreOutcome.TAKEN_OVER)
        return pending.previous

    def _restore(self, pending: _PendingRestore) -> None:
        with self._lock:
            if self._pending is not pending:
                return
            self._pending = None
            if self._clipboard.read() != pending.text:
                outcome = RestoreOutcome.CHANGED_MEANWHILE
            elif pending.previous is None:
                self._clipboard.empty()
                outcome = RestoreOutcome.EMPTIED
            elif self._copy(pending.previous):
                outcome = RestoreOutcome.RESTORED
            else:
                outcome = RestoreOutcome.FAILED
        log.debug("clipboard after paste: %s", outcome.value)
        pending.outcome.set_result(outcome)

    def _copy(self, text: str) -> bool:
        """Puts text on the clipboard and waits until it reads back; ``False`` after ``CLIPBOARD_TIMEOUT``.

        xclip and wl-copy take the clipboard from a background process after they are started, so a paste
        chord sent at once could paste the old content.
        """
        self._clipboard.write(text)
        deadline = time.monotonic() + CLIPBOARD_TIMEOUT
        while self._clipboard.read() != text:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True


def _read_clipboard() -> str | None:
    """The clipboard's text, or ``None`` when nothing owns the clipboard."""
    display = Xlib.display.Display()
    try:
        owner = display.get_selection_owner(display.intern_atom("CLIPBOARD"))
    finally:
        display.close()
    if getattr(owner, "id", owner) == Xlib.X.NONE:
        return None
    return pyperclip.paste()


def _empty_clipboard() -> None:
    """Leaves the clipboard with no owner, as it was before anything was copied."""
    display = Xlib.display.Display()
    try:
        request.SetSelectionOwner(
            display=display.display, window=Xlib.X.NONE, selection=display.intern_atom("CLIPBOARD"),
            time=Xlib.X.CurrentTime,
        )
        display.sync()
    finally:
        display.close()
