"""A headless sway session and a native Wayland (GTK 3) text field in it, so tests read back what arrived.

sway runs on wlroots' headless backend with the pixman renderer, in a private ``XDG_RUNTIME_DIR`` (0700)
and with the test's own configuration file (key bindings that call the command line, say). sway refuses
to run as root; as root the rig starts it in a user namespace of its own, where it is not root, while
what it starts (a binding's command) still runs as the test's user outside, which the daemon's socket
checks.

A headless seat has no keyboard until a virtual one appears, and a window mapped then only learns of the
keyboard with the first key event, which it drops (measured: the first character of the first ``wtype``
went missing in every fresh window). A desktop always has its keyboard, so the session keeps one plugged
in: a ``wtype`` that sleeps without typing anything.

The text field runs in a child process under the system Python (Debian's ``python3-gi`` and
``gir1.2-gtk-3.0``; the project's virtualenv has no GObject bindings) and answers requests over a
line-based JSON pipe, like :mod:`testkit.rig.textfield`. Run as a module, this file is that child:
``python3 -m testkit.rig.wayland APP_ID``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from testkit.rig.pipe_child import PipeChild, until_quiet

SYSTEM_PYTHON = "/usr/bin/python3"
DEBS = {"sway": "sway", "swaymsg": "sway", "wtype": "wtype", "wl-copy": "wl-clipboard", "wl-paste": "wl-clipboard"}
BASE_CONFIG = """\
output HEADLESS-1 resolution 1280x800
xwayland disable
default_border none
focus_follows_mouse no
"""


@dataclass(frozen=True)
class WaylandSession:
    """A running sway; ``env`` (without ``DISPLAY``) points Wayland clients and ``swaymsg`` at it."""

    env: dict[str, str]
    log: Path

    def swaymsg(self, *arguments: str) -> Any:
        """Runs ``swaymsg -r`` and returns its parsed JSON answer."""
        result = subprocess.run(["swaymsg", "-r", *arguments], env=self.env, capture_output=True, text=True,
                                timeout=30, check=True)
        return json.loads(result.stdout)

    def wtype(self, *arguments: str) -> None:
        subprocess.run(["wtype", *arguments], env=self.env, check=True, timeout=30)

    def focused_app_id(self) -> str | None:
        """The app_id of the window sway gives keyboard focus to, or ``None``."""
        stack = [self.swaymsg("-t", "get_tree")]
        while stack:
            node = stack.pop()
            if node.get("focused"):
                return node.get("app_id")
            stack.extend(node.get("nodes", []) + node.get("floating_nodes", []))
        return None

    def clipboard(self) -> str | None:
        """The clipboard's text, or ``None`` when nothing holds the clipboard."""
        result = subprocess.run(["wl-paste", "--no-newline"], env=self.env, capture_output=True, timeout=30)
        return result.stdout.decode() if result.returncode == 0 else None

    def copy(self, text: str) -> None:
        """Copies as the user would, and returns once the clipboard reads back ``text``."""
        subprocess.run(["wl-copy"], input=text.encode(), env=self.env, check=True, timeout=30,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        poll(lambda: self.clipboard() == text, f"the clipboard to take {text!r}")


def poll(condition: Any, what: str, timeout: float = 20) -> None:
    """Waits until ``condition()`` holds; generous, since the machine may be busy."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        time.sleep(0.05)


def missing_tools() -> list[str]:
    """Debian packages the Wayland rig needs and this machine lacks."""
    packages = {package for tool, package in DEBS.items() if shutil.which(tool) is None}
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import gi; gi.require_version('Gtk', '3.0')"],
                           capture_output=True) if os.path.exists(SYSTEM_PYTHON) else None
    if probe is None or probe.returncode != 0:
        packages |= {"python3-gi", "gir1.2-gtk-3.0"}
    return sorted(packages)


@contextmanager
def wayland_session(extra_config: str = "") -> Iterator[WaylandSession]:
    """Starts a headless sway with :data:`BASE_CONFIG` plus ``extra_config`` and yields it, keyboard plugged in."""
    missing = missing_tools()
    if missing:
        raise RuntimeError(f"the Wayland rig needs Debian packages {', '.join(missing)} (`make install` installs them)")
    runtime = Path(tempfile.mkdtemp(prefix="dictation-wayland-"))
    runtime.chmod(0o700)
    config = runtime / "sway.config"
    config.write_text(BASE_CONFIG + extra_config)
    log = runtime / "sway.log"
    env = {key: value for key, value in os.environ.items() if key not in ("DISPLAY", "WAYLAND_DISPLAY", "SWAYSOCK")}
    env.update(XDG_RUNTIME_DIR=str(runtime), WLR_BACKENDS="headless", WLR_RENDERER="pixman",
               WLR_LIBINPUT_NO_DEVICES="1")
    namespace = ["unshare", "--user"] if os.geteuid() == 0 else []
    with log.open("wb") as output:
        sway = subprocess.Popen([*namespace, "sway", "--config", str(config)], env=env,
                                stdout=output, stderr=output)
    keyboard: subprocess.Popen[bytes] | None = None
    try:
        poll(lambda: sway.poll() is not None or (_socket(runtime, "wayland-*") and _socket(runtime, "sway-ipc.*")),
             "sway to open its sockets")
        if sway.poll() is not None:
            raise RuntimeError(f"sway exited ({sway.returncode}):\n{log.read_text()}")
        wayland_socket, ipc_socket = _socket(runtime, "wayland-*"), _socket(runtime, "sway-ipc.*")
        assert wayland_socket is not None and ipc_socket is not None
        env.update(WAYLAND_DISPLAY=wayland_socket.name, SWAYSOCK=str(ipc_socket))
        session = WaylandSession(env, log)
        poll(lambda: subprocess.run(["swaymsg", "-t", "get_version"], env=env, capture_output=True).returncode == 0,
             "sway to answer on its socket")
        keyboard = subprocess.Popen(["wtype", "-s", "100000000", ""], env=env)
        poll(lambda: any(device["type"] == "keyboard" for device in session.swaymsg("-t", "get_inputs")),
             "the virtual keyboard to be plugged in")
        yield session
    finally:
        for process in (keyboard, sway):
            if process is not None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        shutil.rmtree(runtime, ignore_errors=True)


def _socket(runtime: Path, pattern: str) -> Path | None:
    found = sorted(path for path in runtime.glob(pattern) if not path.name.endswith(".lock"))
    return found[0] if found else None


class WaylandTextField(PipeChild):
    """A GTK 3 window with one multi-line text view, in ``session``, used as a context manager.

    ``app_id`` is what sway (and per-application rules) know the window by. Entering the block waits
    until sway has focused the window and the text view holds GTK's keyboard focus.
    """

    def __init__(self, session: WaylandSession, *, app_id: str = "dictationfield"):
        super().__init__()
        self.session = session
        self.app_id = app_id

    description = "the Wayland text field"

    def __enter__(self) -> WaylandTextField:
        self.start([SYSTEM_PYTHON, "-m", __name__, self.app_id],
                   {**self.session.env, "GDK_BACKEND": "wayland", "NO_AT_BRIDGE": "1"})
        self.ask({"do": "ready"})
        poll(lambda: self.session.focused_app_id() == self.app_id and self.ask({"do": "focused"}),
             f"the {self.app_id} window to get keyboard focus")
        return self

    def read(self) -> str:
        return str(self.ask({"do": "read"}))

    def set(self, content: str) -> None:
        """Replaces the content and puts the cursor at its end."""
        self.ask({"do": "set", "content": content})

    def settle(self, seconds: float = 0.4) -> str:
        """Waits until the content has stopped changing for ``seconds`` and returns it."""
        return until_quiet(self.read, seconds)

    def wait_for(self, expected: str, timeout: float = 20) -> str:
        """Waits until the content equals ``expected`` (or the timeout) and returns what it holds then."""
        deadline = time.monotonic() + timeout
        while (content := self.read()) != expected and time.monotonic() < deadline:
            time.sleep(0.05)
        return content


def _serve(app_id: str) -> None:
    """The child: a GTK 3 window whose requests arrive on stdin, answered inside GTK's main loop."""
    import gi

    gi.require_version("Gtk", "3.0")
    from gi.repository import GLib, Gtk

    GLib.set_prgname(app_id)  # GTK's app_id on Wayland
    window = Gtk.Window(title=app_id)
    window.set_default_size(600, 300)
    view = Gtk.TextView()
    window.add(view)
    window.show_all()
    view.grab_focus()
    buffer = view.get_buffer()

    def answer(request: dict[str, Any]) -> Any:
        match request["do"]:
            case "ready":
                return True
            case "focused":
                return bool(view.has_focus())
            case "read":
                return buffer.get_text(buffer.get_start_iter(), buffer.get_end_iter(), True)
            case "set":
                buffer.set_text(request["content"])
                buffer.place_cursor(buffer.get_end_iter())
                return True
        raise ValueError(f"unknown request {request!r}")

    def on_request(channel: GLib.IOChannel, condition: GLib.IOCondition) -> bool:
        line = sys.stdin.readline()
        if not line:
            Gtk.main_quit()
            return False
        sys.stdout.write(json.dumps({"answer": answer(json.loads(line))}) + "\n")
        sys.stdout.flush()
        return True

    GLib.io_add_watch(GLib.IOChannel.unix_new(sys.stdin.fileno()), GLib.PRIORITY_DEFAULT,
                      GLib.IOCondition.IN | GLib.IOCondition.HUP, on_request)
    Gtk.main()


if __name__ == "__main__":
    _serve(sys.argv[1])
