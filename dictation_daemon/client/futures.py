"""Settling futures that callers may or may not still be waiting for."""

from __future__ import annotations

import asyncio


def resolve(future: asyncio.Future, value: object) -> None:
    """Sets the result unless the future is already settled (a late or repeated answer)."""
    if not future.done():
        future.set_result(value)


def fail(future: asyncio.Future, error: BaseException) -> None:
    """Sets the exception unless settled, and marks it retrieved: nobody may be waiting, and that is fine."""
    if not future.done():
        future.set_exception(error)
        future.exception()
