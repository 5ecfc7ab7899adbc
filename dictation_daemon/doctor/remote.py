"""Credentials and the backend: a token fetched with the configured client, and one round trip through a session.

The round trip is what a dictation does, minus the words: open a session, send half a second of silence,
flush, end. For the local engine that includes loading the speech model. Neither the client secret nor a
token is ever part of a result.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping

from ..app.backend import choose_kind, corti_credentials, open_backend
from ..client.errors import SessionError
from ..config.model import DaemonConfig
from ..corti.auth import AuthError, TokenProvider
from ..corti.credentials import CredentialsError
from ..protocol.audio_format import BYTES_PER_SECOND
from .report import Check, fail, ok

SILENCE = bytes(BYTES_PER_SECOND // 2)
"""Half a second of 16 kHz PCM16 silence."""
TIMEOUT_SECONDS = 60.0


async def check_credentials(config: DaemonConfig, environ: Mapping[str, str] = os.environ) -> Check:
    name = "credentials"
    try:
        credentials = corti_credentials(config, environ)
    except CredentialsError as error:
        return fail(name, str(error), "fix the CORTI_* variables (in the service's EnvironmentFile)")
    if credentials is None:
        if choose_kind(config, environ) == "corti":
            return fail(name, "backend.kind is corti but CORTI_CLIENT_ID and CORTI_CLIENT_SECRET are not set",
                        "set both in the environment (for the service: its EnvironmentFile, mode 0600)")
        return ok(name, "no Corti credentials set (CORTI_CLIENT_ID/SECRET); not needed for this backend")
    started = time.monotonic()
    try:
        async with TokenProvider(credentials) as tokens:
            await tokens.token()
    except AuthError as error:
        return fail(name, f"{type(error).__name__}: {error}", "check the client id, secret, tenant and region")
    milliseconds = round((time.monotonic() - started) * 1000)
    return ok(name, f"token obtained for client {credentials.client_id!r} from {credentials.token_url} "
              f"in {milliseconds} ms", token_ms=milliseconds)


async def check_backend(config: DaemonConfig, environ: Mapping[str, str] = os.environ) -> Check:
    name = "backend"
    try:
        kind = choose_kind(config, environ)
    except CredentialsError as error:
        return fail(name, f"cannot choose the backend: {error}", "fix the CORTI_* variables")
    started = time.monotonic()
    try:
        async with open_backend(config, environ=environ) as backend:
            ready = time.monotonic()
            session = await backend.open_session(config.transcription.to_transcribe_config())
            try:
                await session.wait_accepted(TIMEOUT_SECONDS)
                await session.send_audio(SILENCE)
                await session.flush(TIMEOUT_SECONDS)
                await session.end(TIMEOUT_SECONDS)
            finally:
                await session.close()
            finished = time.monotonic()
    except (SessionError, AuthError, TimeoutError, OSError, ValueError) as error:
        return fail(name, f"{kind}: no round trip: {type(error).__name__}: {error}",
                    "check backend.kind and backend.url, the network, and the credentials check above",
                    kind=kind)
    round_trip = round((finished - ready) * 1000)
    start_up = round((ready - started) * 1000)
    extra = f" (the local engine loaded in {start_up} ms)" if kind == "local" else ""
    return ok(name, f"{kind}: session opened, silence sent, flushed and ended in {round_trip} ms{extra}",
              kind=kind, round_trip_ms=round_trip, start_up_ms=start_up)
