"""Wire models: camelCase JSON as Corti writes it, forgiving parsing of what the server sends."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from dictation_daemon.protocol.messages import (
    Command,
    ConfigAccepted,
    ConfigMessage,
    ErrorMessage,
    ProtocolError,
    TranscribeConfig,
    Transcript,
    UnknownMessage,
    describe_validation_error,
    load_frame,
    parse_client_message,
    parse_server_message,
)


def test_config_serialises_in_camel_case_with_every_section() -> None:
    config = TranscribeConfig.model_validate({
        "primaryLanguage": "en",
        "interimResults": True,
        "spokenPunctuation": True,
        "commands": [{
            "id": "insert_template",
            "phrases": ["insert my {template_name} template"],
            "variables": [{"key": "template_name", "type": "enum", "enum": ["radiology", "cardiology"]}],
        }],
        "formatting": {"dates": "iso", "numericRanges": "as_dictated"},
        "audioEvents": {"enabled": True},
        "audioFormat": "audio/ogg; codecs=opus",
        "replacements": [{"find": "bp", "replace": "blood pressure"}],
        "keyterms": {"terms": [{"term": "metoprolol"}]},
    })
    wire = json.loads(ConfigMessage(configuration=config).to_json())
    assert wire["type"] == "config"
    assert wire["configuration"]["primaryLanguage"] == "en"
    assert wire["configuration"]["formatting"]["numericRanges"] == "as_dictated"
    assert wire["configuration"]["commands"][0]["variables"][0]["enum"] == ["radiology", "cardiology"]
    assert wire["configuration"]["keyterms"] == {"terms": [{"term": "metoprolol"}]}


@pytest.mark.parametrize("command, problem", [
    ({"id": "", "phrases": ["go"]}, "command id must not be empty"),
    ({"id": "go", "phrases": []}, "at least one phrase"),
    ({"id": "go", "phrases": ["go to {section}"]}, "undeclared variable"),
    ({"id": "go", "phrases": ["{what} now"], "variables": [{"key": "what", "type": "wildcard"}]}, "starts with a wildcard"),
    ({"id": "go", "phrases": ["say {a} {b}"], "variables": [{"key": "a", "type": "wildcard"}, {"key": "b", "type": "wildcard"}]},
     "two wildcards"),
    ({"id": "go", "phrases": ["go {x}"], "variables": [{"key": "x", "type": "enum"}]}, "non-empty 'enum'"),
])
def test_invalid_commands_are_refused_with_a_reason(command: dict, problem: str) -> None:
    with pytest.raises(ValidationError) as error:
        TranscribeConfig.model_validate({"primaryLanguage": "en", "commands": [command]})
    assert problem in str(error.value)


def test_spoken_punctuation_wins_over_automatic() -> None:
    config = TranscribeConfig(primary_language="en", spoken_punctuation=True, automatic_punctuation=True)
    assert config.punctuation_mode == "spoken"


def test_server_messages_parse_into_their_models() -> None:
    transcript = parse_server_message(json.dumps({"type": "transcript", "data": {
        "text": "Hello.\nHow are you?", "rawTranscriptText": "hello new line how are you",
        "start": 0.5, "end": 2.0, "isFinal": True}}))
    assert isinstance(transcript, Transcript) and transcript.data.raw_transcript_text.startswith("hello")
    command = parse_server_message(json.dumps({"type": "command", "data": {
        "id": "next_section", "variables": None, "rawTranscriptText": "next section", "start": 1, "end": 2}}))
    assert isinstance(command, Command) and command.data.id == "next_section"
    accepted = parse_server_message('{"type":"CONFIG_ACCEPTED","sessionId":"abc","configuration":{}}')
    assert isinstance(accepted, ConfigAccepted) and accepted.session_id == "abc"
    error = parse_server_message('{"type":"error","error":{"id":"x","title":"X","status":400},"requestid":"r1"}')
    assert isinstance(error, ErrorMessage) and error.requestid == "r1"


def test_unknown_and_malformed_server_messages_pass_through() -> None:
    unknown = parse_server_message('{"type":"brandNewThing","data":{"a":1}}')
    assert isinstance(unknown, UnknownMessage) and unknown.payload["data"] == {"a": 1} and unknown.problem is None
    malformed = parse_server_message('{"type":"transcript","data":{"text":"x"}}')
    assert isinstance(malformed, UnknownMessage) and "rawTranscriptText" in (malformed.problem or "")


def test_extra_server_fields_are_kept() -> None:
    message = parse_server_message('{"type":"flushed","newField":1}')
    assert message.to_wire()["newField"] == 1


@pytest.mark.parametrize("frame", ["not json", "[1,2]", '{"no":"type"}', '{"type":3}'])
def test_garbage_frames_raise_protocol_error(frame: str) -> None:
    with pytest.raises(ProtocolError):
        parse_server_message(frame)


def test_client_messages_parse() -> None:
    assert parse_client_message(load_frame('{"type":"flush"}')).type == "flush"
    with pytest.raises(ValidationError):
        parse_client_message(load_frame('{"type":"dance"}'))


def test_a_command_phrase_longer_than_the_bound_is_refused() -> None:
    command = {"id": "long", "phrases": ["word " * 50]}
    with pytest.raises(ValidationError, match="at most 200 characters"):
        TranscribeConfig.model_validate({"primaryLanguage": "en", "commands": [command]})


@pytest.mark.parametrize(("commands", "field"), [
    ([{"id": f"c{number}", "phrases": ["go"]} for number in range(1001)], "commands"),
    ([{"id": "c", "phrases": [f"go {number}" for number in range(101)]}], "commands.0.phrases"),
    ([{"id": "c", "phrases": ["go {v}"], "variables": [{"key": "v", "type": "enum",
                                                         "enum": [f"v{n}" for n in range(1001)]}]}],
     "commands.0.variables.0.enum"),
])
def test_commands_past_the_published_bounds_are_refused_naming_the_field(commands: list, field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        TranscribeConfig.model_validate({"primaryLanguage": "en", "commands": commands})
    assert describe_validation_error(refused.value).startswith(field)
