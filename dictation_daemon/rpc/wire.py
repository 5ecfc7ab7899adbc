"""One pydantic model per message of the control socket: each method's params and result, each notification.

The daemon validates what clients send with these models, and the published JSON Schemas
(:mod:`.schema`, ``docs/rpc.md``) are generated from them, so the contract an editor vendor reads and the
daemon that answers cannot disagree. Params are strict: ``0`` is not ``false``, a field may be left out
but not sent as ``null``, and every list and string has the bound the schema publishes. Results and
notifications describe what the daemon sends; the tests check real messages against them.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic.alias_generators import to_camel
from pydantic.json_schema import SkipJsonSchema

from ..events.connection import ConnectionState
from ..events.states import State
from ..protocol.messages import (
    CommandDefinition,
    CommandVariable,
    DateFormat,
    MeasurementFormat,
    NumberFormat,
    OrdinalFormat,
    RangeFormat,
    TimeFormat,
    TranscribeConfig,
)

T = TypeVar("T")


def _reject_null(value: object) -> object:
    if value is None:
        raise ValueError("may be left out, but not null")
    return value


Omittable = Annotated[T | SkipJsonSchema[None], BeforeValidator(_reject_null)]
"""A param that may be left out (then ``None`` in Python) but never sent as ``null``."""

FieldId = Annotated[str, Field(min_length=1, max_length=200)]
CommandId = Annotated[str, Field(min_length=1, max_length=100)]
Phrase = Annotated[str, Field(min_length=1, max_length=200)]
Seconds = Annotated[float, Field(description="seconds from the start of the session's audio")]
StateName = Literal[tuple(state.value for state in State)]  # type: ignore[valid-type]
ConnectionStateName = Literal[tuple(state.value for state in ConnectionState)]  # type: ignore[valid-type]

MAX_PHRASES = 50
MAX_COMMANDS = 200


class Params(BaseModel):
    """Base of what clients send: camelCase, strict types, no unknown fields."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid", strict=True)


class Sent(BaseModel):
    """Base of what the daemon sends: camelCase, every field present."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


# --- params ---------------------------------------------------------------------------------------


class ClientInfo(Params):
    name: Annotated[str, Field(min_length=1, max_length=100)]
    version: Annotated[str, Field(max_length=50)] = ""


class InitializeParams(Params):
    protocol_versions: Annotated[list[Annotated[str, Field(min_length=1, max_length=20)]],
                                 Field(min_length=1, max_length=20)]
    client: ClientInfo
    commands: Annotated[list[CommandId], Field(max_length=MAX_COMMANDS)] = []
    inserts_text: bool = False


class AuthenticateParams(Params):
    token: Annotated[str, Field(min_length=1, max_length=200)]


class PairingRequestParams(Params):
    site: Annotated[str, Field(max_length=100, description="a name for the user to recognise the page by")] = ""


class PairingConfirmParams(Params):
    code: Annotated[str, Field(min_length=1, max_length=20, description="the code the page shows")]


class PairingRevokeParams(Params):
    id: Annotated[str, Field(min_length=1, max_length=20)]


class FieldVariable(CommandVariable):
    """A ``{key}`` placeholder of a field's command, with the published bounds."""

    model_config = Params.model_config
    key: Annotated[str, Field(min_length=1, max_length=50)]
    enum: Omittable[Annotated[list[Phrase], Field(min_length=1, max_length=200)]] = None


class FieldCommand(CommandDefinition):
    """A command a field declares: the protocol's rules (declared placeholders ...) plus the published bounds."""

    model_config = Params.model_config
    id: CommandId
    phrases: Annotated[list[Phrase], Field(min_length=1, max_length=MAX_PHRASES)]
    variables: Omittable[Annotated[list[FieldVariable], Field(max_length=20)]] = None


class FieldFormatting(Params):
    """A field's changes to how dates, times and numbers are written; the values are the protocol's (§6)."""

    dates: Omittable[DateFormat] = None
    times: Omittable[TimeFormat] = None
    numbers: Omittable[NumberFormat] = None
    measurements: Omittable[MeasurementFormat] = None
    numeric_ranges: Omittable[RangeFormat] = None
    ordinals: Omittable[OrdinalFormat] = None


class FieldReplacement(Params):
    find: Annotated[str, Field(min_length=1, max_length=200)]
    replace: Annotated[str, Field(max_length=200)]


class SessionConfiguration(Params):
    """``session.configure`` params: a field's changes to the daemon's transcription settings."""

    language: Omittable[Annotated[str, Field(min_length=1, max_length=20)]] = None
    interim_results: Omittable[bool] = None
    spoken_punctuation: Omittable[bool] = None
    automatic_punctuation: Omittable[bool] = None
    commands: Omittable[Annotated[list[FieldCommand], Field(max_length=MAX_COMMANDS)]] = None
    commands_mode: Literal["merge", "replace"] = "merge"
    formatting: Omittable[FieldFormatting] = None
    keyterms: Omittable[Annotated[list[Annotated[str, Field(min_length=1, max_length=50)]],
                                  Field(max_length=1000)]] = None
    replacements: Omittable[Annotated[list[FieldReplacement], Field(max_length=1000)]] = None

    def apply_to(self, base: TranscribeConfig) -> TranscribeConfig:
        """The daemon's configuration with this field's changes; raises ``ValidationError`` on a conflict."""
        update: dict[str, Any] = {}
        for name in ("interim_results", "spoken_punctuation", "automatic_punctuation"):
            if getattr(self, name) is not None:
                update[name] = getattr(self, name)
        if self.language is not None:
            update["primary_language"] = self.language
        if self.commands is not None:
            own = [CommandDefinition.model_validate(command.to_wire()) for command in self.commands]
            ids = {command.id for command in own}
            kept = [] if self.commands_mode == "replace" else [c for c in base.commands or [] if c.id not in ids]
            update["commands"] = [*kept, *own] or None
        if self.formatting is not None:
            current = base.formatting.to_wire() if base.formatting else {}
            update["formatting"] = {**current, **self.formatting.model_dump(by_alias=True, exclude_none=True)}
        if self.keyterms is not None:
            update["keyterms"] = {"terms": [{"term": term} for term in self.keyterms]} if self.keyterms else None
        if self.replacements is not None:
            update["replacements"] = [r.model_dump() for r in self.replacements] or None
        merged = {**base.to_wire(), **{to_camel(key): value for key, value in update.items()}}
        return TranscribeConfig.model_validate({key: value for key, value in merged.items() if value is not None})


class ClaimParams(Params):
    field: FieldId
    before: Annotated[str, Field(description="text before the cursor (only its end is used)")] = ""
    after: Annotated[str, Field(description="text after the cursor (only its start is used)")] = ""
    configuration: Omittable[SessionConfiguration] = None


# --- results --------------------------------------------------------------------------------------


class ServerInfo(Sent):
    name: Literal["dictation-daemon"]
    version: str


class InitializeResult(Sent):
    protocol_version: str
    server: ServerInfo
    client_id: Annotated[int, Field(ge=1)]
    methods: list[str]
    notifications: list[str]


class AuthenticateResult(Sent):
    authenticated: Literal[True]


class PairingRequestResult(Sent):
    code: Annotated[str, Field(description="six digits for the page to show; the user confirms them")]
    expires_in: Annotated[float, Field(ge=0, description="seconds the request waits for the user")]


class PairingInfo(Sent):
    id: str
    origin: str
    site: str
    created: Annotated[float, Field(description="Unix time")]
    last_used: Annotated[float | None, Field(description="Unix time")]


class WaitingPairing(Sent):
    origin: str
    site: str
    expires_in: Annotated[float, Field(ge=0)]


class PairingListResult(Sent):
    pairings: list[PairingInfo]
    waiting: list[WaitingPairing]


class PairingRevokeResult(Sent):
    revoked: str
    disconnected: Annotated[int, Field(ge=0, description="connections of the site that were closed")]


class ShutdownResult(Sent):
    registered: Literal[False]


class StateResult(Sent):
    state: StateName


class PasteResult(Sent):
    inserted: Annotated[int, Field(ge=0)]


class ReleaseResult(Sent):
    released: bool


class FieldSettings(Sent):
    """What a claim or a configure answers: the field and the settings in force for it."""

    field: FieldId
    language: str
    commands: list[str]


class Open(BaseModel):
    """Part of ``status``: the fields named are always there; more may be added in later versions."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="allow")


class ConnectionInfo(Sent):
    state: ConnectionStateName
    description: Annotated[str, Field(description="a sentence for the user")]


class SessionStatus(Open):
    ready: bool
    refused: str | None
    connection: ConnectionInfo | None


class MicrophoneStatus(Open):
    state: str
    device: str
    error: str | None
    overruns: int
    drops: int
    level_dbfs: Annotated[float, Field(alias="level_dbfs")]


class HotkeysStatus(Open):
    support: str
    reason: str | None
    talk: str
    mode: str


class PluginsStatus(Open):
    running: list[str]
    unavailable: dict[str, str]


class Registered(Open):
    client_id: int
    name: str
    version: str
    commands: list[str]
    inserts_text: bool


class TargetInfo(Open):
    client_id: int
    field: FieldId


class SocketStatus(Open):
    socket: Annotated[str | None, Field(description="Unix socket path, or host:port for tcp")]
    transport: Literal["unix", "tcp"] | None
    websocket: str | None = None
    clients: Annotated[int, Field(ge=0)]
    registered: list[Registered]
    target: TargetInfo | None


class StatusResult(Open):
    version: str
    state: StateName
    error: str | None
    session: SessionStatus
    microphone: MicrophoneStatus
    history: Annotated[int, Field(ge=0)]
    backend: str
    hotkeys: HotkeysStatus
    plugins: PluginsStatus
    rpc: SocketStatus


# --- notifications --------------------------------------------------------------------------------


class StateNotification(Sent):
    state: StateName
    previous: StateName
    reason: str | None
    connection: Annotated[ConnectionInfo | None, Field(
        description="the transcription connection; a change of it alone comes with state equal to previous")] = None


class Insert(Sent):
    delete: Annotated[int, Field(ge=0)]
    text: str


class TranscriptNotification(Sent):
    text: Annotated[str, Field(description="the server's text of the segment (punctuated, formatted)")]
    raw_transcript_text: Annotated[str, Field(description="the words as spoken")]
    start: Seconds
    end: Seconds
    is_final: bool
    field: FieldId | None
    insert: Insert | None


class CommandNotification(Sent):
    id: CommandId
    variables: dict[str, str] | None
    raw_transcript_text: str
    start: Seconds
    end: Seconds
    field: FieldId | None


class ErrorNotification(Sent):
    source: Literal["session", "configuration"]
    message: str
    field: FieldId | None


class UsageNotification(Sent):
    credits: Annotated[float, Field(ge=0)]
    final: bool


class TargetLostNotification(Sent):
    field: FieldId
    reason: str



class PairedNotification(Sent):
    """To the page whose request the user confirmed: its token, to keep and send with ``authenticate``."""

    id: str
    token: str


METHODS: dict[str, tuple[type[BaseModel] | None, type[BaseModel]]] = {
    "initialize": (InitializeParams, InitializeResult),
    "authenticate": (AuthenticateParams, AuthenticateResult),
    "status": (None, StatusResult),
    "shutdown": (None, ShutdownResult),
    "dictation.start": (None, StateResult),
    "dictation.stop": (None, StateResult),
    "dictation.toggle": (None, StateResult),
    "dictation.cancel": (None, StateResult),
    "history.paste_last": (None, PasteResult),
    "target.claim": (ClaimParams, FieldSettings),
    "target.release": (None, ReleaseResult),
    "session.configure": (SessionConfiguration, FieldSettings),
    "pairing.request": (PairingRequestParams, PairingRequestResult),
    "pairing.confirm": (PairingConfirmParams, PairingInfo),
    "pairing.list": (None, PairingListResult),
    "pairing.revoke": (PairingRevokeParams, PairingRevokeResult),
}
"""Each method's params model (``None``: it takes none) and result model."""

NOTIFICATIONS: dict[str, type[BaseModel]] = {
    "state": StateNotification,
    "transcript": TranscriptNotification,
    "command": CommandNotification,
    "error": ErrorNotification,
    "usage": UsageNotification,
    "target.lost": TargetLostNotification,
    "paired": PairedNotification,
}
