"""Checks that what the daemon sends matches the published schemas (``dictation_daemon.rpc.schema``)."""

from __future__ import annotations

from typing import Any

import jsonschema

from dictation_daemon.rpc.client import RpcClient
from dictation_daemon.rpc.schema import METHODS, NOTIFICATIONS

VALIDATOR = jsonschema.Draft202012Validator


def check_result(method: str, result: Any) -> Any:
    VALIDATOR(METHODS[method]["result"]).validate(result)
    return result


def check_params(method: str, params: Any) -> Any:
    VALIDATOR(METHODS[method]["params"]).validate(params)
    return params


def check_notification(message: dict[str, Any]) -> dict[str, Any]:
    VALIDATOR(NOTIFICATIONS[message["method"]]).validate(message["params"])
    return message


def call(client: RpcClient, method: str, params: Any = None) -> Any:
    """A call whose params and result both follow the schemas."""
    if params is not None:
        check_params(method, params)
    return check_result(method, client.call(method, params))


def notifications(client: RpcClient, method: str, count: int) -> list[dict[str, Any]]:
    """The params of the next ``count`` notifications named ``method`` (others skipped), each schema-checked."""
    found = []
    while len(found) < count:
        message = check_notification(client.receive())
        if message["method"] == method:
            found.append(message["params"])
    return found


def initialize(client: RpcClient, name: str, commands: list[str] | None = None, inserts: bool = True) -> dict[str, Any]:
    return call(client, "initialize", {"protocolVersions": ["1.0"], "client": {"name": name, "version": "1"},
                                       "commands": commands or [], "insertsText": inserts})
