"""The microphone stays open while the daemon runs, so an utterance can begin with audio from before the key press.

Opening an input device takes tens of milliseconds and a dictation session may take a second to be
ready; a user who starts speaking as they press the key would lose the first word. Instead the stream
runs all the time into a short ring buffer (the pre-roll), and an utterance starts with that buffer.
On release the utterance keeps recording a tail, so the last word is not cut off either.

The PortAudio callback never blocks: it copies the block into a bounded inbox and, while an utterance
is recorded, wakes the event loop at most once per batch with ``call_soon_threadsafe``. Between
utterances nothing needs the audio at once, so the loop is not woken for it: the inbox keeps the newest
blocks and the loop takes them when an utterance starts, when the status is read and when the stall
watchdog looks (so an idle daemon wakes a few times a minute, not a hundred times a second). Everything
else happens on the event loop.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import enum
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sounddevice as sd

from ..protocol.audio_format import BYTES_PER_SECOND, SAMPLE_RATE
from .devices import (
    InputDevice,
    find_input_device,
    list_input_devices,
    reinitialise_portaudio,
)
from .level import SILENCE_DBFS, rms_dbfs
from .utterance import MicrophoneFailed, Outcome, Utterance

log = logging.getLogger(__name__)

STALL_SECONDS = 5.0
"""A running stream that delivers nothing for this long is treated as a lost device (some ALSA paths stall
instead of reporting an error). Generous, because a sound server may take a couple of seconds to start
delivering on a freshly opened stream (seen with PulseAudio reconfiguring an idle sink's rate)."""
FIRST_BLOCK_SECONDS = 6.0
"""Allowance for the first block after opening: through ALSA's PulseAudio plugin, a process's first stream
delivers its first block about 2 s after start, which the stall limit would take for a dead device."""


def ms_to_bytes(milliseconds: float) -> int:
    """PCM16 mono byte count of a duration at 16 kHz, whole samples only."""
    return int(SAMPLE_RATE * milliseconds / 1000) * 2


class MicrophoneState(enum.Enum):
    """What the controller shows: ``FAILED`` carries a reason in :attr:`Microphone.error`."""

    CLOSED = "closed"
    RUNNING = "running"
    FAILED = "failed"


@dataclass(frozen=True)
class CaptureStats:
    """Counters for `status`: overruns are audio the device lost before we saw it, drops are blocks we
    discarded because the event loop fell behind by more than the inbox holds; ``received_seconds`` (audio
    since the stream opened) shows whether the device delivers anything at all."""

    overruns: int
    drops: int
    level_dbfs: float
    received_seconds: float


class Microphone:
    """16 kHz mono PCM16 capture with a pre-roll ring buffer, utterances with a tail, and failure reporting.

    Create and use it on the event loop: :meth:`open` once, then :meth:`start_utterance`,
    :meth:`stop_utterance` or :meth:`cancel_utterance` per dictation. After a failure (state ``FAILED``)
    :meth:`open` may be called again.
    """

    def __init__(
        self,
        device: str | int | None = None,
        *,
        preroll_ms: float = 300,
        latency_ms: float = 100,
        inbox_blocks: int = 500,
        on_failure: Callable[[MicrophoneFailed], None] | None = None,
    ) -> None:
        """``latency_ms`` is the input latency asked of PortAudio: larger means fewer, bigger blocks (less
        CPU while the microphone is open all day), at the cost of the last block arriving that much later."""
        self._wanted_device = device
        self._latency = latency_ms / 1000
        self._preroll_bytes = ms_to_bytes(preroll_ms)
        self._inbox_limit = inbox_blocks
        self._on_failure = on_failure
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stream: sd.InputStream | None = None
        self._generation = 0
        self._opened_before = False
        self._state = MicrophoneState.CLOSED
        self._error: MicrophoneFailed | None = None
        self.device: InputDevice | None = None
        # Written by the PortAudio thread only; read on the loop.
        self._inbox: collections.deque[bytes] = collections.deque()
        self._wakeup_pending = False
        self._recording = False
        """Written on the loop, read by the PortAudio thread: wake the loop for each batch."""
        self._overruns = 0
        self._drops = 0
        # Loop-side state.
        self._ring: collections.deque[bytes] = collections.deque()
        self._ring_bytes = 0
        self._last_block = b""
        self._last_block_at = 0.0
        self._received_bytes = 0
        self._utterance: Utterance | None = None
        self._tail_left: int | None = None
        self._watchdog: asyncio.TimerHandle | None = None

    @property
    def state(self) -> MicrophoneState:
        return self._state

    @property
    def error(self) -> MicrophoneFailed | None:
        """Why the microphone failed, while its state is ``FAILED``."""
        return self._error

    @property
    def stats(self) -> CaptureStats:
        self._drain()
        level = rms_dbfs(self._last_block) if self._state is MicrophoneState.RUNNING else SILENCE_DBFS
        return CaptureStats(self._overruns, self._drops, level, self._received_bytes / BYTES_PER_SECOND)

    @property
    def recording(self) -> bool:
        """An utterance is open (including its tail)."""
        return self._utterance is not None

    def open(self) -> None:
        """Starts the stream; raises :class:`DeviceNotFound` naming the available devices if the configured one
        is missing, :class:`OSError` if the device cannot record. Reopening after a failure re-initialises
        PortAudio so a re-plugged device is found."""
        if self._state is MicrophoneState.RUNNING:
            return
        self._loop = asyncio.get_running_loop()
        self._discard_stream()
        if self._opened_before:
            reinitialise_portaudio()
        self._opened_before = True
        self.device = find_input_device(self._wanted_device, list_input_devices())
        self._generation += 1
        generation = self._generation
        self._inbox.clear()
        self._ring.clear()
        self._ring_bytes = 0
        self._last_block = b""
        self._received_bytes = 0
        stream: sd.InputStream | None = None
        try:
            stream = sd.InputStream(
                device=None if self.device is None else self.device.index,
                samplerate=SAMPLE_RATE,
                channels=1,
                dtype="int16",
                # blocksize=0 lets PortAudio choose: fixed sizes stall outright on some ALSA plugin set-ups.
                blocksize=0,
                latency=self._latency,
                callback=self._callback,
                finished_callback=lambda: self._finished_from_portaudio(generation),
            )
            stream.start()
        except sd.PortAudioError as error:  # the device is still gone: an I/O error like any other
            if stream is not None:
                stream.close(ignore_errors=True)
            raise OSError(f"the input device cannot be opened: {error}") from None
        self._stream = stream
        self._state = MicrophoneState.RUNNING
        self._error = None
        self._last_block_at = time.monotonic()
        self._watchdog = self._loop.call_later(STALL_SECONDS / 2, self._check_stall)
        log.info("microphone open: %s", self.device.describe() if self.device else "system default input")

    def close(self) -> None:
        """Stops the stream; an utterance still open is cancelled."""
        self.cancel_utterance()
        self._discard_stream()
        self._state = MicrophoneState.CLOSED

    def start_utterance(self) -> Utterance:
        """Begins an utterance with the pre-roll: the last ``preroll_ms`` of audio before this call."""
        if self._state is not MicrophoneState.RUNNING:
            raise self._error or MicrophoneFailed("the microphone is not open")
        if self._utterance is not None:
            raise RuntimeError("an utterance is already being recorded")
        self._recording = True  # before draining: a block that comes meanwhile wakes the loop
        self._drain()
        utterance = Utterance()
        utterance.deliver(b"".join(self._ring)[-self._preroll_bytes :] if self._preroll_bytes else b"")
        self._utterance = utterance
        self._tail_left = None
        return utterance

    def stop_utterance(self, tail_ms: float = 400) -> None:
        """Keeps recording ``tail_ms`` more audio, counted in samples after everything captured so far, then
        ends the utterance. The tail is measured in audio, not wall time, so a busy loop cannot shorten it."""
        if self._utterance is None or self._tail_left is not None:
            return
        self._drain()
        self._tail_left = ms_to_bytes(tail_ms)
        if self._tail_left == 0:
            self._finish_utterance(Outcome.COMPLETED)

    def cancel_utterance(self) -> None:
        """Ends the utterance at once and throws its unread audio away."""
        if self._utterance is not None:
            self._finish_utterance(Outcome.CANCELLED)

    # PortAudio thread ------------------------------------------------------------------------------------

    def _callback(self, indata: Any, frames: int, time_info: Any, status: sd.CallbackFlags) -> None:
        if status.input_overflow:
            self._overruns += 1
        if len(self._inbox) >= self._inbox_limit:
            if self._recording:
                self._drops += 1
                return
            with contextlib.suppress(IndexError):  # idle: only the newest audio matters (the pre-roll)
                self._inbox.popleft()
        self._inbox.append(indata.tobytes())
        if self._recording and not self._wakeup_pending:
            self._wakeup_pending = True
            try:
                self._loop.call_soon_threadsafe(self._drain)  # type: ignore[union-attr]
            except RuntimeError:  # the loop is closed: the daemon is shutting down
                pass

    def _finished_from_portaudio(self, generation: int) -> None:
        try:
            self._loop.call_soon_threadsafe(self._stream_finished, generation)  # type: ignore[union-attr]
        except RuntimeError:
            pass

    # Event loop ------------------------------------------------------------------------------------------

    def _drain(self) -> None:
        # Clear the flag before emptying, so a block appended meanwhile either is seen here or schedules a drain.
        self._wakeup_pending = False
        while self._inbox:
            self._accept(self._inbox.popleft())

    def _accept(self, block: bytes) -> None:
        self._last_block = block
        self._last_block_at = time.monotonic()
        self._received_bytes += len(block)
        self._ring.append(block)
        self._ring_bytes += len(block)
        while self._ring and self._ring_bytes - len(self._ring[0]) >= self._preroll_bytes:
            self._ring_bytes -= len(self._ring.popleft())
        if self._utterance is None:
            return
        if self._tail_left is None:
            self._utterance.deliver(block)
            return
        self._utterance.deliver(block[: self._tail_left])
        self._tail_left -= min(len(block), self._tail_left)
        if self._tail_left == 0:
            self._finish_utterance(Outcome.COMPLETED)

    def _finish_utterance(self, outcome: Outcome, error: MicrophoneFailed | None = None) -> None:
        assert self._utterance is not None
        self._utterance.end(outcome, error)
        self._utterance = None
        self._tail_left = None
        self._recording = False

    def _check_stall(self) -> None:
        self._drain()
        silent_for = time.monotonic() - self._last_block_at
        if silent_for >= (STALL_SECONDS if self._last_block else FIRST_BLOCK_SECONDS):
            self._fail(f"no audio from the input device for {silent_for:.1f} s")
        else:
            self._watchdog = self._loop.call_later(STALL_SECONDS / 2, self._check_stall)  # type: ignore[union-attr]

    def _stream_finished(self, generation: int) -> None:
        if generation == self._generation and self._state is MicrophoneState.RUNNING:
            self._fail("the input device stopped (unplugged, or the sound server went away)")

    def _fail(self, reason: str) -> None:
        self._drain()
        self._discard_stream()
        self._state = MicrophoneState.FAILED
        self._error = MicrophoneFailed(reason)
        log.warning("microphone failed: %s", reason)
        if self._utterance is not None:
            self._finish_utterance(Outcome.FAILED, self._error)
        if self._on_failure is not None:
            self._on_failure(self._error)

    def _discard_stream(self) -> None:
        if self._watchdog is not None:
            self._watchdog.cancel()
            self._watchdog = None
        stream, self._stream = self._stream, None
        self._generation += 1  # its finished callback is now stale
        if stream is not None:
            stream.close(ignore_errors=True)  # a vanished device makes closing report errors that change nothing
