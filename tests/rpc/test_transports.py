"""Who can connect: the Unix socket only for this uid, loopback TCP and WebSocket only with the token
(and, for WebSocket, an allowed Origin); private files and folders; the ``rpc`` command."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from dictation_daemon.events.dictation import TranscriptEvent
from dictation_daemon.rpc.client import RpcCallError, RpcClient

from .messages import call, check_notification, initialize, notifications
from testkit.rig.in_process import running_daemon

DAEMON = Path(sys.executable).parent / "dictation-daemon"
CONNECT_AS_NOBODY = """
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(5)
try:
    s.connect(sys.argv[1])
except OSError as error:
    print("refused", error.errno); sys.exit(0)
try:
    s.sendall(b'{"jsonrpc":"2.0","method":"status","id":1}\\n')
    answer = s.recv(100)
except OSError:
    answer = b""
print("answer" if answer else "closed without an answer")
"""


def as_nobody(*arguments: str) -> str:
    return subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", sys.executable, "-c",
                           CONNECT_AS_NOBODY, *arguments], capture_output=True, text=True, timeout=30).stdout.strip()


needs_root = pytest.mark.skipif(os.getuid() != 0, reason="switching to another uid needs root")


def test_the_folder_and_socket_are_private(tmp_path):
    with running_daemon(tmp_path) as rig:
        assert stat.S_IMODE(rig.socket.parent.stat().st_mode) == 0o700
        assert stat.S_IMODE(rig.socket.stat().st_mode) == 0o600 and stat.S_ISSOCK(rig.socket.stat().st_mode)


@needs_root
def test_another_uid_cannot_connect_and_is_refused_by_its_credentials_even_through_open_modes():
    place = Path(tempfile.mkdtemp(prefix="rpc-uid-", dir="/tmp"))  # every folder above the socket's is traversable
    place.chmod(0o755)
    with running_daemon(place) as rig:
        assert as_nobody(str(rig.socket)).startswith("refused 13")  # EACCES: the 0700 folder stops it
        rig.socket.parent.chmod(0o755)  # a mistake that opens the modes: SO_PEERCRED still refuses the uid
        rig.socket.chmod(0o666)
        assert as_nobody(str(rig.socket)) == "closed without an answer"
        with RpcClient(rig.socket) as owner:
            assert owner.call("status")["rpc"]["clients"] == 1
    shutil.rmtree(place)


def test_loopback_tcp_needs_the_token_from_a_private_endpoint_file(tmp_path):
    with running_daemon(tmp_path, rpc={"transport": "tcp"}) as rig:
        endpoint_file = rig.socket.parent / "rpc-endpoint.json"
        assert stat.S_IMODE(endpoint_file.stat().st_mode) == 0o600
        assert stat.S_IMODE(rig.socket.parent.stat().st_mode) == 0o700
        assert not rig.socket.exists()
        endpoint = json.loads(endpoint_file.read_text())
        assert endpoint["host"] == "127.0.0.1" and len(endpoint["token"]) == 64

        with socket.create_connection((endpoint["host"], endpoint["port"]), timeout=10) as raw:
            reader = raw.makefile("rb")

            def answer() -> dict:
                message = json.loads(reader.readline())
                assert "method" not in message  # no notification reaches a connection without the token
                return message

            raw.sendall(b'{"jsonrpc":"2.0","method":"status","id":1}\n')
            assert answer()["error"]["code"] == -32005
            rig.publish(TranscriptEvent("private words", "private words", 0.0, 1.0, True))
            raw.sendall(b'{"jsonrpc":"2.0","method":"status","id":1}\n')
            assert answer()["error"]["code"] == -32005
            raw.sendall(b'{"jsonrpc":"2.0","method":"authenticate","params":{"token":"%s"},"id":2}\n'
                        % ("0" * 64).encode())
            assert answer()["error"]["code"] == -32005
            assert reader.readline() == b""  # a wrong token ends the connection

        with RpcClient.connect(rig.socket) as client:
            status = call(client, "status")
            assert status["rpc"]["transport"] == "tcp" and status["rpc"]["socket"].startswith("127.0.0.1:")
            initialize(client, "tcp editor")
        result = subprocess.run([str(DAEMON), "rpc", "status", "--socket", str(rig.socket)],
                                capture_output=True, text=True, timeout=30)
        assert result.returncode == 0 and json.loads(result.stdout)["rpc"]["transport"] == "tcp"


def test_the_websocket_endpoint_wants_the_token_and_an_allowed_origin(tmp_path):
    origin = "https://ehr.example.org"
    with running_daemon(tmp_path, rpc={"websocket": {"enabled": True, "port": 0, "allowed_origins": [origin]}}) as rig:
        endpoint = json.loads((rig.socket.parent / "rpc-endpoint.json").read_text())
        url = endpoint["websocket"]

        async def refused(query: str, from_origin: str | None) -> int:
            with pytest.raises(InvalidStatus) as refusal:
                async with connect(url + query, origin=from_origin):
                    pass
            return refusal.value.response.status_code

        async def session() -> list[dict]:
            async with connect(f"{url}?token={endpoint['token']}", origin=origin) as websocket:
                await websocket.send(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
                    "protocolVersions": ["1.0"], "client": {"name": "browser"}, "insertsText": True}}))
                answer = json.loads(await websocket.recv())
                assert answer["result"]["protocolVersion"] == "1.0"
                await websocket.send('{"jsonrpc":"2.0","id":2,"method":"target.claim","params":{"field":"plan"}}')
                assert json.loads(await websocket.recv())["result"]["field"] == "plan"
                await asyncio.get_running_loop().run_in_executor(
                    None, rig.publish, TranscriptEvent("continue aspirin", "continue aspirin", 1.0, 2.0, True))
                while True:
                    message = check_notification(json.loads(await websocket.recv()))
                    if message["method"] == "transcript":
                        return [message["params"]]

        async def main() -> None:
            assert await refused(f"?token={'1' * 64}", origin) == 401
            assert await refused(f"?token={endpoint['token']}", "https://evil.example.com") == 403
            assert await refused(f"?token={endpoint['token']}", None) == 403
            assert await refused("", "https://evil.example.com") == 403
            async with connect(url, origin=origin) as websocket:  # no token yet: it may authenticate, nothing else
                await websocket.send('{"jsonrpc":"2.0","id":1,"method":"status"}')
                assert json.loads(await websocket.recv())["error"]["code"] == -32005
                await websocket.send(json.dumps({"jsonrpc": "2.0", "id": 2, "method": "authenticate",
                                                 "params": {"token": endpoint["token"]}}))
                assert json.loads(await websocket.recv())["result"] == {"authenticated": True}
                await websocket.send('{"jsonrpc":"2.0","id":3,"method":"status"}')
                assert "state" in json.loads(await websocket.recv())["result"]
            (transcript,) = await session()
            assert transcript["insert"] == {"delete": 0, "text": "Continue aspirin"}
            async with connect(f"{url}?token={endpoint['token']}", origin=origin, max_size=None) as websocket:
                await websocket.send('{"jsonrpc":"2.0","id":1,"method":"status","params":"' + "x" * (1 << 20) + '"}')
                assert json.loads(await websocket.recv())["error"]["code"] == -32000
                await websocket.send('{"jsonrpc":"2.0","id":2,"method":"status"}')
                assert "state" in json.loads(await websocket.recv())["result"]

        asyncio.run(main())


def test_the_rpc_command_prints_results_and_fails_on_errors(tmp_path):
    with running_daemon(tmp_path) as rig:
        def rpc(*arguments: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run([str(DAEMON), "rpc", *arguments, "--socket", str(rig.socket)],
                                  capture_output=True, text=True, timeout=30)

        status = rpc("status")
        assert status.returncode == 0 and json.loads(status.stdout)["state"] in ("idle", "error")
        refused = rpc("target.claim", '{"field": "plan"}')
        assert refused.returncode == 1 and "-32002" in refused.stderr and "initialize" in refused.stderr
        unknown = rpc("no.such")
        assert unknown.returncode == 1 and "method not found" in unknown.stderr
        bad = rpc("status", "{not json")
        assert bad.returncode == 2 and "not JSON" in bad.stderr
        with RpcClient(rig.socket) as listener:
            listener.call("status")
            assert rpc("dictation.cancel").returncode == 0
    gone = subprocess.run([str(DAEMON), "rpc", "status", "--socket", str(rig.socket)],
                          capture_output=True, text=True, timeout=30)
    assert gone.returncode == 2 and "no dictation daemon is running" in gone.stderr


def test_clients_that_never_initialize_still_get_transcripts_but_no_commands(tmp_path):
    with running_daemon(tmp_path) as rig, RpcClient(rig.socket) as plain:
        plain.call("status")
        rig.publish(TranscriptEvent("x", "x", 0.0, 1.0, True))
        assert notifications(plain, "transcript", 1)[0]["field"] is None
        with pytest.raises(RpcCallError):
            plain.call("shutdown")


def test_the_trigger_commands_reach_a_daemon_on_loopback_tcp(tmp_path):
    with running_daemon(tmp_path, rpc={"transport": "tcp"}) as rig:
        for command, expected in (("status", "idle"), ("cancel", "idle")):
            result = subprocess.run([str(DAEMON), command, "--socket", str(rig.socket)],
                                    capture_output=True, text=True, timeout=30)
            assert result.returncode == 0, result.stderr
            assert expected in result.stdout and "no dictation daemon" not in result.stderr


def test_an_unauthenticated_tcp_client_is_closed_after_the_deadline_however_it_trickles(monkeypatch):
    from dictation_daemon.rpc import stream
    from dictation_daemon.rpc.jsonrpc import Dispatcher
    from dictation_daemon.rpc.server import RpcServer

    monkeypatch.setattr(stream, "AUTHENTICATION_SECONDS", 1.0)

    async def main() -> float:
        transport = stream.TcpTransport()
        server = RpcServer(Dispatcher(), [transport])
        await server.start()
        try:
            host, port = transport.host_port
            reader, writer = await asyncio.open_connection(host, port)
            started = asyncio.get_running_loop().time()
            while not reader.at_eof() and asyncio.get_running_loop().time() - started < 5:
                writer.write(b" ")  # one byte at a time, well within any per-read timeout
                await writer.drain()
                try:
                    await asyncio.wait_for(reader.read(100), 0.3)
                except TimeoutError:
                    pass
            writer.close()
            return asyncio.get_running_loop().time() - started
        finally:
            await server.close()

    assert asyncio.run(main()) < 3


def test_a_regular_file_at_the_socket_path_is_refused_and_kept(tmp_path):
    from dictation_daemon.rpc.jsonrpc import Dispatcher
    from dictation_daemon.rpc.server import RpcServer
    from dictation_daemon.rpc.stream import SocketPathTaken, UnixTransport

    folder = tmp_path / "sock"
    folder.mkdir(mode=0o700)
    document = folder / "rpc.sock"
    document.write_text("a clinician's notes")

    async def main() -> None:
        with pytest.raises(SocketPathTaken, match="is not a socket"):
            await RpcServer(Dispatcher(), [UnixTransport(document)]).start()

    asyncio.run(main())
    assert document.read_text() == "a clinician's notes"


def test_a_folder_open_to_others_is_refused_and_its_mode_kept(tmp_path):
    from dictation_daemon.files.private import UnsafeFolder
    from dictation_daemon.rpc.jsonrpc import Dispatcher
    from dictation_daemon.rpc.server import RpcServer
    from dictation_daemon.rpc.stream import UnixTransport

    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o755)

    async def main() -> None:
        with pytest.raises(UnsafeFolder, match="open to other users"):
            await RpcServer(Dispatcher(), [UnixTransport(shared / "rpc.sock")]).start()

    asyncio.run(main())
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755 and not (shared / "rpc.sock").exists()


def test_unauthenticated_tcp_clients_never_keep_the_user_out():
    """Clients that only ever send requests without the token (answered -32005 each time) take no client
    place: with a cap of two, the user's clients still get in, and a third is refused once it proves who
    it is."""
    from dictation_daemon.rpc import stream
    from dictation_daemon.rpc.jsonrpc import Dispatcher
    from dictation_daemon.rpc.server import RpcServer

    async def status(params, peer):
        return {"state": "idle"}

    async def main() -> None:
        transport = stream.TcpTransport()
        dispatcher = Dispatcher()
        dispatcher.register("status", status)
        server = RpcServer(dispatcher, [transport], max_clients=2)
        await server.start()
        host, port = transport.host_port

        async def connected(token: str | None) -> tuple[asyncio.StreamReader, asyncio.StreamWriter, dict]:
            reader, writer = await asyncio.open_connection(host, port)
            method = "authenticate" if token is not None else "status"
            writer.write(json.dumps({"jsonrpc": "2.0", "id": 1, "method": method,
                                     "params": {"token": token} if token is not None else {}}).encode() + b"\n")
            return reader, writer, json.loads(await asyncio.wait_for(reader.readline(), 5))

        try:
            strangers = [await connected(None) for _ in range(6)]
            assert all(answer["error"]["code"] == -32005 for _, _, answer in strangers)
            users = [await connected(server.token) for _ in range(2)]
            assert all(answer["result"] == {"authenticated": True} for _, _, answer in users)
            reader, _, third = await connected(server.token)
            assert third["error"]["code"] == -32001
            assert await asyncio.wait_for(reader.read(), 5) == b""  # and it is closed
            for _, writer, _ in strangers + users:
                writer.close()
        finally:
            await server.close()

    asyncio.run(main())


def test_a_second_daemon_on_loopback_tcp_is_refused_and_the_first_stays_reachable(tmp_path):
    from dictation_daemon.rpc import stream
    from dictation_daemon.rpc.jsonrpc import Dispatcher
    from dictation_daemon.rpc.server import RpcServer, SocketInUse

    endpoint_file = tmp_path / "run" / "rpc-endpoint.json"

    async def main() -> None:
        first = RpcServer(Dispatcher(), [stream.TcpTransport()], endpoint_file=endpoint_file)
        await first.start()
        written = endpoint_file.read_text()
        second = RpcServer(Dispatcher(), [stream.TcpTransport()], endpoint_file=endpoint_file)
        with pytest.raises(SocketInUse, match="already running"):
            await second.start()
        await second.close()
        assert endpoint_file.read_text() == written  # not overwritten, nor removed by the refused one
        await first.close()
        assert not endpoint_file.exists()
        third = RpcServer(Dispatcher(), [stream.TcpTransport()], endpoint_file=endpoint_file)
        await third.start()  # the lock went with the first
        endpoint_file.write_text('{"token": "someone else"}')
        await third.close()
        assert endpoint_file.exists()  # a file it did not write is not its to remove

    asyncio.run(main())
