"""A scripted local server behind a fault proxy, and the checks every fault test makes against a clean run."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any

import pytest

from dictation_daemon.app.backend import open_backend
from dictation_daemon.client.backend import Backend
from dictation_daemon.config import DaemonConfig
from dictation_daemon.events.connection import ConnectionState
from dictation_daemon.protocol.messages import Transcript
from dictation_daemon.server.app import TRANSCRIBE_PATH, LocalServer
from dictation_daemon.server.recognizer import Recognizer

from .dictation import Dictated
from .proxy import FaultProxy


class Rig:
    """``server`` (restartable on its port) behind ``proxy``; ``backend`` reaches it through the proxy."""

    def __init__(self, recognizer: Recognizer, server: LocalServer, proxy: FaultProxy, backend: Backend,
                 delta_usage_seconds: float) -> None:
        self.recognizer = recognizer
        self.server = server
        self.proxy = proxy
        self.backend = backend
        self.delta_usage_seconds = delta_usage_seconds

    async def restart_server(self, down_for: float) -> None:
        """Stops the server (its sessions close), and starts a new one on the same port ``down_for`` later."""
        await self.server.stop()
        await asyncio.sleep(down_for)
        self.server = LocalServer(self.recognizer, port=self.server.port, delta_usage_seconds=self.delta_usage_seconds)
        await self.server.start()


@contextlib.asynccontextmanager
async def rig(
    recognizer: Recognizer, config: DaemonConfig | None = None, delta_usage_seconds: float = 30.0,
) -> AsyncIterator[Rig]:
    """``config`` sets up the backend as the daemon would (its ``backend`` section counts); the server sends a
    ``delta_usage`` every ``delta_usage_seconds`` of audio it hears."""
    server = LocalServer(recognizer, delta_usage_seconds=delta_usage_seconds)
    await server.start()
    current: Rig | None = None
    try:
        async with FaultProxy(server.port) as proxy:
            url = f"ws://127.0.0.1:{proxy.port}{TRANSCRIBE_PATH}"
            async with open_backend(config or DaemonConfig(), url=url) as backend:
                current = Rig(recognizer, server, proxy, backend, delta_usage_seconds)
                yield current
    finally:
        await (current.server if current is not None else server).stop()


def assert_same_words(dictated: Dictated, reference: Dictated, time_tolerance: float = 0.08) -> None:
    """Every word once, in order, on the same timeline as the clean run; no interim about delivered audio.

    The times matter as much as the words: the scripted recognizer names a phrase by its tone, so an
    utterance whose beginning was lost still reads the same; its start time is what gives the loss away.
    """
    assert dictated.text == reference.text
    assert dictated.commands == reference.commands
    for (start, end), (ref_start, ref_end) in zip(dictated.final_times, reference.final_times, strict=True):
        assert start == pytest.approx(ref_start, abs=time_tolerance)
        assert end == pytest.approx(ref_end, abs=time_tolerance)
    delivered_until = 0.0
    for message in dictated.messages:
        if isinstance(message, Transcript):
            assert message.data.end > delivered_until, f"stale or repeated result: {message.data}"
            if message.data.is_final:
                delivered_until = message.data.end


TIMEOUT = 90
"""However slow the machine, a fault test that has not ended by then has hung."""


def run(test: Callable[[], Coroutine[Any, Any, None]]) -> None:
    asyncio.run(asyncio.wait_for(test(), TIMEOUT))


def assert_clean_reference(clean: Dictated) -> None:
    """The fault-free run of the tone script: its three phrases and its command, with no reconnection."""
    assert [final.raw_transcript_text for final in clean.finals] == [
        "patient is stable", "plan as discussed", "patient is stable"]
    assert clean.commands == [("next_section", None)]
    assert clean.states(ConnectionState.RECONNECTING) == []
