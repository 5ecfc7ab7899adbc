"""The demo page's file server: what the page needs, and nothing else of the folder it serves."""

from __future__ import annotations

import http.client
import subprocess
import sys
from pathlib import Path

import pytest

from dictation_daemon.web.demo_server import DemoServer, package_folder


def fetch(server: DemoServer, path: str, method: str = "GET") -> tuple[int, bytes, dict[str, str]]:
    host, port = server.origin.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request(method, path)
    response = connection.getresponse()
    return response.status, response.read(), dict(response.getheaders())


@pytest.fixture(scope="module")
def server():
    folder = package_folder()
    assert folder is not None
    with DemoServer(folder) as running:
        yield running


def test_the_page_its_modules_and_react_are_served(server):
    status, body, headers = fetch(server, "/demo/")
    assert status == 200 and b"Progress note" in body and headers["Cache-Control"] == "no-store"
    assert fetch(server, "/src/index.js")[0] == 200
    assert fetch(server, "/node_modules/react/umd/react.production.min.js")[0] == 200
    status, _, headers = fetch(server, "/?daemon=ws://127.0.0.1:9/")
    assert status == 302 and headers["Location"] == "/demo/?daemon=ws://127.0.0.1:9/"


@pytest.mark.parametrize("path", ["/package.json", "/tests/test_fields.py", "/src/../package.json",
                                  "/src/%2e%2e/package.json", "/demo/../../../etc/passwd", "/node_modules/",
                                  "/node_modules/typescript/package.json", "/src/", "//etc/passwd"])
def test_nothing_else_of_the_folder_is_reachable(server, path):
    assert fetch(server, path)[0] == 404


def test_only_reading_is_answered(server):
    assert fetch(server, "/demo/index.html", "POST")[0] == 501
    assert fetch(server, "/demo/index.html", "HEAD")[0] == 200


def test_a_folder_without_the_page_or_react_is_a_clear_error(tmp_path: Path):
    with pytest.raises(FileNotFoundError, match="no demo/index.html"):
        DemoServer(tmp_path)
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "index.html").write_text("<p>")
    with pytest.raises(FileNotFoundError, match="npm ci"):
        DemoServer(tmp_path)


def test_the_web_demo_command_serves_the_page_and_says_what_the_daemon_must_allow(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("rpc:\n  websocket:\n    enabled: false\n")
    command = subprocess.Popen([str(Path(sys.executable).parent / "dictation-daemon"), "web-demo", "--port", "0",
                                "--config", str(config)], stdout=subprocess.PIPE, text=True)
    try:
        assert command.stdout is not None
        first = command.stdout.readline()
        assert first.startswith("demo EHR page: http://127.0.0.1:")
        origin = first.split()[-1].split("/demo/")[0]
        advice = [command.stdout.readline() for _ in range(5)]
        assert advice[0].startswith("the daemon must allow it") and f"allowed_origins: [{origin}]" in "".join(advice)
        host, port = origin.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        connection.request("GET", "/demo/")
        assert connection.getresponse().status == 200
    finally:
        command.terminate()
        command.wait(10)
