"""Hung connections: the link stops forwarding (or the server is stuck) and nothing closes.

The proxy stalls the link both ways and keeps both TCP connections open, so only the client's own checks can
notice: keepalive pings while it streams, and the deadline on the answer once a flush is out. The session
must then do what it does after a cut, and deliver what a run without the fault delivers: the same text and
commands on the same timeline, each word once. A server that is slow but still sending results must not be
taken for hung. The deadline is 2 s here to keep the runs short; every wait is generous, since the machine
running the tests may be busy.
"""

from __future__ import annotations

import pytest

from dictation_daemon.client.errors import ConnectionLostError
from dictation_daemon.client.resilient import ResilientSession
from dictation_daemon.client.session import DEFAULT_ANSWER_TIMEOUT
from dictation_daemon.config import DaemonConfig
from dictation_daemon.config.model import BackendSection
from dictation_daemon.events.connection import ConnectionState
from dictation_daemon.protocol.messages import DeltaUsage, Flushed, Transcript
from testkit.resilience.dictation import (
    BYTES_PER_SECOND,
    CONFIG,
    LONG_UTTERANCE,
    SPEECH,
    Dictated,
    dictate,
    streaming,
)
from testkit.resilience.faults import FlushHookRecognizer, SlowRecognizer
from testkit.resilience.hangs import (
    RELEASED_AT_THE_LAST_WORD,
    STOPPED_ANSWERING,
    assert_recovered_from_one_hang,
)
from testkit.resilience.rig import (
    TIMEOUT,
    Rig,
    assert_clean_reference,
    assert_same_words,
    rig,
    run,
)
from testkit.scripted import ScriptedRecognizer
from testkit.tones import SCRIPT

ANSWER_TIMEOUT = 2.0
HANG_CONFIG = DaemonConfig(backend=BackendSection(answer_timeout_seconds=ANSWER_TIMEOUT))



@pytest.fixture(scope="module")
def reference() -> Dictated:
    """The clean run every faulty one is compared with, under the same short deadline (which must not fire)."""
    result: list[Dictated] = []

    async def test() -> None:
        async with rig(ScriptedRecognizer(SCRIPT), HANG_CONFIG) as setup:
            result.append(await dictate(setup.backend, RELEASED_AT_THE_LAST_WORD, flush_before_end=True))
        assert setup.proxy.connections == 1

    run(test)
    clean = result[0]
    assert_clean_reference(clean)
    last_final = max(i for i, m in enumerate(clean.messages) if isinstance(m, Transcript) and m.data.is_final)
    assert last_final >= clean.before_flush  # the last phrase is the flush's answer
    return clean


def stall(setup: Rig):
    async def fault(session: ResilientSession) -> None:
        await streaming(session, setup.proxy)
        assert setup.proxy.stall() == 1
    return fault


def test_a_link_that_stops_forwarding_mid_utterance(reference: Dictated) -> None:
    """Noticed while streaming (keepalive) or at the flush, whichever comes first: either way, every word once."""

    async def test() -> None:
        async with rig(ScriptedRecognizer(SCRIPT), HANG_CONFIG) as setup:
            dictated = await dictate(setup.backend, RELEASED_AT_THE_LAST_WORD, faults={2.2: stall(setup)},
                                     flush_before_end=True)
        assert_same_words(dictated, reference)
        assert_recovered_from_one_hang(dictated, setup)
        # Replayed from the end of the first phrase's final, so from before the long utterance's start.
        assert dictated.states(ConnectionState.REPLAYING)[0].seconds > 2.2 - LONG_UTTERANCE[0]

    run(test)


def test_a_link_that_stops_forwarding_as_the_server_takes_the_flush(reference: Dictated) -> None:
    """The server has the flush, and its answer (the last phrase, then ``flushed``) never comes back."""

    async def test() -> None:
        recognizer = FlushHookRecognizer(SCRIPT)
        async with rig(recognizer, HANG_CONFIG) as setup:
            recognizer.arm(lambda: setup.proxy.stall())
            dictated = await dictate(setup.backend, RELEASED_AT_THE_LAST_WORD, flush_before_end=True)
        assert_same_words(dictated, reference)
        assert_recovered_from_one_hang(dictated, setup)
        assert sum(isinstance(m, Flushed) for m in dictated.messages) == 1

    run(test)


def test_a_slow_server_that_keeps_sending_is_not_taken_for_hung(reference: Dictated) -> None:
    """The server hears each 250 ms of audio in 500 ms, so it answers the flush seconds after the deadline;
    a ``delta_usage`` after each piece shows it is alive, and the session waits for it."""

    async def test() -> None:
        recognizer = SlowRecognizer(SCRIPT, seconds_per_call=0.5)
        async with rig(recognizer, HANG_CONFIG, delta_usage_seconds=0.25) as setup:
            dictated = await dictate(setup.backend, RELEASED_AT_THE_LAST_WORD, flush_before_end=True,
                                     chunk_seconds=0.25)
        assert_same_words(dictated, reference)
        assert dictated.states(ConnectionState.RECONNECTING) == []
        assert setup.proxy.connections == 1
        # Each delta_usage follows a 500 ms piece of work: more than 2 * 2 / 0.5 of them after the flush was asked
        # mean its answer came over twice the deadline later.
        after_flush = dictated.messages[dictated.before_flush :]
        assert sum(isinstance(m, DeltaUsage) for m in after_flush) > 2 * ANSWER_TIMEOUT / 0.5

    run(test)


def test_a_single_session_flushing_into_a_stalled_link_fails_instead_of_waiting() -> None:
    """Without the resilient layer (``dictation-daemon transcribe``), a hang ends the wait with a reason."""

    async def test() -> None:
        async with rig(ScriptedRecognizer(SCRIPT), HANG_CONFIG) as setup:
            session = await setup.backend.open_session(CONFIG)
            await session.wait_accepted()
            await session.send_audio(SPEECH[:BYTES_PER_SECOND])
            assert setup.proxy.stall() == 1
            with pytest.raises(ConnectionLostError, match=STOPPED_ANSWERING):
                await session.flush(timeout=TIMEOUT / 2)
            assert session.unresponsive and not session.is_open
            await session.close()

    run(test)


def test_the_documented_default_is_the_client_default() -> None:
    assert BackendSection().answer_timeout_seconds == DEFAULT_ANSWER_TIMEOUT
