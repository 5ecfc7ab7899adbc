"""What the local server needs from a speech recognizer, whichever engine sits behind it.

A :class:`Recognizer` is loaded once per process and shared; each ``/transcribe`` session opens its own
:class:`RecognitionStream`. Streams receive 16 kHz mono float32 samples and give back
:class:`RecognizedSegment` values: interim guesses while someone speaks, finals at pauses and when asked
to finish. The words are the engine's own, before any spoken-punctuation, command or formatting rules:
those are applied by :mod:`dictation_daemon.server.text`, the same for every engine.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass

import numpy as np

from ..protocol.messages import TranscribeConfig

"""Every recognizer receives audio at this rate, mono, as float32 in [-1, 1]."""


@dataclass(frozen=True)
class RecognizedSegment:
    """A stretch of speech as the engine heard it; ``start``/``end`` are seconds from the stream's start."""

    words: str
    start: float
    end: float
    is_final: bool


class RecognitionStream(abc.ABC):
    """One session's recognition state. Methods may block on CPU: the server calls them off the event loop,
    one at a time per stream."""

    @abc.abstractmethod
    def accept_audio(self, samples: np.ndarray) -> list[RecognizedSegment]:
        """Takes the next samples; returns finals for speech that ended at a pause, and interims if asked for."""

    @abc.abstractmethod
    def finish(self) -> list[RecognizedSegment]:
        """Finalises all audio accepted so far (a ``flush`` or ``end``); the stream stays usable afterwards."""


class Recognizer(abc.ABC):
    """A loaded engine, shared by all sessions of one server process."""

    supported_languages: frozenset[str]

    @abc.abstractmethod
    def open_stream(self, config: TranscribeConfig) -> RecognitionStream:
        """A new stream for one session; ``config`` carries language, interim results and keyterms."""
