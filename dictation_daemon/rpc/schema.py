"""JSON Schemas (draft 2020-12) of every method's params and result and of every notification.

They are the contract `docs/rpc.md` publishes for editor vendors; the tests validate real messages of a
running server against them, so the document cannot drift from what the daemon sends. The daemon itself
validates params with pydantic (:mod:`.ehr`), which also checks what a schema cannot say (a command
phrase naming an undeclared variable).
"""

from __future__ import annotations

from typing import Any

from ..events.connection import ConnectionState

PROTOCOL_VERSIONS = ("1.0",)
"""Protocol versions this server speaks, preferred first; ``initialize`` picks one the client also speaks."""

Schema = dict[str, Any]

STATES = ["idle", "listening", "finishing", "error"]
CONNECTION_STATES = [state.value for state in ConnectionState]

NO_PARAMS: Schema = {
    "description": "no parameters: omitted, null, {} or []",
    "anyOf": [{"type": "null"}, {"type": "object", "maxProperties": 0}, {"type": "array", "maxItems": 0}],
}

FIELD_ID: Schema = {"type": "string", "minLength": 1, "maxLength": 200}
COMMAND_ID: Schema = {"type": "string", "minLength": 1, "maxLength": 100}

COMMAND_DEFINITION: Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "phrases"],
    "properties": {
        "id": COMMAND_ID,
        "phrases": {"type": "array", "minItems": 1, "maxItems": 50,
                    "items": {"type": "string", "minLength": 1, "maxLength": 200}},
        "variables": {
            "type": "array",
            "maxItems": 20,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["key", "type"],
                "properties": {
                    "key": {"type": "string", "minLength": 1, "maxLength": 50},
                    "type": {"enum": ["enum", "wildcard"]},
                    "enum": {"type": "array", "minItems": 1, "maxItems": 200,
                             "items": {"type": "string", "minLength": 1, "maxLength": 200}},
                },
            },
        },
    },
}

SESSION_CONFIGURATION: Schema = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "language": {"type": "string", "minLength": 1, "maxLength": 20},
        "interimResults": {"type": "boolean"},
        "spokenPunctuation": {"type": "boolean"},
        "automaticPunctuation": {"type": "boolean"},
        "commands": {"type": "array", "maxItems": 200, "items": COMMAND_DEFINITION},
        "commandsMode": {"enum": ["merge", "replace"]},
        "formatting": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "dates": {"enum": ["locale:long", "locale:medium", "locale:short", "iso", "as_dictated",
                                   "long_text", "eu_slash", "us_slash", "iso_compact"]},
                "times": {"enum": ["locale", "h12", "h24", "as_dictated"]},
                "numbers": {"enum": ["numerals_above_nine", "numerals", "as_dictated"]},
                "measurements": {"enum": ["abbreviated", "as_dictated"]},
                "numericRanges": {"enum": ["numerals", "as_dictated"]},
                "ordinals": {"enum": ["numerals_above_nine", "numerals", "as_dictated"]},
            },
        },
        "keyterms": {"type": "array", "maxItems": 1000, "items": {"type": "string", "minLength": 1, "maxLength": 50}},
        "replacements": {
            "type": "array",
            "maxItems": 1000,
            "items": {"type": "object", "additionalProperties": False, "required": ["find", "replace"],
                      "properties": {"find": {"type": "string", "minLength": 1}, "replace": {"type": "string"}}},
        },
    },
}

FIELD_SETTINGS: Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["field", "language", "commands"],
    "properties": {"field": FIELD_ID, "language": {"type": "string"},
                   "commands": {"type": "array", "items": {"type": "string"}}},
}
"""What a claim or a configure answers: the field and the settings in force for it."""

STATE_RESULT: Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["state"],
    "properties": {"state": {"enum": STATES}},
}

STATUS_RESULT: Schema = {
    "type": "object",
    "required": ["version", "state", "error", "session", "microphone", "history", "backend", "hotkeys",
                 "plugins", "rpc"],
    "properties": {
        "version": {"type": "string"},
        "state": {"enum": STATES},
        "error": {"type": ["string", "null"]},
        "session": {"type": "object", "required": ["ready", "refused"],
                    "properties": {"ready": {"type": "boolean"}, "refused": {"type": ["string", "null"]}}},
        "microphone": {"type": "object", "required": ["state", "device", "error", "overruns", "drops", "level_dbfs"]},
        "history": {"type": "integer", "minimum": 0},
        "backend": {"type": "string"},
        "hotkeys": {"type": "object", "required": ["support", "reason", "talk", "mode"]},
        "plugins": {"type": "object", "required": ["running", "unavailable"]},
        "rpc": {
            "type": "object",
            "required": ["socket", "transport", "clients", "registered", "target"],
            "properties": {
                "socket": {"type": ["string", "null"], "description": "Unix socket path, or host:port for tcp"},
                "transport": {"enum": ["unix", "tcp", None]},
                "websocket": {"type": ["string", "null"]},
                "clients": {"type": "integer", "minimum": 0},
                "registered": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["clientId", "name", "version", "commands", "insertsText"],
                        "properties": {
                            "clientId": {"type": "integer"},
                            "name": {"type": "string"},
                            "version": {"type": "string"},
                            "commands": {"type": "array", "items": {"type": "string"}},
                            "insertsText": {"type": "boolean"},
                        },
                    },
                },
                "target": {
                    "oneOf": [
                        {"type": "null"},
                        {"type": "object", "required": ["clientId", "field"],
                         "properties": {"clientId": {"type": "integer"}, "field": FIELD_ID}},
                    ],
                },
            },
        },
    },
}

METHODS: dict[str, dict[str, Schema]] = {
    "initialize": {
        "params": {
            "type": "object",
            "additionalProperties": False,
            "required": ["protocolVersions", "client"],
            "properties": {
                "protocolVersions": {"type": "array", "minItems": 1, "maxItems": 20,
                                     "items": {"type": "string", "minLength": 1, "maxLength": 20}},
                "client": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["name"],
                    "properties": {"name": {"type": "string", "minLength": 1, "maxLength": 100},
                                   "version": {"type": "string", "maxLength": 50}},
                },
                "commands": {"type": "array", "maxItems": 200, "items": COMMAND_ID},
                "insertsText": {"type": "boolean"},
            },
        },
        "result": {
            "type": "object",
            "additionalProperties": False,
            "required": ["protocolVersion", "server", "clientId", "methods", "notifications"],
            "properties": {
                "protocolVersion": {"type": "string"},
                "server": {"type": "object", "required": ["name", "version"],
                           "properties": {"name": {"const": "dictation-daemon"}, "version": {"type": "string"}}},
                "clientId": {"type": "integer", "minimum": 1},
                "methods": {"type": "array", "items": {"type": "string"}},
                "notifications": {"type": "array", "items": {"type": "string"}},
            },
        },
    },
    "authenticate": {
        "params": {
            "type": "object",
            "additionalProperties": False,
            "required": ["token"],
            "properties": {"token": {"type": "string", "minLength": 1, "maxLength": 200}},
        },
        "result": {"type": "object", "additionalProperties": False, "required": ["authenticated"],
                   "properties": {"authenticated": {"const": True}}},
    },
    "status": {"params": NO_PARAMS, "result": STATUS_RESULT},
    "shutdown": {
        "params": NO_PARAMS,
        "result": {"type": "object", "additionalProperties": False, "required": ["registered"],
                   "properties": {"registered": {"const": False}}},
    },
    "dictation.start": {"params": NO_PARAMS, "result": STATE_RESULT},
    "dictation.stop": {"params": NO_PARAMS, "result": STATE_RESULT},
    "dictation.toggle": {"params": NO_PARAMS, "result": STATE_RESULT},
    "dictation.cancel": {"params": NO_PARAMS, "result": STATE_RESULT},
    "history.paste_last": {
        "params": NO_PARAMS,
        "result": {"type": "object", "additionalProperties": False, "required": ["inserted"],
                   "properties": {"inserted": {"type": "integer", "minimum": 0}}},
    },
    "target.claim": {
        "params": {
            "type": "object",
            "additionalProperties": False,
            "required": ["field"],
            "properties": {
                "field": FIELD_ID,
                "before": {"type": "string", "description": "text before the cursor (only its end is used)"},
                "after": {"type": "string", "description": "text after the cursor (only its start is used)"},
                "configuration": SESSION_CONFIGURATION,
            },
        },
        "result": FIELD_SETTINGS,
    },
    "target.release": {
        "params": NO_PARAMS,
        "result": {"type": "object", "additionalProperties": False, "required": ["released"],
                   "properties": {"released": {"type": "boolean"}}},
    },
    "session.configure": {
        "params": SESSION_CONFIGURATION,
        "result": FIELD_SETTINGS,
    },
}

_TIME: Schema = {"type": "number", "description": "seconds from the start of the session's audio"}
_FIELD_OR_NULL: Schema = {"oneOf": [{"type": "null"}, FIELD_ID]}

NOTIFICATIONS: dict[str, Schema] = {
    "state": {
        "type": "object",
        "additionalProperties": False,
        "required": ["state", "previous", "reason"],
        "properties": {"state": {"enum": STATES}, "previous": {"enum": STATES},
                       "reason": {"type": ["string", "null"]},
                       "connection": {
                           "description": "the transcription connection; a change of it alone comes with "
                                          "state equal to previous",
                           "oneOf": [
                               {"type": "null"},
                               {"type": "object", "additionalProperties": False, "required": ["state", "description"],
                                "properties": {"state": {"enum": CONNECTION_STATES},
                                               "description": {"type": "string",
                                                               "description": "a sentence for the user"}}},
                           ],
                       }},
    },
    "transcript": {
        "type": "object",
        "additionalProperties": False,
        "required": ["text", "rawTranscriptText", "start", "end", "isFinal", "field", "insert"],
        "properties": {
            "text": {"type": "string", "description": "the server's text of the segment (punctuated, formatted)"},
            "rawTranscriptText": {"type": "string", "description": "the words as spoken"},
            "start": _TIME,
            "end": _TIME,
            "isFinal": {"type": "boolean"},
            "field": _FIELD_OR_NULL,
            "insert": {
                "oneOf": [
                    {"type": "null"},
                    {"type": "object", "additionalProperties": False, "required": ["delete", "text"],
                     "properties": {"delete": {"type": "integer", "minimum": 0}, "text": {"type": "string"}}},
                ],
            },
        },
    },
    "command": {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "variables", "rawTranscriptText", "start", "end", "field"],
        "properties": {
            "id": COMMAND_ID,
            "variables": {"oneOf": [{"type": "null"},
                                    {"type": "object", "additionalProperties": {"type": "string"}}]},
            "rawTranscriptText": {"type": "string"},
            "start": _TIME,
            "end": _TIME,
            "field": _FIELD_OR_NULL,
        },
    },
    "error": {
        "type": "object",
        "additionalProperties": False,
        "required": ["source", "message", "field"],
        "properties": {
            "source": {"enum": ["session", "configuration"]},
            "message": {"type": "string"},
            "field": _FIELD_OR_NULL,
        },
    },
    "usage": {
        "type": "object",
        "additionalProperties": False,
        "required": ["credits", "final"],
        "properties": {"credits": {"type": "number", "minimum": 0}, "final": {"type": "boolean"}},
    },
    "target.lost": {
        "type": "object",
        "additionalProperties": False,
        "required": ["field", "reason"],
        "properties": {"field": FIELD_ID, "reason": {"type": "string"}},
    },
}
