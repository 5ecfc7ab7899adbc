"""Who is registered, who holds the target, and where each transcript and command goes. No I/O.

The socket methods (:mod:`.ehr`) change this state; the event router asks it, for each event, which
clients get which notification and whether the event is *claimed* (kept from keystroke insertion and
from the desktop command mapping). One target exists at a time: the field the user is in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..events.dictation import CommandEvent, TranscriptEvent
from ..insertion.rules import Edit, FieldText
from ..protocol.messages import TranscribeConfig


@dataclass(frozen=True)
class Registration:
    """What a client said in ``initialize``."""

    client_id: int
    name: str
    version: str
    commands: frozenset[str]
    inserts_text: bool

    def to_json(self) -> dict[str, Any]:
        return {"clientId": self.client_id, "name": self.name, "version": self.version,
                "commands": sorted(self.commands), "insertsText": self.inserts_text}


@dataclass
class Target:
    """The claimed field: its owner, its text around the cursor, and its session configuration."""

    client_id: int
    field: str
    text: FieldText
    configuration: TranscribeConfig | None = None
    """``None``: the daemon's own configuration."""


@dataclass(frozen=True)
class Routed:
    """One event's notification: its params, who receives it (``None``: everyone), whether it is claimed."""

    params: dict[str, Any]
    recipients: tuple[int, ...] | None
    claimed: bool


@dataclass
class Registry:
    """Registrations by client id, and the target."""

    registrations: dict[int, Registration] = field(default_factory=dict)
    target: Target | None = None

    def register(self, registration: Registration) -> None:
        self.registrations[registration.client_id] = registration

    def unregister(self, client_id: int) -> Target | None:
        """Forgets a client; returns the target it held (now released), if any."""
        self.registrations.pop(client_id, None)
        return self.release(client_id)

    def claim(self, target: Target) -> Target | None:
        """Gives the target to ``target.client_id``; returns the previous holder's target if it was another client."""
        previous, self.target = self.target, target
        return previous if previous is not None and previous.client_id != target.client_id else None

    def release(self, client_id: int) -> Target | None:
        """Releases the target if ``client_id`` holds it; returns it."""
        if self.target is not None and self.target.client_id == client_id:
            released, self.target = self.target, None
            return released
        return None

    def holder_inserts(self) -> bool:
        """A client that puts text into its fields itself holds the target."""
        if self.target is None:
            return False
        registration = self.registrations.get(self.target.client_id)
        return registration is not None and registration.inserts_text

    def route_transcript(self, event: TranscriptEvent) -> Routed:
        """Every client sees the transcript; an inserting holder's field gets the edit, and the event is claimed."""
        target = self.target
        edit: Edit | None = None
        claimed = False
        if target is not None and self.holder_inserts():
            edit = target.text.apply(event)
            claimed = True
        params = {**event.to_json(), "field": target.field if target else None,
                  "insert": _insert_json(edit) if edit else None}
        return Routed(params, None, claimed)

    def route_command(self, event: CommandEvent) -> Routed:
        """To the holder if it handles the id, else to every client that does; unclaimed if none does."""
        target = self.target
        params = {**event.to_json(), "field": target.field if target else None}
        holder = self.registrations.get(target.client_id) if target else None
        if holder is not None and event.id in holder.commands:
            return Routed(params, (holder.client_id,), True)
        handlers = tuple(sorted(client for client, registration in self.registrations.items()
                                if event.id in registration.commands))
        return Routed(params, handlers, bool(handlers))

    def paste(self, text: str) -> tuple[int, dict[str, Any]] | None:
        """A paste-last for an inserting holder: its client id and the transcript params; ``None`` otherwise."""
        target = self.target
        if target is None or not self.holder_inserts():
            return None
        edit = target.text.insert(text)
        return target.client_id, {"text": text, "rawTranscriptText": text, "start": -1.0, "end": -1.0,
                                  "isFinal": True, "field": target.field, "insert": _insert_json(edit)}


def _insert_json(edit: Edit) -> dict[str, Any]:
    """An edit as the ``insert`` of a ``transcript`` notification: take back ``delete`` characters, insert ``text``."""
    return {"delete": edit.delete, "text": edit.insert}
