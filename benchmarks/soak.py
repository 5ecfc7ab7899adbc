"""Hundreds of utterances through the daemon and its local engine: ``python -m benchmarks.soak [--utterances N]``.

A daemon that runs all day must not grow. This runs ``dictation-daemon run --headless`` as users run it
(a subprocess, the embedded Whisper engine, a PulseAudio null sink as its microphone) and drives it through
its socket: ``dictation.start``, a short stretch of listening, ``dictation.stop``, wait until the
utterance's text is in and the daemon idle, again. Festival speech plays into the microphone without a
break (one player loops a clip), so every utterance records real speech that the engine decodes;
playing a clip per utterance would spend most of the run on player start-up and leading silence, and
the daemon cannot tell the difference. The daemon's RSS (``VmRSS``) and open file descriptors
(``/proc/<pid>/fd``) are read after the warm-up and then along the run. Only counts are kept: no text.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from dictation_daemon.rpc.client import DaemonNotRunning, RpcClient
from testkit.rig.pulse import VirtualMicrophone, virtual_microphone
from testkit.speech import speech, with_pauses
from testkit.tones import as_wav

from .report import REPORT, cpu_model, replace_section

DAEMON = Path(sys.executable).parent / "dictation-daemon"
CLIP = ("the patient reports mild chest pain", "blood pressure is one twenty over eighty",
        "continue the current medication", "follow up in two weeks")
MAX_RSS_GROWTH = 0.10
RPC_TIMEOUT = 120.0


@dataclass
class Sample:
    """The daemon process after ``utterances`` utterances."""

    utterances: int
    rss_kib: int
    fds: int


@dataclass
class SoakResult:
    utterances: int
    warmup: int
    listen_seconds: float
    with_text: int
    seconds: float
    samples: list[Sample] = field(default_factory=list)

    @property
    def rss_growth(self) -> float:
        return self.samples[-1].rss_kib / self.samples[0].rss_kib - 1

    @property
    def fd_growth(self) -> int:
        return self.samples[-1].fds - self.samples[0].fds


def sample(pid: int, utterances: int) -> Sample:
    status = Path(f"/proc/{pid}/status").read_text()
    rss = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
    return Sample(utterances, rss, len(os.listdir(f"/proc/{pid}/fd")))


class LoopingPlayer:
    """Plays a WAV into the microphone over and over until stopped, as a speaker who never pauses long."""

    def __init__(self, microphone: VirtualMicrophone, wav: Path) -> None:
        self._microphone = microphone
        self._wav = wav
        self._stop = threading.Event()
        self._player: subprocess.Popen[bytes] | None = None
        self._thread = threading.Thread(target=self._run, name="looping-player", daemon=True)

    def __enter__(self) -> LoopingPlayer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._player is not None:
            self._player.terminate()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._player = self._microphone.play(str(self._wav), wait=False)
            self._player.wait()


def start_daemon(folder: Path, microphone: VirtualMicrophone) -> tuple[subprocess.Popen[bytes], Path]:
    socket = folder / "rpc" / "rpc.sock"
    config = {"backend": {"kind": "local"}, "hotkeys": {"enabled": False}, "rpc": {"socket_path": str(socket)},
              "logging": {"level": "WARNING"}}
    (folder / "config.yaml").write_text(yaml.safe_dump(config))
    log = (folder / "daemon.log").open("wb")
    process = subprocess.Popen([str(DAEMON), "run", "--headless", "--config", str(folder / "config.yaml")],
                               env=microphone.env, stdout=subprocess.DEVNULL, stderr=log)
    deadline = time.monotonic() + 120
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"the daemon exited:\n{(folder / 'daemon.log').read_text()}")
        try:
            with RpcClient(socket) as client:
                status = client.call("status")
            if status["session"]["ready"] and status["state"] == "idle":
                return process, socket
        except (DaemonNotRunning, ConnectionError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError("the daemon did not become ready")
        time.sleep(0.2)


def utterance(client: RpcClient, listen_seconds: float) -> int:
    """One start, listening, stop; returns how many final segments with text the utterance produced."""
    if client.call("dictation.start")["state"] != "listening":
        raise RuntimeError("the daemon did not start listening")
    time.sleep(listen_seconds)
    client.call("dictation.stop")
    finals = 0
    while True:
        message: dict[str, Any] = client.receive()
        params = message["params"]
        if message["method"] == "transcript" and params["isFinal"] and params["text"].strip():
            finals += 1
        elif message["method"] == "state" and params["previous"] == "finishing":
            if params["state"] != "idle":
                raise RuntimeError(f"the utterance ended in {params['state']}: {params['reason']}")
            return finals


def measure(utterances: int, warmup: int, listen_seconds: float, every: int) -> SoakResult:
    with tempfile.TemporaryDirectory(prefix="dictation-soak-") as work, virtual_microphone() as microphone:
        folder = Path(work)
        samples = with_pauses([0.3, *(part for text in CLIP for part in (speech(text), 0.5))])
        clip = folder / "clip.wav"
        clip.write_bytes(as_wav((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes()))
        process, socket = start_daemon(folder, microphone)
        try:
            with LoopingPlayer(microphone, clip), RpcClient(socket, timeout=RPC_TIMEOUT) as client:
                for _ in range(warmup):
                    utterance(client, listen_seconds)
                result = SoakResult(utterances, warmup, listen_seconds, 0, 0.0, [sample(process.pid, 0)])
                started = time.monotonic()
                for done in range(1, utterances + 1):
                    result.with_text += utterance(client, listen_seconds) > 0
                    if done % every == 0 or done == utterances:
                        result.samples.append(sample(process.pid, done))
                        print(f"{done} utterances: RSS {result.samples[-1].rss_kib} KiB, "
                              f"{result.samples[-1].fds} fds", file=sys.stderr, flush=True)
                result.seconds = time.monotonic() - started
        finally:
            process.terminate()
            process.wait(timeout=60)
    return result


def render(result: SoakResult, command: str) -> str:
    first, last = result.samples[0], result.samples[-1]
    rss_ok = result.rss_growth < MAX_RSS_GROWTH
    fd_ok = result.fd_growth <= 0
    lines = [
        "## Soak: utterances through the daemon and the local engine",
        "",
        f"`dictation-daemon run --headless` with the embedded engine, driven through its socket: "
        f"{result.warmup} warm-up utterances, then {result.utterances} measured, each "
        f"`dictation.start`, {result.listen_seconds:.1f} s of listening, `dictation.stop`, and the wait for "
        "idle (tail recorded, flushed, every final delivered). Festival speech plays into the PulseAudio "
        "null sink without a break, so each utterance records real speech that the engine decodes; "
        f"{result.with_text} of {result.utterances} utterances produced text. The run took "
        f"{result.seconds / 60:.1f} min ({result.seconds / result.utterances:.2f} s per utterance).",
        "",
        "| | after warm-up | end | growth | target | |",
        "|---|---:|---:|---:|---|---|",
        f"| RSS | {first.rss_kib / 1024:.1f} MiB | {last.rss_kib / 1024:.1f} MiB | {result.rss_growth:+.1%} | "
        f"under +{MAX_RSS_GROWTH:.0%} | {'met' if rss_ok else '**missed**'} |",
        f"| open file descriptors | {first.fds} | {last.fds} | {result.fd_growth:+d} | no growth | "
        f"{'met' if fd_ok else '**missed**'} |",
        "",
        "Along the run: " + ", ".join(f"{s.utterances}: {s.rss_kib / 1024:.1f} MiB / {s.fds} fds"
                                      for s in result.samples) + ".",
        "",
        f"Measured {datetime.date.today().isoformat()} on {cpu_model()}, {os.cpu_count()} cores (shared with "
        f"other work), Python {platform.python_version()}, with `{command}`.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--utterances", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=20, help="utterances before the first measurement")
    parser.add_argument("--listen-seconds", type=float, default=0.8, help="listening per utterance")
    parser.add_argument("--every", type=int, default=50, help="utterances between measurements")
    parser.add_argument("--no-write", action="store_true", help="print the section instead of writing BENCHMARKS.md")
    arguments = parser.parse_args()
    result = measure(arguments.utterances, arguments.warmup, arguments.listen_seconds, arguments.every)
    section = render(result, " ".join(["python -m benchmarks.soak", *sys.argv[1:]]))
    print(section)
    if not arguments.no_write:
        replace_section("soak", "python -m benchmarks.soak", section)
        print(f"wrote the section to {REPORT}")
    if result.rss_growth >= MAX_RSS_GROWTH or result.fd_growth > 0:
        sys.exit(1)


if __name__ == "__main__":
    main()
