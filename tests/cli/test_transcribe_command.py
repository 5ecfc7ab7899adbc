"""``dictation-daemon transcribe FILE``: real files, a real server, the real command line."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
import wave
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from dictation_daemon.audio.files import read_pcm16
from dictation_daemon.server.app import LocalServer
from testkit.scripted import ScriptedRecognizer
from testkit.speech import speech, speech_file, with_pauses
from testkit.tones import SCRIPT, as_wav, encode_with_pyav, tones

THREE_PHRASES = tones((None, 0.3), (440, 0.6), (None, 0.6), (660, 0.6), (None, 0.6), (880, 0.6), (None, 0.3))
ENVIRONMENT = {key: value for key, value in os.environ.items() if not key.startswith("CORTI_")}


def dictation_daemon(*arguments: str, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dictation_daemon", *arguments], capture_output=True,
                          text=True, timeout=timeout, env=ENVIRONMENT)


@pytest.fixture(scope="module")
def scripted_server() -> Iterator[str]:
    """A local server with the tone-scripted recognizer, running in a thread for subprocess clients."""
    ready: list[str] = []
    stop = threading.Event()

    async def serve() -> None:
        async with LocalServer(ScriptedRecognizer(SCRIPT)) as server:
            ready.append(server.url)
            while not stop.is_set():
                await asyncio.sleep(0.05)

    thread = threading.Thread(target=asyncio.run, args=(serve(),), daemon=True)
    thread.start()
    while not ready:
        thread.join(0.05)
    yield ready[0]
    stop.set()
    thread.join(5)


@pytest.mark.parametrize("suffix, encode", [
    (".wav", as_wav),
    (".ogg", lambda pcm: encode_with_pyav(pcm, "ogg", "libopus")),
    (".mp3", lambda pcm: encode_with_pyav(pcm, "mp3", "libmp3lame", rate=16000)),
])
def test_files_of_each_format_are_transcribed(scripted_server: str, tmp_path: Path, suffix: str, encode) -> None:
    audio = tmp_path / f"dictation{suffix}"
    audio.write_bytes(encode(THREE_PHRASES))
    result = dictation_daemon("transcribe", str(audio), "--url", scripted_server, "--fast")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().lower() == "patient is stable plan as discussed"


def test_json_prints_every_message(scripted_server: str, tmp_path: Path) -> None:
    audio = tmp_path / "dictation.wav"
    audio.write_bytes(as_wav(THREE_PHRASES))
    result = dictation_daemon("transcribe", str(audio), "--url", scripted_server, "--json", "--fast")
    assert result.returncode == 0, result.stderr
    messages = [json.loads(line) for line in result.stdout.splitlines()]
    types = [message["type"] for message in messages]
    assert types[0] == "CONFIG_ACCEPTED" and types[-2:] == ["usage", "ended"]
    assert "command" in types and any(m["type"] == "transcript" and not m["data"]["isFinal"] for m in messages)


def test_unreadable_file_and_bad_config_fail_with_one_clear_line(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.wav"
    garbage.write_bytes(b"not audio at all" * 100)
    result = dictation_daemon("transcribe", str(garbage), "--url", "ws://127.0.0.1:9/")
    assert result.returncode == 2 and "cannot read audio from" in result.stderr and "Traceback" not in result.stderr
    config = tmp_path / "config.yaml"
    config.write_text("transcription:\n  language: en\n  interim_result: true\n")
    result = dictation_daemon("transcribe", str(garbage), "--config", str(config))
    assert result.returncode == 2 and "transcription.interim_result (line 3)" in result.stderr


def test_unreachable_server_is_reported_plainly(tmp_path: Path) -> None:
    audio = tmp_path / "dictation.wav"
    audio.write_bytes(as_wav(tones((440, 0.5))))
    result = dictation_daemon("transcribe", str(audio), "--url", "ws://127.0.0.1:9/audio-bridge/v2/transcribe")
    assert result.returncode == 2 and "cannot connect" in result.stderr and "Traceback" not in result.stderr


def test_config_check_names_field_and_line(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text("transcription:\n  language: en-GB\n")
    assert dictation_daemon("config", "check", str(good)).returncode == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("engine:\n  max_concurrent_decodes: many\n")
    result = dictation_daemon("config", "check", str(bad))
    assert result.returncode == 1 and "engine.max_concurrent_decodes (line 2)" in result.stdout
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("transcription:\n  language: en\n# Fran\u00e7ois\n".encode("latin-1"))
    result = dictation_daemon("config", "check", str(latin1))
    assert result.returncode == 1 and "line 3: the file is not UTF-8 text" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.engine
@pytest.mark.parametrize("suffix", [".wav", ".ogg", ".mp3"])
def test_embedded_engine_transcribes_speech_without_credentials(tmp_path: Path, suffix: str) -> None:
    """No CORTI_* variables: the embedded engine starts in-process and formats the text."""
    wav = speech_file("Give two hundred milligrams of ibuprofen twice daily period")
    audio = tmp_path / f"speech{suffix}"
    if suffix == ".wav":
        audio.write_bytes(wav.read_bytes())
    else:
        codec = "libopus" if suffix == ".ogg" else "libmp3lame"
        audio.write_bytes(encode_with_pyav(read_pcm16(wav), suffix[1:], codec, rate=48000 if codec == "libopus" else 16000))
    result = dictation_daemon("transcribe", str(audio), "--fast")
    assert result.returncode == 0, result.stderr
    assert "200 mg of ibuprofen" in result.stdout and result.stdout.strip().endswith(".")


@pytest.mark.engine
def test_embedded_engine_json_has_interims_finals_and_commands(tmp_path: Path) -> None:
    samples = with_pauses([speech("The lungs are clear period"), 0.8, speech("next section"), 0.8,
                           speech("Plan follow up in two weeks period")])
    audio = tmp_path / "dictation.wav"
    with wave.open(str(audio), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes((np.clip(samples, -1, 1) * 32767).astype(np.int16).tobytes())
    result = dictation_daemon("transcribe", str(audio), "--json", "--fast")
    assert result.returncode == 0, result.stderr
    messages = [json.loads(line) for line in result.stdout.splitlines()]
    assert any(m["type"] == "transcript" and not m["data"]["isFinal"] for m in messages)
    assert any(m["type"] == "transcript" and m["data"]["isFinal"] for m in messages)
    assert [m["data"]["id"] for m in messages if m["type"] == "command"] == ["next_section"]


def test_config_check_refuses_what_run_and_serve_would(tmp_path: Path) -> None:
    tokens = tmp_path / "tokens"
    tokens.write_text("a-token\n")
    tokens.chmod(0o644)
    config = tmp_path / "serve.yaml"
    config.write_text(f"server:\n  tokens_file: {tokens}\n")
    result = dictation_daemon("config", "check", str(config))
    assert result.returncode == 1 and "accessible to other users" in result.stdout
    long_path = tmp_path / ("x" * 120) / "rpc.sock"
    config.write_text(f"rpc:\n  socket_path: {long_path}\n")
    result = dictation_daemon("config", "check", str(config))
    assert result.returncode == 1 and "rpc.socket_path (line 2)" in result.stdout
    assert "at most 107 bytes" in result.stdout
    assert not long_path.parent.exists()
    config.write_text("transcription:\n  replacements:\n" + "    - {find: ' ', replace: '  '}\n" * 20)
    result = dictation_daemon("config", "check", str(config))
    assert result.returncode == 1 and "would grow a final by more than 16384 characters" in result.stdout


def test_an_empty_recording_is_an_error_and_silence_prints_no_empty_line(scripted_server: str, tmp_path: Path) -> None:
    empty = tmp_path / "empty.wav"
    with wave.open(str(empty), "wb") as file:
        file.setnchannels(1)
        file.setsampwidth(2)
        file.setframerate(16000)
    result = dictation_daemon("transcribe", str(empty), "--url", scripted_server, "--fast")
    assert result.returncode == 2 and "holds no audio samples" in result.stderr and result.stdout == ""
    silent = tmp_path / "silent.wav"
    silent.write_bytes(as_wav(tones((None, 2.0))))
    result = dictation_daemon("transcribe", str(silent), "--url", scripted_server, "--fast")
    assert result.returncode == 0 and result.stdout == "" and "no speech was recognised" in result.stderr
