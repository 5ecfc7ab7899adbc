"""``dictation-daemon serve``: the local ``/transcribe`` server with the embedded engine."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
from pathlib import Path

from .common import add_config_argument, load_or_exit, run_guarded, setup_logging

logger = logging.getLogger(__name__)


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("serve", help="run the local /transcribe server (embedded offline engine)")
    add_config_argument(parser)
    parser.add_argument("--host", help="address to listen on (default from the config: 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default from the config: 8765; 0 picks a free one)")
    parser.add_argument("--model", type=Path, metavar="DIR", help="a CTranslate2 Whisper model folder")
    parser.add_argument("--config-timeout", type=float, metavar="SECONDS",
                        help="seconds a client has to send its config (default 10, as Corti)")
    parser.add_argument("--verbose", action="store_true", help="debug logging")
    parser.set_defaults(run=lambda arguments: run_guarded(_serve, arguments))


def _serve(arguments: argparse.Namespace) -> int:
    config = load_or_exit(arguments.config)
    setup_logging(config, arguments.verbose)
    return asyncio.run(_serve_async(arguments, config))


async def _serve_async(arguments: argparse.Namespace, config) -> int:
    from ..server.app import LocalServer
    from ..server.engine.whisper import WhisperRecognizer

    recognizer = WhisperRecognizer(arguments.model or config.engine.model_path,
                                   decode_slots=config.engine.max_concurrent_decodes)
    server = LocalServer(
        recognizer,
        host=arguments.host or config.server.host,
        port=config.server.port if arguments.port is None else arguments.port,
        config_timeout=arguments.config_timeout or config.server.config_timeout_seconds,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with server:
        print(f"listening on {server.url}", flush=True)
        await stop.wait()
    return 0
