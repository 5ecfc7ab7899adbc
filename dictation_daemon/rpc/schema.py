"""JSON Schemas (draft 2020-12) of every method's params and result and of every notification.

They are the contract ``docs/rpc.md`` publishes for editor vendors, generated from the pydantic models
the daemon validates with (:mod:`.wire`), so the two cannot drift; the tests also validate real messages
of a running server against them. ``python -m dictation_daemon.rpc.schema`` prints the document's
section.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from .wire import METHODS as METHOD_MODELS
from .wire import NOTIFICATIONS as NOTIFICATION_MODELS

PROTOCOL_VERSIONS = ("1.0",)
"""Protocol versions this server speaks, preferred first; ``initialize`` picks one the client also speaks."""

Schema = dict[str, Any]

NO_PARAMS: Schema = {
    "description": "no parameters: omitted, null, {} or []",
    "anyOf": [{"type": "null"}, {"type": "object", "maxProperties": 0}, {"type": "array", "maxItems": 0}],
}


def _tidy(node: Any) -> Any:
    """Drops what the generator adds for Python's sake: titles, and ``null`` defaults of fields that may
    only be left out."""
    if isinstance(node, dict):
        return {key: _tidy(value) for key, value in node.items()
                if key != "title" and not (key == "default" and value is None)}
    if isinstance(node, list):
        return [_tidy(item) for item in node]
    return node


def schema_of(model: type[BaseModel], mode: str) -> Schema:
    """The model's JSON Schema as the wire sees it: camelCase names; ``validation`` for what clients send,
    ``serialization`` for what the daemon sends."""
    return _tidy(model.model_json_schema(by_alias=True, mode=mode))  # type: ignore[arg-type]


METHODS: dict[str, dict[str, Schema]] = {
    name: {"params": schema_of(params, "validation") if params else NO_PARAMS,
           "result": schema_of(result, "serialization")}
    for name, (params, result) in METHOD_MODELS.items()
}
NOTIFICATIONS: dict[str, Schema] = {
    name: schema_of(model, "serialization") for name, model in NOTIFICATION_MODELS.items()
}


def document_section() -> str:
    """The ``## Schemas`` section of ``docs/rpc.md``, exactly."""
    def block(schema: Schema) -> str:
        return f"```json\n{json.dumps(schema, indent=2, ensure_ascii=False)}\n```\n"

    lines = ["## Schemas\n",
             "JSON Schema draft 2020-12. `params` is what the request's `params` must be; `result` is the `result`\n"
             "of the answer. Generated from the models in `dictation_daemon/rpc/wire.py` by\n"
             "`python -m dictation_daemon.rpc.schema`; `tests/rpc/test_schema.py` checks this section equals it.\n",
             "### Methods\n"]
    for name, parts in METHODS.items():
        lines += [f"#### `{name}`\n", "params:\n", block(parts["params"]), "result:\n", block(parts["result"])]
    lines.append("### Notifications\n")
    for name, schema in NOTIFICATIONS.items():
        lines += [f"#### `{name}`\n", "params:\n", block(schema)]
    return "\n".join(lines)


if __name__ == "__main__":
    print(document_section(), end="")
