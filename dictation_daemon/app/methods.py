"""The daemon's socket methods: status, dictation control and paste-last.

These are registered on a :class:`~dictation_daemon.rpc.jsonrpc.Dispatcher`; the EHR integration
(:mod:`dictation_daemon.rpc.ehr`) registers its
own methods (``initialize``, ``target.claim`` ...) on the same dispatcher and sends the notifications.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from ..controller.controller import Controller
from ..events.states import Trigger
from ..rpc.jsonrpc import Dispatcher, Params, Peer, RpcError, expect_no_params

HISTORY_EMPTY = -32010
"""``history.paste_last`` with nothing dictated yet (or history switched off)."""
NOT_INSERTED = -32011
"""``history.paste_last`` when no enabled plugin can insert text (headless, no display)."""


def register_daemon_methods(
    dispatcher: Dispatcher,
    controller: Controller,
    status: Callable[[], dict[str, Any]],
    paste: Callable[[str], Awaitable[bool]],
) -> None:
    """``status`` returns the whole status document; ``paste`` inserts a text through the plugins."""

    async def get_status(params: Params, peer: Peer) -> dict[str, Any]:
        expect_no_params(params)
        return status()

    def trigger_method(trigger: Trigger) -> Callable[[Params, Peer], Awaitable[dict[str, Any]]]:
        async def method(params: Params, peer: Peer) -> dict[str, Any]:
            expect_no_params(params)
            return {"state": controller.trigger(trigger).value}

        return method

    async def paste_last(params: Params, peer: Peer) -> dict[str, Any]:
        expect_no_params(params)
        last = controller.history.last()
        if last is None:
            raise RpcError(HISTORY_EMPTY, "there is no dictation to paste yet")
        if not await paste(last.text):
            raise RpcError(NOT_INSERTED, "no enabled plugin can insert text (keystroke or clipboard)")
        return {"inserted": len(last.text)}

    dispatcher.register("status", get_status, for_sites=True)
    for trigger in Trigger:
        dispatcher.register(f"dictation.{trigger.value}", trigger_method(trigger), for_sites=True)
    dispatcher.register("history.paste_last", paste_last)  # the last dictation may be from another application
