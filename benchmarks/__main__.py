"""Runs the embedded engine's accuracy and latency benchmarks and writes their section of ``BENCHMARKS.md``:
``python -m benchmarks [--trials N]``. The daemon's own benchmarks run one by one, each writing its section:
``python -m benchmarks.desktop``, ``.rpc_latency``, ``.soak``, ``.hang``."""

from __future__ import annotations

import argparse
import logging
import sys

from . import engine, latency, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trials", type=int, default=6, help="flush timings per dictation and approach")
    arguments = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    engine_result = engine.main()
    latency_result = latency.main(arguments.trials)
    report.write(engine_result, latency_result, "python -m benchmarks " + " ".join(sys.argv[1:]))
    print(f"wrote {report.REPORT}")


main()
