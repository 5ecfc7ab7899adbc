"""``config/default.yaml`` documents every option with its default, and cannot drift from the code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from dictation_daemon.config.loader import load_config
from dictation_daemon.config.model import DaemonConfig

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "config" / "default.yaml"


def test_the_documented_defaults_are_the_defaults():
    assert load_config(DEFAULT_FILE) == DaemonConfig()


def missing_options(model: type[BaseModel], written: dict[str, Any], prefix: str = "") -> list[str]:
    """Options of ``model`` (and its sections) that the file does not write out."""
    missing = []
    for name, field in model.model_fields.items():
        key = field.alias or name
        if key not in written and name not in written:
            missing.append(prefix + name)
            continue
        value = written.get(key, written.get(name))
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel) and isinstance(value, dict):
            missing += missing_options(annotation, value, f"{prefix}{name}.")
    return missing


def test_every_option_is_written_out():
    written = yaml.safe_load(DEFAULT_FILE.read_text(encoding="utf-8"))
    assert missing_options(DaemonConfig, written) == []
