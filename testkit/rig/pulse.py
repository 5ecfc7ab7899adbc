"""A private PulseAudio server with a null sink whose monitor is the capture device: a virtual microphone.

Audio played into the sink (``paplay --device=<sink>``) is what the daemon records, so tests speak into
the microphone with real generated speech.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class VirtualMicrophone:
    """A running PulseAudio with a null sink; ``env`` points clients at it."""

    env: dict[str, str]
    sink: str

    @property
    def source(self) -> str:
        return f"{self.sink}.monitor"

    def play(self, wav_path: str, *, wait: bool = True) -> subprocess.Popen[bytes]:
        """Plays a file into the microphone; returns the player process (already finished when ``wait``)."""
        player = subprocess.Popen(["paplay", f"--device={self.sink}", wav_path], env=self.env)
        if wait:
            player.wait(timeout=120)
        return player

    def pactl(self, *arguments: str) -> str:
        return subprocess.run(["pactl", *arguments], env=self.env, capture_output=True, text=True, check=True).stdout


@contextmanager
def virtual_microphone(sink: str = "dictation_test_mic") -> Iterator[VirtualMicrophone]:
    """Starts a PulseAudio server in a private runtime folder and yields its virtual microphone."""
    if shutil.which("pulseaudio") is None:
        raise RuntimeError("pulseaudio is not installed (Debian package pulseaudio; `make install` installs it)")
    runtime = tempfile.mkdtemp(prefix="dictation-pulse-")
    os.chmod(runtime, 0o700)
    env = {**os.environ, "XDG_RUNTIME_DIR": runtime, "PULSE_RUNTIME_PATH": f"{runtime}/pulse"}
    env.pop("PULSE_SERVER", None)
    process = subprocess.Popen(
        [
            "pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--disallow-exit", "--use-pid-file=no",
            "--load=module-native-protocol-unix",
            f"--load=module-null-sink sink_name={sink}",
            "--load=module-always-sink",
        ],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    microphone = VirtualMicrophone(env, sink)
    try:
        deadline = time.monotonic() + 15
        while subprocess.run(["pactl", "info"], env=env, capture_output=True).returncode != 0:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("PulseAudio did not start")
            time.sleep(0.1)
        microphone.pactl("set-default-source", microphone.source)
        microphone.pactl("set-default-sink", sink)
        yield microphone
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(runtime, ignore_errors=True)
