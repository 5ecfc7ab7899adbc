"""The EHR integration API (protocol 1.0, ``docs/rpc.md`` in the daemon) as typed values.

Editors build their requests' parameters here and read notifications into dataclasses instead of
picking through dictionaries, with either client: ``client.call("initialize", initialize_params(...))``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

PROTOCOL_VERSIONS = ("1.0",)
"""The protocol versions this library speaks, preferred first."""

NOT_INITIALIZED = -32002
ALREADY_INITIALIZED = -32003
REQUEST_TIMED_OUT = -32004
NO_COMMON_VERSION = -32020
NOT_TARGET_HOLDER = -32021


@dataclass(frozen=True)
class Variable:
    """A ``{key}`` placeholder in a command phrase: one of ``values`` (``enum``) or any words (``wildcard``)."""

    key: str
    type: Literal["enum", "wildcard"] = "enum"
    values: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        variable: dict[str, Any] = {"key": self.key, "type": self.type}
        if self.type == "enum":
            variable["enum"] = list(self.values)
        return variable


@dataclass(frozen=True)
class CommandDefinition:
    """A voice command for a field: its id (what the ``command`` notification carries) and its phrases."""

    id: str
    phrases: tuple[str, ...]
    variables: tuple[Variable, ...] = ()

    def to_json(self) -> dict[str, Any]:
        command: dict[str, Any] = {"id": self.id, "phrases": list(self.phrases)}
        if self.variables:
            command["variables"] = [variable.to_json() for variable in self.variables]
        return command


def initialize_params(name: str, version: str = "", *, commands: Sequence[str] = (), inserts_text: bool = False,
                      protocol_versions: Sequence[str] = PROTOCOL_VERSIONS) -> dict[str, Any]:
    """``initialize``: who the client is, the command ids it handles, whether it inserts text itself."""
    client = {"name": name, **({"version": version} if version else {})}
    return {"protocolVersions": list(protocol_versions), "client": client, "commands": list(commands),
            "insertsText": inserts_text}


def claim_params(field_id: str, before: str = "", after: str = "",
                 configuration: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """``target.claim`` for a field, with the text around the cursor (``""`` when unknown)."""
    params: dict[str, Any] = {"field": field_id, "before": before, "after": after}
    if configuration is not None:
        params["configuration"] = dict(configuration)
    return params


def configure_params(*, commands: Sequence[CommandDefinition] | None = None, replace_commands: bool = False,
                     **settings: Any) -> dict[str, Any]:
    """``session.configure``: the field's commands (merged with the daemon's unless ``replace_commands``)
    and other settings by their protocol names (``language``, ``keyterms``, ``formatting`` ...)."""
    params = dict(settings)
    if commands is not None:
        params["commands"] = [command.to_json() for command in commands]
        if replace_commands:
            params["commandsMode"] = "replace"
    return params


@dataclass(frozen=True)
class Edit:
    """What the field holding the target must do: take back ``delete`` characters before the cursor
    (the interim shown before), then insert ``text`` at the cursor."""

    delete: int
    text: str


@dataclass(frozen=True)
class Transcript:
    """A ``transcript`` notification, sent to every client. ``field`` is the target's field; ``insert`` the
    edit for it while the holder inserts text itself (``None`` otherwise, and for a repeated final)."""

    text: str
    raw_text: str
    start: float
    end: float
    is_final: bool
    field: str | None
    insert: Edit | None

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Transcript:
        edit = params.get("insert")
        return cls(params["text"], params["rawTranscriptText"], params["start"], params["end"], params["isFinal"],
                   params.get("field"), Edit(edit["delete"], edit["text"]) if edit else None)


@dataclass(frozen=True)
class Command:
    """A ``command`` notification: a command this client declared, for ``field`` (the target's)."""

    id: str
    variables: Mapping[str, str]
    raw_text: str
    start: float
    end: float
    field: str | None

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Command:
        return cls(params["id"], params.get("variables") or {}, params["rawTranscriptText"], params["start"],
                   params["end"], params.get("field"))
