"""``dictation-daemon pair`` and ``pairings`` as the user runs them, against a running daemon and without one."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import yaml
from websockets.asyncio.client import connect

from testkit.rig.in_process import running_daemon

DAEMON = Path(sys.executable).parent / "dictation-daemon"
ORIGIN = "https://ehr.example.org"


def cli(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(DAEMON), *arguments], capture_output=True, text=True, timeout=30)


def test_pair_confirms_the_code_a_page_shows_and_pairings_lists_and_revokes_it(tmp_path):
    pairings_file = tmp_path / "state" / "pairings.json"
    settings = {"websocket": {"enabled": True, "port": 0, "allowed_origins": [ORIGIN],
                              "pairings_file": str(pairings_file)}}
    with running_daemon(tmp_path, rpc=settings) as rig:
        url = json.loads((rig.socket.parent / "rpc-endpoint.json").read_text())["websocket"]
        socket = ["--socket", str(rig.socket)]

        async def page_pairs() -> dict:
            async with connect(url, origin=ORIGIN) as page:
                await page.send('{"jsonrpc":"2.0","id":1,"method":"pairing.request","params":{"site":"Clinic EHR"}}')
                code = json.loads(await page.recv())["result"]["code"]
                waiting = await asyncio.to_thread(cli, "pairings", *socket)
                assert f"waiting  {ORIGIN} (Clinic EHR)" in waiting.stdout
                wrong = await asyncio.to_thread(cli, "pair", "000000" if code != "000000" else "111111", *socket)
                assert wrong.returncode == 2 and "no page is waiting with that code" in wrong.stderr
                paired = await asyncio.to_thread(cli, "pair", f"{code[:3]} {code[3:]}", *socket)
                assert paired.returncode == 0, paired.stderr
                assert paired.stdout.startswith(f"paired {ORIGIN} (Clinic EHR) as ")
                return json.loads(await page.recv())["params"]

        token = asyncio.run(page_pairs())["token"]
        listed = json.loads(cli("pairings", "--json", *socket).stdout)
        (pairing,) = listed["pairings"]
        assert pairing["origin"] == ORIGIN and "token" not in json.dumps(listed) and token not in json.dumps(listed)
        revoked = cli("pairings", "--revoke", pairing["id"], *socket)
        assert revoked.returncode == 0 and revoked.stdout.startswith(f"revoked {pairing['id']}")
        assert cli("pairings", *socket).stdout.strip() == "no web page is paired"


def test_pairings_reads_and_changes_the_file_when_no_daemon_runs(tmp_path):
    from dictation_daemon.rpc.pairing import PairingBook
    from dictation_daemon.rpc.pairing_file import load_pairings, save_pairings

    pairings_file = tmp_path / "pairings.json"
    book = PairingBook()
    _, pairing, _ = book.confirm(book.request(client=1, origin=ORIGIN, site="EHR", now=0.0).code, now=0.0)
    save_pairings(pairings_file, book)
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump({"rpc": {"socket_path": str(tmp_path / "none" / "rpc.sock"),
                                              "websocket": {"pairings_file": str(pairings_file)}}}))
    listed = cli("pairings", "--config", str(config))
    assert listed.returncode == 0 and listed.stdout.startswith(f"{pairing.id}  {ORIGIN} (EHR)  paired ")
    assert cli("pairings", "--config", str(config), "--revoke", pairing.id).returncode == 0
    assert load_pairings(pairings_file).pairings == {}
    missing = cli("pairings", "--config", str(config), "--revoke", pairing.id)
    assert missing.returncode == 2 and "no pairing" in missing.stderr
    not_running = cli("pair", "123456", "--config", str(config))
    assert not_running.returncode == 2 and "no dictation daemon is running" in not_running.stderr
