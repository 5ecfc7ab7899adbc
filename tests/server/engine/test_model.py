"""Loading the model: once per process, clear errors for a bad folder, the languages it supports."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from dictation_daemon.server.engine import ModelNotFoundError, WhisperRecognizer
from dictation_daemon.server.engine.decoding import FINAL_DECODE, decode
from testkit.speech import speech

from .streaming import english

pytestmark = pytest.mark.engine


def test_the_model_is_loaded_once_and_shared(recognizer: WhisperRecognizer) -> None:
    another = WhisperRecognizer()
    assert another.shared is recognizer.shared
    assert another.shared.model is recognizer.shared.model


def test_english_codes_are_supported_by_the_english_model(recognizer: WhisperRecognizer) -> None:
    assert recognizer.supported_languages == {"en", "en-US", "en-GB"}
    recognizer.open_stream(english())
    with pytest.raises(ValueError, match="not supported"):
        recognizer.open_stream(english().model_copy(update={"primary_language": "da"}))


def test_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFoundError, match="does not exist"):
        WhisperRecognizer(tmp_path / "nowhere")


def test_a_folder_without_a_model_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(ModelNotFoundError, match="model.bin"):
        WhisperRecognizer(tmp_path)


def test_a_model_name_is_not_taken_for_a_download() -> None:
    with pytest.raises(ModelNotFoundError, match="does not exist"):
        WhisperRecognizer("tiny.en")


@pytest.mark.parametrize("pause", [0.3, 1.2])
def test_the_engine_sections_pause_decides_where_segments_close(recognizer: WhisperRecognizer, pause: float) -> None:
    from dictation_daemon.app.backend import whisper_recognizer
    from dictation_daemon.config.model import EngineSection
    from dictation_daemon.protocol.messages import TranscribeConfig

    stream = whisper_recognizer(EngineSection(pause_seconds=pause)).open_stream(TranscribeConfig(primary_language="en"))
    assert stream._segmenter.pause_seconds == pytest.approx(pause)


def test_a_window_decoded_again_reuses_its_encoding(recognizer: WhisperRecognizer) -> None:
    model = recognizer.shared.model
    rng = np.random.default_rng(3)
    first, second = (model.feature_extractor(rng.normal(0, 0.1, 16000).astype(np.float32)) for _ in range(2))
    encoded = model.encode(first)
    assert model.encode(first.copy()) is encoded  # the same audio, however it is held
    assert model.encode(second) is not encoded
    for _ in range(8):  # other windows push it out: only the last few are kept
        model.encode(model.feature_extractor(rng.normal(0, 0.1, 16000).astype(np.float32)))
    assert model.encode(first) is not encoded


def test_a_decode_with_a_reused_encoding_hears_the_same_words(recognizer: WhisperRecognizer) -> None:
    model = recognizer.shared.model
    samples = speech("start vancomycin for cellulitis period")
    settings = dict(language="en", settings=FINAL_DECODE, hotwords="vancomycin cellulitis", voiced_seconds=2.0)
    reused = decode(model, samples, **settings).words
    model._encoded.clear()
    assert decode(model, samples, **settings).words == reused
