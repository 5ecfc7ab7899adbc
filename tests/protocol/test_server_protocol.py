"""The server state machine decides every config outcome the way Corti documents it."""

from __future__ import annotations

import json

import pytest

from dictation_daemon.protocol.audio_format import AudioFormat
from dictation_daemon.protocol.server import (
    AudioReceived,
    EndRequested,
    FlushRequested,
    ServerPolicy,
    ServerProtocol,
    SessionStarted,
)

POLICY = ServerPolicy(supported_languages=frozenset({"en", "en-US", "en-GB"}))


def config(**fields) -> str:
    return json.dumps({"type": "config", "configuration": {"primaryLanguage": "en", **fields}})


def sent(protocol: ServerProtocol) -> list[dict]:
    return [json.loads(frame) for frame in protocol.data_to_send()]


def test_accepts_a_valid_config_with_the_resolved_configuration() -> None:
    protocol = ServerProtocol(POLICY, session_id_factory=lambda: "fixed")
    protocol.receive_text(config(audioFormat="audio/pcm; rate=16000; channels=1; bits=16"))
    [accepted] = sent(protocol)
    assert accepted["type"] == "CONFIG_ACCEPTED" and accepted["sessionId"] == "fixed"
    assert accepted["configuration"]["formatting"]["dates"] == "locale:long"
    [started] = protocol.events_received()
    assert isinstance(started, SessionStarted) and started.audio_format == AudioFormat("pcm")


@pytest.mark.parametrize("fields, expected_type, reason_part", [
    ({"primaryLanguage": "xx"}, "CONFIG_DENIED", "unknown primaryLanguage"),
    ({"primaryLanguage": "da"}, "CONFIG_DENIED", "supported: en, en-GB, en-US"),
    ({"commands": [{"id": "", "phrases": ["go"]}]}, "CONFIG_DENIED", "command id must not be empty"),
    ({"commands": [{"id": "go", "phrases": []}]}, "CONFIG_DENIED", "at least one phrase"),
    ({"audioFormat": "video/avi"}, "CONFIG_REJECTED", "unsupported audioFormat"),
    ({"audioFormat": "audio/pcm; rate=16000; bits=8"}, "CONFIG_REJECTED", "16-bit"),
])
def test_config_refusals(fields: dict, expected_type: str, reason_part: str) -> None:
    protocol = ServerProtocol(POLICY)
    protocol.receive_text(config(**fields))
    [refusal] = sent(protocol)
    assert refusal["type"] == expected_type and reason_part in refusal["reason"]
    assert protocol.close_requested and protocol.events_received() == []


def test_audio_before_config_is_config_missing() -> None:
    protocol = ServerProtocol(POLICY)
    protocol.receive_bytes(b"\x00\x01")
    assert sent(protocol)[0]["type"] == "CONFIG_MISSING" and protocol.close_requested


def test_a_second_config_is_refused_but_the_session_goes_on() -> None:
    protocol = ServerProtocol(POLICY)
    protocol.receive_text(config())
    protocol.receive_text(config())
    assert [message["type"] for message in sent(protocol)] == ["CONFIG_ACCEPTED", "CONFIG_ALREADY_RECEIVED"]
    assert not protocol.close_requested


def test_timeout_only_before_config() -> None:
    protocol = ServerProtocol(POLICY)
    protocol.config_timed_out()
    assert sent(protocol)[0]["type"] == "CONFIG_TIMEOUT" and protocol.close_requested
    accepted = ServerProtocol(POLICY)
    accepted.receive_text(config())
    accepted.config_timed_out()
    assert [message["type"] for message in sent(accepted)] == ["CONFIG_ACCEPTED"]


def test_oversize_chunk_is_an_error_and_not_decoded() -> None:
    protocol = ServerProtocol(POLICY)
    protocol.receive_text(config(audioFormat="audio/ogg"))
    protocol.events_received()
    sent(protocol)
    protocol.receive_bytes(bytes(64001))
    [error] = sent(protocol)
    assert error["type"] == "error" and error["error"]["id"] == "audio_chunk_too_large"
    assert protocol.events_received() == [] and not protocol.close_requested


def test_undeclared_audio_is_sniffed_from_the_first_chunk() -> None:
    protocol = ServerProtocol(POLICY)
    protocol.receive_text(config())
    protocol.events_received()
    protocol.receive_bytes(b"OggS" + bytes(60))
    protocol.receive_bytes(b"more")
    first, second = protocol.events_received()
    assert first == AudioReceived(b"OggS" + bytes(60), AudioFormat("ogg"))
    assert second == AudioReceived(b"more", None)


def test_unrecognisable_undeclared_audio_ends_the_stream() -> None:
    protocol = ServerProtocol(POLICY)
    protocol.receive_text(config())
    sent(protocol)
    protocol.receive_bytes(b"\x01\x02\x03\x04" * 10)
    assert [message["type"] for message in sent(protocol)] == ["error", "usage", "ended"]
    assert protocol.close_requested


def test_flush_and_end_become_events_and_end_closes_after_usage() -> None:
    protocol = ServerProtocol(POLICY)
    protocol.receive_text(config())
    protocol.events_received()
    protocol.receive_text('{"type":"flush"}')
    protocol.receive_text('{"type":"end"}')
    protocol.receive_bytes(b"ignored after end")
    assert protocol.events_received() == [FlushRequested(), EndRequested()]
    sent(protocol)
    protocol.send_flushed()
    protocol.finish(credits=0.25)
    assert [message["type"] for message in sent(protocol)] == ["flushed", "usage", "ended"]
    assert protocol.close_requested


def test_garbage_text_gets_an_error_without_ending_the_session() -> None:
    protocol = ServerProtocol(POLICY)
    protocol.receive_text(config())
    sent(protocol)
    protocol.receive_text("{not json")
    protocol.receive_text('{"type":"dance"}')
    assert [message["error"]["id"] for message in sent(protocol)] == ["invalid_message", "invalid_message"]
    assert not protocol.close_requested


@pytest.mark.parametrize("frame", [
    "[" * 10_000 + "]" * 10_000,
    '{"type":"flush","x":' + "[" * 100 + "]" * 100 + "}",
    '{"type":"flush\\ud800"}',
    '{"type":"flush","n":NaN}',
    '{"type":"config","configuration":{"primaryLanguage":"en","keyterms":{"terms":[{"term":"\\udc00"}]}}}',
])
def test_text_that_is_not_json_as_rfc_8259_defines_it_gets_an_error_and_the_session_goes_on(frame: str) -> None:
    protocol = ServerProtocol(POLICY)
    protocol.receive_text(frame)
    assert [message["error"]["id"] for message in sent(protocol)] == ["invalid_message"]
    protocol.receive_text(config())
    assert sent(protocol)[0]["type"] == "CONFIG_ACCEPTED"


def test_a_text_frame_over_the_bound_is_refused_unread() -> None:
    from dictation_daemon.protocol.server import MAX_TEXT_FRAME_CHARS

    protocol = ServerProtocol(POLICY)
    commands = [{"id": f"c{number}", "phrases": ["go"]} for number in range(MAX_TEXT_FRAME_CHARS // 20)]
    protocol.receive_text(config(commands=commands))
    [denied] = sent(protocol)
    assert denied["type"] == "CONFIG_DENIED" and "at most 262144" in denied["reason"]
    streaming = ServerProtocol(POLICY)
    streaming.receive_text(config())
    sent(streaming)
    streaming.receive_text('{"type":"flush","pad":"' + "x" * MAX_TEXT_FRAME_CHARS + '"}')
    assert [message["error"]["id"] for message in sent(streaming)] == ["invalid_message"]
    assert not streaming.close_requested
