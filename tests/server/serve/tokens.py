"""Static bearer tokens for the tests, and the private file that lists them."""

from __future__ import annotations

from pathlib import Path

TOKEN = "s3cr3t-workstation-token-0123456789"
OTHER = "second-token-abcdef"


def tokens_file(tmp_path: Path, mode: int = 0o600) -> Path:
    """Both tokens, between comment and blank lines, with file permissions ``mode``."""
    path = tmp_path / "tokens"
    path.write_text(f"# ward 3 workstations\n{TOKEN}\n\n  # the radiology pool\n{OTHER}\n")
    path.chmod(mode)
    return path
