"""The daemon as a user runs it, timed end to end: ``python -m benchmarks.desktop [--repetitions N]``.

Everything is real: a private Xvfb screen, a PulseAudio null sink as the microphone, ``dictation-daemon
run`` in a subprocess with the keystroke plugin, a Tk text field with focus, and the push-to-talk combo held
while festival speech plays into the microphone. Three things are measured:

* **key release → text in the field**, with the local engine inside the daemon (the default set-up):
  from just before the talk key goes up to the first moment the Tk field holds the whole
  dictation (read over the field's pipe every few milliseconds);
* **idle cost** of that daemon: CPU time (``/proc/<pid>/stat``) and RSS over a quiet minute, with the
  microphone open and the session warm;
* **key press → first audio frame sent to the server**, by a second daemon whose ``backend.url`` points
  at a loopback relay in front of the same engine run as a server process: the relay parses the
  daemon's WebSocket frames and stamps the first binary (audio) frame after each press.

The benchmark presses and releases the combo itself through XTEST (as xdotool would, without a process
start in the timed path) and stamps the moment it sends the combo's last key down or its first key up.
Results go into their own section of ``BENCHMARKS.md``.

``--compare TREE`` times key release → text for this checkout against another (``TREE``, a checkout of an
earlier commit, e.g. from ``git worktree add``) side by side in one run: both daemons run at once on the
same screen and microphone, each with its own push-to-talk combo, and the dictations alternate between
them, so both meet the same machine load. Its figures go into a section of their own.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import Xlib.display
import yaml
from Xlib import XK, X
from Xlib.ext import xtest

from testkit.rig.daemon import TALK, RunningDaemon, launch, write_wav
from testkit.rig.display import virtual_display
from testkit.rig.pulse import VirtualMicrophone, virtual_microphone
from testkit.rig.textfield import TextFieldWindow
from testkit.speech import SAMPLE_RATE, speech, with_pauses

from .latency import ServerProcess, summary
from .report import REPORT, cpu_model, replace_section

UTTERANCE = "the patient reports chest pain radiating to the left arm period"
UTTERANCE_SECONDS = 5.0
EXPECTED_WORDS = "the patient reports chest pain radiating to the left arm".split()
SECTION_TITLE = "## Desktop dictation: the daemon end to end"
QUIET_SECONDS = 1.0
"""A field that has not changed for this long holds the whole dictation."""


@dataclass(frozen=True)
class DesktopResult:
    """What one run measured."""

    utterance_seconds: float
    silence_before_release: float
    release_to_first_text: list[float]
    release_to_text: list[float]
    correct_texts: int
    press_to_first_frame: list[float]
    idle_seconds: float
    idle_cpu_percent: float
    idle_rss_mib: list[float]


OTHER_TALK = "ctrl+alt+f"
"""The combo of the other checkout's daemon in ``--compare`` runs."""
COMPARE_TITLE = "## Desktop dictation: this checkout against an earlier one"


def start_daemon(folder: Path, settings: dict[str, Any], env: dict[str, str], talk: str = TALK) -> RunningDaemon:
    """``dictation-daemon run`` on the benchmark's screen and microphone, with a private socket and log."""
    socket = folder / "rpc.sock"
    config = folder / "config.yaml"
    config.write_text(yaml.safe_dump({**settings, "hotkeys": {"talk": talk}, "rpc": {"socket_path": str(socket)}}))
    return launch(config, env, socket, folder / "daemon.log", ready_timeout=120)


def utterance_file(folder: Path, utterance: str = UTTERANCE) -> tuple[Path, float, float]:
    """The timed utterance, festival speech padded with silence to :data:`UTTERANCE_SECONDS` (as a user
    finishes a sentence, then lets go); returns the file, its length and the silence at its end."""
    voice = speech(utterance)
    lead = 0.2
    padding = max(0.3, UTTERANCE_SECONDS - lead - len(voice) / SAMPLE_RATE)
    samples = with_pauses([lead, voice, padding])
    return write_wav(samples, folder / "utterance.wav"), len(samples) / SAMPLE_RATE, padding


def _words(text: str) -> list[str]:
    return "".join(char.lower() if char.isalnum() or char.isspace() else " " for char in text).split()


class Combo:
    """Holds and releases the push-to-talk combo through XTEST, returning when each key event was sent."""

    KEYSYMS = {"ctrl": "Control_L", "alt": "Alt_L"}

    def __init__(self, display: str, combo: str = TALK) -> None:
        self._display = Xlib.display.Display(display)
        self._keycodes = [self._display.keysym_to_keycode(XK.string_to_keysym(self.KEYSYMS.get(key, key)))
                          for key in combo.split("+")]

    def press(self) -> float:
        """Modifiers first, then the last key; returns the moment just before the last key went down."""
        for keycode in self._keycodes[:-1]:
            xtest.fake_input(self._display, X.KeyPress, keycode)
        self._display.sync()
        pressed = time.monotonic()
        xtest.fake_input(self._display, X.KeyPress, self._keycodes[-1])
        self._display.sync()
        return pressed

    def release(self) -> float:
        """The last key first (as a user lets go); returns the moment just before it went up."""
        released = time.monotonic()
        for keycode in reversed(self._keycodes):
            xtest.fake_input(self._display, X.KeyRelease, keycode)
        self._display.sync()
        return released

    def close(self) -> None:
        self._display.close()


def _until_final(window: TextFieldWindow, timeout: float = 30) -> tuple[str, float, float]:
    """Polls the field until it has been non-empty and unchanged for :data:`QUIET_SECONDS`; returns the
    content, when the field first changed and when its final content was first seen."""
    empty = window.read()
    content, seen_at, first_at = empty, time.monotonic(), 0.0
    deadline = seen_at + timeout
    while time.monotonic() < deadline:
        latest = window.read()
        now = time.monotonic()
        if latest != content:
            content, seen_at = latest, now
            first_at = first_at or now
        elif content != empty and now - seen_at >= QUIET_SECONDS:
            break
        time.sleep(0.003)
    return content, first_at, seen_at


def release_to_text(daemon: RunningDaemon, keys: Combo, microphone: VirtualMicrophone, window: TextFieldWindow,
                    wav: Path, repetitions: int, expected: list[str] = EXPECTED_WORDS,
                    ) -> tuple[list[float], list[float], int]:
    """Dictates ``wav`` ``repetitions`` times into an emptied field; returns the waits for the first and for
    the last character, and how many texts had the expected words."""
    firsts: list[float] = []
    wholes: list[float] = []
    correct = 0
    for _ in range(repetitions):
        window.set("")
        daemon.wait_for(lambda status: status["state"] == "idle", "idle")
        keys.press()
        microphone.play(str(wav))
        released = keys.release()
        text, first, whole = _until_final(window)
        firsts.append(first - released)
        wholes.append(whole - released)
        correct += _words(text) == expected
    return firsts, wholes, correct


@dataclass(frozen=True)
class _Rig:
    """A private folder, a screen, a microphone, the timed utterance and a focused text field."""

    folder: Path
    display: str
    microphone: VirtualMicrophone
    env: dict[str, str]
    wav: Path
    seconds: float
    silence: float
    window: TextFieldWindow


def _rig(stack: contextlib.ExitStack, utterance: str = UTTERANCE) -> _Rig:
    folder = Path(tempfile.mkdtemp(prefix="dictation-bench-"))  # 0700: logs and speech stay private
    stack.callback(shutil.rmtree, folder, True)
    display = stack.enter_context(virtual_display())
    microphone = stack.enter_context(virtual_microphone())
    wav, seconds, silence = utterance_file(folder, utterance)
    window = stack.enter_context(TextFieldWindow(display))
    return _Rig(folder, display, microphone, {**microphone.env, "DISPLAY": display}, wav, seconds, silence, window)


def compare(repetitions: int, other_tree: Path, utterance: str = UTTERANCE,
            ) -> tuple[list[float], list[float], int, int]:
    """Release → whole text for this checkout and for ``other_tree``, dictations alternating between them
    (which goes first alternates too); returns both lists of waits and how many texts each got right."""
    expected = _words(utterance.removesuffix(" period"))
    with contextlib.ExitStack() as stack:
        rig = _rig(stack, utterance)
        folder, display, microphone, env, wav, window = rig.folder, rig.display, rig.microphone, rig.env, rig.wav, rig.window
        daemons, combos = [], []
        for name, talk, extra in (("this", TALK, {}), ("other", OTHER_TALK, {"PYTHONPATH": str(other_tree)})):
            (folder / name).mkdir(mode=0o700)
            daemon = start_daemon(folder / name, {"backend": {"kind": "local"}}, {**env, **extra}, talk)
            stack.callback(daemon.stop)
            keys = Combo(display, talk)
            stack.callback(keys.close)
            daemons.append(daemon)
            combos.append(keys)
        time.sleep(5)
        window.focus("text")
        waits: list[list[float]] = [[], []]
        correct = [0, 0]
        for round_ in range(repetitions):
            for which in ((0, 1) if round_ % 2 == 0 else (1, 0)):
                _firsts, wholes, right = release_to_text(daemons[which], combos[which], microphone, window, wav, 1,
                                                         expected)
                waits[which].extend(wholes)
                correct[which] += right
    return waits[0], waits[1], correct[0], correct[1]


def render_comparison(this: list[float], other: list[float], right: tuple[int, int], other_name: str,
                      command: str, utterance: str) -> str:
    this_median, this_p95 = summary(this)
    other_median, other_p95 = summary(other)
    return "\n".join([
        COMPARE_TITLE + ("" if utterance == UTTERANCE else ", a dictation with drug names"),
        "",
        f"Measured {datetime.date.today().isoformat()} on {cpu_model()}, {os.cpu_count()} cores (shared with other "
        f"work). Command: `{command}`. Key release → whole text in the field, the same "
        f"{UTTERANCE_SECONDS:.1f} s utterance (\"{utterance}\"), local engine; both daemons ran at once and the "
        "dictations alternated between them.",
        "",
        "| daemon | median | p95 | n | expected words |",
        "|---|---|---|---|---|",
        f"| this checkout | {this_median:.3f} s | {this_p95:.3f} s | {len(this)} | {right[0]} of {len(this)} |",
        f"| {other_name} | {other_median:.3f} s | {other_p95:.3f} s | {len(other)} | {right[1]} of {len(other)} |",
        "",
        f"Median ratio, this checkout to {other_name}: {this_median / other_median:.2f}×.",
    ]) + "\n"


def idle_cost(pid: int, seconds: float) -> tuple[float, list[float]]:
    """CPU use (% of one core) of a quiet process and its children (the indicator window), and RSS samples
    (MiB) of the process, over ``seconds``."""
    ticks = os.sysconf("SC_CLK_TCK")
    children = [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]

    def cpu_seconds() -> float:
        total = 0.0
        for process in (pid, *children):
            fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
        return total

    def rss_mib() -> float:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("no VmRSS line")

    started, cpu_before = time.monotonic(), cpu_seconds()
    samples = []
    while time.monotonic() - started < seconds:
        samples.append(rss_mib())
        time.sleep(1.0)
    elapsed = time.monotonic() - started
    return 100 * (cpu_seconds() - cpu_before) / elapsed, samples


class FrameStamps:
    """A loopback TCP relay to ``target_port`` that stamps each binary WebSocket frame a client sends.

    It runs its own event loop on a thread, so stamps are taken when the bytes arrive, whatever the
    benchmark's main thread is doing. Only frame headers are parsed; every byte is passed on unchanged.
    """

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = 0
        self._stamps: list[float] = []
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> FrameStamps:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the relay did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    def first_after(self, moment: float, timeout: float = 10) -> float:
        """When the first binary frame after ``moment`` arrived."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                later = [stamp for stamp in self._stamps if stamp >= moment]
            if later:
                return min(later)
            time.sleep(0.002)
        raise RuntimeError("no audio frame reached the server after the key press")

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._relay, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()
        server.close()

    async def _relay(self, client: asyncio.StreamReader, to_client: asyncio.StreamWriter) -> None:
        upstream, to_upstream = await asyncio.open_connection("127.0.0.1", self.target_port)
        frames = _ClientFrames()

        async def outgoing() -> None:
            while data := await client.read(1 << 16):
                arrived = time.monotonic()
                if frames.feed(data):
                    with self._lock:
                        self._stamps.append(arrived)
                to_upstream.write(data)
                await to_upstream.drain()
            to_upstream.close()

        async def incoming() -> None:
            while data := await upstream.read(1 << 16):
                to_client.write(data)
                await to_client.drain()
            to_client.close()

        with contextlib.suppress(ConnectionError, OSError):
            await asyncio.gather(outgoing(), incoming())


class _ClientFrames:
    """Follows a client's side of a WebSocket connection (HTTP upgrade, then masked frames) by headers only."""

    BINARY = 0x2

    def __init__(self) -> None:
        self._buffer = b""
        self._upgraded = False
        self._skip = 0

    def feed(self, data: bytes) -> bool:
        """Takes the next bytes; returns whether a binary frame starts in them."""
        self._buffer += data
        if not self._upgraded:
            end = self._buffer.find(b"\r\n\r\n")
            if end < 0:
                return False
            self._buffer, self._upgraded = self._buffer[end + 4:], True
        binary = False
        while True:
            if self._skip:
                taken = min(self._skip, len(self._buffer))
                self._buffer, self._skip = self._buffer[taken:], self._skip - taken
                if self._skip:
                    return binary
            if len(self._buffer) < 2:
                return binary
            opcode, length, header = self._buffer[0] & 0x0F, self._buffer[1] & 0x7F, 2
            if length == 126:
                header = 4
            elif length == 127:
                header = 10
            header += 4 if self._buffer[1] & 0x80 else 0
            if len(self._buffer) < header:
                return binary
            if length >= 126:
                length = int.from_bytes(self._buffer[2 : 4 if length == 126 else 10], "big")
            binary |= opcode == self.BINARY
            self._buffer, self._skip = self._buffer[header:], length


def press_to_first_frame(daemon: RunningDaemon, keys: Combo, stamps: FrameStamps, repetitions: int) -> list[float]:
    """Presses the combo ``repetitions`` times; returns the waits for the first audio frame at the server."""
    waits: list[float] = []
    for _ in range(repetitions):
        daemon.wait_for(lambda status: status["state"] == "idle", "idle")
        time.sleep(0.5)  # nothing of the previous utterance is still on its way
        pressed = keys.press()
        waits.append(stamps.first_after(pressed) - pressed)
        time.sleep(0.3)
        keys.release()
    return waits


def measure(repetitions: int, idle_seconds: float) -> DesktopResult:
    with contextlib.ExitStack() as stack:
        rig = _rig(stack)
        folder, display, microphone, env, wav, window = rig.folder, rig.display, rig.microphone, rig.env, rig.wav, rig.window
        seconds, silence = rig.seconds, rig.silence
        keys = Combo(display)
        stack.callback(keys.close)

        (folder / "local").mkdir(mode=0o700)
        local = start_daemon(folder / "local", {"backend": {"kind": "local"}}, env)
        try:
            time.sleep(5)  # start-up work (model warm-up, first connections) is over
            cpu, rss = idle_cost(local.process.pid, idle_seconds)
            window.focus("text")
            firsts, wholes, correct = release_to_text(local, keys, microphone, window, wav, repetitions)
        finally:
            local.stop()

        server = ServerProcess("engine", ())
        server.start()
        stack.callback(server.stop)
        port = int(server.url.split("//", 1)[1].split("/", 1)[0].rsplit(":", 1)[1])
        stamps = stack.enter_context(FrameStamps(port))
        path = server.url.split("//", 1)[1].split("/", 1)[1]
        (folder / "relayed").mkdir(mode=0o700)
        relayed = start_daemon(folder / "relayed",
                               {"backend": {"kind": "url", "url": f"ws://127.0.0.1:{stamps.port}/{path}"}}, env)
        try:
            first_frames = press_to_first_frame(relayed, keys, stamps, repetitions)
        finally:
            relayed.stop()
    return DesktopResult(seconds, silence, firsts, wholes, correct, first_frames, idle_seconds, cpu, rss)


def render(result: DesktopResult, command: str) -> str:
    """The ``BENCHMARKS.md`` section, from its ``##`` title to the end of its text."""
    release = summary(result.release_to_text)
    release_first = summary(result.release_to_first_text)
    first = summary(result.press_to_first_frame)
    lines = [
        SECTION_TITLE,
        "",
        f"Measured {datetime.date.today().isoformat()} on {cpu_model()}, {os.cpu_count()} cores (shared with other "
        "work, so timings are noisy). "
        f"Command: `{command}` (`benchmarks/desktop.py`).",
        "Xvfb, a PulseAudio null sink as the microphone, `dictation-daemon run` with the keystroke plugin typing",
        f"into a Tk text field; `{TALK}` is held (XTEST key events) while festival speech plays into the microphone.",
        "",
        "| measure | median | p95 | n |",
        "|---|---|---|---|",
        f"| key release → whole text in the field ({result.utterance_seconds:.1f} s utterance, local engine) | "
        f"{release[0]:.3f} s | {release[1]:.3f} s | {len(result.release_to_text)} |",
        f"| key release → first character in the field (same dictations) | "
        f"{release_first[0]:.3f} s | {release_first[1]:.3f} s | {len(result.release_to_first_text)} |",
        f"| key press → first audio frame at the server | {first[0] * 1000:.0f} ms | {first[1] * 1000:.0f} ms | "
        f"{len(result.press_to_first_frame)} |",
        "",
        f"Idle daemon with the local engine loaded, the microphone open for the pre-roll, the session warm and "
        f"the indicator shown, over {result.idle_seconds:.0f} s: CPU {result.idle_cpu_percent:.1f}% of one core "
        f"(the daemon and the indicator's process; target at most 1.5%: "
        f"{'met' if result.idle_cpu_percent <= 1.5 else '**missed**'}), RSS of the daemon "
        f"{statistics.median(result.idle_rss_mib):.0f} MiB (max {max(result.idle_rss_mib):.0f} MiB).",
        "",
        f"The field held the expected words in {result.correct_texts} of {len(result.release_to_text)} dictations. "
        f"The speech ends {result.silence_before_release:.1f} s before the release (a user finishes the sentence, then",
        "lets go), so the engine, which decodes ahead at a 0.15 s pause, often has the final ready by then; the wait",
        "is then the held-key check and the typing. Release → text runs from just before the talk key",
        "goes up to the first read of the field (every few ms, over its pipe) that shows the whole",
        f"dictation, which is when the field then stays unchanged for {QUIET_SECONDS:.0f} s. The press → first frame",
        "daemon uses `backend.url` through a loopback relay in front of the same engine in a server process;",
        "the relay stamps the first binary WebSocket frame after the press (the pre-roll, sent at once).",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repetitions", type=int, default=10, help="dictations and key presses timed")
    parser.add_argument("--idle-seconds", type=float, default=60.0, help="how long the idle daemon is watched")
    parser.add_argument("--no-write", action="store_true", help="print the section instead of writing BENCHMARKS.md")
    parser.add_argument("--compare", type=Path, metavar="TREE",
                        help="time release → text against the checkout in TREE, side by side")
    parser.add_argument("--compare-name", default="the earlier checkout", help="what to call TREE in the table")
    parser.add_argument("--utterance", default=UTTERANCE, help="what --compare dictates (spoken words)")
    arguments = parser.parse_args()
    command = " ".join(["python -m benchmarks.desktop", *sys.argv[1:]])
    if arguments.compare is not None:
        this, other, right_this, right_other = compare(arguments.repetitions, arguments.compare.resolve(),
                                                       arguments.utterance)
        section = render_comparison(this, other, (right_this, right_other), arguments.compare_name, command,
                                    arguments.utterance)
        print(section)
        if not arguments.no_write:
            name = "desktop comparison" + ("" if arguments.utterance == UTTERANCE else ", medical")
            replace_section(name, "python -m benchmarks.desktop --compare", section)
        return
    result = measure(arguments.repetitions, arguments.idle_seconds)
    section = render(result, command)
    print(section)
    if not arguments.no_write:
        replace_section("desktop", "python -m benchmarks.desktop", section)
        print(f"wrote the section to {REPORT}")


if __name__ == "__main__":
    main()
