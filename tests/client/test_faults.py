"""Faults between the client and a real local server: cuts, a restart, a server error, a long outage.

Each run feeds the same audio at the pace of speech, with the fault at a set moment, and must deliver what a
run without the fault delivers: the same text and commands on the same timeline, each word once. The
statuses must say what happened. Waits are generous: the machine running the tests may be busy.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from dictation_daemon.client.backoff import RetryPolicy
from dictation_daemon.client.errors import ConfigDeniedError, ConnectionLostError
from dictation_daemon.client.resilient import ResilientSession
from dictation_daemon.events.connection import ConnectionState
from testkit.resilience.dictation import (
    CONFIG,
    LONG_UTTERANCE,
    SPEECH,
    Dictated,
    dictate,
    streaming,
)
from testkit.resilience.faults import FailingOnceRecognizer
from testkit.resilience.rig import (
    Rig,
    assert_clean_reference,
    assert_same_words,
    rig,
    run,
)
from testkit.scripted import ScriptedRecognizer
from testkit.tones import SCRIPT


@pytest.fixture(scope="module")
def reference() -> Dictated:
    """The clean run every faulty one is compared with."""
    result: list[Dictated] = []

    async def test() -> None:
        async with rig(ScriptedRecognizer(SCRIPT)) as setup:
            result.append(await dictate(setup.backend))
        assert setup.proxy.connections == 1

    run(test)
    clean = result[0]
    assert_clean_reference(clean)
    return clean


def cut(setup: Rig):
    async def fault(session: ResilientSession) -> None:
        await streaming(session, setup.proxy)
        assert setup.proxy.cut() == 1
    return fault


def test_a_connection_cut_mid_utterance_loses_and_repeats_nothing(reference: Dictated) -> None:
    async def test() -> None:
        async with rig(ScriptedRecognizer(SCRIPT)) as setup:
            dictated = await dictate(setup.backend, faults={2.2: cut(setup)})
        assert_same_words(dictated, reference)
        assert setup.proxy.cuts == 1 and setup.proxy.connections == 2
        [lost] = dictated.states(ConnectionState.RECONNECTING)
        assert lost.reason == "the connection dropped" and lost.attempt == 1
        [replay] = dictated.states(ConnectionState.REPLAYING)
        # Replayed from the end of the first phrase's final, so from before the long utterance's start.
        assert replay.seconds > 2.2 - LONG_UTTERANCE[0]
        after_replay = [s.state for s in dictated.statuses[dictated.statuses.index(replay) + 1 :]]
        assert after_replay == [ConnectionState.CONNECTED, ConnectionState.CLOSED]

    run(test)


def test_three_cuts_in_one_utterance(reference: Dictated) -> None:
    async def test() -> None:
        async with rig(ScriptedRecognizer(SCRIPT)) as setup:
            dictated = await dictate(setup.backend, faults={at: cut(setup) for at in (1.9, 2.6, 3.3)})
        assert_same_words(dictated, reference)
        assert setup.proxy.cuts == 3
        assert len(dictated.states(ConnectionState.REPLAYING)) == 3
        # No final came between the first cuts, so the backoff grew: the attempts count up.
        assert [s.attempt for s in dictated.states(ConnectionState.RECONNECTING)][:2] == [1, 2]

    run(test)


def test_a_server_restart_with_a_flush_waiting_for_it(reference: Dictated) -> None:
    """The server goes down mid-utterance and comes back after the user stopped and flushed."""

    async def test() -> None:
        async with rig(ScriptedRecognizer(SCRIPT)) as setup:
            async def restart(session: ResilientSession) -> None:
                await streaming(session, setup.proxy)
                await setup.restart_server(down_for=len(SPEECH) / 32000 - 2.2 + 1.0)

            dictated = await dictate(setup.backend, faults={2.2: restart}, flush_before_end=True)
        assert_same_words(dictated, reference)
        reconnecting = dictated.states(ConnectionState.RECONNECTING)
        assert reconnecting[0].reason == "the connection dropped"
        assert len(reconnecting) >= 2 and "cannot connect" in (reconnecting[1].reason or "")
        buffered = [s.seconds for s in dictated.states(ConnectionState.BUFFERING)]
        assert buffered and buffered == sorted(buffered) and buffered[-1] >= 4
        assert len(dictated.states(ConnectionState.REPLAYING)) == 1

    run(test)


def test_a_server_error_that_ends_the_stream_mid_utterance(reference: Dictated) -> None:
    async def test() -> None:
        recognizer = FailingOnceRecognizer(SCRIPT, fail_after=2.6)
        async with rig(recognizer) as setup:
            dictated = await dictate(setup.backend)
        assert recognizer.failures == 1 and setup.proxy.connections == 2
        assert_same_words(dictated, reference)
        [lost] = dictated.states(ConnectionState.RECONNECTING)
        assert lost.reason == "the server ended the stream: Invalid audio (invalid_audio)"
        assert len(dictated.states(ConnectionState.REPLAYING)) == 1

    run(test)


def test_past_the_buffer_limit_the_user_is_told_and_the_audio_still_transcribed(
    reference: Dictated, tmp_path: Path,
) -> None:
    async def test() -> None:
        async with rig(ScriptedRecognizer(SCRIPT)) as setup:
            async def outage(session: ResilientSession) -> None:
                await streaming(session, setup.proxy)
                setup.proxy.refuse()
                setup.proxy.cut()
                await asyncio.sleep(3.5)
                await setup.proxy.start()

            dictated = await dictate(setup.backend, faults={1.4: outage}, buffer_limit_seconds=1.0,
                                     spill_dir=str(tmp_path))
        assert_same_words(dictated, reference)
        full = dictated.states(ConnectionState.BUFFER_FULL)
        assert full and full[0].seconds > 1.0 and full[0].limit_seconds == 1.0
        assert "still kept" in full[0].describe()
        assert os.listdir(tmp_path) == []  # the spill file never had a name

    run(test)


def test_a_refused_configuration_gives_up_and_keeps_the_audio() -> None:
    async def test() -> None:
        async with rig(ScriptedRecognizer(SCRIPT)) as setup:
            statuses = []
            config = CONFIG.model_copy(update={"primary_language": "xx"})
            session = await ResilientSession.open(setup.backend, config, on_status=statuses.append)
            await session.send_audio(SPEECH[:32000])
            with pytest.raises(ConfigDeniedError):
                await session.wait_accepted()
            assert [m async for m in session.events()] == []
            assert session.status.state is ConnectionState.GAVE_UP and "xx" in (session.status.reason or "")
            assert session.pending_pcm() == SPEECH[:32000]
            with pytest.raises(ConfigDeniedError):
                await session.send_audio(SPEECH[32000:64000])
            await session.close()
        assert setup.proxy.connections == 1

    run(test)


def test_with_a_limit_on_attempts_an_unreachable_server_gives_up_and_keeps_the_audio() -> None:
    async def test() -> None:
        async with rig(ScriptedRecognizer(SCRIPT)) as setup:
            setup.proxy.refuse()
            retry = RetryPolicy(initial_delay=0.05, max_delay=0.1, max_attempts=2)
            session = await ResilientSession.open(setup.backend, CONFIG, retry=retry)
            await session.send_audio(SPEECH[:64000])
            with pytest.raises(ConnectionLostError, match="gave up after 2 attempts: cannot connect"):
                await session.wait_accepted(timeout=20)
            assert session.status.state is ConnectionState.GAVE_UP
            with pytest.raises(ConnectionLostError):
                await session.flush()
            assert session.pending_pcm() == SPEECH[:64000]
            await session.close()
        assert setup.proxy.connections == 0

    run(test)
