"""The daemon's YAML configuration: one validated model per section, and the loader that names bad fields."""

from .loader import ConfigError, default_config_path, load_config
from .model import DaemonConfig

__all__ = ["ConfigError", "DaemonConfig", "default_config_path", "load_config"]
