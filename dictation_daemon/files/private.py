"""Private folders and files: only the user who runs the daemon may enter, read or write them.

Patient speech and the socket's token must never land where another user of the machine can reach them
(a terminal server shares ``/tmp`` and loopback). So nothing goes to the shared temporary folder: the
per-user runtime folder (``$XDG_RUNTIME_DIR``, usually a tmpfs cleared at logout, or ``/run/user/UID``)
comes first, the user's cache folder after it. A folder the daemon finds already there is used only if it
is the user's own and closed to everyone else; its mode is never changed, since it may be a folder the
user shares on purpose.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Mapping
from pathlib import Path

APP_FOLDER = "dictation-daemon"


class UnsafeFolder(RuntimeError):
    """A folder the daemon would use belongs to someone else or is open to others; the message says which."""


def runtime_folder(environ: Mapping[str, str] = os.environ) -> Path:
    """The daemon's per-user folder for short-lived things: in ``$XDG_RUNTIME_DIR``, else ``/run/user/UID``,
    else the user's cache folder (``$XDG_CACHE_HOME`` or ``~/.cache``); never the shared temporary folder."""
    runtime = environ.get("XDG_RUNTIME_DIR")
    if runtime:
        return Path(runtime) / APP_FOLDER
    run_user = Path(f"/run/user/{os.getuid()}")
    if run_user.is_dir():
        return run_user / APP_FOLDER
    cache = environ.get("XDG_CACHE_HOME") or str(Path(environ.get("HOME") or Path.home()) / ".cache")
    return Path(cache) / APP_FOLDER


def private_folder(folder: Path) -> Path:
    """Creates ``folder`` with mode 0700, or checks that an existing one is the user's and closed to others.

    Raises :class:`UnsafeFolder` for a folder of another user, a link, something that is not a folder,
    or a folder that others may enter.
    """
    folder.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        folder.mkdir(mode=0o700)
    info = folder.lstat()
    if not stat.S_ISDIR(info.st_mode):
        raise UnsafeFolder(f"{folder} is not a folder; refusing to use it")
    if info.st_uid != os.getuid():
        raise UnsafeFolder(f"{folder} belongs to another user; refusing to use it")
    if stat.S_IMODE(info.st_mode) & 0o077:
        raise UnsafeFolder(f"{folder} is open to other users (mode {stat.S_IMODE(info.st_mode):o}); make it 0700 "
                           "or choose another folder")
    return folder


def write_private_file(path: Path, text: str) -> None:
    """Writes ``text`` to a file only the user can read (0600 from creation on), replacing it atomically."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)
    os.replace(temporary, path)
