"""The models the daemon validates params with and the schemas it publishes say the same thing.

For each value, the model accepts it exactly when the generated schema does: hand-picked values at and
past every published bound, then values made up by hypothesis.
"""

from __future__ import annotations

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from dictation_daemon.rpc.schema import METHODS
from dictation_daemon.rpc.wire import ClaimParams, SessionConfiguration

CONFIGURE = jsonschema.Draft202012Validator(METHODS["session.configure"]["params"])
CLAIM = jsonschema.Draft202012Validator(METHODS["target.claim"]["params"])


def accepted(model: type, params: object) -> bool:
    try:
        model.model_validate(params)
    except ValidationError:
        return False
    return True


def command(phrases: list[str], **more: object) -> dict:
    return {"commands": [{"id": "go", "phrases": phrases, **more}]}


EDGES = [
    ({}, True),
    (command(["next"] * 50), True),
    (command(["next"] * 51), False),
    (command(["x" * 200]), True),
    (command(["x" * 1_000_000]), False),
    (command(["go {where}"], variables=[{"key": "where", "type": "enum", "enum": ["a"] * 200}]), True),
    (command(["go {where}"], variables=[{"key": "where", "type": "enum", "enum": ["a"] * 5000}]), False),
    (command(["go {w}"], variables=[{"key": "w" * 51, "type": "wildcard"}]), False),
    ({"commands": [{"id": "go", "phrases": ["go"]}] * 201}, False),
    ({"language": "en"}, True),
    ({"language": None}, False),
    ({"interimResults": True}, True),
    ({"interimResults": 0}, False),
    ({"interimResults": "yes"}, False),
    ({"keyterms": ["apixaban"] * 1000}, True),
    ({"keyterms": ["apixaban"] * 1001}, False),
    ({"keyterms": ["x" * 51]}, False),
    ({"formatting": {"dates": "iso"}}, True),
    ({"formatting": {"dates": "someday"}}, False),
    ({"formatting": None}, False),
    ({"replacements": [{"find": "a", "replace": "b" * 200}]}, True),
    ({"replacements": [{"find": "a", "replace": "b" * 1_000_000}]}, False),
    ({"unknown": 1}, False),
]


@pytest.mark.parametrize("params, expected", EDGES)
def test_the_model_and_the_schema_agree_at_every_bound(params: dict, expected: bool) -> None:
    assert accepted(SessionConfiguration, params) is expected
    assert CONFIGURE.is_valid(params) is expected


def test_a_claim_carries_the_same_configuration_rules() -> None:
    for params, expected in EDGES:
        claim = {"field": "plan", "configuration": params}
        assert accepted(ClaimParams, claim) is expected and CLAIM.is_valid(claim) is expected
    assert not accepted(ClaimParams, {"field": ""}) and not CLAIM.is_valid({"field": ""})
    assert not accepted(ClaimParams, {"field": "plan", "configuration": None})


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 300) | st.floats(allow_nan=False) | st.text(max_size=60),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=20), children, max_size=4),
    max_leaves=12,
)
KEYS = st.sampled_from(["language", "interimResults", "spokenPunctuation", "automaticPunctuation", "commands",
                        "commandsMode", "formatting", "keyterms", "replacements"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(KEYS, JSON, max_size=4))
def test_no_value_the_schema_forbids_is_accepted(params: dict) -> None:
    if accepted(SessionConfiguration, params):
        assert CONFIGURE.is_valid(params), params
