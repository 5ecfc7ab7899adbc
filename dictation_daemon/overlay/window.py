"""The indicator's window, a child process of the daemon: Tk draws each view the daemon writes to its stdin.

A process of its own keeps Tk's main loop and its X connection away from the daemon's event loop, and a
window that fails takes nothing else down. The window is override-redirect and always on top: the window
manager never gives it the focus and never decorates it, so typing keeps going to the field, and it takes
no clicks. With nothing new on stdin it sleeps in Tk's event loop (no timers), so an idle indicator costs
no CPU. Run as ``python -m dictation_daemon.overlay.window POSITION SIZE MARGIN``; end of input closes it.
"""

from __future__ import annotations

import json
import os
import sys
import tkinter as tk
from typing import Any

COLOURS = {"idle": "#8a949e", "listening": "#e5484d", "finishing": "#f0a020", "error": "#f0a020"}
BACKGROUND = "#1f2933"
TEXT = "#f5f7fa"
DETAIL_TEXT = "#c4ccd4"
SIZES = {"small": (10, 220), "medium": (12, 280), "large": (15, 360)}
"""Font size (points) and width (pixels) of each ``ui.overlay.size``."""
WINDOW_NAME = "dictation-daemon indicator"


class Indicator:
    """The window and its widgets; :meth:`show` draws one view."""

    def __init__(self, position: str, size: str, margin: int) -> None:
        points, self._width = SIZES[size]
        self._position, self._margin = position, margin
        self.root = tk.Tk(className="dictation-indicator")
        self.root.title(WINDOW_NAME)
        self.root.withdraw()
        self.root.overrideredirect(True)
        self.root.attributes("-topmost", True)
        self.root.configure(background=BACKGROUND)
        font = ("DejaVu Sans", points)
        row = tk.Frame(self.root, background=BACKGROUND)
        row.pack(fill="x", padx=10, pady=(8, 2))
        self._dot = tk.Canvas(row, width=points + 4, height=points + 4, background=BACKGROUND, highlightthickness=0)
        self._dot.pack(side="left")
        self._dot_item = self._dot.create_oval(2, 2, points + 2, points + 2, outline="")
        self._headline = tk.Label(row, font=(*font, "bold"), foreground=TEXT, background=BACKGROUND, anchor="w")
        self._headline.pack(side="left", padx=(6, 0))
        self._meter = tk.Canvas(self.root, height=4, background="#39434d", highlightthickness=0)
        self._meter_bar = self._meter.create_rectangle(0, 0, 0, 4, fill=COLOURS["listening"], outline="")
        self._detail = tk.Label(self.root, font=font, foreground=DETAIL_TEXT, background=BACKGROUND, anchor="w",
                                justify="left", wraplength=self._width - 20)
        self._shown: dict[str, Any] | None = None

    def show(self, view: dict[str, Any]) -> None:
        if view == self._shown:
            return
        colour = COLOURS.get(view["state"], COLOURS["idle"])
        self._dot.itemconfigure(self._dot_item, fill=colour)
        self._headline.configure(text=view["headline"])
        self._meter.pack_forget()
        self._detail.pack_forget()
        if view.get("level") is not None:
            self._meter.coords(self._meter_bar, 0, 0, int((self._width - 20) * float(view["level"])), 4)
            self._meter.pack(fill="x", padx=10, pady=(4, 2))
        if view.get("detail"):
            self._detail.configure(text=view["detail"])
            self._detail.pack(fill="x", padx=10, pady=(2, 8))
        self._shown = view
        self._place()

    def _place(self) -> None:
        self.root.update_idletasks()
        height = self.root.winfo_reqheight() + 6
        screen_width, screen_height = self.root.winfo_screenwidth(), self.root.winfo_screenheight()
        x = {"left": self._margin, "right": screen_width - self._width - self._margin}.get(
            self._position.split("-")[-1], (screen_width - self._width) // 2)
        y = self._margin if self._position.startswith("top") else screen_height - height - self._margin
        self.root.geometry(f"{self._width}x{height}+{x}+{y}")
        self.root.deiconify()
        self.root.lift()


def main(arguments: list[str]) -> None:
    position, size, margin = arguments[0], arguments[1], int(arguments[2])
    indicator = Indicator(position, size, margin)
    pending = b""

    def readable(descriptor: int, mask: int) -> None:
        nonlocal pending
        chunk = os.read(descriptor, 65536)
        if not chunk:
            indicator.root.destroy()
            return
        *lines, pending = (pending + chunk).split(b"\n")
        if lines:
            try:
                indicator.show(json.loads(lines[-1]))  # only the newest view matters
            except (ValueError, KeyError, TypeError):
                pass  # the daemon writes only views; a bad line changes nothing on screen

    indicator.root.tk.createfilehandler(sys.stdin.fileno(), tk.READABLE, readable)
    indicator.root.mainloop()


if __name__ == "__main__":
    main(sys.argv[1:])
