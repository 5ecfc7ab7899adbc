"""Raw PCM16 to float32 mono at the recognizer's rate, for streams that arrive in arbitrary byte chunks."""

from __future__ import annotations

import av
import numpy as np

from ..protocol.audio_format import AudioFormat


class StreamResampler:
    """Converts float32 mono at any rate to ``target_rate``, keeping the filter state across chunks so the
    joins between chunks are seamless. The filter holds back one or two milliseconds of audio until :meth:`finish`."""

    def __init__(self, source_rate: int, target_rate: int) -> None:
        self._source_rate = source_rate
        self._resampler = av.AudioResampler(format="flt", layout="mono", rate=target_rate)
        self._next_pts = 0

    def resample(self, samples: np.ndarray) -> np.ndarray:
        if not len(samples):
            return np.zeros(0, dtype=np.float32)
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="flt", layout="mono")
        frame.sample_rate = self._source_rate
        frame.pts = self._next_pts
        self._next_pts += len(samples)
        return frames_to_mono(self._resampler.resample(frame))

    def finish(self) -> np.ndarray:
        return frames_to_mono(self._resampler.resample(None))


def frames_to_mono(frames: list[av.AudioFrame]) -> np.ndarray:
    """Joins packed float32 mono frames (what the resamplers here produce) into one array."""
    if not frames:
        return np.zeros(0, dtype=np.float32)
    return np.concatenate([frame.to_ndarray().reshape(-1) for frame in frames]).astype(np.float32, copy=False)


class PcmConverter:
    """Decodes raw little-endian 16-bit PCM of any declared rate and channel count.

    A chunk may end in the middle of a sample or between the channels of one sample frame; those bytes
    wait for the next chunk, so nothing is lost or shifted.
    """

    def __init__(self, audio_format: AudioFormat, sample_rate: int) -> None:
        self._channels = audio_format.channels
        self._frame_bytes = 2 * audio_format.channels
        self._pending = b""
        self._resampler = (
            StreamResampler(audio_format.sample_rate, sample_rate) if audio_format.sample_rate != sample_rate else None
        )

    def feed(self, data: bytes) -> np.ndarray:
        data = self._pending + data
        usable = len(data) // self._frame_bytes * self._frame_bytes
        self._pending = data[usable:]
        samples = np.frombuffer(data[:usable], dtype="<i2").astype(np.float32) / 32768.0
        mono = samples.reshape(-1, self._channels).mean(axis=1, dtype=np.float32)
        return self._resampler.resample(mono) if self._resampler else mono

    def finish(self) -> np.ndarray:
        """Returns what the resampler still holds; a trailing incomplete sample frame is dropped."""
        self._pending = b""
        return self._resampler.finish() if self._resampler else np.zeros(0, dtype=np.float32)
