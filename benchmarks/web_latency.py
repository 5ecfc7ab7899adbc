"""How long a final transcript takes from the daemon to its text in a web page's field, against the same
daemon's one-client socket latency, measured side by side in one run.

The daemon runs in this process (headless, the scripted local server behind it) and finals are published on
its event hub directly, so what is measured is delivery, not recognition. Two receivers take turns in
blocks, each holding the target as an inserting editor while it measures: a Python client on the Unix
socket in a separate process (the socket's own latency: the time its read returns), and the demo page in
Debian's Chromium with the ``dictation-web`` package (the time the text is in the textarea: its ``input``
event, fired inside the browser's ``insertText``). Every time is wall-clock (``CLOCK_REALTIME`` here,
``performance.timeOrigin + performance.now()`` in the page), and the page's clock is checked against this
process's before the run. ``python -m benchmarks.web_latency`` writes its section of ``BENCHMARKS.md``.
"""

from __future__ import annotations

import argparse
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

from playwright.sync_api import Page

from benchmarks.report import cpu_model, replace_section
from dictation_daemon.events.dictation import TranscriptEvent
from dictation_daemon.rpc.client import RpcClient
from dictation_daemon.web.demo_server import DemoServer, package_folder
from testkit.rig.browser import chromium
from testkit.rig.in_process import DaemonRig, running_daemon

FIELD = "plan"
SOCKET_CLIENT = r"""
import json, socket, sys, time
path, finals = sys.argv[1], int(sys.argv[2])
client = socket.socket(socket.AF_UNIX)
client.connect(path)
def call(message):
    client.sendall(json.dumps(message).encode() + b"\n")
    answer = b""
    while not answer.endswith(b"\n"):
        answer += client.recv(1 << 16)
call({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersions": ["1.0"],
      "client": {"name": "bench"}, "insertsText": True}})
call({"jsonrpc": "2.0", "id": 2, "method": "target.claim", "params": {"field": "bench"}})
print("ready", flush=True)
received, pending, seen = [], b"", 0
while seen < finals:
    chunk = client.recv(1 << 20)
    received.append((time.time(), chunk))
    seen += chunk.count(b'"isFinal":true')
arrivals = {}
for stamp, chunk in received:
    pending += chunk
    *lines, pending = pending.split(b"\n")
    for line in lines:
        message = json.loads(line)
        if message.get("method") == "transcript" and message["params"]["isFinal"]:
            arrivals[str(message["params"]["start"])] = stamp
print(json.dumps(arrivals), flush=True)
"""
PAGE_RECORDER = """() => {
  window.arrivals = {};
  const field = document.getElementById("plan");
  field.addEventListener("input", () => {
    const match = /Sample (\\d+)\\.$/.exec(field.value);
    if (match && !(match[1] in window.arrivals)) window.arrivals[match[1]] = performance.timeOrigin + performance.now();
  });
}"""


def publish_final(rig: DaemonRig, number: int) -> float:
    """Publishes final ``number`` on the daemon's hub; the wall time just before it was published."""
    event = TranscriptEvent(f"sample {number}.", f"sample {number} period", float(number), number + 0.5, True)

    def publish() -> float:
        sent = time.time()
        rig.daemon.events.publish(event)
        return sent

    return rig.call_soon(publish)


def page_clock_offset(page: Page) -> tuple[float, float]:
    """The page clock minus this process's, from the probe with the shortest round trip, and that round trip."""
    best = (0.0, float("inf"))
    for _ in range(30):
        before = time.time()
        page_time = page.evaluate("performance.timeOrigin + performance.now()") / 1000
        after = time.time()
        if after - before < best[1]:
            best = (page_time - (before + after) / 2, after - before)
    return best


def socket_block(rig: DaemonRig, numbers: range, gap: float) -> list[float]:
    process = subprocess.Popen([sys.executable, "-c", SOCKET_CLIENT, str(rig.socket), str(len(numbers))],
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    sent = {}
    for number in numbers:
        sent[str(float(number))] = publish_final(rig, number)
        time.sleep(gap)
    arrivals = json.loads(process.stdout.readline())
    process.wait(timeout=10)
    return [arrivals[start] - sent[start] for start in sent]


def page_block(rig: DaemonRig, page: Page, numbers: range, gap: float, offset: float) -> list[float]:
    page.click("#subjective")
    page.click(f"#{FIELD}")  # the page claims the field again: the socket client held the target
    page.keyboard.press("Control+End")
    page.wait_for_timeout(500)  # past the page's claim once the user stops moving the caret
    _wait_claimed(rig.socket, FIELD)
    sent = {}
    for number in numbers:
        sent[str(number)] = publish_final(rig, number)
        time.sleep(gap)
    page.wait_for_function(f"{list(numbers)}.every((number) => number in window.arrivals)", timeout=10000)
    text = page.input_value(f"#{FIELD}")
    assert text.endswith(" ".join(f"Sample {number}." for number in numbers)), f"the field holds {text!r}"
    arrivals = page.evaluate("window.arrivals")
    return [arrivals[number] / 1000 - offset - sent[number] for number in sent]


def _wait_claimed(socket: Path, field: str) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with RpcClient.connect(socket) as client:
            target = client.call("status")["rpc"]["target"]
        if target and target["field"] == field:
            return
        time.sleep(0.05)
    raise RuntimeError(f"the page did not claim {field}")


def run(blocks: int, per_block: int, gap: float) -> dict[str, object]:
    folder = Path(tempfile.mkdtemp(prefix="web-bench-"))
    package = package_folder()
    assert package is not None, "run from the source checkout: the demo page comes from plugins/dictation-web"
    with DemoServer(package) as demo:
        settings = {"websocket": {"enabled": True, "port": 0, "allowed_origins": [demo.origin],
                                  "pairings_file": str(folder / "pairings.json")}}
        with running_daemon(folder, rpc=settings) as rig, chromium() as browser:
            url = json.loads((rig.socket.parent / "rpc-endpoint.json").read_text())["websocket"]
            page = browser.new_context().new_page()
            page.goto(demo.page_url(url))
            page.wait_for_function("document.getElementById('code').textContent.length === 6")
            with RpcClient.connect(rig.socket) as user:
                user.call("pairing.confirm", {"code": page.inner_text("#code")})
            page.wait_for_function("window.dictationDemo.client.ready")
            page.evaluate(PAGE_RECORDER)
            offset, round_trip = page_clock_offset(page)
            socket_ms: list[float] = []
            page_ms: list[float] = []
            number = 0
            for _ in range(blocks):
                socket_ms += [value * 1000 for value in socket_block(rig, range(number, number + per_block), gap)]
                number += per_block
                page_ms += [value * 1000
                            for value in page_block(rig, page, range(number, number + per_block), gap, offset)]
                number += per_block
    return {"socket": socket_ms, "page": page_ms, "offset_ms": offset * 1000, "round_trip_ms": round_trip * 1000}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def render(result: dict[str, object], blocks: int, per_block: int, command: str) -> str:
    socket_ms, page_ms = result["socket"], result["page"]
    assert isinstance(socket_ms, list) and isinstance(page_ms, list)
    above = statistics.median(page_ms) - statistics.median(socket_ms)
    mark = "met" if above <= 5 else "**missed**"
    rows = "\n".join(f"| {name} | {len(values)} | {statistics.median(values):.2f} | {percentile(values, 0.9):.2f} | "
                     f"{percentile(values, 0.99):.2f} |"
                     for name, values in (("Unix socket client (separate process)", socket_ms),
                                          ("text in the page's textarea (Chromium)", page_ms)))
    return f"""## Web EHR: final transcript to text in the page's field

From the daemon publishing a final to (a) a socket client's read returning and (b) the text being in the
demo page's textarea in headless Chromium (the package's `input` event), the two receivers taking turns in
{blocks} blocks of {per_block} finals, each holding the target while it measures. Wall-clock times; the
page's clock differed from this process's by {result['offset_ms']:.2f} ms (probe round trip
{result['round_trip_ms']:.2f} ms), which is taken off.

| receiver | samples | median (ms) | p90 (ms) | p99 (ms) |
|---|---:|---:|---:|---:|
{rows}

Target: the page's median at most 5 ms above the socket's: {above:.2f} ms above, {mark}.

Measured {datetime.date.today().isoformat()} on {cpu_model()} ({os.cpu_count()} cores shared with other work),
Python {platform.python_version()}, Chromium {_chromium_version()}, with `{command}`.
"""


def _chromium_version() -> str:
    output = subprocess.run(["chromium", "--version"], capture_output=True, text=True).stdout
    return next((word for word in output.split() if word[:1].isdigit()), "unknown")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blocks", type=int, default=5)
    parser.add_argument("--per-block", type=int, default=20)
    parser.add_argument("--gap", type=float, default=0.05, help="seconds between finals")
    parser.add_argument("--no-write", action="store_true", help="print the section instead of writing it")
    arguments = parser.parse_args()
    result = run(arguments.blocks, arguments.per_block, arguments.gap)
    text = render(result, arguments.blocks, arguments.per_block, "python -m benchmarks.web_latency")
    print(text)
    if not arguments.no_write:
        replace_section("web latency", "python -m benchmarks.web_latency", text)


if __name__ == "__main__":
    main()
