"""Where the socket lives.

``$XDG_RUNTIME_DIR`` is per user, 0700 and cleaned at logout: the right home for a socket. Inside it the
daemon's folder is 0700 too (:mod:`dictation_daemon.files.private`) and the socket 0600, so only the user
(and root) can connect; on Linux the server checks the connecting process's uid as well.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from ..files.private import runtime_folder

SOCKET_NAME = "rpc.sock"
ENDPOINT_FILE = "rpc-endpoint.json"
"""Written by a daemon serving loopback TCP or WebSocket, next to where the socket would be (0600)."""


def default_socket_path(environ: Mapping[str, str] = os.environ) -> Path:
    """``rpc.sock`` in the daemon's private runtime folder (:func:`~dictation_daemon.files.private.runtime_folder`)."""
    return runtime_folder(environ) / SOCKET_NAME
