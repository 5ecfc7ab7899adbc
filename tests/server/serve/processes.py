"""Real ``serve`` and nginx processes for the tests, each logging into the test's own folder."""

from __future__ import annotations

import os
import pwd
import re
import select
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
NGINX_EXAMPLE = REPO / "config" / "nginx" / "dictation-daemon.conf"
START_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class ServeProcess:
    """A running ``serve``; :attr:`url` always points at loopback, whatever address it listens on."""

    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def opened_sessions(self) -> list[str]:
        """Session ids this process logged as opened, in order."""
        return re.findall(r"session (\S+) opened for", self.log_text())


def serve_command(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "tests.server.serve.scripted_serve", *arguments]


def run_serve(tmp_path: Path, *arguments: str, timeout: float = START_TIMEOUT) -> subprocess.CompletedProcess[str]:
    """Runs ``serve`` expecting it to stop on its own (a refused configuration)."""
    return subprocess.run(serve_command("--config", str(_config(tmp_path)), *arguments), cwd=REPO,
                          capture_output=True, text=True, timeout=timeout)


@contextmanager
def running_serve(tmp_path: Path, *arguments: str, name: str = "serve") -> Iterator[ServeProcess]:
    """Starts ``serve --port 0``, waits for its ``listening on`` line, and stops it with SIGTERM afterwards."""
    log = tmp_path / f"{name}.log"
    command = serve_command("--config", str(_config(tmp_path)), "--port", "0", *arguments)
    with open(log, "wb") as stderr:
        process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=stderr)
    try:
        line = _first_line(process, START_TIMEOUT)
        if not line.startswith("listening on "):
            raise RuntimeError(f"serve did not start (exit {process.poll()}): {line!r}\n{log.read_text()}")
        url = re.sub(r"//(0\.0\.0\.0|\[::\])", "//127.0.0.1", line.removeprefix("listening on ").strip())
        yield ServeProcess(process, url, log)
    finally:
        _stop(process)


@contextmanager
def running_nginx(tmp_path: Path, upstream_ports: Sequence[int]) -> Iterator[int]:
    """nginx in the foreground with the example config, pointed at ``upstream_ports``; yields its port."""
    prefix = tmp_path / "nginx"
    (prefix / "logs").mkdir(parents=True)
    port = free_port()
    site = prefix / "dictation-daemon.conf"
    site.write_text(nginx_site(NGINX_EXAMPLE.read_text(), upstream_ports, port, prefix / "logs"))
    main = prefix / "nginx.conf"
    main.write_text(f"user {pwd.getpwuid(os.getuid()).pw_name};\nworker_processes 1;\n"
                    f"events {{ worker_connections 256; }}\nhttp {{ include {site}; }}\n")
    directives = f"daemon off; pid {prefix / 'nginx.pid'}; error_log {prefix / 'logs' / 'error.log'} info;"
    process = subprocess.Popen(["nginx", "-p", str(prefix), "-c", str(main), "-g", directives],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_for_port(process, port)
        yield port
    finally:
        _stop(process, signal.SIGQUIT)


def nginx_site(example: str, upstream_ports: Sequence[int], port: int, logs: Path) -> str:
    """The example config with the test's upstreams, listening port and log folder put in.

    Every substitution must match, so a change to the example that the tests no longer cover fails here.
    """
    servers = "".join(f"    server 127.0.0.1:{upstream};\n" for upstream in upstream_ports)
    site, upstreams = re.subn(r"(?m)^    server 127\.0\.0\.1:\d+;\n(?:    server 127\.0\.0\.1:\d+;\n)*", servers, example)
    site, listens = re.subn(r"(?m)^    listen 8080;$", f"    listen 127.0.0.1:{port};", site)
    site, log_paths = re.subn(r"/var/log/nginx/", f"{logs}/", site)
    if (upstreams, listens) != (1, 1) or log_paths < 1:
        raise AssertionError(f"the nginx example changed shape: {upstreams} upstream lists, {listens} listens")
    return site


def _config(tmp_path: Path) -> Path:
    """A config file of the test's own, so the user's configuration cannot change what is tested."""
    path = tmp_path / "config.yaml"
    path.write_text("logging:\n  level: INFO\n")
    return path


def _first_line(process: subprocess.Popen[bytes], timeout: float) -> str:
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    return process.stdout.readline().decode() if ready else ""


def _wait_for_port(process: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            assert process.stderr is not None
            raise RuntimeError(f"nginx exited with {process.returncode}: {process.stderr.read().decode()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nginx did not listen on {port}")


def _stop(process: subprocess.Popen[bytes], signum: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(signum)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    for stream in (process.stdout, process.stderr):
        if stream is not None:
            stream.close()
