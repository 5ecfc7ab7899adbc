"""Choosing the ``/transcribe`` server for the daemon and making it reachable: Corti in the cloud, the
embedded local engine (started here, in this process), or any URL.

The client package only knows a :class:`~dictation_daemon.client.backend.Backend` to open sessions on;
starting the local server is the daemon's business, so the client never imports the server.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator, Mapping
from functools import partial
from pathlib import Path

from ..client.backend import Backend
from ..config.model import DaemonConfig, EngineSection
from ..corti.auth import TokenProvider
from ..corti.credentials import CortiCredentials
from ..server.recognizer import Recognizer

SERVER_TOKEN_VARIABLE = "DICTATION_SERVER_TOKEN"
"""Bearer token for a shared local server (``backend.kind: url``); kept out of the config file."""


def corti_credentials(config: DaemonConfig, environ: Mapping[str, str] = os.environ) -> CortiCredentials | None:
    """Credentials from the environment; the config file supplies region, tenant and scope defaults."""
    section = config.backend.corti
    defaults = {"CORTI_ENVIRONMENT": section.environment, "CORTI_TENANT": section.tenant, "CORTI_SCOPE": section.scope}
    return CortiCredentials.from_env({**defaults, **environ})


def choose_kind(config: DaemonConfig, environ: Mapping[str, str] = os.environ) -> str:
    """``auto`` means Corti when its credentials are set, the embedded engine otherwise."""
    kind = config.backend.kind
    if kind == "auto":
        return "corti" if corti_credentials(config, environ) is not None else "local"
    return kind


def _encoding(config: DaemonConfig, kind: str) -> str:
    if config.backend.audio_encoding != "auto":
        return config.backend.audio_encoding
    return "ogg-opus" if kind == "corti" else "pcm"


def whisper_recognizer(section: EngineSection, model_path: Path | None = None) -> Recognizer:
    """The embedded engine as the ``engine`` section sets it up (``model_path`` overrides the section's)."""
    from ..server.engine.bundled import bundled_model_path
    from ..server.engine.whisper import WhisperRecognizer, whisper_segmenter

    folder = model_path or section.model_path or bundled_model_path(section.model)
    return WhisperRecognizer(folder, decode_slots=section.max_concurrent_decodes,
                             segmenter_factory=partial(whisper_segmenter, pause_seconds=section.pause_seconds),
                             medical_vocabulary=section.medical_vocabulary)


@contextlib.asynccontextmanager
async def open_backend(
    config: DaemonConfig, *, kind: str | None = None, url: str | None = None,
    environ: Mapping[str, str] = os.environ,
) -> AsyncIterator[Backend]:
    """Makes the configured backend reachable for the duration of the block.

    ``local`` starts the embedded server in this process on a free loopback port.
    """
    if url is not None:
        kind = "url"
    kind = kind or choose_kind(config, environ)
    answer_timeout = config.backend.answer_timeout_seconds
    if kind == "url":
        target = url or config.backend.url
        if not target:
            raise ValueError("backend.kind is 'url' but no backend.url is set")
        token = environ.get(SERVER_TOKEN_VARIABLE)
        headers = {"Authorization": f"Bearer {token}"} if token else None
        yield Backend("url", realtime_required=False, encoding=_encoding(config, kind), answer_timeout=answer_timeout,
                      _static_url=target, _headers=headers)
    elif kind == "corti":
        credentials = corti_credentials(config, environ)
        if credentials is None:
            raise ValueError("the Corti backend needs CORTI_CLIENT_ID and CORTI_CLIENT_SECRET in the environment")
        async with TokenProvider(credentials) as tokens:
            yield Backend("corti", realtime_required=True, encoding=_encoding(config, kind),
                          answer_timeout=answer_timeout, _tokens=tokens, _credentials=credentials)
    else:
        from ..server.app import LocalServer

        async with LocalServer(whisper_recognizer(config.engine), host="127.0.0.1", port=0) as server:
            yield Backend("local", realtime_required=False, encoding=_encoding(config, "local"),
                          answer_timeout=answer_timeout, _static_url=server.url)
