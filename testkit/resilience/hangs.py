"""What a hang test and the hang benchmark share: the dictation released at its last word, and the check
that one stalled stream was given up for hung and a second one delivered the rest."""

from __future__ import annotations

from dictation_daemon.events.connection import ConnectionState

from .dictation import BYTES_PER_SECOND, SPEECH, Dictated
from .rig import Rig

RELEASED_AT_THE_LAST_WORD = SPEECH[: int(6.3 * BYTES_PER_SECOND)]
"""The dictation up to the end of its last phrase: that phrase's final text is the answer to the flush."""
STOPPED_ANSWERING = "the server stopped answering"


def assert_recovered_from_one_hang(dictated: Dictated, setup: Rig) -> None:
    """The stalled stream was given up for hung, and a second one delivered the rest."""
    assert setup.proxy.stalls == 1 and setup.proxy.connections >= 2
    reconnecting = dictated.states(ConnectionState.RECONNECTING)
    assert reconnecting and reconnecting[0].reason == STOPPED_ANSWERING
    assert reconnecting[0].describe().startswith(f"Connection lost ({STOPPED_ANSWERING}); reconnecting")
    assert dictated.states(ConnectionState.REPLAYING)
    assert dictated.statuses[-1].state is ConnectionState.CLOSED
