"""Wire messages of Corti's ``/transcribe`` socket, one pydantic model each.

The client and the local server share these models, so that both sides read and write exactly the same
JSON. Field names in Python are snake_case; on the wire they are camelCase, as Corti spells them.

Parsing is forgiving where the protocol asks for it: a server message whose ``type`` is unknown, or whose
shape does not match its type, becomes an :class:`UnknownMessage` rather than an exception, because
Corti's clients must pass unknown messages through and a new server field must not break an old client.
"""

from __future__ import annotations

import collections
import json
import re
from typing import Annotated, Any, Literal, Union

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel

from .strict_json import load_json

MAX_AUDIO_CHUNK_BYTES = 64000
"""The largest binary frame Corti accepts."""

MAX_REPLACEMENTS = 1000
MAX_KEYTERMS = 1000
MAX_KEYTERM_LENGTH = 50
MAX_PHRASE_LENGTH = 200
"""The longest command phrase, in characters: far past any spoken command, and it keeps matching shallow."""
MAX_COMMANDS = 1000
MAX_PHRASES_PER_COMMAND = 100
MAX_VARIABLES_PER_COMMAND = 20
MAX_ENUM_VALUES = 1000
"""Bounds on a configuration's commands, which Corti does not publish (spec §9): far beyond what an editor
sends (the control socket allows 200 commands of 50 phrases), and they keep reading, checking and
compiling a configuration to milliseconds, where 20,000 commands took a second of the server's time."""

PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


class WireModel(BaseModel):
    """Base of every wire model: camelCase on the wire, snake_case in Python, unknown fields kept."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="allow")

    def to_wire(self) -> dict[str, Any]:
        """The JSON-ready dict, with camelCase names and unset optional fields left out."""
        return self.model_dump(by_alias=True, exclude_none=True, mode="json")

    def to_json(self) -> str:
        return json.dumps(self.to_wire(), ensure_ascii=False, separators=(",", ":"))


# --- configuration (§4) -------------------------------------------------------------------------


class CommandVariable(WireModel):
    """A ``{key}`` placeholder in a command phrase: one of a fixed list of words, or any words."""

    key: Annotated[str, Field(min_length=1)]
    type: Literal["enum", "wildcard"]
    enum: Annotated[list[Annotated[str, Field(min_length=1)]], Field(max_length=MAX_ENUM_VALUES)] | None = None

    @model_validator(mode="after")
    def _enum_has_values(self) -> CommandVariable:
        if self.type == "enum" and not self.enum:
            raise ValueError(f"enum variable {self.key!r} needs a non-empty 'enum' list")
        return self


class CommandDefinition(WireModel):
    """A voice command: spoken in full, it is reported as a ``command`` and removed from the text."""

    id: str
    phrases: Annotated[list[str], Field(max_length=MAX_PHRASES_PER_COMMAND)]
    variables: Annotated[list[CommandVariable], Field(max_length=MAX_VARIABLES_PER_COMMAND)] | None = None

    @field_validator("id")
    @classmethod
    def _id_not_empty(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("command id must not be empty")
        return value

    @field_validator("phrases")
    @classmethod
    def _phrases_not_empty(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("a command needs at least one phrase")
        if any(not phrase.strip() for phrase in value):
            raise ValueError("command phrases must not be empty")
        if any(len(phrase) > MAX_PHRASE_LENGTH for phrase in value):
            raise ValueError(f"command phrases must be at most {MAX_PHRASE_LENGTH} characters")
        return value

    @model_validator(mode="after")
    def _placeholders_are_declared(self) -> CommandDefinition:
        variables = {variable.key: variable for variable in self.variables or []}
        for phrase in self.phrases:
            tokens = phrase.split()
            for key in PLACEHOLDER.findall(phrase):
                if key not in variables:
                    raise ValueError(f"phrase {phrase!r} uses undeclared variable {{{key}}}")
            previous_was_wildcard = False
            for position, token in enumerate(tokens):
                match = PLACEHOLDER.fullmatch(token)
                is_wildcard = bool(match) and variables[match.group(1)].type == "wildcard"
                if is_wildcard and position == 0:
                    raise ValueError(f"phrase {phrase!r} starts with a wildcard")
                if is_wildcard and previous_was_wildcard:
                    raise ValueError(f"phrase {phrase!r} has two wildcards with no word between them")
                previous_was_wildcard = is_wildcard
        return self


DateFormat = Literal[
    "locale:long", "locale:medium", "locale:short", "iso", "as_dictated",
    "long_text", "eu_slash", "us_slash", "iso_compact",
]
TimeFormat = Literal["locale", "h12", "h24", "as_dictated"]
NumberFormat = Literal["numerals_above_nine", "numerals", "as_dictated"]
MeasurementFormat = Literal["abbreviated", "as_dictated"]
RangeFormat = Literal["numerals", "as_dictated"]
OrdinalFormat = Literal["numerals_above_nine", "numerals", "as_dictated"]


class Formatting(WireModel):
    """How dates, times, numbers and measurements are written in final ``text`` (§6)."""

    dates: DateFormat = "locale:long"
    times: TimeFormat = "locale"
    numbers: NumberFormat = "numerals_above_nine"
    measurements: MeasurementFormat = "abbreviated"
    numeric_ranges: RangeFormat = "numerals"
    ordinals: OrdinalFormat = "numerals_above_nine"


class AudioEvents(WireModel):
    enabled: bool = False


class Replacement(WireModel):
    """Case-insensitive find/replace, applied last, to final ``text`` only."""

    find: Annotated[str, Field(min_length=1)]
    replace: str


class Keyterm(WireModel):
    term: Annotated[str, Field(min_length=1, max_length=MAX_KEYTERM_LENGTH)]


class Keyterms(WireModel):
    terms: Annotated[list[Keyterm], Field(max_length=MAX_KEYTERMS)] = []


class TranscribeConfig(WireModel):
    """The ``configuration`` object of the ``config`` message (§4)."""

    primary_language: Annotated[str, Field(min_length=1)]
    interim_results: bool = False
    spoken_punctuation: bool = False
    automatic_punctuation: bool = False
    commands: Annotated[list[CommandDefinition], Field(max_length=MAX_COMMANDS)] | None = None
    formatting: Formatting | None = None
    audio_events: AudioEvents | None = None
    audio_format: str | None = None
    replacements: Annotated[list[Replacement], Field(max_length=MAX_REPLACEMENTS)] | None = None
    keyterms: Keyterms | None = None

    @model_validator(mode="after")
    def _command_ids_unique(self) -> TranscribeConfig:
        counts = collections.Counter(command.id for command in self.commands or [])
        duplicates = sorted(command_id for command_id, count in counts.items() if count > 1)
        if duplicates:
            raise ValueError(f"command ids must be unique, repeated: {', '.join(duplicates)}")
        return self

    @property
    def punctuation_mode(self) -> Literal["spoken", "automatic", "none"]:
        """Which punctuation applies: spoken punctuation wins when both are on (§4)."""
        if self.spoken_punctuation:
            return "spoken"
        if self.automatic_punctuation:
            return "automatic"
        return "none"

    @property
    def effective_formatting(self) -> Formatting:
        return self.formatting or Formatting()


# --- client → server ----------------------------------------------------------------------------


class ConfigMessage(WireModel):
    type: Literal["config"] = "config"
    configuration: TranscribeConfig


class FlushMessage(WireModel):
    """Asks for every result of the audio sent so far; answered by ``flushed``. The socket stays open."""

    type: Literal["flush"] = "flush"


class EndMessage(WireModel):
    """Ends the stream: remaining results, then ``usage``, ``ended`` and the close."""

    type: Literal["end"] = "end"


ClientMessage = Annotated[Union[ConfigMessage, FlushMessage, EndMessage], Field(discriminator="type")]

# --- server → client ----------------------------------------------------------------------------


class ConfigAccepted(WireModel):
    type: Literal["CONFIG_ACCEPTED"] = "CONFIG_ACCEPTED"
    session_id: str
    configuration: dict[str, Any] | None = None


class ConfigDenied(WireModel):
    type: Literal["CONFIG_DENIED"] = "CONFIG_DENIED"
    reason: str | None = None


class ConfigTimeout(WireModel):
    type: Literal["CONFIG_TIMEOUT"] = "CONFIG_TIMEOUT"
    reason: str | None = None


class ConfigMissing(WireModel):
    type: Literal["CONFIG_MISSING"] = "CONFIG_MISSING"
    reason: str | None = None


class ConfigAlreadyReceived(WireModel):
    type: Literal["CONFIG_ALREADY_RECEIVED"] = "CONFIG_ALREADY_RECEIVED"
    reason: str | None = None


class ConfigRejected(WireModel):
    type: Literal["CONFIG_REJECTED"] = "CONFIG_REJECTED"
    reason: str | None = None


class TranscriptData(WireModel):
    text: str
    raw_transcript_text: str
    start: float
    end: float
    is_final: bool


class Transcript(WireModel):
    """One segment: ``text`` is punctuated and formatted (finals only), ``rawTranscriptText`` is not."""

    type: Literal["transcript"] = "transcript"
    data: TranscriptData


class CommandData(WireModel):
    id: str
    variables: dict[str, str] | None = None
    raw_transcript_text: str
    start: float
    end: float


class Command(WireModel):
    type: Literal["command"] = "command"
    data: CommandData


class Flushed(WireModel):
    type: Literal["flushed"] = "flushed"


class Usage(WireModel):
    type: Literal["usage"] = "usage"
    credits: float


class DeltaUsage(WireModel):
    type: Literal["delta_usage"] = "delta_usage"
    credits: float


class AudioEventData(WireModel):
    event: str
    channel: int = 0
    start_time_ms: int


class AudioEvent(WireModel):
    type: Literal["audioEvent"] = "audioEvent"
    data: AudioEventData


class ErrorDetail(WireModel):
    id: str
    title: str
    status: int
    details: str | None = None
    doc: str | None = None


class ErrorMessage(WireModel):
    type: Literal["error"] = "error"
    error: ErrorDetail
    requestid: str | None = None


class Ended(WireModel):
    type: Literal["ended"] = "ended"


class UnknownMessage(BaseModel):
    """A server message this client does not know, or could not read: passed through, never fatal."""

    type: str
    payload: dict[str, Any]
    problem: str | None = None

    def to_wire(self) -> dict[str, Any]:
        return self.payload


KnownServerMessage = Annotated[
    Union[
        ConfigAccepted, ConfigDenied, ConfigTimeout, ConfigMissing, ConfigAlreadyReceived, ConfigRejected,
        Transcript, Command, Flushed, Usage, DeltaUsage, AudioEvent, ErrorMessage, Ended,
    ],
    Field(discriminator="type"),
]
ServerMessage = Union[
    ConfigAccepted, ConfigDenied, ConfigTimeout, ConfigMissing, ConfigAlreadyReceived, ConfigRejected,
    Transcript, Command, Flushed, Usage, DeltaUsage, AudioEvent, ErrorMessage, Ended, UnknownMessage,
]
CONFIG_REFUSALS = (ConfigDenied, ConfigTimeout, ConfigMissing, ConfigAlreadyReceived, ConfigRejected)

_server_adapter: TypeAdapter[Any] = TypeAdapter(KnownServerMessage)
_client_adapter: TypeAdapter[Any] = TypeAdapter(ClientMessage)
_KNOWN_SERVER_TYPES = {
    model.model_fields["type"].default
    for model in (
        ConfigAccepted, ConfigDenied, ConfigTimeout, ConfigMissing, ConfigAlreadyReceived, ConfigRejected,
        Transcript, Command, Flushed, Usage, DeltaUsage, AudioEvent, ErrorMessage, Ended,
    )
}


class ProtocolError(Exception):
    """A frame that is not a JSON object with a string ``type``: nothing can be made of it."""


def load_frame(text: str | bytes) -> dict[str, Any]:
    """Reads a text frame as a JSON object with a string ``type``, or raises :class:`ProtocolError`."""
    try:
        payload = load_json(text)
    except ValueError as exc:
        raise ProtocolError(f"not JSON: {exc}") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("type"), str):
        raise ProtocolError("expected a JSON object with a string 'type'")
    return payload


def parse_server_message(text: str | bytes) -> ServerMessage:
    """Reads one server frame. Unknown or malformed messages come back as :class:`UnknownMessage`."""
    payload = load_frame(text)
    if payload["type"] not in _KNOWN_SERVER_TYPES:
        return UnknownMessage(type=payload["type"], payload=payload)
    try:
        return _server_adapter.validate_python(payload)
    except ValidationError as exc:
        return UnknownMessage(type=payload["type"], payload=payload, problem=describe_validation_error(exc))


def parse_client_message(payload: dict[str, Any]) -> ConfigMessage | FlushMessage | EndMessage:
    """Validates a client frame read by :func:`load_frame`; raises ``ValidationError`` on bad input."""
    return _client_adapter.validate_python(payload)


def describe_validation_error(error: ValidationError) -> str:
    """A one-line, human reason naming each offending field, e.g. ``commands.0.id: command id must not be empty``."""
    parts = []
    for item in error.errors():
        location = ".".join(str(part) for part in item["loc"]) or "(root)"
        message = item["msg"].removeprefix("Value error, ")
        parts.append(f"{location}: {message}")
    return "; ".join(parts)
