"""The real engine, loaded once for the whole test session (the model is shared per process anyway)."""

from __future__ import annotations

import pytest

from dictation_daemon.server.engine import WhisperRecognizer


@pytest.fixture(scope="session")
def recognizer() -> WhisperRecognizer:
    return WhisperRecognizer()


@pytest.fixture(scope="session")
def plain_recognizer() -> WhisperRecognizer:
    """The same model without the medical lexicon, to see what the model alone makes of a word."""
    return WhisperRecognizer(medical_vocabulary=False)
