"""A real Tk window with two text fields on the test screen, so tests can read back what typing put there.

The window runs in a child process (Tk must own its main loop, and the child gets the test screen's
DISPLAY): :class:`TextFieldWindow` starts it, moves keyboard focus between its two fields — a multi-line
``Text`` and a one-line ``Entry`` — and reads their content and the key presses they received over a
line-based JSON pipe. Every key press is recorded with its modifier state before Tk's own bindings run,
so a test can tell a typed letter from a Ctrl+letter shortcut.

Run as a module, this file is the child: ``python -m testkit.rig.textfield CLASS [PASTE_SEQUENCE]``.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any, Literal

from testkit.rig.pipe_child import PipeChild, until_quiet

Field = Literal["text", "entry"]

#: Tk's modifier bits in an event's ``state``.
CONTROL_MASK = 0x4


class TextFieldWindow(PipeChild):
    """A Tk window with a ``Text`` and an ``Entry`` on ``display``, used as a context manager.

    ``window_class`` becomes the window's WM_CLASS (what per-application rules look at); Tk sets the
    instance to it with a lower-case first letter and the class to it capitalised. With
    ``paste_sequence`` (a Tk event pattern such as ``<Control-Key-V>``), that chord and nothing else
    pastes, so a test can tell which chord was sent; without it Tk's own paste bindings stay.
    """

    def __init__(self, display: str, *, window_class: str = "dictationfield", paste_sequence: str | None = None):
        super().__init__()
        self.display = display
        self.window_class = window_class
        self._arguments = [window_class] + ([paste_sequence] if paste_sequence else [])

    description = "the text field window"

    def __enter__(self) -> TextFieldWindow:
        self.start([sys.executable, "-m", __name__, *self._arguments], {**os.environ, "DISPLAY": self.display})
        self.ask({"do": "ready"})
        self.focus("text")
        return self

    @property
    def window_id(self) -> int:
        """The X id of the top-level window (the one carrying WM_CLASS)."""
        return int(self.ask({"do": "window_id"}))

    def focus(self, field: Field = "text") -> None:
        """Gives keyboard focus to one field and returns once X reports the focus moved there."""
        self.ask({"do": "focus", "field": field})
        deadline = time.monotonic() + 5
        while self.ask({"do": "focused"}) != field:
            if time.monotonic() > deadline:
                raise RuntimeError(f"the {field} field did not get keyboard focus")
            time.sleep(0.02)

    def read(self, field: Field = "text") -> str:
        """The field's whole content (a ``Text`` without the newline Tk always keeps at its end)."""
        return str(self.ask({"do": "read", "field": field}))

    def set(self, content: str, field: Field = "text") -> None:
        """Replaces a field's content and puts the cursor at its end."""
        self.ask({"do": "set", "field": field, "content": content})

    def key_presses(self) -> list[tuple[str, int, bool]]:
        """Every key press the fields received so far, as ``(keysym, state, synthetic)``.

        ``synthetic`` is X's send_event flag: set on events sent with XSendEvent, which many applications
        ignore, clear on real key presses (from a keyboard or XTEST).
        """
        return [(keysym, state, synthetic) for keysym, state, synthetic in self.ask({"do": "keys"})]

    def settle(self, seconds: float = 0.3, *, field: Field = "text", changed_from: str | None = None) -> str:
        """Waits until the field's content has stopped changing for ``seconds`` and returns it.

        Key events travel through the X server to the child asynchronously, so a test reads the field
        only after it has been quiet for a while. With ``changed_from``, the quiet time counts only once
        the content differs from it (for up to 30 s): text that another process is still about to insert,
        such as the daemon acting on a hotkey on a busy machine, would otherwise look settled before it began.
        """
        content = self.read(field)
        change_deadline = time.monotonic() + 30
        while content == changed_from and time.monotonic() < change_deadline:
            time.sleep(0.05)
            content = self.read(field)
        return until_quiet(lambda: self.read(field), seconds, limit=10)


def _serve(window_class: str, paste_sequence: str | None) -> None:
    """The child: builds the window, then answers requests from stdin inside Tk's main loop."""
    import queue
    import threading
    import tkinter

    root = tkinter.Tk(className=window_class)
    root.geometry("600x300+10+10")
    fields: dict[str, tkinter.Text | tkinter.Entry] = {
        "text": tkinter.Text(root, height=10, undo=False),
        "entry": tkinter.Entry(root),
    }
    presses: list[tuple[str, int, bool]] = []
    for widget in fields.values():
        widget.pack(fill="both", expand=True)
        widget.bind_class("Recorder", "<KeyPress>", lambda event: presses.append((event.keysym, int(event.state), bool(event.send_event))))
        widget.bindtags(("Recorder", *widget.bindtags()))
    if paste_sequence:
        root.event_delete("<<Paste>>")
        root.event_add("<<Paste>>", paste_sequence)

    def read(field: str) -> str:
        widget = fields[field]
        return widget.get("1.0", "end-1c") if isinstance(widget, tkinter.Text) else widget.get()

    def focused() -> str | None:
        current = root.focus_get()
        return next((name for name, widget in fields.items() if widget is current), None)

    def set_content(field: str, content: str) -> None:
        widget = fields[field]
        if isinstance(widget, tkinter.Text):
            widget.delete("1.0", "end")
            widget.insert("1.0", content)
            widget.mark_set("insert", "end-1c")
        else:
            widget.delete(0, "end")
            widget.insert(0, content)
            widget.icursor("end")

    def answer(request: dict[str, Any]) -> Any:
        match request["do"]:
            case "ready":
                root.update()
                return True
            case "window_id":
                return int(root.wm_frame(), 16)
            case "focus":
                fields[request["field"]].focus_force()
                return True
            case "focused":
                return focused()
            case "read":
                return read(request["field"])
            case "set":
                set_content(request["field"], request["content"])
                return True
            case "keys":
                return presses
        raise ValueError(f"unknown request {request!r}")

    requests: queue.Queue[dict[str, Any] | None] = queue.Queue()

    def read_requests() -> None:
        for line in sys.stdin:
            requests.put(json.loads(line))
        requests.put(None)

    def poll() -> None:
        while True:
            try:
                request = requests.get_nowait()
            except queue.Empty:
                root.after(5, poll)
                return
            if request is None:
                root.destroy()
                return
            sys.stdout.write(json.dumps({"answer": answer(request)}) + "\n")
            sys.stdout.flush()

    threading.Thread(target=read_requests, daemon=True).start()
    root.after(5, poll)
    root.mainloop()


if __name__ == "__main__":
    _serve(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
