"""JSON-RPC 2.0 framing and dispatch, without a socket."""

from __future__ import annotations

import asyncio
import json

import pytest

from dictation_daemon.rpc.jsonrpc import (
    INTERNAL_ERROR,
    INVALID_PARAMS,
    INVALID_REQUEST,
    MESSAGE_TOO_LARGE,
    METHOD_NOT_FOUND,
    PARSE_ERROR,
    Dispatcher,
    LineSplitter,
    Oversized,
    Peer,
    RpcError,
    expect_no_params,
)


def test_lines_are_cut_at_newlines_across_chunks_and_blank_lines_skipped():
    splitter = LineSplitter()
    assert splitter.feed(b'{"a":') == []
    assert splitter.feed(b'1}\r\n\n{"b":2}\n{"c"') == [b'{"a":1}', b'{"b":2}']
    assert splitter.feed(b":3}\n") == [b'{"c":3}']


def test_an_oversized_line_is_reported_once_and_the_next_line_is_whole():
    splitter = LineSplitter(limit=10)
    assert splitter.feed(b"x" * 8) == []
    assert splitter.feed(b"x" * 8) == []
    assert splitter.feed(b"x" * 4 + b"\nok\n") == [Oversized(20), b"ok"]


def dispatcher() -> Dispatcher:
    calls: list[object] = []
    dispatcher = Dispatcher()

    async def echo(params, peer):
        calls.append(params)
        return params

    async def fail(params, peer):
        raise RuntimeError("boom")

    async def strict(params, peer):
        expect_no_params(params)
        return "ok"

    dispatcher.register("echo", echo)
    dispatcher.register("fail", fail)
    dispatcher.register("strict", strict)
    dispatcher.calls = calls  # type: ignore[attr-defined]
    return dispatcher


def answer(line: bytes | Oversized, rpc: Dispatcher | None = None):
    reply = asyncio.run((rpc or dispatcher()).handle(line, Peer(1)))
    if reply is None:
        return None
    assert reply.endswith(b"\n") and reply.count(b"\n") == 1
    return json.loads(reply)


def test_a_request_gets_its_result_with_its_id():
    assert answer(b'{"jsonrpc":"2.0","method":"echo","params":{"x":"\xc2\xb5g"},"id":7}') == {
        "jsonrpc": "2.0", "result": {"x": "µg"}, "id": 7}


def test_a_notification_is_carried_out_without_an_answer():
    rpc = dispatcher()
    assert answer(b'{"jsonrpc":"2.0","method":"echo","params":[1]}', rpc) is None
    assert rpc.calls == [[1]]  # type: ignore[attr-defined]


@pytest.mark.parametrize(("line", "code", "request_id"), [
    (b"{not json", PARSE_ERROR, None),
    (b"\xff\xfe", PARSE_ERROR, None),
    (b'"a string"', INVALID_REQUEST, None),
    (b'{"method":"echo","id":1}', INVALID_REQUEST, 1),
    (b'{"jsonrpc":"2.0","method":5,"id":2}', INVALID_REQUEST, 2),
    (b'{"jsonrpc":"2.0","method":"echo","params":3,"id":3}', INVALID_REQUEST, 3),
    (b'{"jsonrpc":"2.0","method":"echo","id":{"no":1}}', INVALID_REQUEST, None),
    (b'{"jsonrpc":"2.0","method":"nope","id":4}', METHOD_NOT_FOUND, 4),
    (b'{"jsonrpc":"2.0","method":"strict","params":{"x":1},"id":5}', INVALID_PARAMS, 5),
    (b'{"jsonrpc":"2.0","method":"fail","id":6}', INTERNAL_ERROR, 6),
    (b"[]", INVALID_REQUEST, None),
])
def test_bad_input_gets_the_matching_error(line, code, request_id):
    reply = answer(line)
    assert reply["error"]["code"] == code and reply["id"] == request_id


def test_an_oversized_message_gets_a_server_error():
    assert answer(Oversized(2 << 20))["error"]["code"] == MESSAGE_TOO_LARGE


def test_a_batch_answers_its_requests_in_order_and_skips_notifications():
    batch = (b'[{"jsonrpc":"2.0","method":"echo","params":[1],"id":"a"},'
             b'{"jsonrpc":"2.0","method":"echo","params":[2]},'
             b'1,'
             b'{"jsonrpc":"2.0","method":"nope","id":"c"}]')
    reply = answer(batch)
    assert [item.get("result") for item in reply] == [[1], None, None]
    assert [item["id"] for item in reply] == ["a", None, "c"]
    assert [item.get("error", {}).get("code") for item in reply] == [None, INVALID_REQUEST, METHOD_NOT_FOUND]


def test_a_batch_of_notifications_gets_no_answer():
    assert answer(b'[{"jsonrpc":"2.0","method":"echo"},{"jsonrpc":"2.0","method":"fail"}]') is None


def test_errors_raised_by_handlers_keep_their_code_and_data():
    rpc = Dispatcher()

    async def refuse(params, peer):
        raise RpcError(-32010, "nothing to paste", {"history": 0})

    rpc.register("refuse", refuse)
    assert answer(b'{"jsonrpc":"2.0","method":"refuse","id":1}', rpc)["error"] == {
        "code": -32010, "message": "nothing to paste", "data": {"history": 0}}
    with pytest.raises(ValueError):
        rpc.register("refuse", refuse)
