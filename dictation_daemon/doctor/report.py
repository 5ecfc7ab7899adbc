"""A check's verdict and the checklist built from them, as text (✓/✗/!) or JSON. Pure: no checks run here."""

from __future__ import annotations

import enum
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


class Mark(enum.Enum):
    """``WARN`` works but deserves a look; ``FAIL`` does not work."""

    OK = "✓"
    WARN = "!"
    FAIL = "✗"


@dataclass(frozen=True)
class Check:
    """One line of the checklist. ``required`` checks decide the exit code; the others (display, typing)
    only matter for desktop use, since a headless daemon works without them."""

    name: str
    mark: Mark
    summary: str
    advice: str | None = None
    required: bool = True
    details: dict[str, Any] = field(default_factory=dict)


def ok(name: str, summary: str, *, required: bool = True, **details: Any) -> Check:
    return Check(name, Mark.OK, summary, None, required, details)


def warn(name: str, summary: str, advice: str, *, required: bool = True, **details: Any) -> Check:
    return Check(name, Mark.WARN, summary, advice, required, details)


def fail(name: str, summary: str, advice: str, *, required: bool = True, **details: Any) -> Check:
    return Check(name, Mark.FAIL, summary, advice, required, details)


def passed(checks: Sequence[Check]) -> bool:
    """No required check failed."""
    return not any(check.required and check.mark is Mark.FAIL for check in checks)


def render_text(checks: Sequence[Check]) -> str:
    lines = []
    for check in checks:
        lines.append(f"{check.mark.value} {check.name}: {check.summary}")
        if check.advice:
            lines.append(f"    → {check.advice}")
    lines.append("all required checks passed" if passed(checks) else "a required check failed")
    return "\n".join(lines)


def render_json(checks: Sequence[Check]) -> str:
    status = {Mark.OK: "ok", Mark.WARN: "warning", Mark.FAIL: "failed"}
    return json.dumps({
        "ok": passed(checks),
        "checks": [{"name": check.name, "status": status[check.mark], "required": check.required,
                    "summary": check.summary, "advice": check.advice, **check.details} for check in checks],
    }, indent=2, ensure_ascii=False)
