"""The cloud path through a fault: Corti's token endpoint down while the socket must be reopened.

A stand-in Corti (a real token endpoint and a token-checking local server, as in the client tests) sits
behind the fault proxy. Mid-utterance the socket is cut while the token has expired and the endpoint is
down, so no new socket can open until the endpoint is back; then the dictation must complete as if nothing
had happened, and the statuses must name the token endpoint as the reason for waiting.
"""

from __future__ import annotations

import asyncio

from dictation_daemon.app.backend import open_backend
from dictation_daemon.client.resilient import ResilientSession
from dictation_daemon.config import DaemonConfig
from dictation_daemon.events.connection import ConnectionState
from dictation_daemon.server.app import LocalServer
from testkit.corti import CLIENT_ID, SECRET, TokenServer
from testkit.resilience.dictation import Dictated, dictate, streaming
from testkit.resilience.proxy import FaultProxy
from testkit.resilience.rig import assert_same_words
from testkit.scripted import ScriptedRecognizer
from testkit.tones import SCRIPT

CORTI_CONFIG = DaemonConfig().transcription.to_transcribe_config()


def run_against_corti(token_server: TokenServer, fault_at: float | None) -> tuple[Dictated, FaultProxy]:
    """One dictation through the stand-in; with ``fault_at``, the outage starts at that point of the audio."""
    revoked: set[str] = set()
    outcome: list[tuple[Dictated, FaultProxy]] = []

    async def main() -> None:
        check = lambda token: token in token_server.issued and token not in revoked
        async with (LocalServer(ScriptedRecognizer(SCRIPT), token_check=check) as server,
                    FaultProxy(server.port) as proxy):
            environment = {
                "CORTI_CLIENT_ID": CLIENT_ID, "CORTI_CLIENT_SECRET": SECRET, "CORTI_AUTH_URL": token_server.url,
                "CORTI_API_URL": f"ws://127.0.0.1:{proxy.port}",
            }

            async def token_outage(session: ResilientSession) -> None:
                await streaming(session, proxy)
                await asyncio.to_thread(token_server.stop)
                await asyncio.sleep(2.0)  # the cached token is now stale, and the audio mid-utterance...
                revoked.update(token_server.issued)  # ...and the socket no longer admits it
                proxy.cut()
                await asyncio.sleep(1.5)  # reconnection attempts fail on the token meanwhile
                await asyncio.to_thread(token_server.start)

            faults = {fault_at: token_outage} if fault_at is not None else {}
            async with open_backend(DaemonConfig(), environ=environment) as backend:
                assert backend.kind == "corti" and backend.realtime_required
                outcome.append((await dictate(backend, faults=faults, config=CORTI_CONFIG), proxy))

    token_server.start()
    try:
        asyncio.run(asyncio.wait_for(main(), 90))
    finally:
        token_server.stop()
    return outcome[0]


def test_the_token_endpoint_down_then_back_while_reconnecting() -> None:
    clean_server = TokenServer()
    reference, clean_proxy = run_against_corti(clean_server, fault_at=None)
    assert clean_proxy.connections == 1 and len(clean_server.requests) == 1
    assert [final.raw_transcript_text for final in reference.finals] == [
        "patient is stable", "plan as discussed", "patient is stable"]

    token_server = TokenServer()
    token_server.expires_in = 1.0  # stale once half of it has passed: the outage outlasts it
    dictated, proxy = run_against_corti(token_server, fault_at=0.4)
    assert_same_words(dictated, reference, time_tolerance=0.1)
    reasons = [status.reason or "" for status in dictated.states(ConnectionState.RECONNECTING)]
    assert reasons[0] == "the connection dropped"
    assert any("token endpoint" in reason for reason in reasons[1:]), reasons
    assert all(SECRET not in reason for reason in reasons)
    assert len(dictated.states(ConnectionState.REPLAYING)) == 1
    assert proxy.cuts == 1 and proxy.connections == 2
    assert len(token_server.requests) == 2  # the first token and, once the endpoint was back, a new one
