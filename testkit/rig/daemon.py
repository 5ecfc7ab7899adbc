"""The daemon as users run it, ``dictation-daemon run`` in a subprocess, for tests and benchmarks alike."""

from __future__ import annotations

import subprocess
import sys
import time
import wave
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from dictation_daemon.rpc.client import DaemonNotRunning, RpcClient
from testkit.speech import speech, with_pauses

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
        with RpcClient.connect(self.socket) as client:  # the Unix socket, or loopback TCP by its endpoint file
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


def spoken(tmp_path: Path, name: str, *parts: str | float) -> Path:
    """A WAV of the festival voice saying the text parts, numbers being seconds of silence."""
    clips = [part if isinstance(part, (int, float)) else speech(part) for part in parts]
    return write_wav(with_pauses([0.2, *clips, 0.3]), tmp_path / f"{name}.wav")


def words(text: str) -> list[str]:
    """Lower-case words without punctuation, for comparing recognised text where exact words vary."""
    return "".join(char.lower() if char.isalnum() or char.isspace() else " " for char in text).split()


def finals_until_idle(listener: Any) -> tuple[list[str], list[str]]:
    """Final texts and state names a socket client is notified of, up to and including the next idle."""
    finals: list[str] = []
    states: list[str] = []
    while "idle" not in states:
        message = listener.receive()
        if message["method"] == "transcript" and message["params"]["isFinal"]:
            finals.append(message["params"]["text"])
        elif message["method"] == "state":
            states.append(message["params"]["state"])
    return finals, states


class ConfiguredDaemon(RunningDaemon):
    """A running daemon and its configuration file, which a test rewrites before sending SIGHUP."""

    def __init__(self, running: RunningDaemon, config_file: Path) -> None:
        super().__init__(running.process, running.env, running.socket, running.log)
        self.config_file = config_file

    def write_config(self, settings: dict[str, Any]) -> None:
        self.config_file.write_text(yaml.safe_dump(settings))


def daemon_settings(socket: Path, **sections: dict[str, Any]) -> dict[str, Any]:
    """The local engine, the test hotkey, no plugin that types, a private socket; ``sections`` override."""
    settings: dict[str, Any] = {"backend": {"kind": "local"}, "hotkeys": {"talk": TALK},
                                "plugins": {"enabled": []}, "rpc": {"socket_path": str(socket)}}
    for section, values in sections.items():
        settings[section] = {**settings.get(section, {}), **values}
    return settings
