"""Reads the YAML configuration and reports every problem with its field path and line number."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import platformdirs
import yaml
from pydantic import ValidationError

from .model import DaemonConfig

APP_NAME = "dictation-daemon"


class ConfigError(Exception):
    """The configuration cannot be used; ``problems`` has one line per offending field."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: invalid configuration\n" + "\n".join(f"  {line}" for line in problems))


def default_config_path() -> Path:
    """The platform's per-user config location, e.g. ``~/.config/dictation-daemon/config.yaml``."""
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.yaml"


def load_config(path: Path | None = None) -> DaemonConfig:
    """Loads ``path``, or the default location if it exists, or the built-in defaults."""
    if path is None:
        path = default_config_path()
        if not path.exists():
            return DaemonConfig()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(str(path), [f"cannot read the file: {exc.strerror}"]) from None
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise ConfigError(str(path), [f"line {line}: the file is not UTF-8 text (byte {exc.start + 1})"]) from None
    return parse_config(text, str(path))


def parse_config(text: str, source: str = "<config>") -> DaemonConfig:
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise ConfigError(source, [f"{where}not valid YAML: {getattr(exc, 'problem', exc)}"]) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(source, ["line 1: the file must be a mapping of sections (backend:, transcription:, ...)"])
    try:
        return DaemonConfig.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            path = [str(part) for part in error["loc"]]
            line = _line_of(root, error["loc"])
            where = f" (line {line})" if line else ""
            message = error["msg"].removeprefix("Value error, ")
            problems.append(f"{'.'.join(path) or '(root)'}{where}: {message}")
        raise ConfigError(source, problems) from None


def _line_of(node: Any, location: tuple[Any, ...]) -> int | None:
    """The line of the deepest YAML node along ``location`` (1-based)."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in location:
        if isinstance(node, yaml.MappingNode):
            match = next((value for key, value in node.value if key.value == str(part)), None)
            if match is None:
                key = next((key for key, _ in node.value if key.value == str(part)), None)
                return key.start_mark.line + 1 if key is not None else line
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            break
        line = node.start_mark.line + 1
    return line
