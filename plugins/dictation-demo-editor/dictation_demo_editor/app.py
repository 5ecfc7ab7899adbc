"""The editor's behaviour: the user's moves become claims, the daemon's updates become edits and moves.

:class:`EditorApp` sits between the window and the dictation link and runs entirely on Tk's thread.
Edits go to the section a notification names (the daemon computed them against that section's text);
commands act from the section they were spoken in. Without a daemon the editor still works as an editor.
"""

from __future__ import annotations

import logging
import tkinter
from collections.abc import Callable

from dictation_client import ClientError, Notification
from dictation_client.ehr import Command, Transcript

from .link import DictationLink
from .sections import SECTIONS, TEMPLATES, neighbour
from .window import EditorWindow

logger = logging.getLogger(__name__)

POLL_MILLISECONDS = 15
RECLAIM_MILLISECONDS = 300
"""After the user types or clicks, how long to wait before passing the new text around the cursor."""


class EditorApp:
    """The demo editor: one window, one optional link to the daemon. Implements the window's listener."""

    def __init__(self, root: tkinter.Tk, link: DictationLink | None) -> None:
        self.root = root
        self.link = link
        self.window = EditorWindow(root, self)
        self.active = SECTIONS[0]
        """The section the user is in (or was in last, while another application has focus)."""
        self._reclaim_job: str | None = None
        self._commands: dict[str, Callable[[Command], None]] = {
            "next_section": lambda command: self.go_to(neighbour(self._origin(command), 1)),
            "previous_section": lambda command: self.go_to(neighbour(self._origin(command), -1)),
            "go_to_section": self._go_to_named,
            "insert_template": self._insert_template,
        }
        self.window.show_status("Connected to the dictation daemon" if link else "No dictation daemon is running")
        if link is not None:
            root.after(POLL_MILLISECONDS, self._poll)

    def section_entered(self, section: str) -> None:
        self.active = section
        if self.link is not None and self.link.claimed != section:
            self._claim(section)

    def window_left(self) -> None:
        if self.link is not None and self.link.claimed is not None:
            self._talk(self.link.release)

    def cursor_moved(self, section: str) -> None:
        if self._reclaim_job is not None:
            self.root.after_cancel(self._reclaim_job)
        self._reclaim_job = self.root.after(RECLAIM_MILLISECONDS, self._reclaim_if_moved)

    def toggle_pressed(self) -> None:
        if self.link is not None:
            self._talk(self.link.toggle)

    def go_to(self, section: str) -> None:
        """Moves into ``section`` and claims it at once, so the next final already lands there."""
        self.window.focus(section)
        self.section_entered(section)

    def _origin(self, command: Command) -> str:
        return command.field if command.field in SECTIONS else self.active

    def _go_to_named(self, command: Command) -> None:
        section = command.variables.get("section", "").lower()
        if section in SECTIONS:
            self.go_to(section)

    def _insert_template(self, command: Command) -> None:
        section = self._origin(command)
        template = TEMPLATES.get(section, {}).get(command.variables.get("template_name", "").lower())
        if template is not None:
            self.window.insert_template(section, template)
            self._claim(section)  # the text around the cursor changed behind the daemon's back

    def _claim(self, section: str) -> None:
        before, after = self.window.around_cursor(section)
        if self.link is not None:
            self._talk(lambda: self.link.claim(section, before, after))  # type: ignore[union-attr]

    def _reclaim_if_moved(self) -> None:
        self._reclaim_job = None
        section = self.window.focused_section()
        if self.link is None or section is None or self.link.claimed != section:
            return
        if self.window.around_cursor(section) != self.link.claimed_context:
            self._claim(section)

    def _poll(self) -> None:
        assert self.link is not None
        try:
            updates = self.link.updates()
        except ClientError:
            self._lost_daemon()
            return
        for update in updates:
            self._handle(update)
        self.root.after(POLL_MILLISECONDS, self._poll)

    def _handle(self, update: Transcript | Command | Notification) -> None:
        if isinstance(update, Transcript):
            if update.insert is not None and update.field in SECTIONS:
                self.window.apply(update.field, update.insert.delete, update.insert.text, interim=not update.is_final)
        elif isinstance(update, Command):
            handler = self._commands.get(update.id)
            if handler is not None:
                handler(update)
        elif update.method == "state":
            self.window.show_listening(update.params["state"] == "listening")
            self.window.show_status(f"Dictation {update.params['state']}")
        elif update.method == "error":
            self.window.show_status(f"Dictation error: {update.params['message']}")
        elif update.method == "target.lost":
            self.window.show_status("Another application took dictation; click a section to take it back")

    def _talk(self, call: Callable[[], None]) -> None:
        """Makes a call to the daemon; a failure is shown to the user, never fatal to the editor."""
        try:
            call()
        except ClientError as error:
            if self.link is not None and self.link.closed:
                self._lost_daemon()
            else:
                logger.warning("the dictation daemon refused a request: %s", error)
                self.window.show_status(f"Dictation: {error}")

    def _lost_daemon(self) -> None:
        if self.link is not None:
            self.link.close()
        self.link = None
        self.window.show_listening(False)
        self.window.show_status("The dictation daemon stopped; dictation is off")
