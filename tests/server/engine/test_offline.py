"""Recognition needs no network: it runs in a process that cannot reach anything but itself."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from testkit.speech import speech_file

pytestmark = pytest.mark.engine

REPO_ROOT = Path(__file__).resolve().parents[3]

# Runs inside the isolated process. The audit hook fails any connection to anything but loopback, so the
# test holds even where a network namespace cannot be made.
RECOGNISE = r"""
import ipaddress, socket, sys

def refuse_remote(event, args):
    if event == "socket.connect" and args[0].family in (socket.AF_INET, socket.AF_INET6):
        host = args[1][0]
        if not ipaddress.ip_address(host).is_loopback:
            raise OSError(f"network access attempted: {host}")
    if event == "socket.getaddrinfo" and args[0] not in ("localhost", "127.0.0.1", "::1", None):
        raise OSError(f"name lookup attempted: {args[0]}")

sys.addaudithook(refuse_remote)

from testkit.speech import read_wav
from dictation_daemon.protocol.messages import TranscribeConfig
from dictation_daemon.server.engine import WhisperRecognizer

stream = WhisperRecognizer().open_stream(TranscribeConfig(primary_language="en"))
samples = read_wav(__import__("pathlib").Path(sys.argv[1]))
segments = stream.accept_audio(samples) + stream.finish()
print(" ".join(segment.words for segment in segments))
"""


def isolation_prefix() -> list[str]:
    """``unshare -rn`` (a private network namespace with no interfaces) where the kernel allows it."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-rn", "true"], capture_output=True).returncode == 0:
        return [unshare, "-rn"]
    return []


def test_recognition_runs_with_no_network(tmp_path: Path) -> None:
    clip = speech_file("no shortness of breath")
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("HF_", "HUGGINGFACE"))
    }
    environment["HOME"] = str(tmp_path)  # no cached hub files to fall back on
    environment["PYTHONPATH"] = str(REPO_ROOT)
    result = subprocess.run(
        [*isolation_prefix(), sys.executable, "-c", RECOGNISE, str(clip)],
        capture_output=True,
        text=True,
        env=environment,
        cwd=REPO_ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "shortness of breath" in result.stdout.lower()
