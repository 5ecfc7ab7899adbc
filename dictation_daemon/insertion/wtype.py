"""Typing into the focused window of a Wayland desktop through ``wtype`` (the virtual-keyboard protocol).

On Wayland no program can send keys to another one's window directly; compositors built on wlroots (sway,
Hyprland, river, Wayfire) accept a virtual keyboard instead, and ``wtype`` is one. It sends every character
as itself: it builds a keymap holding exactly the characters of its text, so °, µ, ±, ï and – arrive as
typed, with none of the spare-keycode juggling X11 needs (:mod:`.xtest`). GNOME's compositor does not offer
the protocol; there ``wtype`` fails and says so, and the probe below reports it before the first dictation.

Three things this module does on purpose:

* Text goes to ``wtype`` on its stdin (``-``), never on its command line, where every user of the machine
  could read the dictation in the process list.
* Every run ends with a key that carries no symbol (``VoidSymbol``), which applications ignore. GTK 3 does
  not find key bindings for the highest keycode of the keymap ``wtype`` uploads (measured in this project's
  sway rig: Ctrl+V, Ctrl+A and BackSpace did nothing as the only key of a run, and worked with any key after
  them). Keys named on the command line get keycodes in order, before the characters read from stdin, so
  the trailer keeps BackSpace and a chord's key off the highest keycode; typed characters do not need
  bindings, and Return (``\n``) works from any keycode.
* There is no waiting for held keys, unlike on X11: the virtual keyboard has a modifier state of its own,
  so a push-to-talk chord still held down does not turn typed letters into shortcuts.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from collections.abc import Mapping

from .chords import Chord
from .compositor import focused_window
from .outcome import InsertionError, InsertionReport
from .rules import Edit
from .window import WindowInfo
from .xtest import KEYSYM_NAMES, char_keysym

log = logging.getLogger(__name__)

DEB = "wtype"
#: How long one run may take; typing is about a character per millisecond, so this is a very long text.
TIMEOUT_SECONDS = 60.0
#: A key after every run, so that no key that does something has the keymap's highest keycode (see above).
TRAILER = ("-k", "VoidSymbol")
#: Chord modifiers (pynput names, as :class:`~.chords.Chord` holds them) → wtype's modifier names.
MODIFIERS = {"ctrl": "ctrl", "shift": "shift", "alt": "alt", "alt_gr": "altgr", "cmd": "logo"}
#: Named chord keys → xkb keysym names.
KEYSYMS = {
    "insert": "Insert", "enter": "Return", "tab": "Tab", "space": "space", "backspace": "BackSpace",
    "delete": "Delete", "home": "Home", "end": "End", "page_up": "Prior", "page_down": "Next", "up": "Up",
    "down": "Down", "left": "Left", "right": "Right", "esc": "Escape", "menu": "Menu",
    **{f"f{number}": f"F{number}" for number in range(1, 21)},
}


def wtype_problem(environ: Mapping[str, str] = os.environ) -> str | None:
    """Why ``wtype`` cannot type in this session, or ``None`` when it can.

    ``wtype`` with an empty text connects, asks for a virtual keyboard and exits without a key event, so
    this checks the compositor too.
    """
    if shutil.which("wtype") is None:
        return f"wtype is not installed (Debian: apt install {DEB})"
    if not environ.get("WAYLAND_DISPLAY"):
        return "WAYLAND_DISPLAY is not set"
    try:
        result = subprocess.run(["wtype", ""], env=dict(environ), capture_output=True, text=True,
                                timeout=TIMEOUT_SECONDS)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"wtype did not run: {error}"
    if result.returncode != 0:
        return f"wtype cannot type here: {_message(result.stderr) or f'exit code {result.returncode}'}"
    return None


class WtypeTyper:
    """Types, deletes and presses chords through ``wtype``; a :class:`~dictation_daemon.plugins.field.Writer`."""

    def __init__(self, environ: Mapping[str, str] = os.environ) -> None:
        problem = wtype_problem(environ)
        if problem:
            raise InsertionError(problem)
        self._environ = dict(environ)

    def focused_window(self) -> WindowInfo | None:
        return focused_window(self._environ)

    def apply(self, edit: Edit) -> InsertionReport:
        """Takes back ``edit.delete`` characters, then types ``edit.insert`` (``\\n`` is Return)."""
        edit.require_typeable()
        window = self.focused_window()
        self._run(["-k", "BackSpace"] * edit.delete + (["-"] if edit.insert else []), edit.insert)
        log.debug("typed %d characters after %d backspaces through wtype", len(edit.insert), edit.delete)
        return InsertionReport("keystrokes", len(edit.insert), edit.delete, window, 0.0)

    def press_chord(self, chord: str | Chord) -> InsertionReport:
        """Presses a chord such as ``"ctrl+shift+v"``: modifiers held around one key."""
        parsed = Chord.parse(chord) if isinstance(chord, str) else chord
        modifiers = [MODIFIERS[name] for name in parsed.modifiers]
        held = [part for name in modifiers for part in ("-M", name)]
        released = [part for name in reversed(modifiers) for part in ("-m", name)]
        key = KEYSYMS[parsed.key] if len(parsed.key) > 1 else _keysym_name(parsed.key)
        window = self.focused_window()
        self._run([*held, "-k", key, *released], "")
        log.debug("pressed %s through wtype", parsed)
        return InsertionReport("keystrokes", 0, 0, window, 0.0)

    def close(self) -> None:
        """Nothing to give back: every run of ``wtype`` brings its own keyboard and takes it away."""

    def _run(self, arguments: list[str], text: str) -> None:
        try:
            result = subprocess.run(["wtype", *arguments, *TRAILER], input=text.encode(), env=self._environ,
                                    capture_output=True, timeout=TIMEOUT_SECONDS)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise InsertionError(f"wtype did not run: {error}") from error
        if result.returncode != 0:
            message = _message(result.stderr.decode(errors="replace")) or f"exit code {result.returncode}"
            raise InsertionError(f"wtype failed: {message}")


def _keysym_name(char: str) -> str:
    """The xkb name of a character's keysym (``v``, ``slash``, ``U20AC``).

    A chord's key goes by name, as part of the command line: the keymap ``wtype`` builds from its stdin
    gets the highest keycode, which GTK 3 finds no binding for (see above).
    """
    keysym = char_keysym(char)
    return KEYSYM_NAMES.get(keysym) or f"U{ord(char):04X}"


def _message(stderr: str) -> str:
    """wtype's error output on one line (it writes libwayland's complaint and its own on two)."""
    return "; ".join(line.strip() for line in stderr.splitlines() if line.strip())

