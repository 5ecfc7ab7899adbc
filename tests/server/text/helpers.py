"""Builds pipelines and segments the way the server does, for the text-rule tests."""

from __future__ import annotations

from typing import Any

from dictation_daemon.protocol.messages import (
    CommandData,
    TranscribeConfig,
    TranscriptData,
)
from dictation_daemon.server.recognizer import RecognizedSegment
from dictation_daemon.server.text import TextPipeline


def pipeline(**configuration: Any) -> TextPipeline:
    return TextPipeline(TranscribeConfig.model_validate({"primaryLanguage": "en", **configuration}))


def final(words: str, start: float = 0.0, end: float = 2.0) -> RecognizedSegment:
    return RecognizedSegment(words=words, start=start, end=end, is_final=True)


def run(text_pipeline: TextPipeline, *texts: str) -> list[TranscriptData | CommandData]:
    """Each text as a 2 s final, one after the other, then a flush."""
    output: list[TranscriptData | CommandData] = []
    for index, words in enumerate(texts):
        output.extend(text_pipeline.process(final(words, index * 2.0, index * 2.0 + 2.0)))
    return output + text_pipeline.flush()


def text_of(words: str, **configuration: Any) -> str:
    """The ``text`` of one final with no commands."""
    output = run(pipeline(**configuration), words)
    assert all(isinstance(item, TranscriptData) for item in output)
    return "".join(item.text for item in output if isinstance(item, TranscriptData))


def spoken(words: str, **formatting: str) -> str:
    return text_of(words, spokenPunctuation=True, formatting=formatting)


def plain(words: str, **formatting: str) -> str:
    return text_of(words, formatting=formatting)
