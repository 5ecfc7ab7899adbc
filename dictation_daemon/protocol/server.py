"""The server side of ``/transcribe`` as a state machine with no I/O.

:class:`ServerProtocol` reads the client's frames and decides every protocol outcome (config accepted,
denied, rejected, missing, received twice, timed out; oversize chunks), then tells the shell what to do
with :meth:`~ServerProtocol.events_received`: start recognition, decode this audio, flush, end. The shell
reports results back through the ``send_*`` methods and puts :meth:`~ServerProtocol.data_to_send` on the
socket, closing it once :attr:`~ServerProtocol.close_requested` is set.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import ValidationError

from .audio_format import (
    AudioFormat,
    UnsupportedAudioFormat,
    parse_audio_format,
    sniff_audio_format,
)
from .languages import CORTI_LANGUAGES
from .messages import (
    MAX_AUDIO_CHUNK_BYTES,
    AudioEvent,
    AudioEventData,
    Command,
    CommandData,
    ConfigAccepted,
    ConfigAlreadyReceived,
    ConfigDenied,
    ConfigMessage,
    ConfigMissing,
    ConfigRejected,
    ConfigTimeout,
    DeltaUsage,
    Ended,
    EndMessage,
    ErrorDetail,
    ErrorMessage,
    Flushed,
    FlushMessage,
    ProtocolError,
    TranscribeConfig,
    Transcript,
    TranscriptData,
    Usage,
    WireModel,
    describe_validation_error,
    load_frame,
    parse_client_message,
)


class ServerState(enum.Enum):
    AWAITING_CONFIG = "awaiting_config"
    STREAMING = "streaming"
    CLOSED = "closed"


@dataclass(frozen=True)
class SessionStarted:
    """The config was accepted: the shell starts a recognition stream for it."""

    session_id: str
    config: TranscribeConfig
    audio_format: AudioFormat | None
    """``None`` when the client did not declare one: the first chunk decides (see :class:`AudioReceived`)."""


@dataclass(frozen=True)
class AudioReceived:
    """A binary frame to decode; ``audio_format`` is set on the first chunk of an undeclared stream."""

    data: bytes
    audio_format: AudioFormat | None = None


@dataclass(frozen=True)
class FlushRequested:
    """Send every result for audio received so far, then call :meth:`ServerProtocol.send_flushed`."""


@dataclass(frozen=True)
class EndRequested:
    """Send what is left, then call :meth:`ServerProtocol.finish` with the usage."""


ServerEvent = SessionStarted | AudioReceived | FlushRequested | EndRequested


@dataclass(frozen=True)
class ServerPolicy:
    """What this server supports, so config outcomes match Corti's."""

    supported_languages: frozenset[str]
    """Languages the recognizer can transcribe; a Corti language outside this set is denied with a reason."""


@dataclass(frozen=True)
class TextFrame:
    """A client text frame as read: its message, or why it is none (and whether it was meant as a config)."""

    message: ConfigMessage | FlushMessage | EndMessage | None
    problem: str = ""
    is_config: bool = False


MAX_TEXT_FRAME_CHARS = 262_144
"""The longest text frame read (spec §9 leaves it open): a configuration at every published bound of
commands, keyterms and replacements fits with room to spare; a longer frame is refused unread, so a
client cannot make the server parse megabytes of JSON over and over."""


def read_text_frame(text: str) -> TextFrame:
    """Parses and validates one client text frame. Pure: it touches no session state."""
    if len(text) > MAX_TEXT_FRAME_CHARS:
        return TextFrame(None, f"a text frame of {len(text)} characters; at most {MAX_TEXT_FRAME_CHARS} are read",
                         is_config=True)
    try:
        payload = load_frame(text)
    except ProtocolError as exc:
        return TextFrame(None, str(exc))
    try:
        return TextFrame(parse_client_message(payload))
    except ValidationError as exc:
        return TextFrame(None, describe_validation_error(exc), is_config=payload["type"] == "config")


class ServerProtocol:
    """Sans-I/O server of one ``/transcribe`` session."""

    def __init__(self, policy: ServerPolicy, session_id_factory: Callable[[], str] = lambda: str(uuid.uuid4())) -> None:
        self.policy = policy
        self.state = ServerState.AWAITING_CONFIG
        self.session_id: str | None = None
        self.config: TranscribeConfig | None = None
        self.audio_format: AudioFormat | None = None
        self.close_requested = False
        self._session_id_factory = session_id_factory
        self._outgoing: list[str] = []
        self._events: list[ServerEvent] = []
        self._ending = False

    # --- what arrives ---------------------------------------------------------------------------

    def receive_text(self, text: str) -> None:
        self.receive_frame(read_text_frame(text))

    def receive_frame(self, frame: TextFrame) -> None:
        """A text frame read by :func:`read_text_frame`, which a shell may run in a worker thread: reading and
        validating a configuration of thousands of commands takes a noticeable fraction of a second."""
        if self.state is ServerState.CLOSED or self._ending:
            return
        message = frame.message
        if message is None:
            if self.state is ServerState.AWAITING_CONFIG and frame.is_config:
                self._refuse(ConfigDenied(reason=frame.problem))
            else:
                self._send_error("invalid_message", "Invalid message", 400, frame.problem)
            return
        if isinstance(message, ConfigMessage):
            self._receive_config(message.configuration)
        elif self.state is ServerState.AWAITING_CONFIG:
            self._refuse(ConfigMissing(reason=f"'{message.type}' sent before the config"))
        elif isinstance(message, FlushMessage):
            self._events.append(FlushRequested())
        elif isinstance(message, EndMessage):
            self._ending = True
            self._events.append(EndRequested())

    def receive_bytes(self, data: bytes) -> None:
        if self.state is ServerState.CLOSED or self._ending:
            return
        if self.state is ServerState.AWAITING_CONFIG:
            self._refuse(ConfigMissing(reason="audio sent before the config"))
            return
        if len(data) > MAX_AUDIO_CHUNK_BYTES:
            self._send_error(
                "audio_chunk_too_large", "Audio chunk too large", 413,
                f"{len(data)} bytes in one frame; at most {MAX_AUDIO_CHUNK_BYTES} are accepted",
            )
            return
        if not data:
            return
        declared_now = None
        if self.audio_format is None:
            self.audio_format = sniff_audio_format(data)
            if self.audio_format is None:
                self.fail(
                    "audio_format_unknown", "Unknown audio format", 415,
                    "the first chunk is no known container; declare raw PCM in audioFormat "
                    "(audio/pcm; rate=16000; channels=1; bits=16)",
                )
                return
            declared_now = self.audio_format
        self._events.append(AudioReceived(data, declared_now))

    def config_timed_out(self) -> None:
        """The shell's timer fired before any config arrived (Corti allows 10 s)."""
        if self.state is ServerState.AWAITING_CONFIG:
            self._refuse(ConfigTimeout(reason="no config received in time"))

    # --- what the shell reports -----------------------------------------------------------------

    def send_transcript(self, data: TranscriptData) -> None:
        self._send(Transcript(data=data))

    def send_command(self, data: CommandData) -> None:
        self._send(Command(data=data))

    def send_flushed(self) -> None:
        self._send(Flushed())

    def send_audio_event(self, event: str, start_time_ms: int, channel: int = 0) -> None:
        if self.config and self.config.audio_events and self.config.audio_events.enabled:
            self._send(AudioEvent(data=AudioEventData(event=event, channel=channel, start_time_ms=start_time_ms)))

    def send_delta_usage(self, credits: float) -> None:
        self._send(DeltaUsage(credits=credits))

    def fail(self, error_id: str, title: str, status: int, details: str, credits: float = 0.0) -> None:
        """An error that ends the stream: ``error``, ``usage``, ``ended``, close (§2.7)."""
        self._send_error(error_id, title, status, details)
        self.finish(credits)

    def finish(self, credits: float) -> None:
        """Ends the session: ``usage``, ``ended``, then the shell closes the socket."""
        if self.state is ServerState.CLOSED:
            return
        self._send(Usage(credits=credits))
        self._send(Ended())
        self.state = ServerState.CLOSED
        self.close_requested = True

    # --- what the shell collects ----------------------------------------------------------------

    def data_to_send(self) -> list[str]:
        frames, self._outgoing = self._outgoing, []
        return frames

    def events_received(self) -> list[ServerEvent]:
        events, self._events = self._events, []
        return events

    # --- internals ------------------------------------------------------------------------------

    def _receive_config(self, config: TranscribeConfig) -> None:
        if self.state is not ServerState.AWAITING_CONFIG:
            self._send(ConfigAlreadyReceived(reason="the config was already received for this session"))
            return
        language = config.primary_language
        if language not in CORTI_LANGUAGES:
            self._refuse(ConfigDenied(reason=f"unknown primaryLanguage {language!r}"))
            return
        if language not in self.policy.supported_languages:
            supported = ", ".join(sorted(self.policy.supported_languages))
            self._refuse(ConfigDenied(reason=f"primaryLanguage {language!r} is not supported by this server; supported: {supported}"))
            return
        if config.audio_format is not None:
            try:
                self.audio_format = parse_audio_format(config.audio_format)
            except UnsupportedAudioFormat as exc:
                self._refuse(ConfigRejected(reason=str(exc)))
                return
        self.session_id = self._session_id_factory()
        self.config = config
        self.state = ServerState.STREAMING
        resolved = config.model_copy(update={"formatting": config.effective_formatting})
        self._send(ConfigAccepted(session_id=self.session_id, configuration=resolved.to_wire()))
        self._events.append(SessionStarted(self.session_id, config, self.audio_format))

    def _refuse(self, message: WireModel) -> None:
        """A config outcome that leaves the socket useless: say why, then close."""
        self._send(message)
        self.state = ServerState.CLOSED
        self.close_requested = True

    def _send_error(self, error_id: str, title: str, status: int, details: str) -> None:
        self._send(ErrorMessage(error=ErrorDetail(id=error_id, title=title, status=status, details=details)))

    def _send(self, message: WireModel) -> None:
        self._outgoing.append(message.to_json())
