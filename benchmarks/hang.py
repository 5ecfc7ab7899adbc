"""How long the user waits for their text when the link hangs right after the key release, with the answer
deadline at its default, at a short value, and with only keepalive pings as before the deadline existed.

A link that stops forwarding (or a stuck server) closes nothing, so the text of the last utterance arrives
only once the client gives the connection up, reconnects and replays. The deadline
(``backend.answer_timeout_seconds``) bounds that wait; before it, websockets' default keepalive (a ping
every 20 s, 20 s for its pong) was all that noticed. This runs the resilience tests' rig: the local server
with the tone-scripted recognizer behind the loopback fault proxy, which stalls the link both ways the
moment the server takes the flush, before any of its answer has left. Each case is timed from the flush
(the key release) to the last final text delivered, alongside a run without the fault, and each faulty
run must deliver exactly what the fault-free run delivered. ``python -m benchmarks.hang`` writes its section
of ``BENCHMARKS.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import platform
import statistics
import time
from dataclasses import dataclass

from benchmarks.report import cpu_model, replace_section
from dictation_daemon.client.backend import Backend
from dictation_daemon.client.resilient import ResilientSession
from dictation_daemon.client.session import DEFAULT_ANSWER_TIMEOUT
from dictation_daemon.config import DaemonConfig
from dictation_daemon.config.model import BackendSection
from dictation_daemon.events.connection import ConnectionState, ConnectionStatus
from dictation_daemon.protocol.messages import ServerMessage, Transcript
from testkit.resilience.dictation import BYTES_PER_SECOND, CONFIG, Dictated
from testkit.resilience.faults import FlushHookRecognizer
from testkit.resilience.hangs import (
    RELEASED_AT_THE_LAST_WORD,
    assert_recovered_from_one_hang,
)
from testkit.resilience.rig import assert_clean_reference, assert_same_words, rig
from testkit.tones import SCRIPT

COMMAND = "python -m benchmarks.hang"
SHORT_ANSWER_TIMEOUT = 3.0
KEEPALIVE_ONLY_TIMEOUT = 40.0
"""The deadline can no longer be turned off, so the keepalive-only client is emulated with a 40 s deadline:
its pings then go out every 20 s with 20 s for the pong, websockets' defaults, and the deadline fires in the
middle of the 30 to 50 s in which that keepalive noticed a hang (up to 20 s until the next ping, 20 s for its
pong, 10 s for a closing handshake that cannot come)."""
CHUNK_SECONDS = 0.1
RUN_LIMIT_SECONDS = 120.0
"""However loaded the machine, a run that has not ended by then has hung."""


@dataclass(frozen=True)
class Case:
    """One way of running the dictation: with or without the stall, under one answer deadline."""

    name: str
    answer_timeout: float
    stalled: bool

    @property
    def pings(self) -> str:
        return f"every {self.answer_timeout / 2:g} s, {self.answer_timeout / 2:g} s for the pong"


BASELINE = Case("no fault", DEFAULT_ANSWER_TIMEOUT, stalled=False)
CASES = (
    BASELINE,
    Case("stall, short deadline", SHORT_ANSWER_TIMEOUT, stalled=True),
    Case("stall, default deadline", DEFAULT_ANSWER_TIMEOUT, stalled=True),
    Case("stall, keepalive only (emulated)", KEEPALIVE_ONLY_TIMEOUT, stalled=True),
)


@dataclass
class Timed:
    """One dictation's deliveries, and when (``loop.time()``) the flush was asked for and each arrived."""

    dictated: Dictated
    released: float
    arrivals: list[float]
    status_times: list[float]

    @property
    def last_final(self) -> int:
        """Where the last final text is among the deliveries."""
        return max(i for i, m in enumerate(self.dictated.messages) if isinstance(m, Transcript) and m.data.is_final)

    @property
    def to_last_final(self) -> float:
        """Seconds from the flush to the last final text delivered."""
        return self.arrivals[self.last_final] - self.released

    @property
    def to_noticed(self) -> float | None:
        """Seconds from the flush to the session reporting the connection lost, if it did."""
        return next((at - self.released for at, status in zip(self.status_times, self.dictated.statuses)
                     if status.state is ConnectionState.RECONNECTING), None)


async def dictate_timed(backend: Backend) -> Timed:
    """Speaks the tone dictation at real-time pace through a :class:`ResilientSession` as the daemon does
    (its retry policy, a flush without a time limit on release), stamping every delivery.

    ``testkit.resilience.dictation.dictate`` drives the same dictation but keeps no times, which are the point here.
    """
    loop = asyncio.get_running_loop()
    statuses: list[ConnectionStatus] = []
    status_times: list[float] = []

    def on_status(status: ConnectionStatus) -> None:
        statuses.append(status)
        status_times.append(loop.time())

    messages: list[ServerMessage] = []
    arrivals: list[float] = []
    session = await ResilientSession.open(backend, CONFIG, on_status=on_status)

    async def collect() -> None:
        async for message in session.events():
            messages.append(message)
            arrivals.append(loop.time())

    collector = asyncio.create_task(collect())
    try:
        started = loop.time()
        chunk = int(BYTES_PER_SECOND * CHUNK_SECONDS) // 2 * 2
        for offset in range(0, len(RELEASED_AT_THE_LAST_WORD), chunk):
            await session.send_audio(RELEASED_AT_THE_LAST_WORD[offset : offset + chunk])
            fed = min(len(RELEASED_AT_THE_LAST_WORD), offset + chunk) / BYTES_PER_SECOND
            await asyncio.sleep(max(0.0, started + fed - loop.time()))
        released = loop.time()
        before_flush = len(messages)
        await session.flush(timeout=None)
        await session.end()
        await collector
    finally:
        await session.close()
    return Timed(Dictated(messages, statuses, before_flush), released, arrivals, status_times)


async def run_case(case: Case) -> Timed:
    """One dictation of ``case`` on a fresh rig; a stalled one must have recovered from exactly that hang."""
    recognizer = FlushHookRecognizer(SCRIPT)
    config = DaemonConfig(backend=BackendSection(answer_timeout_seconds=case.answer_timeout))
    async with rig(recognizer, config) as setup:
        if case.stalled:
            recognizer.arm(lambda: setup.proxy.stall())
        timed = await dictate_timed(setup.backend)
    # The dictation ends with its last phrase, so that phrase's text is the flush's answer: what the user waits for.
    assert timed.last_final >= timed.dictated.before_flush
    if case.stalled:
        assert_recovered_from_one_hang(timed.dictated, setup)
    else:
        assert setup.proxy.connections == 1
    return timed


async def measure(trials: int) -> dict[Case, list[Timed]]:
    """Every case once per trial, in turn, so that the machine's load falls on all of them alike; every run
    must deliver what the first fault-free run delivered (which comes first), or its time means nothing."""
    results: dict[Case, list[Timed]] = {case: [] for case in CASES}
    for trial in range(trials):
        for case in CASES:
            timed = await asyncio.wait_for(run_case(case), RUN_LIMIT_SECONDS)
            if not results[BASELINE]:
                assert_clean_reference(timed.dictated)
            else:
                assert_same_words(timed.dictated, results[BASELINE][0].dictated)
            results[case].append(timed)
            print(f"trial {trial + 1}, {case.name}: {timed.to_last_final:.3f} s", flush=True)
    return results


def _row(case: Case, runs: list[Timed]) -> str:
    waits = [timed.to_last_final for timed in runs]
    noticed = [value for timed in runs if (value := timed.to_noticed) is not None]
    deadline = f"{case.answer_timeout:g} s" + ("" if case.stalled else " (not reached)")
    noticed_cell = f"{statistics.median(noticed):.3f} s" if noticed else "–"
    return (f"| {case.name} | {deadline} | {case.pings} | {noticed_cell} | "
            f"{statistics.median(waits):.3f} s | {max(waits):.3f} s | {len(waits)} |")


def render(results: dict[Case, list[Timed]], trials: int, seconds: float, load: tuple[float, float],
           command: str) -> str:
    _, _, default, keepalive = CASES
    ratio = (statistics.median(timed.to_last_final for timed in results[keepalive])
             / statistics.median(timed.to_last_final for timed in results[default]))
    table = "\n".join(_row(case, results[case]) for case in CASES)
    return f"""## Hung connection: key release to the last text

The link stalls (nothing passes either way, both TCP connections stay open) the moment the server takes the
flush of a 6.3 s dictation, before any of its answer has left; the client must notice, reconnect (the
daemon's retry policy: 0.2 s ±25% before the first attempt) and replay the last phrase to get its text.
Measured from the flush (the key release) to the last final text delivered, through a `ResilientSession`
fed at real-time pace by the resilience tests' rig (local server, tone-scripted recognizer, loopback fault
proxy); every faulty run delivered the same text, commands and timeline as the fault-free run (checked).
The cases run in turn within each trial. "Keepalive only" is the client before the answer deadline, which
can no longer be turned off: it is emulated with a {KEEPALIVE_ONLY_TIMEOUT:g} s deadline, whose pings follow websockets'
defaults (every 20 s, 20 s for the pong). By websockets' timers the real keepalive-only client would have
taken a little longer here: its first ping goes out 20 s after the connection opened (about 14 s after this
release), its pong is given 20 s, then it waits 10 s for a closing handshake that cannot come, about 44 s.

| case | answer deadline | keepalive pings | hang noticed (median) | flush → last final, median | max | trials |
|---|---:|---|---:|---:|---:|---:|
{table}

Keepalive only against the default deadline: {ratio:.1f}× the median wait.

Measured {datetime.date.today().isoformat()} on {cpu_model()} ({os.cpu_count()} cores shared with other test runs:
load average {load[0]:.1f} at the start, {load[1]:.1f} at the end; the waits are set by the deadlines, not the load),
Python {platform.python_version()}, {trials} trials in {seconds / 60:.1f} min, with `{command}`.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=3, help="dictations per case")
    parser.add_argument("--no-write", action="store_true", help="print the section instead of writing it")
    arguments = parser.parse_args()
    load_before = os.getloadavg()[0]
    began = time.monotonic()
    results = asyncio.run(measure(arguments.trials))
    seconds = time.monotonic() - began
    command = COMMAND + (f" --trials {arguments.trials}" if arguments.trials != 3 else "")
    text = render(results, arguments.trials, seconds, (load_before, os.getloadavg()[0]), command)
    print(text)
    if not arguments.no_write:
        replace_section("hang", COMMAND, text)


if __name__ == "__main__":
    main()
