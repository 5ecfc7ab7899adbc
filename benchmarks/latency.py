"""How long a push-to-talk release waits: ``flush`` to ``flushed`` through the real local server.

A dictation of 5 s is streamed at real-time pace in 250 ms chunks: speech, then 0.3 s of silence (the
tail a client records after the key is released), with silence before the speech to make up the 5 s (the
moment between the key press and the first word). Then the client flushes and waits for ``flushed``. Two server processes run side by side and the trials alternate between them, so both meet
the same machine load:

* ``streaming``: the engine as shipped, which decodes each span when a 0.5 s pause closes it, and the
  last one ahead during the first 0.15 s of silence;
* ``naive``: the same engine with a segmenter that never closes a span at a pause and no decoding
  ahead, so the whole dictation is decoded after the release, as a batch recognizer would.

Two dictations are timed: ``phrased`` (two phrases with the short pause of natural dictation) and
``continuous`` (one sentence without a pause, where streaming has nothing to decode early).
The servers' peak RSS is read when they stop.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field

import numpy as np

from dictation_daemon.client.session import TranscribeSession
from testkit.speech import REPO_ROOT, SAMPLE_RATE, speech, with_pauses

from .dictation_set import CONFIG

CHUNK_SECONDS = 0.25
TAIL_SECONDS = 0.3
NAIVE_PAUSE_SECONDS = 3600.0

DICTATION_SECONDS = 5.0
PHRASED = ("heart rate seventy two period", "lungs are clear period")
PHRASE_GAP_SECONDS = 0.6
CONTINUOUS = "patient reports intermittent chest pain radiating to the left arm"


def dictations() -> dict[str, np.ndarray]:
    """The two timed recordings of :data:`DICTATION_SECONDS`, each ending with the release tail."""
    phrased: list[np.ndarray | float] = []
    for phrase in PHRASED:
        phrased.extend([speech(phrase), PHRASE_GAP_SECONDS])
    phrased[-1] = TAIL_SECONDS
    return {
        "phrased": _padded_to_length(with_pauses(phrased)),
        "continuous": _padded_to_length(with_pauses([speech(CONTINUOUS), TAIL_SECONDS])),
    }


def _padded_to_length(samples: np.ndarray) -> np.ndarray:
    """The recording with silence before it, so that it lasts exactly :data:`DICTATION_SECONDS`."""
    missing = round(DICTATION_SECONDS * SAMPLE_RATE) - len(samples)
    if missing < 0:
        raise ValueError(f"the dictation is {len(samples) / SAMPLE_RATE:.2f} s, longer than {DICTATION_SECONDS:g} s")
    return with_pauses([missing / SAMPLE_RATE, samples])


@dataclass
class ServerProcess:
    """A :mod:`.serve` child process and what it reported."""

    name: str
    arguments: tuple[str, ...]
    process: subprocess.Popen[str] = field(init=False)
    url: str = field(init=False)
    load_seconds: float = field(init=False)
    peak_rss_mib: float = field(init=False, default=0.0)

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.serve", *self.arguments],
            cwd=REPO_ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        assert self.process.stdout is not None
        ready = json.loads(self.process.stdout.readline())
        self.url, self.load_seconds = ready["url"], ready["load_seconds"]

    def stop(self) -> None:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.close()
        self.peak_rss_mib = json.loads(self.process.stdout.readline())["peak_rss_mib"]
        self.process.wait(timeout=30)


async def flush_wait(url: str, samples: np.ndarray) -> float:
    """Streams ``samples`` at real-time pace, flushes, and returns the seconds until ``flushed``."""
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes()
    chunk = int(CHUNK_SECONDS * SAMPLE_RATE) * 2
    session = await TranscribeSession.open(url, CONFIG)
    try:
        await session.wait_accepted()
        started = time.perf_counter()
        for index, offset in enumerate(range(0, len(pcm), chunk)):
            await asyncio.sleep(max(0.0, started + index * CHUNK_SECONDS - time.perf_counter()))
            await session.send_audio(pcm[offset : offset + chunk])
        await asyncio.sleep(max(0.0, started + len(samples) / SAMPLE_RATE - time.perf_counter()))
        released = time.perf_counter()
        await session.flush()
        waited = time.perf_counter() - released
        await session.end()
    finally:
        await session.close()
    return waited


@dataclass(frozen=True)
class LatencyResult:
    """Flush waits per dictation and approach, and what each server process cost."""

    audio_seconds: dict[str, float]
    waits: dict[str, dict[str, list[float]]]  # dictation → approach → seconds
    load_seconds: dict[str, float]
    peak_rss_mib: dict[str, float]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summary(values: list[float]) -> tuple[float, float]:
    """Median and 95th percentile."""
    return statistics.median(values), percentile(values, 0.95)


async def measure(trials: int) -> LatencyResult:
    servers = [
        ServerProcess("streaming", ()),
        ServerProcess("naive", ("--pause", str(NAIVE_PAUSE_SECONDS), "--no-decode-ahead")),
    ]
    recordings = dictations()
    waits: dict[str, dict[str, list[float]]] = {name: {s.name: [] for s in servers} for name in recordings}
    for server in servers:
        server.start()
    try:
        for _ in range(trials):
            for name, samples in recordings.items():
                for server in servers:
                    waits[name][server.name].append(await flush_wait(server.url, samples))
    finally:
        for server in servers:
            server.stop()
    return LatencyResult(
        {name: len(samples) / SAMPLE_RATE for name, samples in recordings.items()},
        waits,
        {server.name: server.load_seconds for server in servers},
        {server.name: server.peak_rss_mib for server in servers},
    )


def main(trials: int = 6) -> LatencyResult:
    result = asyncio.run(measure(trials))
    for name, by_approach in result.waits.items():
        for approach, values in by_approach.items():
            median, p95 = summary(values)
            print(f"{name:10} {approach:9} flush→flushed median {median:.3f} s  p95 {p95:.3f} s  (n={len(values)})")
    print("peak RSS (MiB):", {name: round(value) for name, value in result.peak_rss_mib.items()})
    return result


if __name__ == "__main__":
    main()
