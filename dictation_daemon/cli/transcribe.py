"""``dictation-daemon transcribe FILE``: streams an audio file through a session and prints the text."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from ..app.backend import open_backend
from ..audio.decoding import AudioDecodeError
from ..audio.files import Recording
from ..client.errors import SessionError
from ..client.session import TranscribeSession
from ..client.streaming import stream_chunks
from ..corti.auth import AuthError
from ..insertion.rules import join
from ..protocol.audio_format import BYTES_PER_SECOND
from ..protocol.messages import Transcript
from .common import (
    UsageError,
    add_config_argument,
    load_or_exit,
    run_guarded,
    setup_logging,
)
from .progress import ProgressBar

PROGRESS_MIN_SECONDS = 3.0


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("transcribe", help="transcribe an audio file (WAV, Ogg, MP3, FLAC, ...)")
    parser.add_argument("file", type=Path, help="any audio file PyAV can read")
    add_config_argument(parser)
    parser.add_argument("--json", action="store_true", help="print every server message as one JSON object per line")
    parser.add_argument("--backend", choices=("corti", "local"),
                        help="default: Corti when CORTI_CLIENT_ID/SECRET are set, else the embedded engine")
    parser.add_argument("--url", help="any /transcribe server, e.g. ws://host:8765/audio-bridge/v2/transcribe")
    parser.add_argument("--fast", action="store_true",
                        help="send faster than real time (not allowed for Corti, which needs real-time pace)")
    parser.add_argument("--verbose", action="store_true", help="debug logging")
    parser.set_defaults(run=lambda arguments: run_guarded(_transcribe, arguments))


def _transcribe(arguments: argparse.Namespace) -> int:
    config = load_or_exit(arguments.config)
    setup_logging(config, arguments.verbose)
    if arguments.url and arguments.backend:
        raise UsageError("give --url or --backend, not both")
    try:
        recording = Recording.open(arguments.file)
        return asyncio.run(_stream_file(arguments, config, recording))
    except (AudioDecodeError, SessionError, AuthError, ValueError) as exc:
        raise UsageError(str(exc)) from None


async def _stream_file(arguments: argparse.Namespace, config, recording: Recording) -> int:
    async with open_backend(config, kind=arguments.backend, url=arguments.url) as backend:
        if arguments.fast and backend.realtime_required:
            raise UsageError("--fast is only allowed against the local server: Corti needs real-time pace")
        session = await backend.open_session(config.transcription.to_transcribe_config())
        async with session:
            printer = asyncio.create_task(_print_events(session, arguments.json))
            await session.wait_accepted()
            seconds = recording.seconds or 0.0
            progress = ProgressBar(seconds) if sys.stderr.isatty() and seconds > PROGRESS_MIN_SECONDS else None
            sent = await stream_chunks(session, recording.pcm16_chunks(),
                                       realtime=backend.realtime_required and not arguments.fast,
                                       on_progress=progress.update if progress else None)
            if progress:
                progress.done()
            if not sent:
                raise UsageError(f"{arguments.file} holds no audio samples")
            await session.end(timeout=max(60.0, sent / BYTES_PER_SECOND))
            text = await printer
    if not arguments.json:
        if text:
            print(text)
        else:
            print(f"no speech was recognised in {arguments.file}", file=sys.stderr)
    return 0


async def _print_events(session: TranscribeSession, as_json: bool) -> str:
    """Prints messages as JSON lines when asked; returns the final text as a text field would hold it."""
    text = ""
    async for message in session.events():
        if as_json:
            print(json.dumps(message.to_wire(), ensure_ascii=False), flush=True)
        if isinstance(message, Transcript) and message.data.is_final:
            text += join(text, message.data.text)
    return text
