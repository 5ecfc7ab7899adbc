"""The daemon as users run it, ``dictation-daemon run`` in a subprocess, for tests and benchmarks alike."""

from __future__ import annotations

import subprocess
import sys
import time
import wave
from pathlib import Path
from typing import Any

import numpy as np

from dictation_daemon.rpc.client import DaemonNotRunning, RpcClient

DAEMON = Path(sys.executable).parent / "dictation-daemon"
TALK = "ctrl+alt+d"
"""The push-to-talk combo the rig's daemons are configured with."""


def write_wav(samples: np.ndarray, path: Path) -> Path:
    """16 kHz mono PCM16 WAV of float samples."""
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(16000)
        wav.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return path


class RunningDaemon:
    """A daemon subprocess and the ways a test talks to it: its socket, xdotool on its screen."""

    def __init__(self, process: subprocess.Popen[bytes], env: dict[str, str], socket: Path, log: Path) -> None:
        self.process = process
        self.env = env
        self.socket = socket
        self.log = log

    def stop(self) -> None:
        """SIGTERM, as systemd stops it; killed if it has not exited 20 s later."""
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def call(self, method: str) -> Any:
        with RpcClient(self.socket) as client:
            return client.call(method)

    def cli(self, *arguments: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(DAEMON), *arguments, "--socket", str(self.socket)], env=self.env,
                              capture_output=True, text=True, timeout=30)

    def xdotool(self, *arguments: str) -> None:
        subprocess.run(["xdotool", *arguments], env=self.env, check=True)

    def wait_for(self, predicate: Any, what: str, timeout: float = 60) -> dict[str, Any]:
        """Polls ``status`` until ``predicate(status)`` holds."""
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise AssertionError(f"the daemon exited ({self.process.returncode}):\n{self.log.read_text()}")
            try:
                status = self.call("status")
                if predicate(status):
                    return status
            except (DaemonNotRunning, ConnectionError):
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}:\n{self.log.read_text()}")
            time.sleep(0.1)

    def wait_idle(self) -> dict[str, Any]:
        return self.wait_for(lambda status: status["state"] == "idle", "the daemon to be idle")


def launch(config_file: Path, env: dict[str, str], socket: Path, log: Path, *arguments: str,
           ready_timeout: float = 60) -> RunningDaemon:
    """Runs ``dictation-daemon run --config config_file`` with its stderr in ``log``, once it is ready."""
    process = subprocess.Popen([str(DAEMON), "run", "--config", str(config_file), *arguments],
                               env=env, stdout=subprocess.DEVNULL, stderr=log.open("wb"))
    daemon = RunningDaemon(process, env, socket, log)
    try:
        daemon.wait_for(lambda status: status["session"]["ready"] and status["state"] == "idle",
                        "the daemon to be ready", ready_timeout)
    except BaseException:
        process.kill()
        process.wait()
        raise
    return daemon
