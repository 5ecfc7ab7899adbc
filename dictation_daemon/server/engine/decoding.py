"""One Whisper decode of one stretch of speech, with the settings measured on this project's machines,
and the checks that throw away what Whisper invents on near-silence.

Settings (tiny.en, int8, two cores): ``temperature=0.0`` with ``no_repeat_ngram_size=3`` and
``beam_size=5``. faster-whisper's default temperature fallback re-decodes a clip up to five times and
gave 8–13 s spikes on 2–5 s clips; ``temperature=0.0`` without the n-gram block loops ("no, no, no").
Segmenting is done by :mod:`..segmenter`, so Whisper's own VAD stays off, and each span is decoded on
its own (``condition_on_previous_text=False``): a wrong guess cannot leak into the next span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from faster_whisper import WhisperModel
from faster_whisper.transcribe import Segment

MAX_NO_SPEECH_PROB = 0.6
"""Above this Whisper thinks the window holds no speech; together with a low log-probability we believe it."""

MIN_AVG_LOGPROB = -0.5
"""Confident speech decodes well above this (measured: -0.2 to -0.75 on synthetic and human speech, while
silence, hum and clicks gave "You", "Okay." or "Thank you very much." at -0.9 to -1.7)."""

MAX_COMPRESSION_RATIO = 2.4
"""Text that compresses better than this is a repetition loop, not dictation."""

WEAK_SPAN_VOICED_SECONDS = 0.3
"""A span with less voice than this is more likely a click or breath than a word, so it needs a clearer
verdict from Whisper to be kept."""

WEAK_SPAN_MAX_NO_SPEECH_PROB = 0.3

_HAS_WORD = re.compile(r"\w")


@dataclass(frozen=True)
class Decoded:
    """What one decode heard, and how sure Whisper was of it: the lowest average log-probability per token
    of its segments (0 with no words)."""

    words: str
    avg_logprob: float


@dataclass(frozen=True)
class DecodeSettings:
    """How hard a decode searches: finals use a beam, interims are greedy because they are only a preview."""

    beam_size: int
    no_repeat_ngram_size: int = 3


FINAL_DECODE = DecodeSettings(beam_size=5)
INTERIM_DECODE = DecodeSettings(beam_size=1)


def decode(
    model: WhisperModel,
    samples: np.ndarray,
    *,
    language: str,
    settings: DecodeSettings,
    hotwords: str | None,
    voiced_seconds: float,
) -> Decoded:
    """The words Whisper hears in ``samples`` (at most 30 s), or ``""`` when they look invented.

    ``voiced_seconds`` is how much of the clip the segmenter found loud enough to be speech.
    """
    segments, _info = model.transcribe(
        samples,
        language=language,
        beam_size=settings.beam_size,
        temperature=0.0,
        no_repeat_ngram_size=settings.no_repeat_ngram_size,
        condition_on_previous_text=False,
        vad_filter=False,
        without_timestamps=True,
        hotwords=hotwords,
        # The filtering below replaces faster-whisper's, which keeps "You" on silence.
        no_speech_threshold=None,
        log_prob_threshold=None,
        compression_ratio_threshold=None,
    )
    kept = [segment for segment in segments if _is_speech(segment, voiced_seconds)]
    words = " ".join(text for segment in kept if (text := segment.text.strip()))
    return Decoded(words, min((segment.avg_logprob for segment in kept), default=0.0))


def _is_speech(segment: Segment, voiced_seconds: float) -> bool:
    if not _HAS_WORD.search(segment.text):
        return False
    if segment.compression_ratio > MAX_COMPRESSION_RATIO:
        return False
    if segment.no_speech_prob > MAX_NO_SPEECH_PROB and segment.avg_logprob < MIN_AVG_LOGPROB:
        return False
    if voiced_seconds < WEAK_SPAN_VOICED_SECONDS and segment.no_speech_prob > WEAK_SPAN_MAX_NO_SPEECH_PROB:
        return False
    return True
