"""The cue band-stop filter on synthetic audio: the cue goes, speech-band audio stays in place."""

from __future__ import annotations

import numpy as np

from dictation_daemon.capture.cues import Cue, CueFilter, cue_samples
from dictation_daemon.capture.level import rms_dbfs


def run(samples: np.ndarray, chunk: int = 137) -> np.ndarray:
    pcm = samples.astype("<i2").tobytes()
    cue_filter = CueFilter()
    out = b"".join(cue_filter.process(pcm[i : i + 2 * chunk]) for i in range(0, len(pcm), 2 * chunk))
    return np.frombuffer(out + cue_filter.finish(), dtype="<i2")


def test_both_cues_are_removed() -> None:
    for cue in Cue:
        samples = cue_samples(cue, volume=1.0) * 32767
        assert rms_dbfs(samples.astype(np.int16)) > -8
        assert rms_dbfs(run(samples)) < -60


def test_speech_band_passes_unchanged_and_aligned() -> None:
    t = np.arange(16000) / 16000
    speech_like = 8000 * (np.sin(2 * np.pi * 300 * t) + np.sin(2 * np.pi * 2500 * t) + np.sin(2 * np.pi * 6000 * t)) / 3
    out = run(speech_like)
    assert len(out) == len(speech_like)
    middle = slice(1000, 15000)
    assert np.max(np.abs(out[middle] - speech_like[middle])) < 0.01 * 8000

