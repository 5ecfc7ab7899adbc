"""The embedded offline recognizer: faster-whisper behind the streaming :class:`~..recognizer.Recognizer`
interface.

Each stream feeds its audio to a :class:`~..segmenter.SpeechSegmenter` and decodes every span the moment
a pause closes it, while the speaker goes on. When the client flushes, only the span still open (the
words since the last pause) is left to decode, so the answer comes back in a fraction of the time that
decoding the whole utterance after release would take.

A final decode is done twice when the words first heard hold one the model may have misheard a term as
(a rare word or no word at all), or follow a medication order's verb or a finding's cue in a sentence
Whisper was unsure of or that ends a clause on a word needing more ("over the stern and" for the
sternum), and sound like terms of the medical lexicon: the second time with those terms in
the prompt, whose medical words are then taken (see :mod:`..lexicon`). A sentence of common words and
correctly spelled terms that Whisper was sure of, or with no term that sounds like its words, is decoded
once, as fast as before.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import numpy as np

from ...protocol.audio_format import SAMPLE_RATE
from ...protocol.languages import CORTI_LANGUAGES
from ...protocol.messages import TranscribeConfig
from ..lexicon import MedicalLexicon, dangles, join_split_terms, load_medical_lexicon, take_terms, term_slots
from ..recognizer import RecognitionStream, RecognizedSegment, Recognizer
from ..segmenter import SpeechSegmenter, SpeechSpan
from .decoding import FINAL_DECODE, INTERIM_DECODE, Decoded, DecodeSettings, decode
from .model import SharedModel, shared_model
from .vocabulary import CLAUSE_END_WORDS, echoed_phrase, fitting, hotwords, session_vocabulary, word_keys

SPAN_PADDING_SECONDS = 0.3
"""Audio kept around each span's voice. Whisper reads a word better with some quiet before it: on the
slt voice of the dictation set 0.3 s gave 55/69 exact texts, the segmenter's default 0.2 s gave 53 and
0.1 s 54."""

INTERIM_INTERVAL_SECONDS = 1.0
"""New audio needed in the open span before the next interim decode."""

DECODE_AHEAD_SECONDS = 0.15
"""Silence after which the open span is decoded ahead, before the pause is long enough to close it.

When a push-to-talk key is released the client still records a short tail (about 0.3 s) before it
flushes; decoding ahead during that tail means the flush finds its final already decoded, or nearly."""


UNSURE_LOGPROB = -0.25
"""Whisper's average log-probability per token below which a final is searched for drugs and findings heard
as English words after an order's verb or a finding's cue (:mod:`..lexicon.slots`). A sentence the model
is sure of says what was said: on the trust set's slt voice (each sentence decoded whole), the fourteen
orders that name no drug decoded at -0.03 to -0.24, "Give euros might" (furosemide) at -0.41, "Hold
listen April" (lisinopril) at -0.48. Above it, an order or a finding costs no second decode, unless a
clause ends on a word that needs more (:func:`~..lexicon.slots.dangles`): "There is tenderness over the
stern and" decoded at -0.11."""


class WhisperRecognizer(Recognizer):
    """Whisper (CTranslate2, int8 on the CPU) shared by every session of the process.

    ``model_path`` is any CTranslate2 Whisper folder (default: the bundled tiny.en weights); a missing or
    invalid folder raises :class:`~.model.ModelNotFoundError` here, at start-up, not on the first session.
    ``decode_slots`` bounds how many decodes run at once across all sessions (default: one per two
    cores), served first come, first served. ``segmenter_factory`` builds each stream's segmenter, which
    decides where spans close (default :func:`whisper_segmenter`); ``decode_ahead_seconds`` is the
    silence after which an open span is decoded ahead (``None``: only when it closes).

    ``medical_vocabulary`` turns on the medical lexicon's second decode (English models only).

    ``supported_languages`` are the Corti codes whose base language the model knows: ``en``, ``en-US``
    and ``en-GB`` for the English-only ``.en`` models; a multilingual model adds e.g. ``da``, ``de`` and
    ``de-CH`` (decoded as ``de``), but not ``gsw-CH``, which Whisper has no language for.
    """

    def __init__(
        self,
        model_path: str | os.PathLike[str] | None = None,
        *,
        decode_slots: int | None = None,
        cpu_threads: int | None = None,
        segmenter_factory: Callable[[], SpeechSegmenter] | None = None,
        decode_ahead_seconds: float | None = DECODE_AHEAD_SECONDS,
        medical_vocabulary: bool = True,
    ) -> None:
        self.shared: SharedModel = shared_model(model_path, decode_slots, cpu_threads)
        self._segmenter_factory = segmenter_factory or whisper_segmenter
        self._decode_ahead_seconds = decode_ahead_seconds
        self._lexicon = load_medical_lexicon() if medical_vocabulary else None
        self.supported_languages = frozenset(
            code for code in CORTI_LANGUAGES if whisper_language(code) in self.shared.languages
        )

    def open_stream(self, config: TranscribeConfig) -> WhisperStream:
        if config.primary_language not in self.supported_languages:
            raise ValueError(f"language {config.primary_language!r} is not supported by this model")
        lexicon = self._lexicon if whisper_language(config.primary_language) == "en" else None
        return WhisperStream(self.shared, config, self._segmenter_factory(), self._decode_ahead_seconds, lexicon)


def whisper_segmenter(**settings: float) -> SpeechSegmenter:
    """A segmenter with the padding Whisper works best with; ``settings`` override any other default."""
    return SpeechSegmenter(**{"padding_seconds": SPAN_PADDING_SECONDS, **settings})


def whisper_language(corti_code: str) -> str:
    """Whisper's code for a Corti language: the part before the region (``en-GB`` → ``en``)."""
    return corti_code.split("-", 1)[0].lower()


class WhisperStream(RecognitionStream):
    """One session: finals for each span as a pause closes it, greedy interims for the open span if asked.

    A short silence (``decode_ahead_seconds``) already starts the final decode of the open span; if the
    pause then closes the span, or the client flushes, with no new voice in it, that result is used and
    nothing is decoded again. If the speaker goes on, the early decode was wasted, so it is only done when
    a decode slot is free right now.

    Interims are a preview and must not slow the finals down, so one is decoded only when at least
    :data:`INTERIM_INTERVAL_SECONDS` of new audio has arrived, when the last interim decode is not recent
    (the stream waits as long as that decode took, so interims use at most half a decode slot), and when
    a decode slot is free right now: an interim never queues behind another session's final.
    """

    def __init__(
        self,
        shared: SharedModel,
        config: TranscribeConfig,
        segmenter: SpeechSegmenter,
        decode_ahead_seconds: float | None = DECODE_AHEAD_SECONDS,
        lexicon: MedicalLexicon | None = None,
    ) -> None:
        self._shared = shared
        self._lexicon = lexicon
        self._segmenter = segmenter
        self._decode_ahead_seconds = decode_ahead_seconds
        self._ahead: tuple[float, float, str] | None = None  # start, voiced end and words of a span decoded ahead
        self._language = whisper_language(config.primary_language)
        self._vocabulary = session_vocabulary(config)
        self._prompted = fitting(self._vocabulary, shared.token_count)  # the phrases the prompt holds
        self._hotwords = " ".join(self._prompted) or None
        self._vocabulary_keys = frozenset(word.lower() for phrase in self._vocabulary for word in phrase.split())
        self._clause_ends = CLAUSE_END_WORDS & self._vocabulary_keys  # spoken marks, where the session has them
        self._keyterms = frozenset(
            key for term in (config.keyterms.terms if config.keyterms else []) for key in term.term.lower().split()
        )
        self._interims = config.interim_results
        self._interim_audio_at = 0  # stream samples seen when the last interim was decoded
        self._interim_ready_at = 0.0  # monotonic time before which no interim is decoded

    def accept_audio(self, samples: np.ndarray) -> list[RecognizedSegment]:
        results = [final for span in self._segmenter.feed(samples) if (final := self._final(span))]
        if self._decode_ahead():
            return results
        if self._interims:
            interim = self._interim()
            if interim is not None:
                results.append(interim)
        return results

    def finish(self) -> list[RecognizedSegment]:
        span = self._segmenter.close()
        final = self._final(span) if span is not None else None
        return [final] if final is not None else []

    def _final(self, span: SpeechSpan) -> RecognizedSegment | None:
        ahead, self._ahead = self._ahead, None
        if ahead is not None and ahead[:2] == (span.start, span.voiced_end):
            words = ahead[2]  # the same voiced audio was decoded during the silence
        else:
            with self._shared.gate.held():
                words = self._decode(span, FINAL_DECODE)
        if not words:
            return None
        return RecognizedSegment(words, span.voiced_start, span.voiced_end, is_final=True)

    def _decode_ahead(self) -> bool:
        """Decodes the open span if it has gone quiet; says whether it did."""
        if self._decode_ahead_seconds is None:
            return False
        if self._segmenter.trailing_silence_seconds < self._decode_ahead_seconds:
            return False
        span = self._segmenter.ending_span()
        if span is None or (self._ahead is not None and self._ahead[:2] == (span.start, span.voiced_end)):
            return False
        if not self._shared.gate.try_acquire():
            return False
        try:
            words = self._decode(span, FINAL_DECODE)
        finally:
            self._shared.gate.release()
        self._ahead = (span.start, span.voiced_end, words)
        return True

    def _interim(self) -> RecognizedSegment | None:
        span = self._segmenter.open_span()
        if span is None:
            return None
        seen = self._segmenter.samples_seen
        new_audio = seen - max(self._interim_audio_at, round(span.start * SAMPLE_RATE))
        if new_audio < INTERIM_INTERVAL_SECONDS * SAMPLE_RATE:
            return None
        if time.monotonic() < self._interim_ready_at or not self._shared.gate.try_acquire():
            return None
        started = time.monotonic()
        try:
            words = self._decode(span, INTERIM_DECODE)
        finally:
            self._shared.gate.release()
        finished = time.monotonic()
        self._interim_audio_at = seen
        self._interim_ready_at = finished + (finished - started)
        if not words:
            return None
        return RecognizedSegment(words, span.voiced_start, span.end, is_final=False)

    def _decode(self, span: SpeechSpan, settings: DecodeSettings) -> str:
        """The span's words; in a final, the lexicon's terms put where the model misheard them
        (:meth:`_with_terms`), and the misheard half of a pair of words that diagnoses write together
        respelt ("gastroesophageal reflex" → "reflux")."""
        first = self._decode_with(span, settings, self._hotwords)
        words = first.words
        if settings is not FINAL_DECODE:
            return words
        if (echo := echoed_phrase(words, self._prompted)) is not None:
            words = self._without_echo(span, settings, words, echo)
        if self._lexicon is None:
            return words
        words = self._with_terms(self._lexicon, span, settings, words, first.avg_logprob)
        return " ".join(self._lexicon.respelt_pairs(words.split(), self._vocabulary_keys))

    def _with_terms(self, lexicon: MedicalLexicon, span: SpeechSpan, settings: DecodeSettings, words: str,
                    avg_logprob: float) -> str:
        """``words`` with terms written in pieces joined, and taken from a second decode with the lexicon
        terms that sound like its words. The second decode's own near spellings of a common drug or
        finding count as its candidates too (:meth:`~..lexicon.MedicalLexicon.named_candidates`)."""
        heard = join_split_terms(words.split(), lexicon)
        words = " ".join(heard)
        unsure = avg_logprob < UNSURE_LOGPROB or dangles(heard, self._clause_ends)
        slots = term_slots(heard, self._clause_ends) if unsure else {}
        if not slots and not lexicon.doubtful(heard):
            return words
        terms = lexicon.candidates(heard, ignored=self._vocabulary_keys, slots=slots)
        if not terms:
            return words
        # The session's own words first: a user's keyterms must not be cut from the prompt by candidates.
        prompt = hotwords([*self._vocabulary, *terms], self._shared.token_count)
        second = join_split_terms(self._decode_with(span, settings, prompt).words.split(), lexicon)
        respelt = lexicon.named_candidates(second, self._vocabulary_keys)
        merged_terms = [*dict.fromkeys([*terms, *respelt]), *self._keyterms]
        return take_terms(words, " ".join(second), merged_terms, lexicon, self._keyterms, slots)

    def _without_echo(self, span: SpeechSpan, settings: DecodeSettings, words: str, echo: str) -> str:
        """``words`` without the prompt's last phrase at their end if that was the prompt's echo: decoded
        again with the phrase at the front of the prompt, the span must give the same words but that tail.
        Said words are in the audio and come back; anything else different keeps ``words`` as they were."""
        phrases = [echo, *(phrase for phrase in self._prompted if phrase != echo)]
        again = self._decode_with(span, settings, " ".join(phrases)).words  # the same phrases: they fit
        if word_keys(again) == word_keys(words)[: -len(word_keys(echo))]:
            return again
        return words

    def _decode_with(self, span: SpeechSpan, settings: DecodeSettings, prompt: str | None) -> Decoded:
        return decode(
            self._shared.model,
            span.samples,
            language=self._language,
            settings=settings,
            hotwords=prompt,
            voiced_seconds=span.voiced_seconds,
        )
