"""Parameters made up by hypothesis for every method of a running daemon's socket, within and beyond the
published schemas: each call is answered within 5 s with a result or a JSON-RPC error that is not an
internal error (a traceback), the connection goes on, and no call the schema forbids is accepted."""

from __future__ import annotations

import json
import socket
import time
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dictation_daemon.rpc.jsonrpc import INTERNAL_ERROR
from dictation_daemon.rpc.schema import METHODS

from testkit.rig.in_process import running_daemon

SCHEMAS = {method: jsonschema.Draft202012Validator(schemas["params"])
           for method, schemas in METHODS.items() if schemas.get("params")}
PROPERTIES = {method: sorted(schemas["params"].get("properties", {})) for method, schemas in METHODS.items()
              if schemas.get("params")}
NO_PARAMS = sorted(method for method in METHODS if not PROPERTIES.get(method))

SCALARS = (st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False, allow_infinity=False)
           | st.text(max_size=30) | st.sampled_from(["", "en", "xx", "da", "plan", "x" * 300, "{w}", "go {w} now"]))
VALUES = st.recursive(SCALARS, lambda children: st.lists(children, max_size=5)
                      | st.dictionaries(st.text(max_size=10), children, max_size=4), max_leaves=15)
PHRASES = st.lists(st.sampled_from(["go", "go {w}", "{w} go", "go {w} {v}", "go {v} now", "", "x" * 201]),
                   max_size=4)
VARIABLES = st.lists(st.fixed_dictionaries({"key": st.sampled_from(["w", "v", "", "x" * 51]),
                                            "type": st.sampled_from(["enum", "wildcard", "other"])},
                                           optional={"enum": st.lists(st.text(max_size=8), max_size=5)}),
                     max_size=3)
COMMANDS = st.lists(st.fixed_dictionaries({"id": st.text(max_size=12), "phrases": PHRASES},
                                          optional={"variables": VARIABLES}), max_size=4)


@st.composite
def calls(draw: st.DrawFn) -> tuple[str, Any]:
    method = draw(st.sampled_from([*PROPERTIES, *NO_PARAMS]))
    if method == "shutdown" or method not in PROPERTIES or not PROPERTIES[method]:
        return method, draw(st.dictionaries(st.text(min_size=1, max_size=8), VALUES, min_size=1, max_size=3))
    keys = PROPERTIES[method]
    params = draw(st.dictionaries(st.sampled_from([*keys, "bogus"]), VALUES, max_size=4))
    if "commands" in keys and draw(st.booleans()):
        params["commands"] = draw(COMMANDS)
    if method == "target.claim" and draw(st.booleans()):
        params["configuration"] = {"commands": draw(COMMANDS)} if draw(st.booleans()) else draw(VALUES)
    return method, params if draw(st.integers(0, 9)) else draw(VALUES)


@pytest.fixture(scope="module")
def rig(tmp_path_factory):
    with running_daemon(tmp_path_factory.mktemp("fuzz")) as running:
        yield running


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(calls())
def test_made_up_parameters_get_an_answer_in_time_and_nothing_the_schema_forbids(rig, call: tuple[str, Any]) -> None:
    method, params = call
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.settimeout(10)
        connection.connect(str(rig.socket))
        reader = connection.makefile("rb")
        hello = {"protocolVersions": ["1.0"], "client": {"name": "fuzz"}}
        for number, (name, sent) in enumerate([("initialize", hello), (method, params), ("status", None)]):
            request = {"jsonrpc": "2.0", "method": name, "id": number, **({"params": sent} if sent is not None else {})}
            started = time.monotonic()
            connection.sendall(json.dumps(request).encode() + b"\n")
            answer = _answer(reader, number)
            assert time.monotonic() - started < 5, (name, sent)
            if "error" in answer:
                assert answer["error"]["code"] != INTERNAL_ERROR, (name, sent, answer)
            elif name == method and method in SCHEMAS and isinstance(sent, (dict, list)):
                assert SCHEMAS[method].is_valid(sent), (name, sent, answer)
        if method == "target.claim":
            connection.sendall(b'{"jsonrpc":"2.0","method":"target.release","id":"release"}\n')
            _answer(reader, "release")


def _answer(reader: Any, request_id: object) -> dict[str, Any]:
    while True:
        message = json.loads(reader.readline())
        if isinstance(message, dict) and message.get("id") == request_id and "method" not in message:
            return message
