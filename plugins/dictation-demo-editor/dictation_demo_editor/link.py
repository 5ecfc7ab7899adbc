"""The editor's side of the conversation with the daemon: registration, target claims, field commands.

The editor registers as a client that inserts text itself and handles the section commands. While the
user is in a section it holds the target for it, with the text around the cursor and that section's
commands: moving between sections, and the templates that section offers. Notifications are collected
on the client's thread and taken by the Tk loop with :meth:`DictationLink.updates`, so every widget
change happens on Tk's thread, in the order the daemon sent them.
"""

from __future__ import annotations

from pathlib import Path

from dictation_client import Client, Notification, RpcError
from dictation_client.ehr import (
    Command,
    CommandDefinition,
    Transcript,
    Variable,
    claim_params,
    configure_params,
    initialize_params,
)

from . import __version__
from .sections import SECTIONS, TEMPLATES

CLIENT_NAME = "Dictation demo editor"
EDITOR_COMMANDS = ("next_section", "previous_section", "go_to_section", "insert_template")
"""The command ids the editor handles; the daemon sends it these and no others."""

Update = Transcript | Command | Notification


def section_commands(section: str) -> list[CommandDefinition]:
    """The voice commands while ``section`` holds the target: its templates are the only ones offered."""
    commands = [
        CommandDefinition("next_section", ("next section",)),
        CommandDefinition("previous_section", ("previous section",)),
        CommandDefinition("go_to_section", ("go to {section} section",), (Variable("section", "enum", SECTIONS),)),
    ]
    templates = tuple(TEMPLATES.get(section, {}))
    if templates:
        commands.append(CommandDefinition("insert_template", ("insert {template_name} template",),
                                          (Variable("template_name", "enum", templates),)))
    return commands


class DictationLink:
    """One registration with the daemon; every method is a short blocking call made from Tk's thread."""

    def __init__(self, client: Client) -> None:
        self._client = client
        self._updates = client.subscribe("transcript", "command", "state", "error", "target.lost")
        self.claimed: str | None = None
        """The section holding the target, as far as the editor knows."""
        self.claimed_context: tuple[str, str] | None = None
        """The text around the cursor the last claim passed."""

    @property
    def closed(self) -> bool:
        """Whether the connection to the daemon has ended."""
        return self._client.closed

    @classmethod
    def connect(cls, socket: Path | None) -> DictationLink:
        """Connects and registers; raises ``dictation_client.ClientError`` when the daemon is not there."""
        client = Client(socket)
        try:
            client.call("initialize", initialize_params(CLIENT_NAME, __version__, commands=EDITOR_COMMANDS,
                                                        inserts_text=True))
        except BaseException:
            client.close()
            raise
        return cls(client)

    def claim(self, section: str, before: str, after: str) -> None:
        """Takes the target for ``section`` and configures its commands, in one batch."""
        claimed, configured = self._client.batch([
            ("target.claim", claim_params(section, before, after)),
            ("session.configure", configure_params(commands=section_commands(section))),
        ])
        for result in (claimed, configured):
            if isinstance(result, RpcError):
                raise result
        self.claimed, self.claimed_context = section, (before, after)

    def release(self) -> None:
        """Gives the target back: the daemon types into whatever has focus again."""
        self.claimed = self.claimed_context = None
        self._client.call("target.release")

    def toggle(self) -> None:
        """Starts or stops dictation, like the push-to-talk hotkey in toggle mode."""
        self._client.call("dictation.toggle")

    def updates(self) -> list[Update]:
        """What arrived since the last call, in order: transcripts and commands typed, the rest as sent.

        Raises ``dictation_client.ConnectionClosed`` once the daemon has gone and everything before was taken.
        """
        updates: list[Update] = []
        while (notification := self._updates.get_nowait()) is not None:
            if notification.method == "transcript":
                updates.append(Transcript.from_params(notification.params))
            elif notification.method == "command":
                updates.append(Command.from_params(notification.params))
            else:
                if notification.method == "target.lost":
                    self.claimed = self.claimed_context = None
                updates.append(notification)
        return updates

    def close(self) -> None:
        """Disconnects, which also releases the target."""
        self._client.close()

