"""The ``commands`` plugin: voice commands as keys and editing actions in any application.

``plugins.commands.actions`` maps a command id to a key chord (``next_section: tab``) or a built-in action
written ``@name``. Editing by voice (``select <words>``, ``correct that``, ``cap that`` ...) and the
auto-texts of the configuration are built in. Chords and actions go through the inserting plugin
(keystroke or clipboard), so they wait for modifier keys like typed text does. A command without a
mapping is left for other plugins.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from ..config.model import AutotextsSection
from ..events.dictation import CommandEvent
from ..insertion.chords import Chord
from ..insertion.known import InsertAutotext, NextBlank, Recase, SelectLast, SelectWords, UnknownText, VoiceEdit
from .base import Inserter, Plugin, PluginContext

logger = logging.getLogger(__name__)

BUILT_IN_ACTIONS: dict[str, Callable[[Inserter], Awaitable[None]]] = {
    "scratch_that": lambda inserter: inserter.scratch_that(),
    "new_line": lambda inserter: inserter.insert("\n"),
    "new_paragraph": lambda inserter: inserter.insert("\n\n"),
}
"""What ``@name`` means in an action."""

Action = Chord | Callable[[Inserter], Awaitable[None]]


def parse_action(text: str) -> Action:
    """``@name`` is a built-in action, anything else a key chord; raises ``ValueError`` naming the problem."""
    if text.startswith("@"):
        action = BUILT_IN_ACTIONS.get(text[1:])
        if action is None:
            raise ValueError(f"unknown action {text!r}; built-in actions: "
                             + ", ".join(f"@{name}" for name in BUILT_IN_ACTIONS))
        return action
    return Chord.parse(text)


def parse_actions(actions: Mapping[str, str]) -> dict[str, Action]:
    return {command_id: parse_action(text) for command_id, text in actions.items()}


RECASE_STYLES = {"cap_that": "capitalized", "all_caps_that": "upper", "no_caps_that": "lower"}


def voice_edit(event: CommandEvent, autotexts: AutotextsSection) -> VoiceEdit | None:
    """The edit by voice a command asks for, if it is one."""
    if event.id == "select_words":
        return SelectWords((event.variables or {}).get("words", ""))
    if event.id == "correct_that":
        return SelectLast()
    if event.id in RECASE_STYLES:
        return Recase(RECASE_STYLES[event.id])
    if event.id == "next_blank":
        return NextBlank(autotexts.blank)
    autotext = autotexts.find(event.id)
    return InsertAutotext(autotext.text, autotexts.blank) if autotext is not None else None


class CommandsPlugin(Plugin):
    """Carries out mapped commands, edits by voice and auto-texts through the context's inserter."""

    name = "commands"

    def __init__(self, context: PluginContext, actions: dict[str, Action]) -> None:
        self._context = context
        self._actions = actions

    @classmethod
    def create(cls, context: PluginContext, options: Mapping[str, Any]) -> CommandsPlugin:
        return cls(context, parse_actions(context.config.plugins.commands.actions))

    async def on_command(self, event: CommandEvent) -> bool:
        action = self._actions.get(event.id)
        edit = voice_edit(event, self._context.config.autotexts) if action is None else None
        inserter = self._context.inserter
        if action is None and edit is None:
            return False
        if inserter is None:
            logger.warning("command %s: no inserting plugin is running to carry it out", event.id)
            return False
        if isinstance(action, Chord):
            await inserter.press_chord(action)
        elif action is not None:
            await action(inserter)
        else:
            assert edit is not None
            try:
                await inserter.edit_by_voice(edit)
            except UnknownText as refusal:  # the field is left as it was; the reason names no dictated word
                logger.warning("command %s not carried out: %s", event.id, refusal)
                self._context.notice(f"{event.id.replace('_', ' ').capitalize()}: nothing done, {refusal}")
                return True
        logger.info("command %s carried out", event.id)
        return True
