"""Turns recognised words into the ``transcript`` and ``command`` data of Corti's ``/transcribe`` socket.

Everything here is pure (no I/O, no clock): :class:`~.pipeline.TextPipeline` takes the engine's
:class:`~dictation_daemon.server.recognizer.RecognizedSegment` values and returns wire data, applying the
session's commands, punctuation mode, formatting and replacements in the order the protocol describes
(spec §3–§6). The word rules are English; other languages get the same machinery with English words.
"""

from .pipeline import TextPipeline

__all__ = ["TextPipeline"]
