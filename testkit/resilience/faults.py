"""Scripted recognizers that misbehave on purpose: one ends a stream with an ``error`` mid-utterance, one lets
a test fail the network at the moment the server takes a flush, one falls behind real time.

The local server's only stream-ending error is undecodable audio (it answers ``error``, ``usage``,
``ended`` and closes, as Corti does), so the failure is raised as that, once, after a set amount of audio:
the stream that follows it, a replay, goes through.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping

import numpy as np

from dictation_daemon.audio.decoding import AudioDecodeError
from dictation_daemon.protocol.audio_format import SAMPLE_RATE
from dictation_daemon.protocol.messages import TranscribeConfig
from dictation_daemon.server.recognizer import RecognitionStream, RecognizedSegment
from testkit.scripted import ScriptedRecognizer

HOOK_TIMEOUT = 30.0


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


class FlushHookRecognizer(ScriptedRecognizer):
    """Like :class:`ScriptedRecognizer`, but the next flush (or end) after :meth:`arm` first runs a hook on the
    test's event loop and waits for it: the server has the request, and none of its answer has left yet."""

    def __init__(self, script: Mapping[float, str]) -> None:
        super().__init__(script)
        self._hook: Callable[[], object] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def arm(self, hook: Callable[[], object]) -> None:
        """Runs ``hook`` once, on the calling event loop, when a stream is next flushed or ended."""
        self._loop = asyncio.get_running_loop()
        self._hook = hook

    def open_stream(self, config: TranscribeConfig) -> RecognitionStream:
        return _FlushHookStream(super().open_stream(config), self)

    def fire(self) -> None:
        """Called from the server's worker thread: runs the armed hook on its loop, if any, and waits for it."""
        hook, self._hook = self._hook, None
        if hook is not None:
            assert self._loop is not None
            asyncio.run_coroutine_threadsafe(_call(hook), self._loop).result(HOOK_TIMEOUT)


class _FlushHookStream(RecognitionStream):
    def __init__(self, inner: RecognitionStream, recognizer: FlushHookRecognizer) -> None:
        self._inner = inner
        self._recognizer = recognizer

    def accept_audio(self, samples: np.ndarray) -> list[RecognizedSegment]:
        return self._inner.accept_audio(samples)

    def finish(self) -> list[RecognizedSegment]:
        self._recognizer.fire()
        return self._inner.finish()


async def _call(hook: Callable[[], object]) -> None:
    hook()


class SlowRecognizer(ScriptedRecognizer):
    """Like :class:`ScriptedRecognizer`, but each piece of audio takes ``seconds_per_call`` to hear: a server that
    falls behind real time and catches up later, sending results all the while. The server runs recognition in
    a worker thread, so the sleep holds up that session's results and nothing else."""

    def __init__(self, script: Mapping[float, str], seconds_per_call: float) -> None:
        super().__init__(script)
        self.seconds_per_call = seconds_per_call

    def open_stream(self, config: TranscribeConfig) -> RecognitionStream:
        return _SlowStream(super().open_stream(config), self.seconds_per_call)


class _SlowStream(RecognitionStream):
    def __init__(self, inner: RecognitionStream, seconds_per_call: float) -> None:
        self._inner = inner
        self._seconds_per_call = seconds_per_call

    def accept_audio(self, samples: np.ndarray) -> list[RecognizedSegment]:
        time.sleep(self._seconds_per_call)
        return self._inner.accept_audio(samples)

    def finish(self) -> list[RecognizedSegment]:
        return self._inner.finish()
