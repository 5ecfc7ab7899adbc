"""JSON text as RFC 8259 defines it, for both sockets: what Python's ``json`` lets through is refused here.

Python reads ``NaN`` and ``Infinity`` (which are not JSON, and which it would then write back as invalid
JSON), lone surrogate escapes such as ``"\\ud800"`` (which no UTF-8 encoder can write back, so answering
the message failed), and fails with ``RecursionError`` rather than ``ValueError`` on deep nesting. Each is
a :class:`ValueError` here, which the sockets answer as a parse error, the connection staying usable.
"""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 64
"""The deepest nesting of arrays and objects accepted: no message of either protocol needs more than a few
levels, and this stays far from Python's recursion limit in whatever reads the value next."""


def load_json(text: str | bytes) -> Any:
    """The value of one JSON text; :class:`ValueError` (``UnicodeDecodeError`` included) if it is not one."""
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        raise ValueError("nested too deeply") from None
    _check(value, 0)
    return value


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _check(value: Any, depth: int) -> None:
    """Refuses nesting past :data:`MAX_DEPTH` and strings with lone surrogates, without recursion."""
    pending = [(value, depth)]
    while pending:
        item, level = pending.pop()
        if isinstance(item, str):
            _check_text(item)
        elif isinstance(item, (list, dict)):
            if level >= MAX_DEPTH:
                raise ValueError(f"nested more than {MAX_DEPTH} levels deep")
            if isinstance(item, dict):
                for key, member in item.items():
                    _check_text(key)
                    pending.append((member, level + 1))
            else:
                pending.extend((member, level + 1) for member in item)


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("a string holds a lone surrogate, which is not Unicode text") from None
