"""The bundled models by name; the base model joined from its two packages and checked."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dictation_daemon.protocol.messages import TranscribeConfig
from dictation_daemon.server.engine import WhisperRecognizer
from dictation_daemon.server.engine.bundled import (
    BASE_FILES,
    BASE_PARTS,
    _package_data,
    bundled_model_path,
    joined_base_model,
)
from dictation_daemon.server.engine.model import ModelNotFoundError, default_model_path
from testkit.speech import speech, with_pauses

pytestmark = pytest.mark.engine


def test_tiny_is_the_engine_extras_model() -> None:
    assert bundled_model_path("tiny.en") == default_model_path()


def test_an_unknown_name_is_a_clear_error() -> None:
    with pytest.raises(ModelNotFoundError, match="tiny.en, base"):
        bundled_model_path("large")


def test_the_base_model_is_joined_once_into_a_private_cache_and_checked(tmp_path: Path) -> None:
    folder = bundled_model_path("base", {"XDG_CACHE_HOME": str(tmp_path), "HOME": str(tmp_path)})
    assert folder.parent == tmp_path / "dictation-daemon" / "models"
    assert os.stat(tmp_path / "dictation-daemon").st_mode & 0o077 == 0
    assert sorted(path.name for path in folder.iterdir()) == sorted(["model.bin", *BASE_FILES])
    joined_at = (folder / "model.bin").stat().st_mtime_ns
    assert bundled_model_path("base", {"XDG_CACHE_HOME": str(tmp_path)}) == folder
    assert (folder / "model.bin").stat().st_mtime_ns == joined_at
    assert not [path for path in folder.parent.iterdir() if path.name.endswith(".partial")]


def test_halves_that_do_not_make_the_release_are_refused_and_leave_nothing(tmp_path: Path) -> None:
    real = _package_data(BASE_PARTS)
    broken = [tmp_path / "part1", tmp_path / "part2"]
    for index, (source, target) in enumerate(zip(real, broken), start=1):
        target.mkdir()
        data = (source / f"model.bin.part{index}").read_bytes()
        (target / f"model.bin.part{index}").write_bytes(data[: len(data) // 2] if index == 2 else data)
        for name in BASE_FILES if index == 1 else ():
            (target / name).write_bytes((source / name).read_bytes())
    cache = tmp_path / "cache"
    with pytest.raises(ModelNotFoundError, match="sha256"):
        joined_base_model(cache, broken)
    assert list(cache.iterdir()) == []


def test_the_base_model_transcribes(tmp_path: Path) -> None:
    recognizer = WhisperRecognizer(bundled_model_path("base", {"XDG_CACHE_HOME": str(tmp_path)}),
                                   medical_vocabulary=False)
    assert "en" in recognizer.supported_languages and "de" in recognizer.supported_languages
    stream = recognizer.open_stream(TranscribeConfig(primary_language="en"))
    samples = with_pauses([0.3, speech("the lungs are clear"), 0.8])
    segments = [*stream.accept_audio(samples), *stream.finish()]
    assert "lungs are clear" in " ".join(segment.words for segment in segments if segment.is_final).lower()
