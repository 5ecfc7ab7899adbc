"""The real engine, loaded once for the whole test session (the model is shared per process anyway)."""

from __future__ import annotations

import pytest

from dictation_daemon.server.engine import WhisperRecognizer


@pytest.fixture(scope="session")
def recognizer() -> WhisperRecognizer:
    return WhisperRecognizer()
