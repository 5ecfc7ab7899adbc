"""Whether a clinician can trust the embedded engine: medical words spelled right with no keyterms,
command words inside sentences kept as text, orders that name no drug and sentences that name no finding
kept as said, no drug or finding written that was not said, commands said as commands carried out.

Every case of :mod:`.medical_set` is spoken by each voice, with the pauses it marks, streamed through a
:class:`WhisperRecognizer` stream and the server's text rules (:func:`.dictation.dictated`), exactly as for
the dictation set. Scores come from Corti's own evaluation library (``bewer``, which the ``corti-canal``
tool reports with): word and character error rate over the medical and hard-negative sentences, and
Medical Term Recall over the marked terms. ``--report DIR`` also writes, per voice, the CSV and term list
that ``canal report`` takes and the HTML report of the word alignment it makes from them.

``python -m benchmarks.trust [--voices slt kal rms] [--report DIR] [--model DIR] [--no-lexicon] [--write]``
"""

from __future__ import annotations

import argparse
import csv
import datetime
import functools
import logging
import os
import sys
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from bewer import Dataset
from bewer.reporting.html.report import ReportAlignment, ReportMetric
from corti_canal.cli import main as canal

from dictation_daemon.server.engine import WhisperRecognizer
from dictation_daemon.server.lexicon.retrieval import DOUBTFUL_ZIPF, heard_key
from dictation_daemon.server.lexicon.sources import (
    diagnosis_words,
    english_frequency,
    load_medical_lexicon,
    prescribed_drug_names,
)
from testkit.speech import VOICES, speech, with_pauses

from .dictation import CommandScore, Dictated, dictated, score_commands
from .medical_set import (
    CASES,
    COMMANDS,
    CONFIG,
    HARD_NEGATIVES,
    MEDICAL,
    PAUSE_SECONDS,
    PLAIN_FINDINGS,
    PLAIN_ORDERS,
    Case,
)
from .recognition import recognise
from .report import cpu_model, replace_section

LEAD_SECONDS = 0.3
TRAIL_SECONDS = 0.5
DEFAULT_VOICES = ("slt", "kal", "rms")


@dataclass(frozen=True)
class TrustResult:
    """One voice's figures on the trust set."""

    voice: str
    term_recall: float
    terms_matched: int
    terms: int
    wer: float
    cer: float
    negatives_fired: int
    negatives_kept: int
    plain_orders_kept: int
    plain_findings_kept: int
    unsaid_drugs: int
    unsaid_findings: int
    commands: CommandScore
    outcomes: list[tuple[Case, Dictated]]
    audio_seconds: float
    processing_seconds: float

    @property
    def real_time_factor(self) -> float:
        return self.processing_seconds / self.audio_seconds


def recording(case: Case, voice: str):
    """The case said by ``voice``: its stretches of speech with :data:`PAUSE_SECONDS` between them."""
    parts: list = [LEAD_SECONDS]
    for index, words in enumerate(case.spoken_parts):
        parts.extend([PAUSE_SECONDS] if index else [])
        parts.append(speech(words, VOICES[voice]))
    return with_pauses([*parts, TRAIL_SECONDS])


def measure_voice(recognizer: WhisperRecognizer, voice: str) -> TrustResult:
    outcomes: list[tuple[Case, Dictated]] = []
    audio = processing = 0.0
    for case in CASES:
        recognition = recognise(recognizer, recording(case, voice), CONFIG)
        audio += recognition.audio_seconds
        processing += recognition.processing_seconds
        outcomes.append((case, dictated(recognition.segments, CONFIG)))
    dataset = text_dataset(outcomes)
    mtr = dataset.metrics.mtr()
    negatives = [(case, result) for case, result in outcomes if case.category == "hard negative"]
    plain_orders = [(case, result) for case, result in outcomes if case.category == "plain order"]
    plain_findings = [(case, result) for case, result in outcomes if case.category == "plain finding"]
    return TrustResult(
        voice=voice,
        term_recall=mtr.value,
        terms_matched=mtr.num_matches,
        terms=mtr.num_keywords,
        wer=dataset.metrics.wer().value,
        cer=dataset.metrics.cer().value,
        negatives_fired=sum(bool(result.commands) for _, result in negatives),
        negatives_kept=sum(_same_words(case.text, result.text) for case, result in negatives),
        plain_orders_kept=sum(_same_words(case.text, result.text) for case, result in plain_orders),
        plain_findings_kept=sum(_same_words(case.text, result.text) for case, result in plain_findings),
        unsaid_drugs=sum(len(unsaid_terms(case.text, result.text, _drug_names())) for case, result in outcomes),
        unsaid_findings=sum(len(unsaid_terms(case.text, result.text, _finding_terms())) for case, result in outcomes),
        commands=score_commands((case, result) for case, result in outcomes if case.category == "command"),
        outcomes=outcomes,
        audio_seconds=audio,
        processing_seconds=processing,
    )


def text_dataset(outcomes: Sequence[tuple[Case, Dictated]]) -> Dataset:
    """The medical and hard-negative sentences as a ``bewer`` dataset, with the marked terms as its
    ``medical_terms`` vocabulary (what ``canal report --medical-terms`` sets up)."""
    dataset = Dataset()
    for case, result in outcomes:
        if case.category != "command":
            dataset.add(ref=case.text, hyp=result.text)
    dataset.add_keyword_list("medical_terms", sorted(_terms()))
    return dataset


def _terms() -> set[str]:
    return {term for case in MEDICAL for term in case.terms}


@functools.cache
def _drug_names() -> frozenset[str]:
    """Every prescribed drug's names, read from the drug dictionary once per run."""
    return frozenset(prescribed_drug_names())


@functools.cache
def _finding_terms() -> frozenset[str]:
    """The lexicon's terms that ICD-10-CM's diagnoses use and that read as medical words ("hematuria",
    "medulla": rarer than once per million words), drugs aside; "copper" or "ladder" written for a garbled
    term is seen to be wrong."""
    lexicon = load_medical_lexicon()
    return frozenset(word for word in diagnosis_words()
                     if word in lexicon and english_frequency(word) < DOUBTFUL_ZIPF) - _drug_names()


def unsaid_terms(expected: str, got: str, terms: Collection[str]) -> list[str]:
    """The ``terms`` (drug names, or findings) in ``got`` that ``expected`` does not hold: the worst error a
    term can be, since it reads as right (a garbled name is seen to be wrong)."""
    said = {heard_key(word) for word in expected.split()}
    return [key for word in got.split() if (key := heard_key(word)) not in said and key in terms]


def _same_words(expected: str, got: str) -> bool:
    """Whether every word survived, whatever the model did to punctuation and case."""
    def words(text: str) -> list[str]:
        return "".join(c if c.isalnum() or c.isspace() else " " for c in text.lower()).split()
    return words(expected) == words(got)


def write_canal_report(result: TrustResult, folder: Path) -> None:
    """The voice's CSV and term list for ``canal report``, and the HTML report canal makes from them.

    The report is made here with canal's own labels and metrics rather than by running the tool on the
    CSV: its CSV reader turns an empty transcript (a hard negative whose words a command took) into a
    number and fails.
    """
    folder.mkdir(parents=True, exist_ok=True)
    table = folder / f"trust-{result.voice}.csv"
    with table.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ref", "gen"])
        writer.writerows((case.text, got.text) for case, got in result.outcomes if case.category != "command")
    (folder / "medical-terms.txt").write_text("\n".join(sorted(_terms())) + "\n")
    canal.generate_report(
        dataset=text_dataset(result.outcomes),
        path=folder / f"trust-{result.voice}.html",
        allow_overwrite=True,
        alignment_labels=canal.LABELS,
        report_alignment=ReportAlignment("levenshtein", normalized=True),
        report_metrics=[ReportMetric("wer", label="Word Error Rate", normalized=True),
                        ReportMetric("cer", label="Character Error Rate", normalized=True),
                        ReportMetric("mtr", label="Medical Term Recall", normalized=True)],
        report_summary=canal.REPORT_SUMMARY_ITEMS,
        metadata={"Voice": result.voice, "Normalization": "Enabled", "Alignment method": "Levenshtein"},
    )


def print_result(result: TrustResult) -> None:
    print(
        f"{result.voice:6} MTR {result.term_recall:.1%} ({result.terms_matched}/{result.terms})  "
        f"WER {result.wer:.1%}  CER {result.cer:.1%}  hard negatives fired {result.negatives_fired}/"
        f"{len(HARD_NEGATIVES)}, words kept {result.negatives_kept}/{len(HARD_NEGATIVES)}  plain orders kept "
        f"{result.plain_orders_kept}/{len(PLAIN_ORDERS)}  plain findings kept "
        f"{result.plain_findings_kept}/{len(PLAIN_FINDINGS)}  unsaid drugs {result.unsaid_drugs}  unsaid findings "
        f"{result.unsaid_findings}  commands "
        f"P {result.commands.precision:.1%} R {result.commands.recall:.1%}  RTF {result.real_time_factor:.3f}"
    )


def render(results: Sequence[TrustResult], model: str, lexicon: bool, command: str) -> str:
    """The ``BENCHMARKS.md`` section for one run."""
    lines = [
        "## Trust: medical terms with no keyterms, command words in sentences, commands said as commands",
        "",
        f"Measured {datetime.date.today().isoformat()} on {cpu_model()}, {os.cpu_count()} cores. Command: "
        f"`{command}`. Model: {model}; medical lexicon {'on' if lexicon else 'off'}. Set: "
        f"`benchmarks/medical_set.py`, {len(MEDICAL)} medical sentences ({len(_terms())} terms, none given as "
        f"keyterms), {len(HARD_NEGATIVES)} hard negatives (ordinary sentences holding command words, said "
        f"without pauses), {len(PLAIN_ORDERS)} orders that name no drug, {len(PLAIN_FINDINGS)} sentences that "
        f"name no finding where one could be named, {len(COMMANDS)} commands said with a "
        f"{PAUSE_SECONDS:.1f} s pause around them. WER, CER and Medical Term Recall by Corti's evaluation "
        "library (`bewer`, as `corti-canal` reports them), normalised (lower case, no punctuation), over the "
        "sentences without commands. Unsaid drugs and findings: drug names, and words of ICD-10-CM's "
        "diagnoses, written that the sentence does not hold.",
        "",
        "| voice | Medical Term Recall | WER | CER | hard negatives: a command fired | hard negatives: every "
        "word kept | plain orders: every word kept | plain findings: every word kept | unsaid drugs | "
        "unsaid findings | command precision | command recall | real-time factor |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        lines.append(
            f"| {result.voice} | {result.term_recall:.1%} ({result.terms_matched}/{result.terms}) | "
            f"{result.wer:.1%} | {result.cer:.1%} | {result.negatives_fired} of {len(HARD_NEGATIVES)} | "
            f"{result.negatives_kept} of {len(HARD_NEGATIVES)} | {result.plain_orders_kept} of {len(PLAIN_ORDERS)} | "
            f"{result.plain_findings_kept} of {len(PLAIN_FINDINGS)} | "
            f"{result.unsaid_drugs} | {result.unsaid_findings} | {result.commands.precision:.1%} | "
            f"{result.commands.recall:.1%} | {result.real_time_factor:.3f} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> list[TrustResult]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--voices", nargs="+", default=list(DEFAULT_VOICES), choices=sorted(VOICES))
    parser.add_argument("--report", type=Path, help="folder for canal's CSV, term list and HTML report")
    parser.add_argument("--misses", action="store_true", help="print every case that came out wrong")
    parser.add_argument("--model", type=Path, help="a CTranslate2 Whisper folder (default: the bundled tiny.en)")
    parser.add_argument("--no-lexicon", action="store_true", help="decode once, without the medical lexicon")
    parser.add_argument("--write", action="store_true", help="write the figures into BENCHMARKS.md")
    arguments = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    recognizer = WhisperRecognizer(arguments.model, medical_vocabulary=not arguments.no_lexicon)
    results = []
    for voice in arguments.voices:
        result = measure_voice(recognizer, voice)
        print_result(result)
        if arguments.misses:
            for case, got in result.outcomes:
                if got.text != case.text or got.commands != case.commands:
                    print(f"    {case.category:13} {case.text!r} -> {got.text!r} {[c.id for c in got.commands]}")
        if arguments.report:
            write_canal_report(result, arguments.report)
        results.append(result)
    if arguments.write:
        command = " ".join(["python -m benchmarks.trust", *(argv if argv is not None else sys.argv[1:])])
        model = str(arguments.model) if arguments.model else "Whisper tiny.en (bundled)"
        replace_section("trust", "python -m benchmarks.trust --write",
                        render(results, model, not arguments.no_lexicon, command))
    return results


if __name__ == "__main__":
    main()
