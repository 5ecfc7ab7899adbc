"""Scores recognised utterances against the dictation set: formatted text and commands.

The engine's finals go through the server's text rules (:class:`TextPipeline`, flushed at the end as a
push-to-talk release would) and the resulting ``text`` values are joined into an empty field with the
client's joining rules (spec §8), which is exactly what the user would see typed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from dictation_daemon.insertion.rules import join
from dictation_daemon.protocol.messages import (
    CommandData,
    TranscribeConfig,
    TranscriptData,
)
from dictation_daemon.server.recognizer import RecognizedSegment
from dictation_daemon.server.text import TextPipeline

from .dictation_set import ExpectedCommand, Utterance


@dataclass(frozen=True)
class Dictated:
    """What the user would get from one utterance: the text in the field and the commands run."""

    text: str
    commands: tuple[ExpectedCommand, ...]


def dictated(segments: Iterable[RecognizedSegment], config: TranscribeConfig) -> Dictated:
    pipeline = TextPipeline(config)
    outputs = [output for segment in segments if segment.is_final for output in pipeline.process(segment)]
    outputs.extend(pipeline.flush())
    field = ""
    commands = []
    for output in outputs:
        if isinstance(output, TranscriptData):
            field += join(field, output.text)
        elif isinstance(output, CommandData):
            commands.append(ExpectedCommand(output.id, output.variables or None))
    return Dictated(field, tuple(commands))


@dataclass(frozen=True)
class CommandScore:
    """Commands matched (same id and variables), produced and expected, summed over utterances."""

    matched: int
    produced: int
    expected: int

    @property
    def precision(self) -> float:
        return self.matched / self.produced if self.produced else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0


def _key(command: ExpectedCommand) -> tuple[str, tuple[tuple[str, str], ...]]:
    return command.id, tuple(sorted((command.variables or {}).items()))


def score_commands(results: Iterable[tuple[Utterance, Dictated]]) -> CommandScore:
    matched = produced = expected = 0
    for utterance, result in results:
        want = Counter(_key(command) for command in utterance.commands)
        got = Counter(_key(command) for command in result.commands)
        matched += sum((want & got).values())
        produced += sum(got.values())
        expected += sum(want.values())
    return CommandScore(matched, produced, expected)
