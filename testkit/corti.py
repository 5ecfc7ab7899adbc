"""A stand-in for Corti's Keycloak token endpoint, served over real HTTP on 127.0.0.1, and a hand-moved clock."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from dictation_daemon.corti.credentials import CortiCredentials

CLIENT_ID = "dictation-daemon"
SECRET = "s3cr3t-Cl13nt-Value"
TOKEN_PATH = "/realms/{realm}/protocol/openid-connect/token"


class TokenServer:
    """Answers client-credentials requests the way Corti's Keycloak does, and records each one.

    ``canned`` replaces the next answers with ``(status, content type, body)``; ``delay`` holds each answer
    back; :meth:`stop` and :meth:`start` take the endpoint down and bring it back on the same port.
    """

    realms = frozenset({"base"})
    scopes = frozenset({"openid", "transcribe"})

    def __init__(self) -> None:
        self.expires_in: float = 300
        self.delay = 0.0
        self.canned: tuple[int, str, bytes] | None = None
        self.requests: list[dict[str, str]] = []
        self.issued: list[str] = []
        self.port = 0
        self._httpd: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self._httpd = ThreadingHTTPServer(("127.0.0.1", self.port), _handler(self))
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def credentials(self, **overrides: str) -> CortiCredentials:
        values = {"client_id": CLIENT_ID, "client_secret": SECRET, "auth_url": self.url} | overrides
        return CortiCredentials(**values)  # type: ignore[arg-type]

    def answer(self, path: str, content_type: str, form: dict[str, str]) -> tuple[int, dict[str, object]]:
        """What Keycloak answers to a token request, as (status, JSON body)."""
        realm = path.removeprefix("/realms/").partition("/")[0]
        if path != TOKEN_PATH.format(realm=realm) or realm not in self.realms:
            return 404, {"error": "Realm does not exist"}
        if content_type != "application/x-www-form-urlencoded":
            return 400, {"error": "invalid_request"}
        if form.get("grant_type") != "client_credentials":
            return 400, {"error": "unsupported_grant_type"}
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != SECRET:
            return 401, {
                "error": "invalid_client",
                "error_description": "Invalid client or Invalid client credentials",
            }
        scope = form.get("scope", "")
        if not set(scope.split()) <= self.scopes:
            return 400, {"error": "invalid_scope", "error_description": f"Invalid scopes: {scope}"}
        token = f"eyJ.token-{len(self.issued) + 1}.sig"
        self.issued.append(token)
        return 200, {"access_token": token, "expires_in": self.expires_in, "token_type": "Bearer", "scope": scope}


def _handler(server: TokenServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            form = {key: values[0] for key, values in parse_qs(self.rfile.read(length).decode()).items()}
            server.requests.append(form)
            time.sleep(server.delay)
            if server.canned is not None:
                status, content_type, body = server.canned
            else:
                status, answer = server.answer(self.path, self.headers.get("Content-Type", ""), form)
                content_type, body = "application/json", json.dumps(answer).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:
                pass  # the client gave up waiting: what a timeout test wants

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now
