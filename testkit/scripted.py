"""A recognizer that "hears" tones: each burst's pitch stands for a known phrase.

It lets the whole server (decoding, segmentation, streaming, flush, end, text rules) be tested end to end
with exact expected output and no speech model. Tones survive every codec the server decodes, so the
same script works for PCM, WAV, Ogg/Opus, WebM and MP3 input.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from dictation_daemon.protocol.audio_format import SAMPLE_RATE
from dictation_daemon.protocol.messages import TranscribeConfig
from dictation_daemon.server.recognizer import (
    RecognitionStream,
    RecognizedSegment,
    Recognizer,
)
from dictation_daemon.server.segmenter import SpeechSegmenter, SpeechSpan

ENGLISH = frozenset({"en", "en-US", "en-GB"})


def dominant_frequency(samples: np.ndarray, sample_rate: int = SAMPLE_RATE) -> float:
    """The strongest frequency in a stretch of audio, in Hz."""
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / sample_rate)[int(np.argmax(spectrum))])


class ScriptedRecognizer(Recognizer):
    """Maps each tone burst to the phrase scripted for its frequency (within ``tolerance``, relative).

    A burst whose pitch matches nothing is reported as ``"unknown"``, so a test sees it rather than losing it.
    """

    def __init__(
        self,
        script: Mapping[float, str],
        supported_languages: frozenset[str] = ENGLISH,
        tolerance: float = 0.04,
        pause_seconds: float = 0.3,
    ) -> None:
        self.script = dict(script)
        self.supported_languages = supported_languages
        self.tolerance = tolerance
        self.pause_seconds = pause_seconds

    def open_stream(self, config: TranscribeConfig) -> RecognitionStream:
        return _ScriptedStream(self, config.interim_results)

    def words_for(self, samples: np.ndarray) -> str:
        frequency = dominant_frequency(samples)
        nearest = min(self.script, key=lambda known: abs(known - frequency))
        return self.script[nearest] if abs(nearest - frequency) <= self.tolerance * nearest else "unknown"


class _ScriptedStream(RecognitionStream):
    def __init__(self, recognizer: ScriptedRecognizer, interim_results: bool) -> None:
        self._recognizer = recognizer
        self._interim_results = interim_results
        self._segmenter = SpeechSegmenter(pause_seconds=recognizer.pause_seconds)

    def accept_audio(self, samples: np.ndarray) -> list[RecognizedSegment]:
        segments = [self._final(span) for span in self._segmenter.feed(samples)]
        open_span = self._segmenter.open_span()
        if self._interim_results and open_span is not None:
            segments.append(self._segment(open_span, is_final=False))
        return segments

    def finish(self) -> list[RecognizedSegment]:
        span = self._segmenter.close()
        return [self._final(span)] if span is not None else []

    def _final(self, span: SpeechSpan) -> RecognizedSegment:
        return self._segment(span, is_final=True)

    def _segment(self, span: SpeechSpan, is_final: bool) -> RecognizedSegment:
        """Times as the embedded engine reports them: from the first voiced frame, to the last one for a
        final (where the words are, without the segmenter's padding), to the end of the audio so far for
        an interim."""
        end = span.voiced_end if is_final else span.end
        return RecognizedSegment(self._recognizer.words_for(span.samples), span.voiced_start, end, is_final)
