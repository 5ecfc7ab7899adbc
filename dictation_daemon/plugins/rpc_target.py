"""The ``rpc`` plugin: text and commands that socket clients took never reach keystrokes or the desktop mapping.

The daemon puts it first in the plugin host whenever the control socket runs. The socket's router
decides, when an event is published, which client gets it (:mod:`dictation_daemon.rpc.ehr`); this plugin
claims exactly the events a client took, so while an editor holds the target its field gets the text and
nothing is typed into the focused window, and a command a client handles is not also carried out as keys.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..controller.events import CommandEvent, TranscriptEvent
from .base import Claim, Plugin

if TYPE_CHECKING:
    from ..rpc.ehr import EhrApi


class RpcTargetPlugin(Plugin):
    """Claims what the socket's clients took; sends paste-last to an editor holding the target."""

    name = "rpc"

    def __init__(self, api: EhrApi) -> None:
        self._api = api

    async def on_transcript(self, event: TranscriptEvent) -> bool | Claim:
        return self._api.claims.take(event) or False

    async def on_command(self, event: CommandEvent) -> bool | Claim:
        return self._api.claims.take(event) or False

    async def on_paste(self, text: str) -> bool:
        return self._api.paste(text)
