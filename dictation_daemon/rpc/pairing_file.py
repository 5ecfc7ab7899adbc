"""Where confirmed pairings are kept between runs: a private JSON file of token hashes, never tokens."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Mapping
from pathlib import Path

from ..files.private import APP_FOLDER, private_folder, write_private_file
from .pairing import PairingBook

PAIRINGS_FILE = "pairings.json"


class PairingFileError(RuntimeError):
    """The pairings file cannot be trusted or read; the message names the file and what to do."""


def default_pairings_file(environ: Mapping[str, str] = os.environ) -> Path:
    """``$XDG_STATE_HOME/dictation-daemon/pairings.json`` (``~/.local/state`` when unset): state that
    outlives a login, unlike the runtime folder the socket lives in."""
    state = environ.get("XDG_STATE_HOME") or str(Path(environ.get("HOME") or Path.home()) / ".local" / "state")
    return Path(state) / APP_FOLDER / PAIRINGS_FILE


def load_pairings(path: Path) -> PairingBook:
    """The stored pairings; none when the file does not exist yet.

    A file another user owns or may write could hold a hash of a token they chose, so it is refused rather
    than read; so is one that is not what :func:`save_pairings` writes.
    """
    try:
        info = path.lstat()
    except FileNotFoundError:
        return PairingBook()
    if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() or stat.S_IMODE(info.st_mode) & 0o077:
        raise PairingFileError(f"{path} is not a private file of this user (mode {stat.S_IMODE(info.st_mode):04o}); "
                               "remove it, or make it 0600, to pair sites again")
    try:
        return PairingBook.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (UnicodeDecodeError, ValueError) as error:
        raise PairingFileError(f"{path} cannot be read ({error}); remove it to pair sites again") from None


def save_pairings(path: Path, book: PairingBook) -> None:
    private_folder(path.parent)
    write_private_file(path, json.dumps(book.to_json(), indent=2))
