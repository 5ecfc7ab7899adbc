"""A well-behaved dictation against ``serve`` while one client attacks it the five ways that used to work.

``serve`` runs as its own process with the real engine (Whisper tiny.en and the medical lexicon) and its
shipped limits (16 sessions). A user's client dictates the same sentence again and again at real-time pace
and times its flush → flushed; each attack runs for a block of dictations, right after a block without it,
so each ratio compares two measurements taken minutes apart on the same machine. The server's resident
memory is sampled throughout. The attacks:

1. command matching: an enum between five wildcards, in sessions streaming speech full of the enum's value;
2. replacements: twenty-four rules that each double the spaces, on speech;
3. validation: configurations of 20,000 commands (1 MB), and the largest accepted (1000 commands), one
   session after another;
4. bad audio: WAV headers declaring a sample rate of 0 or 0xFFFFFFFF, one session after another;
5. idle sessions: as many sessions as the server holds, opened, configured and left (reopened when ended).

Every dictation must come back whole. ``python -m benchmarks.attack`` writes its section of ``BENCHMARKS.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import json
import multiprocessing
import os
import statistics
import struct
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path

from websockets.asyncio.client import connect
from websockets.exceptions import WebSocketException

from benchmarks.report import cpu_model, replace_section
from dictation_daemon.client.errors import SessionError
from dictation_daemon.client.session import TranscribeSession
from dictation_daemon.client.streaming import stream_pcm
from dictation_daemon.protocol.messages import TranscribeConfig, Transcript
from dictation_daemon.server.app import EVICTABLE_IDLE_SECONDS
from testkit.speech import speech

COMMAND = "python -m benchmarks.attack"
SENTENCE = "the patient reports chest pain since yesterday"
ATTACK_SPEECH = "alpha beta alpha beta the plan is alpha then beta and alpha again"
MAX_RSS_MIB = 600.0
MAX_RATIO = 2.0
CONFIG = TranscribeConfig(primary_language="en", spoken_punctuation=True)


@dataclass(frozen=True)
class Measured:
    """One attack's block of dictations beside the block without it just before."""

    name: str
    quiet: list[float]
    attacked: list[float]
    attack_rounds: int

    @property
    def ratio(self) -> float:
        return statistics.median(self.attacked) / statistics.median(self.quiet)


class Server:
    """``dictation-daemon serve`` on a free loopback port, with its peak resident memory sampled."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "dictation_daemon", "serve", "--port", "0", "--max-sessions", "16"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line.startswith("listening on "):
            raise RuntimeError(f"serve did not start: {line!r}")
        self.url = line.removeprefix("listening on ").strip()
        self.peak_rss_mib = 0.0

    def sample(self) -> None:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        rss_kib = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
        self.peak_rss_mib = max(self.peak_rss_mib, rss_kib / 1024)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)


async def dictate(url: str, pcm16: bytes) -> float:
    """One dictation at real-time pace; the seconds from its flush to ``flushed``. Raises if text was lost
    or the server had no room for it (HTTP 503)."""
    session = await TranscribeSession.open(url, CONFIG)
    finals: list[str] = []

    async def read() -> None:
        async for message in session.events():
            if isinstance(message, Transcript) and message.data.is_final:
                finals.append(message.data.raw_transcript_text)

    reader = asyncio.create_task(read())
    try:
        await session.wait_accepted()
        await stream_pcm(session, pcm16, realtime=True)
        started = time.perf_counter()
        await session.flush(timeout=120)
        waited = time.perf_counter() - started
    finally:
        await session.close()
        await reader
    if " ".join(finals) != SENTENCE:
        raise RuntimeError(f"the dictation came back as {finals!r}")
    return waited


async def matching_attack(url: str, pcm16: bytes) -> None:
    variables = [{"key": "e", "type": "enum", "enum": ["alpha", "beta"]}]
    variables += [{"key": f"w{number}", "type": "wildcard"} for number in range(5)]
    phrase = "{e} {w0} {e} {w1} {e} {w2} {e} {w3} {e} {w4} {e} zzzq"
    commands = [{"id": "slow", "phrases": [phrase], "variables": variables}]
    await _speak_with(url, TranscribeConfig.model_validate(CONFIG.to_wire() | {"commands": commands}), pcm16)


async def replacement_attack(url: str, pcm16: bytes) -> None:
    config = CONFIG.to_wire() | {"replacements": [{"find": " ", "replace": "  "}] * 24}
    await _speak_with(url, TranscribeConfig.model_validate(config), pcm16)


async def _speak_with(url: str, config: TranscribeConfig, pcm16: bytes) -> None:
    """Speech at real-time pace, as any client sends it: the attack is in the configuration, and sending
    faster than spoken is bounded separately (``server.max_audio_speed``)."""
    session = await TranscribeSession.open(url, config)
    try:
        await session.wait_accepted()
        await stream_pcm(session, pcm16, realtime=True)
        await session.flush(timeout=120)
    finally:
        await session.close()


HUGE_CONFIG = json.dumps({"type": "config", "configuration": {
    "primaryLanguage": "en", "commands": [{"id": f"c{number}", "phrases": [f"do thing {number}"]}
                                          for number in range(20_000)]}})
"""The 1 MB configuration of the report (20,000 commands): refused unread now."""
LARGEST_ACCEPTED = json.dumps({"type": "config", "configuration": {
    "primaryLanguage": "en", "commands": [
        {"id": f"c{number}", "phrases": [f"please do the thing number {number} {word} now" for word in
                                         ("right", "at once", "for the patient in bed four")]}
        for number in range(1000)]}})
"""As heavy a configuration as is accepted: 1000 commands of three phrases, about 240 KB."""


async def validation_attack(url: str, _pcm16: bytes) -> None:
    for frame in (HUGE_CONFIG, LARGEST_ACCEPTED):
        async with connect(url, max_size=None) as websocket:
            await websocket.send(frame)
            await websocket.recv()


async def bad_audio_attack(url: str, _pcm16: bytes) -> None:
    for rate in (0, 0xFFFFFFFF):
        header = b"RIFF" + struct.pack("<I", 36) + b"WAVEfmt " + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2 % 2**32, 2, 16)
        header += b"data" + struct.pack("<I", 0)
        async with connect(url) as websocket:
            await websocket.send(json.dumps({"type": "config", "configuration": {
                "primaryLanguage": "en", "audioFormat": "audio/wav"}}))
            await websocket.recv()
            await websocket.send(header + bytes(3200))
            with contextlib.suppress(WebSocketException):
                while True:
                    await asyncio.wait_for(websocket.recv(), 10)


async def hold_idle_session(url: str, _pcm16: bytes) -> None:
    """One configured session, open and silent until the server ends it."""
    async with connect(url) as websocket:
        await websocket.send(json.dumps({"type": "config", "configuration": {"primaryLanguage": "en"}}))
        async for _ in websocket:
            pass


ATTACKS: dict[str, Callable[[str, bytes], Awaitable[None]]] = {
    "1. command matching (enum between five wildcards)": matching_attack,
    "2. replacements doubling the spaces, 24 rules": replacement_attack,
    "3. configurations of 20,000 commands, and of 1000": validation_attack,
    "4. WAV headers with sample rate 0 / 0xFFFFFFFF": bad_audio_attack,
    "5. 16 idle sessions held open": hold_idle_session,
}


def attack_forever(name: str, url: str, rounds: Synchronized) -> None:  # type: ignore[type-arg]
    """The attacker's process: two clients repeating the attack (sixteen for the idle sessions, as many
    as the server holds) until it is terminated; ``rounds`` counts the attacks made."""
    attack = ATTACKS[name]
    pcm16 = _pcm16(speech(ATTACK_SPEECH))

    async def keep_attacking() -> None:
        while True:
            with contextlib.suppress(OSError, WebSocketException, SessionError, TimeoutError):
                await attack(url, pcm16)
            with rounds.get_lock():
                rounds.value += 1

    async def main() -> None:
        await asyncio.gather(*(keep_attacking() for _ in range(16 if attack is hold_idle_session else 2)))

    asyncio.run(main())


async def measure(server: Server, dictations: int) -> list[Measured]:
    pcm16 = _pcm16(speech(SENTENCE))
    speech(ATTACK_SPEECH)  # synthesized now, not while measuring
    sampler = asyncio.create_task(_sample(server))
    await dictate(server.url, pcm16)  # the model warmed up
    results = []
    for name, attack in ATTACKS.items():
        quiet = [await dictate(server.url, pcm16) for _ in range(dictations)]
        rounds = multiprocessing.Value("i", 0)
        attacker = multiprocessing.Process(target=attack_forever, args=(name, server.url, rounds), daemon=True)
        attacker.start()
        # under way: long enough for held sessions to be idle past the bound that lets a full server end one
        await asyncio.sleep(EVICTABLE_IDLE_SECONDS + 1.0 if attack is hold_idle_session else 3.0)
        try:
            attacked = [await dictate(server.url, pcm16) for _ in range(dictations)]
        finally:
            attacker.terminate()
            attacker.join(10)
        results.append(Measured(name, quiet, attacked, rounds.value))
        print(f"{name}: {statistics.median(quiet):.3f} s quiet, {statistics.median(attacked):.3f} s attacked "
              f"({results[-1].ratio:.2f}x, {rounds.value} attack rounds)", flush=True)
    sampler.cancel()
    return results


async def _sample(server: Server) -> None:
    while True:
        server.sample()
        await asyncio.sleep(0.2)


def _pcm16(samples) -> bytes:  # type: ignore[no-untyped-def]
    import numpy as np

    return (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2").tobytes()


def render(results: list[Measured], peak_rss_mib: float, dictations: int) -> str:
    lines = [
        "## Serve under attack: a user's flush → flushed while another client attacks",
        "",
        f"Measured {datetime.date.today().isoformat()} on {cpu_model()}, {os.cpu_count()} cores (shared, noisy).",
        f"`serve` with the bundled engine and its default limits; the user's client dictates \"{SENTENCE}\" at",
        f"real-time pace, {dictations} times without the attack and then {dictations} times with it; every",
        "dictation came back whole. Target: attacked median within "
        f"{MAX_RATIO:g}× the quiet one, server memory under {MAX_RSS_MIB:g} MB.",
        "",
        "| attack | quiet median | attacked median | ratio | attack rounds | |",
        "|---|---|---|---|---|---|",
    ]
    for result in results:
        mark = "met" if result.ratio <= MAX_RATIO else "**missed**"
        lines.append(f"| {result.name} | {statistics.median(result.quiet):.3f} s | "
                     f"{statistics.median(result.attacked):.3f} s | {result.ratio:.2f}× | {result.attack_rounds} | {mark} |")
    mark = "met" if peak_rss_mib < MAX_RSS_MIB else "**missed**"
    lines += ["", f"Server peak resident memory over the whole run: {peak_rss_mib:.0f} MiB ({mark}).", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dictations", type=int, default=5, help="dictations per block")
    parser.add_argument("--write", action="store_true", help="write the figures into BENCHMARKS.md")
    arguments = parser.parse_args()
    server = Server()
    try:
        results = asyncio.run(measure(server, arguments.dictations))
    finally:
        server.stop()
    body = render(results, server.peak_rss_mib, arguments.dictations)
    print(body)
    if arguments.write:
        replace_section("attack", COMMAND, body)


if __name__ == "__main__":
    main()
