"""Corti's official JavaScript SDK (``@corti/sdk``) dictates to the local server as it would to Corti.

``transcribe.mjs`` uses the SDK's own transcribe socket: config, CONFIG_ACCEPTED, audio at real-time pace,
flush, end. Tone bursts stand for known phrases (:class:`ScriptedRecognizer`), so every message is exact.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

from dictation_daemon.audio.encoding import OggOpusEncoder
from dictation_daemon.server.app import LocalServer
from testkit.scripted import ScriptedRecognizer

HERE = Path(__file__).parent
RATE = 16000
CHUNK_SECONDS = 0.25

SCRIPT = {440.0: "the patient is well period", 660.0: "next section", 880.0: "no complaints period"}
TONES = [440.0, 660.0, 880.0]
EXPECTED_FINALS = [
    {"text": "the patient is well.", "rawTranscriptText": "the patient is well period"},
    {"text": "no complaints.", "rawTranscriptText": "no complaints period"},
]


def _require(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.fail(f"{tool} is not installed: the @corti/sdk test needs Node.js and npm (Debian: apt-get install nodejs npm)")
    return path


@pytest.fixture(scope="module")
def node() -> str:
    """The node binary, with the pinned SDK installed from package-lock.json (on a fresh clone, or after the pin changes)."""
    node = _require("node")
    pinned = json.loads((HERE / "package.json").read_text())["dependencies"]["@corti/sdk"]
    installed = HERE / "node_modules" / "@corti" / "sdk" / "package.json"
    if not installed.is_file() or json.loads(installed.read_text())["version"] != pinned:
        result = subprocess.run([_require("npm"), "ci", "--no-audit", "--no-fund"], cwd=HERE,
                                capture_output=True, text=True, timeout=300)
        if result.returncode != 0:
            pytest.fail(f"npm ci failed in {HERE}:\n{result.stdout}\n{result.stderr}")
    return node


def _dictation() -> np.ndarray:
    """Three 0.6 s tone bursts between 0.8 s of silence, as 16-bit mono PCM."""
    silence = np.zeros(int(0.8 * RATE), dtype=np.float32)
    t = np.arange(int(0.6 * RATE)) / RATE
    parts = [silence]
    for frequency in TONES:
        parts += [0.3 * np.sin(2 * np.pi * frequency * t).astype(np.float32), silence]
    return (np.concatenate(parts) * 32767).astype(np.int16)


def _write_wav(path: Path, pcm: np.ndarray) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(pcm.tobytes())


def _write_ogg_opus(path: Path, pcm: np.ndarray) -> None:
    encoder = OggOpusEncoder(RATE)
    step = int(CHUNK_SECONDS * RATE)
    data = b"".join(encoder.encode(pcm[i:i + step].tobytes()) for i in range(0, len(pcm), step))
    path.write_bytes(data + encoder.close())


async def _dictate(node: str, audio: Path, *extra: str) -> tuple[int, list[dict], str]:
    async with LocalServer(ScriptedRecognizer(SCRIPT)) as server:
        process = await asyncio.create_subprocess_exec(
            node, str(HERE / "transcribe.mjs"), server.url, str(audio), *extra,
            cwd=HERE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )
        try:
            stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=90)
        finally:
            if process.returncode is None:
                process.kill()
    messages = [json.loads(line) for line in stdout.decode().splitlines() if line.strip()]
    return process.returncode, messages, stderr.decode()


def _check_session(returncode: int, messages: list[dict], stderr: str) -> None:
    assert returncode == 0, f"transcribe.mjs failed:\n{stderr}\nmessages: {messages}"
    types = [message["type"] for message in messages]

    accepted = messages[0]
    assert accepted["type"] == "CONFIG_ACCEPTED" and accepted["sessionId"], messages
    assert types.count("CONFIG_ACCEPTED") == 1, "one session, no reconnect"
    # Results first, then flushed; end then adds nothing but usage and ended.
    assert types[-3:] == ["flushed", "usage", "ended"], types
    assert messages[-2]["credits"] >= 0

    results = messages[1:-3]
    finals = [m["data"] for m in results if m["type"] == "transcript" and m["data"]["isFinal"] and m["data"]["text"]]
    assert [{key: final[key] for key in ("text", "rawTranscriptText")} for final in finals] == EXPECTED_FINALS
    commands = [m["data"] for m in results if m["type"] == "command"]
    assert [(c["id"], c["rawTranscriptText"]) for c in commands] == [("next_section", "next section")]
    # The command lies between the two sentences, in the stream and in time.
    order = [m["data"]["rawTranscriptText"] for m in results
             if m["type"] == "command" or (m["type"] == "transcript" and m["data"]["text"])]
    assert order == ["the patient is well period", "next section", "no complaints period"]
    assert finals[0]["end"] <= commands[0]["start"] < commands[0]["end"] <= finals[1]["start"]


@pytest.mark.parametrize("container", ["wav", "ogg-opus"])
def test_sdk_dictates_flushes_and_ends(node: str, tmp_path: Path, container: str) -> None:
    pcm = _dictation()
    audio = tmp_path / f"dictation.{container}"
    if container == "wav":
        _write_wav(audio, pcm)
        options: tuple[str, ...] = ()  # no audioFormat: the server sniffs the WAV header
    else:
        _write_ogg_opus(audio, pcm)
        chunk_bytes = audio.stat().st_size * CHUNK_SECONDS * RATE / len(pcm)
        options = ("--audio-format", "audio/ogg; codecs=opus", "--chunk-bytes", str(int(chunk_bytes) + 1))
    _check_session(*asyncio.run(_dictate(node, audio, *options)))


def test_sdk_with_headers_as_subprotocols(node: str, tmp_path: Path) -> None:
    """``encodeHeadersAsWsProtocols`` (for gateways that strip headers) offers the headers as subprotocols."""
    audio = tmp_path / "dictation.wav"
    _write_wav(audio, _dictation())
    _check_session(*asyncio.run(_dictate(node, audio, "--headers-as-protocols")))
