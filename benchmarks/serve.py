"""A local ``/transcribe`` server in a process of its own, so that its memory is measured alone.

Run as ``python -m benchmarks.serve [--pause SECONDS] [--no-decode-ahead]``. It prints one JSON line with the server URL and
the model load time, serves until its stdin is closed, then prints a JSON line with its peak RSS.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sys
from functools import partial

from dictation_daemon.server.app import LocalServer
from dictation_daemon.server.engine import WhisperRecognizer
from dictation_daemon.server.engine.whisper import (
    DECODE_AHEAD_SECONDS,
    whisper_segmenter,
)


async def serve(pause_seconds: float, decode_ahead: bool) -> None:
    recognizer = WhisperRecognizer(
        segmenter_factory=partial(whisper_segmenter, pause_seconds=pause_seconds),
        decode_ahead_seconds=DECODE_AHEAD_SECONDS if decode_ahead else None,
    )
    async with LocalServer(recognizer) as server:
        print(json.dumps({"url": server.url, "load_seconds": recognizer.shared.load_seconds}), flush=True)
        await asyncio.to_thread(sys.stdin.read)  # until the parent closes our stdin
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"peak_rss_mib": peak_kib / 1024}), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pause", type=float, default=0.5, help="silence that closes a speech span, in seconds")
    parser.add_argument("--no-decode-ahead", action="store_true", help="decode a span only once it is closed")
    arguments = parser.parse_args()
    asyncio.run(serve(arguments.pause, not arguments.no_decode_ahead))


if __name__ == "__main__":
    main()
