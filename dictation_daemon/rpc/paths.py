"""Where the socket lives and how its folder is made private to the user.

``$XDG_RUNTIME_DIR`` is per user, 0700 and cleaned at logout: the right home for a socket. Inside it the
daemon's folder is 0700 too and the socket 0600, so only the user (and root) can connect; on Linux the
server checks the connecting process's uid as well.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path

FOLDER_NAME = "dictation-daemon"
SOCKET_NAME = "rpc.sock"
ENDPOINT_FILE = "rpc-endpoint.json"
"""Written by a daemon serving loopback TCP or WebSocket, next to where the socket would be (0600)."""


class UnsafeSocketFolder(RuntimeError):
    """The socket's folder belongs to someone else: using it could hand the socket to another user."""


def default_socket_path(environ: Mapping[str, str] = os.environ) -> Path:
    """``$XDG_RUNTIME_DIR/dictation-daemon/rpc.sock``; without that variable, ``/run/user/UID`` or a
    per-user folder in the temporary directory."""
    runtime = environ.get("XDG_RUNTIME_DIR")
    if runtime:
        return Path(runtime) / FOLDER_NAME / SOCKET_NAME
    run_user = Path(f"/run/user/{os.getuid()}")
    if run_user.is_dir():
        return run_user / FOLDER_NAME / SOCKET_NAME
    return Path(tempfile.gettempdir()) / f"{FOLDER_NAME}-{os.getuid()}" / SOCKET_NAME


def prepare_folder(folder: Path) -> None:
    """Creates the folder with mode 0700, or checks an existing one is ours and makes it 0700."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = folder.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        raise UnsafeSocketFolder(f"{folder} is not a folder owned by this user; refusing to put the socket there")
    if stat.S_IMODE(info.st_mode) != 0o700:
        folder.chmod(0o700)


def write_private_file(path: Path, text: str) -> None:
    """Writes ``text`` to a file only the user can read (0600 from creation on), replacing it atomically."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)
    os.replace(temporary, path)
