"""Accuracy and speed of the embedded engine, measured on the stream interface directly.

For each synthetic voice, every utterance of the dictation set is streamed (0.3 s of silence before,
0.5 s after) through a :class:`WhisperRecognizer` stream with the set's config, and scored: word error
rate of the engine's words against the words spoken (raw and normalised, see :mod:`.metrics`), exact
match of the text the user would see, and command precision and recall. The read human speech of
``pocketsphinx-testdata`` gives a WER on real voices. Real-time factor is processing time over audio
time for everything decoded here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dictation_daemon.protocol.messages import TranscribeConfig
from dictation_daemon.server.engine import WhisperRecognizer
from dictation_daemon.server.engine.model import shared_model
from testkit.speech import VOICES, Voice, human_speech, speech, with_pauses

from .dictation import CommandScore, Dictated, dictated, score_commands
from .dictation_set import CONFIG, PAUSE_SECONDS, UTTERANCES, Utterance
from .metrics import WordErrors, word_error_rate
from .recognition import recognise

LEAD_SECONDS = 0.3
TRAIL_SECONDS = 0.5


@dataclass(frozen=True)
class VoiceResult:
    """The dictation set as heard in one voice."""

    voice: str
    raw_wer: WordErrors
    normalised_wer: WordErrors
    exact_matches: int
    commands: CommandScore
    misses: list[tuple[Utterance, Dictated]]
    audio_seconds: float
    processing_seconds: float

    @property
    def exact_match_rate(self) -> float:
        return self.exact_matches / len(UTTERANCES)


@dataclass(frozen=True)
class HumanResult:
    """WER on the human recordings."""

    clips: int
    raw_wer: WordErrors
    normalised_wer: WordErrors
    audio_seconds: float
    processing_seconds: float


@dataclass(frozen=True)
class EngineResult:
    load_seconds: float
    voices: list[VoiceResult]
    human: HumanResult

    @property
    def real_time_factor(self) -> float:
        audio = sum(v.audio_seconds for v in self.voices) + self.human.audio_seconds
        processing = sum(v.processing_seconds for v in self.voices) + self.human.processing_seconds
        return processing / audio


def measure_voice(recognizer: WhisperRecognizer, voice_name: str) -> VoiceResult:
    voice = VOICES[voice_name]
    pairs, results, misses = [], [], []
    audio = processing = 0.0
    for utterance in UTTERANCES:
        recording = with_pauses([LEAD_SECONDS, *spoken_with_pauses(utterance.spoken, voice), TRAIL_SECONDS])
        recognition = recognise(recognizer, recording, CONFIG)
        audio += recognition.audio_seconds
        processing += recognition.processing_seconds
        pairs.append((" ".join(utterance.spoken.replace("|", " ").split()), recognition.words))
        result = dictated(recognition.segments, CONFIG)
        results.append((utterance, result))
        if result.text != utterance.text or result.commands != utterance.commands:
            misses.append((utterance, result))
    return VoiceResult(
        voice_name,
        word_error_rate(pairs, normalise=False),
        word_error_rate(pairs, normalise=True),
        sum(result.text == utterance.text for utterance, result in results),
        score_commands(results),
        misses,
        audio,
        processing,
    )


def spoken_with_pauses(spoken: str, voice: Voice) -> list[np.ndarray | float]:
    """The stretches of ``spoken`` between its ``|`` marks, said by ``voice``, with a pause between them."""
    parts: list[np.ndarray | float] = []
    for index, words in enumerate(part.strip() for part in spoken.split("|")):
        parts.extend([PAUSE_SECONDS, speech(words, voice)] if index else [speech(words, voice)])
    return parts


def measure_human(recognizer: WhisperRecognizer) -> HumanResult:
    config = TranscribeConfig(primary_language="en")
    pairs = []
    audio = processing = 0.0
    clips = human_speech()
    for clip in clips:
        recognition = recognise(recognizer, with_pauses([LEAD_SECONDS, clip.samples, TRAIL_SECONDS]), config)
        audio += recognition.audio_seconds
        processing += recognition.processing_seconds
        pairs.append((clip.transcript, recognition.words))
    return HumanResult(
        len(clips), word_error_rate(pairs, normalise=False), word_error_rate(pairs, normalise=True), audio, processing
    )


def measure() -> EngineResult:
    load_seconds = shared_model().load_seconds  # the first load in this process
    recognizer = WhisperRecognizer()
    return EngineResult(load_seconds, [measure_voice(recognizer, name) for name in VOICES], measure_human(recognizer))


def main() -> EngineResult:
    result = measure()
    print(f"model load {result.load_seconds:.2f} s, real-time factor {result.real_time_factor:.3f}")
    for voice in result.voices:
        print(
            f"{voice.voice:7} WER raw {voice.raw_wer.rate:.1%} normalised {voice.normalised_wer.rate:.1%}  "
            f"exact {voice.exact_match_rate:.1%}  commands P {voice.commands.precision:.1%} "
            f"R {voice.commands.recall:.1%}"
        )
    human = result.human
    print(f"human   WER raw {human.raw_wer.rate:.1%} normalised {human.normalised_wer.rate:.1%} ({human.clips} clips)")
    return result


if __name__ == "__main__":
    main()
