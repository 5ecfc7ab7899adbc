"""A token issuer on loopback: signing keys made in the test, a JWKS endpoint, and tokens to order."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

ISSUER = "https://idp.hospital.example/realms/dictation"
AUDIENCE = "dictation-daemon"


class SigningKey:
    """A private key with the key id and algorithm it signs under."""

    def __init__(self, kid: str, algorithm: str = "RS256") -> None:
        self.kid = kid
        self.algorithm = algorithm
        self.private = (rsa.generate_private_key(public_exponent=65537, key_size=2048) if algorithm == "RS256"
                        else ec.generate_private_key(ec.SECP256R1()))

    def public_jwk(self) -> dict[str, Any]:
        to_jwk = RSAAlgorithm.to_jwk if self.algorithm == "RS256" else ECAlgorithm.to_jwk
        return to_jwk(self.private.public_key(), as_dict=True) | {"kid": self.kid, "alg": self.algorithm, "use": "sig"}

    def token(self, **claims: Any) -> str:
        """A token for our audience from our issuer, valid five minutes, with ``claims`` laid over that."""
        now = int(time.time())
        body = {"iss": ISSUER, "aud": AUDIENCE, "sub": "workstation-7", "iat": now, "exp": now + 300} | claims
        return jwt.encode({k: v for k, v in body.items() if v is not None}, self.private,
                          algorithm=self.algorithm, headers={"kid": self.kid})


class Issuer:
    """Publishes the public half of :attr:`published` at :attr:`jwks_url` and counts the fetches."""

    def __init__(self, url: str) -> None:
        self.jwks_url = f"{url}/certs"
        self.published: list[SigningKey] = []
        self.fetches = 0

    def jwks(self) -> bytes:
        self.fetches += 1
        return json.dumps({"keys": [key.public_jwk() for key in self.published]}).encode()


@contextmanager
def running_issuer() -> Iterator[Issuer]:
    issuer: Issuer

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = issuer.jwks() if self.path == "/certs" else b"{}"
            self.send_response(200 if self.path == "/certs" else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    issuer = Issuer(f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield issuer
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
