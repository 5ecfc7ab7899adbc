"""The client state machine: config first, nothing else before acceptance, nothing lost, 64000-byte frames."""

from __future__ import annotations

import json

import pytest

from dictation_daemon.protocol.client import (
    ClientProtocol,
    ClientProtocolError,
    ClientState,
)
from dictation_daemon.protocol.messages import (
    ConfigAccepted,
    ConfigDenied,
    Ended,
    Flushed,
    TranscribeConfig,
    Transcript,
    Usage,
)

CONFIG = TranscribeConfig(primary_language="en")
ACCEPTED = '{"type":"CONFIG_ACCEPTED","sessionId":"s1","configuration":{}}'


def test_config_is_the_first_frame() -> None:
    protocol = ClientProtocol(CONFIG)
    frames = protocol.data_to_send()
    assert len(frames) == 1 and json.loads(frames[0])["type"] == "config"


def test_audio_and_flush_before_acceptance_are_held_in_order_then_sent() -> None:
    protocol = ClientProtocol(CONFIG)
    protocol.data_to_send()
    protocol.send_audio(b"a" * 10)
    protocol.send_flush()
    protocol.send_audio(b"b" * 10)
    assert protocol.data_to_send() == []
    protocol.receive_text(ACCEPTED)
    assert protocol.state is ClientState.STREAMING and protocol.session_id == "s1"
    assert protocol.data_to_send() == [b"a" * 10, '{"type":"flush"}', b"b" * 10]


def test_frames_never_exceed_64000_bytes() -> None:
    protocol = ClientProtocol(CONFIG)
    protocol.receive_text(ACCEPTED)
    protocol.data_to_send()
    protocol.send_audio(bytes(150_000))
    assert [len(frame) for frame in protocol.data_to_send()] == [64000, 64000, 22000]


def test_refusal_stops_the_session() -> None:
    protocol = ClientProtocol(CONFIG)
    protocol.send_audio(b"spoken words")
    protocol.receive_text('{"type":"CONFIG_DENIED","reason":"unknown language"}')
    assert protocol.state is ClientState.REFUSED
    assert isinstance(protocol.events_received()[0], ConfigDenied)
    with pytest.raises(ClientProtocolError):
        protocol.send_audio(b"more")


def test_flushes_are_counted_and_usage_and_ended_finish_the_session() -> None:
    protocol = ClientProtocol(CONFIG)
    protocol.receive_text(ACCEPTED)
    protocol.send_flush()
    assert protocol.pending_flushes == 1
    protocol.receive_text('{"type":"transcript","data":{"text":"Hi.","rawTranscriptText":"hi period","start":0,"end":1,"isFinal":true}}')
    protocol.receive_text('{"type":"flushed"}')
    assert protocol.pending_flushes == 0
    protocol.send_end()
    assert protocol.state is ClientState.ENDING
    with pytest.raises(ClientProtocolError):
        protocol.send_audio(b"late")
    protocol.receive_text('{"type":"usage","credits":0.5}')
    protocol.receive_text('{"type":"ended"}')
    assert protocol.state is ClientState.ENDED
    kinds = [type(event) for event in protocol.events_received()]
    assert kinds == [ConfigAccepted, Transcript, Flushed, Usage, Ended]


def test_chunk_size_is_validated() -> None:
    with pytest.raises(ValueError):
        ClientProtocol(CONFIG, max_chunk_bytes=64001)
