"""What a resilient session tells the user about its connection, as plain values.

Clinicians need to know when their words are waiting rather than lost: the status says so in a sentence
(:meth:`ConnectionStatus.describe`) and in fields a user interface or the RPC socket can show. A status
never carries transcript text or audio, so it may be logged at any level.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class ConnectionState(enum.Enum):
    """Where the connection to the backend stands."""

    CONNECTING = "connecting"
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"
    REPLAYING = "replaying"
    BUFFERING = "buffering"
    BUFFER_FULL = "buffer_full"
    GAVE_UP = "gave_up"
    CLOSED = "closed"


@dataclass(frozen=True)
class ConnectionStatus:
    """One change of state.

    ``attempt`` and ``delay`` (seconds until that attempt) are set while reconnecting; ``reason`` says why
    the connection was lost or why a session gave up; ``seconds`` is the audio being replayed (REPLAYING)
    or waiting for a connection (BUFFERING, BUFFER_FULL); ``limit_seconds`` is the buffer limit.
    """

    state: ConnectionState
    attempt: int = 0
    delay: float = 0.0
    reason: str | None = None
    seconds: float = 0.0
    limit_seconds: float = 0.0

    def describe(self) -> str:
        """A sentence for the user."""
        state = self.state
        if state is ConnectionState.CONNECTING:
            return "Connecting to the transcription service."
        if state is ConnectionState.CONNECTED:
            return "Connected."
        if state is ConnectionState.RECONNECTING:
            return f"Connection lost ({self.reason}); reconnecting, attempt {self.attempt} in {self.delay:.1f} s."
        if state is ConnectionState.REPLAYING:
            return f"Reconnected; resending {self.seconds:.1f} s of audio not yet transcribed."
        if state is ConnectionState.BUFFERING:
            return f"Offline: {self.seconds:.0f} s of dictation kept, to be transcribed when the connection is back."
        if state is ConnectionState.BUFFER_FULL:
            return (f"Offline for long: {self.seconds:.0f} s of dictation kept, more than the "
                    f"{self.limit_seconds:.0f} s limit. It is still kept and will be transcribed when the "
                    f"connection is back, but consider stopping until then.")
        if state is ConnectionState.GAVE_UP:
            return f"Transcription stopped: {self.reason}. Dictation not yet transcribed is kept in the session."
        return "Session closed."
