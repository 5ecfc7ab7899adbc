"""The editor's Tk window: one labelled Text per section, and the edits dictation makes in them.

The window knows nothing of the daemon. It reports which section the user is in, when the window loses
keyboard focus and when the user edits, and offers the edits dictation needs: text inserted at the
cursor, interim text shown in place (grey, tagged, replaced by the next edit), templates, moving
between sections.
"""

from __future__ import annotations

import tkinter
from typing import Protocol

from .sections import SECTIONS

INTERIM_TAG = "interim"
CONTEXT_CHARACTERS = 200
"""How much text around the cursor a claim carries: enough for spacing and capitals at the join."""


class WindowListener(Protocol):
    """What the window reports: the user's moves, which the dictation link turns into claims and calls."""

    def section_entered(self, section: str) -> None:
        """A section got keyboard focus."""

    def window_left(self) -> None:
        """The window as a whole lost keyboard focus (the user went to another application)."""

    def cursor_moved(self, section: str) -> None:
        """The user typed or clicked in a section: the text around the cursor may have changed."""

    def toggle_pressed(self) -> None:
        """The microphone button was pressed."""


class EditorWindow:
    """A note with Subjective / Objective / Assessment / Plan sections, a microphone button and a status line."""

    def __init__(self, root: tkinter.Tk, listener: WindowListener) -> None:
        self.root = root
        self.texts: dict[str, tkinter.Text] = {}
        root.title("Clinical note")
        bar = tkinter.Frame(root)
        bar.pack(fill="x")
        self._button = tkinter.Button(bar, text="Dictate", takefocus=0, command=listener.toggle_pressed)
        self._button.pack(side="left", padx=4, pady=4)
        self._status = tkinter.Label(bar, anchor="w")
        self._status.pack(side="left", fill="x", expand=True)
        for section in SECTIONS:
            tkinter.Label(root, text=section.capitalize(), anchor="w", font=("TkDefaultFont", 10, "bold")).pack(fill="x")
            text = tkinter.Text(root, height=5, width=80, wrap="word", undo=True)
            text.tag_configure(INTERIM_TAG, foreground="grey50")
            text.pack(fill="both", expand=True, padx=4, pady=(0, 6))
            self._report(text, section, listener)
            self.texts[section] = text

    def show_status(self, message: str) -> None:
        """A line for the user: connection, dictation state, errors."""
        self._status.configure(text=message)

    def show_listening(self, listening: bool) -> None:
        self._button.configure(text="Stop" if listening else "Dictate", relief="sunken" if listening else "raised")

    def focused_section(self) -> str | None:
        """The section with keyboard focus, if the window has it."""
        try:
            widget = self.root.focus_get()
        except KeyError:  # focus on a widget Tk does not name (a menu of another toplevel)
            return None
        return next((name for name, text in self.texts.items() if text is widget), None)

    def focus(self, section: str, *, force: bool = False) -> None:
        """Moves the cursor into ``section``; ``force`` takes keyboard focus from other applications too."""
        text = self.texts[section]
        if force:
            text.focus_force()
        else:
            text.focus_set()
        text.see("insert")

    def around_cursor(self, section: str) -> tuple[str, str]:
        """The text just before and after the cursor, without interim text (a new claim starts without it)."""
        text = self.texts[section]
        self.clear_interim(section)
        before = text.get(f"insert - {CONTEXT_CHARACTERS} chars", "insert")
        after = text.get("insert", f"insert + {CONTEXT_CHARACTERS} chars").removesuffix("\n")
        return before, after

    def apply(self, section: str, delete: int, content: str, *, interim: bool) -> None:
        """Takes back ``delete`` characters before the cursor and inserts ``content`` there, cursor after it.

        Interim text is tagged (grey, left out of :meth:`contents`); the next edit's ``delete`` removes it.
        """
        text = self.texts[section]
        if delete:
            text.delete(f"insert - {delete} chars", "insert")
        text.insert("insert", content, INTERIM_TAG if interim else ())
        text.see("insert")

    def insert_template(self, section: str, content: str) -> None:
        """Inserts a template at the cursor as its own sentence, a space apart from text before it."""
        text = self.texts[section]
        self.clear_interim(section)
        before = text.get("insert - 1 chars", "insert")
        text.insert("insert", (" " if before and not before.isspace() else "") + content)
        text.see("insert")

    def clear_interim(self, section: str) -> None:
        text = self.texts[section]
        for start, end in reversed(_pairs(text.tag_ranges(INTERIM_TAG))):
            text.delete(start, end)

    def contents(self) -> dict[str, str]:
        """Every section's text as saved: without interim text and without Tk's trailing newline."""
        return {section: self._saved_text(text) for section, text in self.texts.items()}

    def _saved_text(self, text: tkinter.Text) -> str:
        parts, index = [], "1.0"
        for start, end in _pairs(text.tag_ranges(INTERIM_TAG)):
            parts.append(text.get(index, start))
            index = end
        parts.append(text.get(index, "end-1c"))
        return "".join(parts)

    def _report(self, text: tkinter.Text, section: str, listener: WindowListener) -> None:
        """Binds a section's focus, key and click events to the listener."""
        text.bind("<FocusIn>", lambda event: listener.section_entered(section))
        text.bind("<FocusOut>", lambda event: self.root.after_idle(self._check_focus, listener))
        for sequence in ("<KeyRelease>", "<ButtonRelease-1>"):
            text.bind(sequence, lambda event: listener.cursor_moved(section))

    def _check_focus(self, listener: WindowListener) -> None:
        """After a section lost focus: if no other widget of ours has it, the window lost it."""
        try:
            focused = self.root.focus_get()
        except KeyError:
            focused = None
        if focused is None:
            listener.window_left()


def _pairs(ranges: tuple[object, ...]) -> list[tuple[str, str]]:
    return [(str(ranges[i]), str(ranges[i + 1])) for i in range(0, len(ranges), 2)]
