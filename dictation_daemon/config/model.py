"""One pydantic model per configuration section.

Unknown keys are errors, so a typo ("spoken_punctation") is reported instead of silently ignored.
Secrets are never part of the file: Corti's client id and secret come from the environment.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..protocol.messages import (
    CommandDefinition,
    Formatting,
    Keyterm,
    Keyterms,
    Replacement,
    TranscribeConfig,
    AudioEvents,
)


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CortiSection(Section):
    """Where Corti lives for this account; the client id and secret come from CORTI_CLIENT_ID/SECRET."""

    environment: Literal["eu", "us"] = "eu"
    tenant: str = "base"
    scope: str = "openid transcribe"


class BackendSection(Section):
    """Which ``/transcribe`` server to use.

    ``auto`` picks Corti when its credentials are in the environment and the embedded local engine
    otherwise; ``url`` is any server speaking the protocol (for example a shared local server).
    """

    kind: Literal["auto", "corti", "local", "url"] = "auto"
    url: str | None = None
    corti: CortiSection = CortiSection()
    audio_encoding: Literal["auto", "pcm", "ogg-opus"] = "auto"
    """``auto``: Ogg/Opus for Corti (a documented container), raw PCM for the local server (no codec cost)."""


class TranscriptionSection(Section):
    """What every session asks the server for (§4 of the protocol)."""

    language: str = "en"
    interim_results: bool = True
    spoken_punctuation: bool = True
    automatic_punctuation: bool = False
    commands: list[CommandDefinition] = Field(default_factory=lambda: list(DEFAULT_COMMANDS))
    formatting: Formatting = Formatting()
    replacements: Annotated[list[Replacement], Field(max_length=1000)] = []
    keyterms: Annotated[list[Annotated[str, Field(min_length=1, max_length=50)]], Field(max_length=1000)] = []
    audio_events: bool = False

    def to_transcribe_config(self, audio_format: str | None = None) -> TranscribeConfig:
        return TranscribeConfig(
            primary_language=self.language,
            interim_results=self.interim_results,
            spoken_punctuation=self.spoken_punctuation,
            automatic_punctuation=self.automatic_punctuation,
            commands=self.commands or None,
            formatting=self.formatting,
            replacements=self.replacements or None,
            keyterms=Keyterms(terms=[Keyterm(term=term) for term in self.keyterms]) if self.keyterms else None,
            audio_events=AudioEvents(enabled=True) if self.audio_events else None,
            audio_format=audio_format,
        )


DEFAULT_COMMANDS = (
    CommandDefinition(id="next_section", phrases=["next section", "next field"]),
    CommandDefinition(id="previous_section", phrases=["previous section", "previous field"]),
    CommandDefinition(id="scratch_that", phrases=["scratch that", "delete that"]),
)


class EngineSection(Section):
    """The embedded local engine."""

    model_path: Path | None = None
    """A CTranslate2 Whisper model folder; empty means the bundled Whisper tiny.en."""
    max_concurrent_decodes: Annotated[int, Field(ge=1, le=64)] = 1
    pause_seconds: Annotated[float, Field(gt=0.1, le=5.0)] = 0.5
    """Silence that ends a segment: each segment is decoded while the speaker goes on."""


class ServerSection(Section):
    """``dictation-daemon serve``: the local server for other machines or processes."""

    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=0, le=65535)] = 8765
    config_timeout_seconds: Annotated[float, Field(gt=0, le=60)] = 10.0


class LoggingSection(Section):
    """Logs go to stderr. Dictated text and audio are never logged at INFO or above."""

    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    format: Literal["text", "json"] = "text"


class DaemonConfig(Section):
    """The whole file. Every section is optional; missing ones take their defaults."""

    backend: BackendSection = BackendSection()
    transcription: TranscriptionSection = TranscriptionSection()
    engine: EngineSection = EngineSection()
    server: ServerSection = ServerSection()
    logging: LoggingSection = LoggingSection()
