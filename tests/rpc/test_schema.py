"""The schemas are valid JSON Schema and ``docs/rpc.md`` publishes exactly them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema

from dictation_daemon.rpc.schema import METHODS, NOTIFICATIONS

DOC = Path(__file__).resolve().parents[2] / "docs" / "rpc.md"


def test_every_schema_is_a_valid_json_schema():
    for parts in METHODS.values():
        for schema in parts.values():
            jsonschema.Draft202012Validator.check_schema(schema)
    for schema in NOTIFICATIONS.values():
        jsonschema.Draft202012Validator.check_schema(schema)


def test_the_document_publishes_the_package_schemas():
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("## Schemas"):]
    blocks = [json.loads(block) for block in re.findall(r"```json\n(.*?)\n```", section, re.S)]
    expected = [schema for parts in METHODS.values() for schema in (parts["params"], parts["result"])]
    expected += list(NOTIFICATIONS.values())
    assert blocks == expected
    names = re.findall(r"^#### `([^`]+)`", section, re.M)
    assert names == [*METHODS, *NOTIFICATIONS]
