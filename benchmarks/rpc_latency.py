"""How long a final transcript takes from the daemon receiving it to a socket client reading its notification,
with 1 and with 50 clients connected, in one run.

The daemon runs in this process (headless, no microphone) against the local server with the scripted
recognizer, so the measurement is the socket path and not speech recognition: tone bursts go into the
daemon's warm session one at a time, the daemon timestamps each final as the session delivers it
(``CLOCK_MONOTONIC``, shared by every process on the machine), and the clients, in a separate process,
timestamp each ``transcript`` notification as they read it. The clients wait in one ``epoll`` and take
the time as each read returns, parsing only afterwards: what is measured is the daemon, not how fast one
Python process can wake fifty asyncio readers. ``python -m benchmarks.rpc_latency`` writes
its section of ``BENCHMARKS.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.report import cpu_model, replace_section
from dictation_daemon.app.daemon import Daemon
from dictation_daemon.config.model import DaemonConfig
from dictation_daemon.events.dictation import Event, TranscriptEvent
from dictation_daemon.server.app import LocalServer
from testkit.scripted import ScriptedRecognizer
from testkit.tones import SCRIPT, tones

BURST = tones((None, 0.2), (440, 0.4), (None, 0.6))
"""One tone burst: one final ("patient is stable") once the 0.3 s pause after it is heard."""

CLIENTS = r"""
import json, selectors, socket, sys, time
path, count, finals = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
clients = []
for _ in range(count):
    client = socket.socket(socket.AF_UNIX)
    client.connect(path)
    client.sendall(b'{"jsonrpc":"2.0","method":"status","id":1}\n')
    answer = b""
    while not answer.endswith(b"\n"):
        answer += client.recv(1 << 16)
    client.setblocking(False)
    clients.append(client)
print("ready", flush=True)
selector = selectors.DefaultSelector()
received = {client: [] for client in clients}
finals_seen = {client: 0 for client in clients}
unfinished = {client: b"" for client in clients}
for client in clients:
    selector.register(client, selectors.EVENT_READ)
while any(seen < finals for seen in finals_seen.values()):
    for key, _ in selector.select():
        chunk = key.fileobj.recv(1 << 20)
        received[key.fileobj].append((time.monotonic(), chunk))
        *lines, unfinished[key.fileobj] = (unfinished[key.fileobj] + chunk).split(b"\n")
        finals_seen[key.fileobj] += sum(b'"isFinal":true' in line for line in lines)
def arrivals(chunks):
    seen, pending = {}, b""
    for stamp, chunk in chunks:
        pending += chunk
        *lines, pending = pending.split(b"\n")
        for line in lines:
            message = json.loads(line)
            if message.get("method") == "transcript" and message["params"]["isFinal"]:
                seen[str(message["params"]["start"])] = stamp
    return seen
print(json.dumps([arrivals(received[client]) for client in clients]), flush=True)
"""


class Stamps:
    """When each final reached the daemon's event hub; subscribed before the socket's router, so it runs first."""

    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}
        self.final_seen = asyncio.Event()

    def __call__(self, event: Event) -> None:
        if isinstance(event, TranscriptEvent) and event.is_final:
            self.arrived[str(event.start)] = time.monotonic()
            self.final_seen.set()


async def measure(daemon: Daemon, stamps: Stamps, socket: Path, clients: int, finals: int) -> list[float]:
    """Latencies in seconds, one per final per client."""
    process = await asyncio.create_subprocess_exec(sys.executable, "-c", CLIENTS, str(socket), str(clients),
                                                   str(finals), stdout=subprocess.PIPE)
    assert process.stdout is not None
    assert (await process.stdout.readline()).strip() == b"ready"
    assert daemon.controller.sessions is not None
    session = await daemon.controller.sessions.session()
    for _ in range(finals):
        stamps.final_seen.clear()
        await session.send_audio(BURST)
        await asyncio.wait_for(stamps.final_seen.wait(), 30)
    received = json.loads(await process.stdout.readline())
    await process.wait()
    return [seen[start] - stamps.arrived[start] for seen in received for start in seen]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


async def run(finals: int) -> dict[int, list[float]]:
    folder = Path(tempfile.mkdtemp(prefix="rpc-bench-"))
    socket = folder / "rpc" / "rpc.sock"
    async with LocalServer(ScriptedRecognizer(SCRIPT), port=0) as server:
        config = DaemonConfig.model_validate({
            "backend": {"kind": "url", "url": server.url}, "hotkeys": {"enabled": False},
            "plugins": {"enabled": ["commands"]}, "transcription": {"interim_results": False},
            "rpc": {"socket_path": str(socket), "max_clients": 64},
        })
        daemon = Daemon(config, headless=True)
        stamps = Stamps()
        daemon.events.subscribe(stamps)
        stop, ready = asyncio.Event(), asyncio.Event()
        runner = asyncio.create_task(daemon.run(stop, on_ready=ready.set))
        await ready.wait()
        while not (daemon.controller.sessions and daemon.controller.sessions.ready):
            await asyncio.sleep(0.05)
        results = {count: await measure(daemon, stamps, socket, count, finals) for count in (1, 50)}
        stop.set()
        await runner
    return results


def render(results: dict[int, list[float]], finals: int, command: str) -> str:
    ms = {count: [value * 1000 for value in values] for count, values in results.items()}
    rows = "\n".join(
        f"| {count} | {len(values)} | {statistics.median(values):.2f} | {percentile(values, 0.99):.2f} | "
        f"{statistics.median(values) / statistics.median(ms[1]):.1f}× |"
        for count, values in ms.items())
    return f"""## Control socket: final transcript to client notification

From the daemon receiving a final from its session to a client reading the `transcript` notification
(both timestamped with `CLOCK_MONOTONIC`; the clients run in one separate process, wait in one `epoll`
and take the time as each read returns, each reading every notification). The daemon runs headless against the local server with the scripted recognizer, {finals}
finals one at a time, every client connected for all of them. Ratio: median against the 1-client median.

| clients | samples | median (ms) | p99 (ms) | median ratio |
|---:|---:|---:|---:|---:|
{rows}

Measured {datetime.date.today().isoformat()} on {cpu_model()} ({os.cpu_count()} cores shared with other work),
Python {platform.python_version()}, with `{command}`.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--finals", type=int, default=40, help="finals per client count")
    parser.add_argument("--no-write", action="store_true", help="print the section instead of writing it")
    arguments = parser.parse_args()
    results = asyncio.run(run(arguments.finals))
    text = render(results, arguments.finals, "python -m benchmarks.rpc_latency" +
                  (f" --finals {arguments.finals}" if arguments.finals != 40 else ""))
    print(text)
    if not arguments.no_write:
        replace_section("rpc latency", "python -m benchmarks.rpc_latency", text)


if __name__ == "__main__":
    main()
