"""The client side of ``/transcribe`` as a state machine with no I/O.

:class:`ClientProtocol` is fed the frames that arrive (:meth:`~ClientProtocol.receive_text`) and told what
the application wants to send (:meth:`~ClientProtocol.send_audio`, :meth:`~ClientProtocol.send_flush`,
:meth:`~ClientProtocol.send_end`); it hands back the frames to put on the socket
(:meth:`~ClientProtocol.data_to_send`) and the messages that arrived (:meth:`~ClientProtocol.events_received`).

It enforces the protocol's ordering so the asyncio shell does not have to: the config goes first, nothing
else leaves before ``CONFIG_ACCEPTED`` (audio and flushes captured earlier are queued in order, never
dropped), and no binary frame is larger than 64000 bytes.
"""

from __future__ import annotations

import enum
from collections import deque

from .messages import (
    CONFIG_REFUSALS,
    MAX_AUDIO_CHUNK_BYTES,
    ConfigAccepted,
    ConfigMessage,
    Ended,
    EndMessage,
    Flushed,
    FlushMessage,
    ServerMessage,
    TranscribeConfig,
    parse_server_message,
)

Frame = str | bytes


class ClientState(enum.Enum):
    """Where the session stands."""

    AWAITING_ACCEPTANCE = "awaiting_acceptance"
    STREAMING = "streaming"
    ENDING = "ending"
    ENDED = "ended"
    REFUSED = "refused"


class ClientProtocolError(Exception):
    """The application asked for something the protocol does not allow in the current state."""


class ClientProtocol:
    """Sans-I/O client of one ``/transcribe`` session.

    Create it when the socket opens; its first frame to send is the ``config`` message.
    """

    def __init__(self, config: TranscribeConfig, max_chunk_bytes: int = MAX_AUDIO_CHUNK_BYTES) -> None:
        if not 0 < max_chunk_bytes <= MAX_AUDIO_CHUNK_BYTES:
            raise ValueError(f"max_chunk_bytes must be between 1 and {MAX_AUDIO_CHUNK_BYTES}")
        self.config = config
        self.max_chunk_bytes = max_chunk_bytes
        self.state = ClientState.AWAITING_ACCEPTANCE
        self.session_id: str | None = None
        self.pending_flushes = 0
        self._outgoing: deque[Frame] = deque([ConfigMessage(configuration=config).to_json()])
        self._held: deque[Frame] = deque()
        self._events: list[ServerMessage] = []
        self._end_queued = False

    # --- what the application sends ------------------------------------------------------------

    def send_audio(self, data: bytes) -> None:
        """Queues encoded audio, split into frames of at most ``max_chunk_bytes``."""
        self._require_open("send audio")
        for offset in range(0, len(data), self.max_chunk_bytes):
            self._enqueue(data[offset : offset + self.max_chunk_bytes])

    def send_flush(self) -> None:
        """Asks for the results of all audio queued so far; :attr:`pending_flushes` counts the answers due."""
        self._require_open("flush")
        self.pending_flushes += 1
        self._enqueue(FlushMessage().to_json())

    def send_end(self) -> None:
        """Ends the stream after everything queued; the server answers with ``usage`` then ``ended``."""
        self._require_open("end")
        self._enqueue(EndMessage().to_json())
        self._end_queued = True
        if self.state is ClientState.STREAMING:
            self.state = ClientState.ENDING

    # --- what arrives ---------------------------------------------------------------------------

    def receive_text(self, text: str | bytes) -> None:
        """Reads one text frame from the server; raises ``ProtocolError`` only for non-JSON garbage."""
        message = parse_server_message(text)
        if isinstance(message, ConfigAccepted) and self.state is ClientState.AWAITING_ACCEPTANCE:
            self.session_id = message.session_id
            self.state = ClientState.ENDING if self._end_queued else ClientState.STREAMING
            self._outgoing.extend(self._held)
            self._held.clear()
        elif isinstance(message, CONFIG_REFUSALS) and self.state is ClientState.AWAITING_ACCEPTANCE:
            self.state = ClientState.REFUSED
            self._held.clear()
        elif isinstance(message, Flushed) and self.pending_flushes:
            self.pending_flushes -= 1
        elif isinstance(message, Ended):
            self.state = ClientState.ENDED
        self._events.append(message)

    def connection_lost(self) -> None:
        """The socket closed; the session is over (the resilient shell resends what no final covers)."""
        if self.state not in (ClientState.ENDED, ClientState.REFUSED):
            self.state = ClientState.ENDED

    # --- what the shell collects ----------------------------------------------------------------

    def data_to_send(self) -> list[Frame]:
        """Frames ready for the socket, in order."""
        frames = list(self._outgoing)
        self._outgoing.clear()
        return frames

    def events_received(self) -> list[ServerMessage]:
        """Messages read since the last call, in arrival order."""
        events, self._events = self._events, []
        return events

    # --- internals ------------------------------------------------------------------------------

    def _enqueue(self, frame: Frame) -> None:
        if self.state is ClientState.AWAITING_ACCEPTANCE:
            self._held.append(frame)
        else:
            self._outgoing.append(frame)

    def _require_open(self, action: str) -> None:
        if self._end_queued or self.state in (ClientState.ENDED, ClientState.REFUSED):
            raise ClientProtocolError(f"cannot {action}: the session is {self.state.value}")
