"""The embedded offline speech engine: faster-whisper with bundled tiny.en weights, no network needed."""

from .model import ModelNotFoundError, default_model_path
from .whisper import WhisperRecognizer, WhisperStream

__all__ = ["ModelNotFoundError", "WhisperRecognizer", "WhisperStream", "default_model_path"]
