"""Where the daemon's socket is by default.

This mirrors the daemon's own rule instead of importing it, so the library installs and works without
the daemon's package: ``$XDG_RUNTIME_DIR/dictation-daemon/rpc.sock``; without that variable,
``/run/user/UID`` or a per-user folder in the temporary directory.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

FOLDER_NAME = "dictation-daemon"
SOCKET_NAME = "rpc.sock"


def default_socket_path(environ: Mapping[str, str] = os.environ) -> Path:
    """The socket path a daemon started without ``rpc.socket_path`` listens on."""
    runtime = environ.get("XDG_RUNTIME_DIR")
    if runtime:
        return Path(runtime) / FOLDER_NAME / SOCKET_NAME
    run_user = Path(f"/run/user/{os.getuid()}")
    if run_user.is_dir():
        return run_user / FOLDER_NAME / SOCKET_NAME
    return Path(tempfile.gettempdir()) / f"{FOLDER_NAME}-{os.getuid()}" / SOCKET_NAME
