"""Web pages over the WebSocket endpoint: pairing end to end, tokens bound to their origin, revocation,
what a paired page may call and hear, and the deadline of a connection that never authenticates."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from collections.abc import Iterator
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from dictation_daemon.events.dictation import TranscriptEvent
from dictation_daemon.rpc import websocket as websocket_transport
from dictation_daemon.rpc.client import RpcClient

from .messages import call, check_notification, check_result
from testkit.rig.in_process import DaemonRig, running_daemon

ORIGIN = "https://ehr.example.org"
OTHER_ORIGIN = "https://lab.example.org"


def site_settings(tmp_path: Path) -> dict[str, Any]:
    return {"websocket": {"enabled": True, "port": 0, "allowed_origins": [ORIGIN, OTHER_ORIGIN],
                          "pairings_file": str(tmp_path / "state" / "pairings.json")}}


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[DaemonRig, str]]:
    """A daemon whose WebSocket endpoint allows the two origins, and that endpoint's URL."""
    with running_daemon(tmp_path, rpc=site_settings(tmp_path)) as rig:
        yield rig, websocket_url(rig)


def websocket_url(rig: DaemonRig) -> str:
    return json.loads((rig.socket.parent / "rpc-endpoint.json").read_text())["websocket"]


class Page:
    """A web page's connection: numbered calls, and the notifications that arrive meanwhile."""

    def __init__(self, websocket: ClientConnection) -> None:
        self.websocket = websocket
        self.notifications: list[dict[str, Any]] = []
        self._ids = 0

    async def call(self, method: str, params: Any = None) -> dict[str, Any]:
        """The whole answer (``result`` or ``error``)."""
        self._ids += 1
        request: dict[str, Any] = {"jsonrpc": "2.0", "id": self._ids, "method": method}
        if params is not None:
            request["params"] = params
        await self.websocket.send(json.dumps(request))
        while True:
            message = json.loads(await asyncio.wait_for(self.websocket.recv(), 10))
            if "method" in message:
                self.notifications.append(check_notification(message))
            elif message.get("id") == self._ids:
                if "result" in message:
                    check_result(method, message["result"])
                return message

    async def notification(self, method: str, timeout: float = 10) -> dict[str, Any]:
        while True:
            for message in self.notifications:
                if message["method"] == method:
                    self.notifications.remove(message)
                    return message["params"]
            message = json.loads(await asyncio.wait_for(self.websocket.recv(), timeout))
            if "method" in message:
                self.notifications.append(check_notification(message))


async def pair(rig: DaemonRig, url: str, origin: str = ORIGIN) -> tuple[str, str]:
    """Pairs a page from ``origin`` the way a user does; its pairing id and token."""
    async with connect(url, origin=origin) as websocket:
        page = Page(websocket)
        asked = await page.call("pairing.request", {"site": "Clinic EHR"})
        code = asked["result"]["code"]
        confirmed = await asyncio.to_thread(_user_confirms, rig, code)
        assert confirmed["origin"] == origin and confirmed["site"] == "Clinic EHR"
        paired = await page.notification("paired")
        assert paired["id"] == confirmed["id"]
        assert "state" in (await page.call("status"))["result"]  # in at once, on the same connection
        return paired["id"], paired["token"]


def _user_confirms(rig: DaemonRig, code: str) -> dict[str, Any]:
    with RpcClient(rig.socket) as user:
        waiting = call(user, "pairing.list")["waiting"]
        assert [entry["origin"] for entry in waiting] == [ORIGIN] or waiting[0]["site"] == "Clinic EHR"
        return call(user, "pairing.confirm", {"code": f"{code[:3]} {code[3:]}"})


def test_a_page_pairs_once_and_comes_back_with_its_own_token(site, tmp_path):
    rig, url = site

    async def main() -> None:
        pairing_id, token = await pair(rig, url)
        stored = (tmp_path / "state" / "pairings.json")
        assert token not in stored.read_text() and os.stat(stored).st_mode & 0o777 == 0o600
        async with connect(url, origin=ORIGIN) as websocket:
            page = Page(websocket)
            assert (await page.call("authenticate", {"token": token}))["result"] == {"authenticated": True}
            assert (await page.call("initialize", {"protocolVersions": ["1.0"], "client": {"name": "EHR"},
                                                   "insertsText": True}))["result"]["protocolVersion"] == "1.0"
        async with connect(f"{url}?token={token}", origin=ORIGIN) as websocket:
            assert "result" in await Page(websocket).call("status")
        listed = await asyncio.to_thread(lambda: RpcClient(rig.socket).call("pairing.list"))
        assert [pairing["id"] for pairing in listed["pairings"]] == [pairing_id]
        assert listed["pairings"][0]["lastUsed"] is not None

    asyncio.run(main())


def test_a_token_works_only_from_the_origin_it_was_given_to(site):
    rig, url = site

    async def main() -> None:
        _, token = await pair(rig, url)
        async with connect(url, origin=OTHER_ORIGIN) as websocket:
            answer = await Page(websocket).call("authenticate", {"token": token})
            assert answer["error"]["code"] == -32005
            with pytest.raises(ConnectionClosed):
                await asyncio.wait_for(websocket.recv(), 5)

    asyncio.run(main())


def test_a_paired_page_cannot_read_the_last_dictation_or_manage_pairings(site):
    rig, url = site

    async def main() -> None:
        pairing_id, token = await pair(rig, url)
        async with connect(f"{url}?token={token}", origin=ORIGIN) as websocket:
            page = Page(websocket)
            for method, params in (("history.paste_last", None), ("pairing.list", None),
                                   ("pairing.revoke", {"id": pairing_id}), ("pairing.confirm", {"code": "123456"})):
                assert (await page.call(method, params))["error"]["code"] == -32006, method
            assert (await page.call("dictation.cancel"))["result"]["state"] == "idle"

    asyncio.run(main())


def test_a_page_hears_only_what_is_dictated_into_its_own_fields(site):
    rig, url = site

    async def main() -> None:
        _, token = await pair(rig, url)
        async with connect(f"{url}?token={token}", origin=ORIGIN) as websocket:
            page = Page(websocket)
            await page.call("initialize", {"protocolVersions": ["1.0"], "client": {"name": "EHR"},
                                           "insertsText": True, "commands": ["next_section"]})
            await asyncio.to_thread(rig.publish, TranscriptEvent("elsewhere", "elsewhere", 0.0, 1.0, True))
            await page.call("target.claim", {"field": "plan", "before": "", "after": ""})
            await asyncio.to_thread(rig.publish, TranscriptEvent("continue aspirin", "continue aspirin",
                                                                 1.0, 2.0, True))
            heard = await page.notification("transcript")
            assert heard["field"] == "plan" and heard["insert"] == {"delete": 0, "text": "Continue aspirin"}
            assert not [n for n in page.notifications if n["method"] == "transcript"]

    asyncio.run(main())


def test_revoking_closes_the_page_and_its_token_is_refused(site):
    rig, url = site

    async def main() -> None:
        pairing_id, token = await pair(rig, url)
        async with connect(f"{url}?token={token}", origin=ORIGIN) as websocket:
            assert "result" in await Page(websocket).call("status")
            revoked = await asyncio.to_thread(
                lambda: call(RpcClient(rig.socket), "pairing.revoke", {"id": pairing_id}))
            assert revoked == {"revoked": pairing_id, "disconnected": 1}
            with pytest.raises(ConnectionClosed):
                await asyncio.wait_for(websocket.recv(), 5)
        from websockets.exceptions import InvalidStatus
        with pytest.raises(InvalidStatus) as refusal:
            async with connect(f"{url}?token={token}", origin=ORIGIN):
                pass
        assert refusal.value.response.status_code == 401

    asyncio.run(main())


def test_a_page_that_neither_authenticates_nor_waits_for_the_user_is_closed(tmp_path, monkeypatch):
    monkeypatch.setattr(websocket_transport, "AUTHENTICATION_SECONDS", 0.5)
    with running_daemon(tmp_path, rpc=site_settings(tmp_path)) as rig:
        url = websocket_url(rig)

        async def main() -> None:
            async with connect(url, origin=ORIGIN) as idle, connect(url, origin=ORIGIN) as waiting:
                code = (await Page(waiting).call("pairing.request"))["result"]["code"]
                started = time.monotonic()
                with pytest.raises(ConnectionClosed):
                    await asyncio.wait_for(idle.recv(), 10)
                assert time.monotonic() - started < 5
                await asyncio.sleep(1.0)  # well past the deadline: a page waiting for the user stays
                await asyncio.to_thread(lambda: call(RpcClient(rig.socket), "pairing.confirm", {"code": code}))
                assert (await Page(waiting).notification("paired"))["token"]

        asyncio.run(main())


ANOTHER_USER = """
import asyncio, json, sys
from websockets.asyncio.client import connect

async def main():
    async with connect(sys.argv[1], origin=sys.argv[2]) as page:
        async def call(method, params=None):
            await page.send(json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params or {}}))
            return json.loads(await page.recv())
        code = (await call("pairing.request"))["result"]["code"]
        print(json.dumps([call_result for call_result in [
            await call("pairing.confirm", {"code": code}), await call("status"),
            await call("authenticate", {"token": "0" * 64})]]))

asyncio.run(main())
"""


@pytest.mark.skipif(os.getuid() != 0, reason="switching to another uid needs root")
def test_another_user_of_the_machine_cannot_confirm_its_own_request(site):
    rig, url = site
    result = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", sys.executable,
                             "-c", ANOTHER_USER, url, ORIGIN],
                            capture_output=True, text=True, timeout=30)
    confirm, status, authenticate = json.loads(result.stdout)
    assert confirm["error"]["code"] == -32005 and status["error"]["code"] == -32005
    assert authenticate["error"]["code"] == -32005
    assert call(RpcClient(rig.socket), "pairing.list")["pairings"] == []
