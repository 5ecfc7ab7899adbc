"""Configuration files made up by hypothesis, within and beyond what the model allows: every one is either
a configuration the generated schema also allows or a :class:`ConfigError` naming its problems, quickly;
never a traceback, never a value the schema forbids."""

from __future__ import annotations

import time
from typing import Any

import jsonschema
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dictation_daemon.config import ConfigError
from dictation_daemon.config.loader import parse_config
from dictation_daemon.config.model import DaemonConfig

SCHEMA = jsonschema.Draft202012Validator(DaemonConfig.model_json_schema())
SECTIONS = {name: sorted(field.model_fields) if hasattr(field := info.annotation, "model_fields") else []
            for name, info in DaemonConfig.model_fields.items()}
SCALARS = (st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.floats(allow_nan=True)
           | st.text(max_size=40) | st.sampled_from(["", "0", "-1", "1e309", "en", "local", "url", "~", "\x00",
                                                     "ctrl+alt+d", "x" * 5000, "/tmp/x" * 30]))
VALUES = st.recursive(SCALARS, lambda children: st.lists(children, max_size=4)
                      | st.dictionaries(st.text(max_size=12), children, max_size=4), max_leaves=10)


@st.composite
def configurations(draw: st.DrawFn) -> dict[str, Any]:
    """A mapping of real section names (and now and then a made-up one) to real or made-up keys."""
    document: dict[str, Any] = {}
    for name in draw(st.lists(st.sampled_from([*SECTIONS, "unknown"]), max_size=4, unique=True)):
        keys = SECTIONS.get(name) or ["anything"]
        if draw(st.booleans()):
            document[name] = draw(VALUES)
        else:
            document[name] = draw(st.dictionaries(st.sampled_from([*keys, "bogus"]), VALUES, max_size=4))
    return document


def check(text: str) -> None:
    started = time.monotonic()
    try:
        config = parse_config(text)
    except ConfigError as error:
        assert error.problems and all(isinstance(problem, str) and problem for problem in error.problems)
    else:
        assert SCHEMA.is_valid(config.model_dump(mode="json", by_alias=True)), text
        assert SCHEMA.is_valid(yaml.safe_load(text) or {}), text
    assert time.monotonic() - started < 5


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(configurations())
def test_made_up_configurations_are_valid_or_named_errors(document: dict[str, Any]) -> None:
    check(yaml.safe_dump(document, allow_unicode=True))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_made_up_text_is_valid_or_a_named_error(text: str) -> None:
    check(text)
