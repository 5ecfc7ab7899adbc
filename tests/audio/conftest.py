"""Test audio shared by the audio tests, synthesised once per session."""

from __future__ import annotations

import numpy as np
import pytest

from tests.audio.media import synthesize_speech

SPEECH_TEXT = (
    "The patient is a fifty two year old male presenting with chest pain radiating to the left arm. "
    "Blood pressure one twenty over eighty."
)


@pytest.fixture(scope="session")
def speech(tmp_path_factory: pytest.TempPathFactory) -> np.ndarray:
    """About seven seconds of synthesised dictation, float32 mono at 16 kHz."""
    return synthesize_speech(tmp_path_factory.mktemp("speech"), SPEECH_TEXT)
