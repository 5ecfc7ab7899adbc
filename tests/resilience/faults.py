"""A scripted recognizer that makes the local server end one stream with an ``error``, mid-utterance.

The local server's only stream-ending error is undecodable audio (it answers ``error``, ``usage``,
``ended`` and closes, as Corti does), so the failure is raised as that, once, after a set amount of audio:
the stream that follows it, a replay, goes through.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from dictation_daemon.audio.decoding import AudioDecodeError
from dictation_daemon.protocol.messages import TranscribeConfig
from dictation_daemon.server.recognizer import SAMPLE_RATE, RecognitionStream, RecognizedSegment
from dictation_daemon.server.scripted import ScriptedRecognizer


class FailingOnceRecognizer(ScriptedRecognizer):
    """Like :class:`ScriptedRecognizer`, but the first stream to hear ``fail_after`` seconds fails there."""

    def __init__(self, script: Mapping[float, str], fail_after: float) -> None:
        super().__init__(script)
        self.fail_after = fail_after
        self.failures = 0

    def open_stream(self, config: TranscribeConfig) -> RecognitionStream:
        return _FailingOnceStream(super().open_stream(config), self)


class _FailingOnceStream(RecognitionStream):
    def __init__(self, inner: RecognitionStream, recognizer: FailingOnceRecognizer) -> None:
        self._inner = inner
        self._recognizer = recognizer
        self._heard = 0.0

    def accept_audio(self, samples: np.ndarray) -> list[RecognizedSegment]:
        self._heard += len(samples) / SAMPLE_RATE
        if not self._recognizer.failures and self._heard >= self._recognizer.fail_after:
            self._recognizer.failures += 1
            raise AudioDecodeError("the recognizer failed (scripted fault)")
        return self._inner.accept_audio(samples)

    def finish(self) -> list[RecognizedSegment]:
        return self._inner.finish()
