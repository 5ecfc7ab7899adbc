"""``dictation-daemon serve``: the local ``/transcribe`` server with the embedded engine.

Beyond loopback it only serves clients with a bearer token (see :mod:`dictation_daemon.server.auth`);
several ``serve`` processes can run behind a load balancer, as ``docs/deployment.md`` describes.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from ..app.backend import whisper_recognizer
from ..config import DaemonConfig
from ..config.model import ServerJwtSection, ServerSection
from ..server.auth import (
    AnyOf,
    AuthSetupError,
    JwtVerifier,
    StaticTokens,
    TokenVerifier,
    require_token_source,
)
from ..server.recognizer import Recognizer
from .common import (
    UsageError,
    add_config_argument,
    load_or_exit,
    run_guarded,
    setup_logging,
)

logger = logging.getLogger(__name__)

RecognizerFactory = Callable[[argparse.Namespace, DaemonConfig], Recognizer]


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("serve", help="run the local /transcribe server (embedded offline engine)")
    add_config_argument(parser)
    parser.add_argument("--host", help="address to listen on (default from the config: 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default from the config: 8765; 0 picks a free one)")
    parser.add_argument("--model", type=Path, metavar="DIR", help="a CTranslate2 Whisper model folder")
    parser.add_argument("--config-timeout", type=float, metavar="SECONDS",
                        help="seconds a client has to send its config (default 10, as Corti)")
    parser.add_argument("--max-sessions", type=int, metavar="N",
                        help="sessions open at once; more get HTTP 503 (default from the config: 16)")
    parser.add_argument("--tokens-file", type=Path, metavar="FILE",
                        help="accepted bearer tokens, one per line; the file must be private (chmod 600)")
    parser.add_argument("--jwt-issuer", metavar="URL", help="accept JWTs from this issuer (with the two below)")
    parser.add_argument("--jwt-audience", metavar="NAME", help="the audience JWTs must name")
    parser.add_argument("--jwks-url", metavar="URL", help="where the issuer publishes its signing keys (JWKS)")
    parser.add_argument("--verbose", action="store_true", help="debug logging")
    parser.set_defaults(run=lambda arguments: run_guarded(serve, arguments))


def serve(arguments: argparse.Namespace, make_recognizer: RecognizerFactory | None = None) -> int:
    """Runs the server until SIGINT/SIGTERM. ``make_recognizer`` replaces the Whisper engine (tests use tones).

    Every setting is checked before the recognizer loads, so a refused configuration fails at once.
    """
    config = load_or_exit(arguments.config)
    setup_logging(config, arguments.verbose)
    settings = _server_settings(arguments, config.server)
    try:
        verifier = _token_verifier(settings)
        require_token_source(settings.host, verifier)
    except AuthSetupError as exc:
        raise UsageError(str(exc)) from None
    recognizer = (make_recognizer or _whisper_recognizer)(arguments, config)
    return asyncio.run(_serve_async(settings, recognizer, verifier))


def _server_settings(arguments: argparse.Namespace, section: ServerSection) -> ServerSection:
    """The config's server section with the command-line flags laid over it."""
    flags = {"host": arguments.host, "port": arguments.port, "config_timeout_seconds": arguments.config_timeout,
             "max_sessions": arguments.max_sessions, "tokens_file": arguments.tokens_file}
    jwt_flags = {"issuer": arguments.jwt_issuer, "audience": arguments.jwt_audience, "jwks_url": arguments.jwks_url}
    merged = section.model_dump() | {key: value for key, value in flags.items() if value is not None}
    if any(value is not None for value in jwt_flags.values()):
        merged["jwt"] = (merged["jwt"] or {}) | {key: value for key, value in jwt_flags.items() if value is not None}
    try:
        return ServerSection.model_validate(merged)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        hint = " (JWT verification needs --jwt-issuer, --jwt-audience and --jwks-url)" if where.startswith("jwt") else ""
        raise UsageError(f"invalid server setting {where}: {first['msg']}{hint}") from None


def _token_verifier(settings: ServerSection) -> TokenVerifier | None:
    verifiers: list[TokenVerifier] = []
    if settings.tokens_file is not None:
        verifiers.append(StaticTokens.from_file(settings.tokens_file.expanduser()))
        logger.info("accepting bearer tokens listed in %s", settings.tokens_file)
    if settings.jwt is not None:
        verifiers.append(_jwt_verifier(settings.jwt))
    if not verifiers:
        return None
    return verifiers[0] if len(verifiers) == 1 else AnyOf(verifiers)


def _jwt_verifier(section: ServerJwtSection) -> JwtVerifier:
    verifier = JwtVerifier(section.issuer, section.audience, section.jwks_url)
    verifier.prefetch()
    logger.info("accepting JWTs from %s for audience %s", section.issuer, section.audience)
    return verifier


def _whisper_recognizer(arguments: argparse.Namespace, config: DaemonConfig) -> Recognizer:
    return whisper_recognizer(config.engine, arguments.model)


async def _serve_async(settings: ServerSection, recognizer: Recognizer, verifier: TokenVerifier | None) -> int:
    from ..server.app import LocalServer

    server = LocalServer(
        recognizer,
        host=settings.host,
        port=settings.port,
        config_timeout=settings.config_timeout_seconds,
        token_check=verifier.verify if verifier is not None else None,
        max_sessions=settings.max_sessions,
        max_audio_speed=settings.max_audio_speed,
        idle_timeout=settings.idle_timeout_seconds,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with server:
        print(f"listening on {server.url}", flush=True)
        await stop.wait()
    return 0
