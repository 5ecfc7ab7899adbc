"""``serve`` verifying JWTs against an issuer's JWKS on loopback: good tokens in, every bad one out."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from jwt.utils import base64url_encode

from dictation_daemon.client.errors import SocketRefusedError
from dictation_daemon.server.auth import AuthSetupError, JwtVerifier

from .dictation import bearer, dictate, with_token_query
from .issuer import AUDIENCE, ISSUER, Issuer, SigningKey, running_issuer
from .processes import ServeProcess, run_serve, running_serve

RSA_KEY = SigningKey("rsa-1")
EC_KEY = SigningKey("ec-1", "ES256")
STRANGER = SigningKey("rsa-1")
"""Someone else's key under the issuer's key id: its signatures must not verify."""


@pytest.fixture(scope="module")
def issuer() -> Iterator[Issuer]:
    with running_issuer() as issuer:
        issuer.published = [RSA_KEY, EC_KEY]
        yield issuer


@pytest.fixture(scope="module")
def server(issuer: Issuer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServeProcess]:
    tmp_path = tmp_path_factory.mktemp("jwt")
    with running_serve(tmp_path, "--host", "0.0.0.0", "--jwt-issuer", ISSUER, "--jwt-audience", AUDIENCE,
                       "--jwks-url", issuer.jwks_url) as process:
        yield process


@pytest.mark.parametrize("key", [RSA_KEY, EC_KEY], ids=["RS256", "ES256"])
def test_a_valid_token_opens_a_whole_session(server: ServeProcess, key: SigningKey) -> None:
    token = key.token()
    for dictation in (asyncio.run(dictate(server.url, bearer(token))),
                      asyncio.run(dictate(with_token_query(server.url, token)))):
        assert dictation.finals == ["patient is stable"] and dictation.usage is not None and dictation.ended
    assert token not in server.log_text()


def _hs256_with_the_public_key() -> str:
    """The algorithm-confusion attack: an HMAC keyed with the issuer's published public key."""
    public_pem = RSA_KEY.private.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    claims = {"iss": ISSUER, "aud": AUDIENCE, "exp": int(time.time()) + 300}
    signing_input = f"{_b64({'alg': 'HS256', 'typ': 'JWT', 'kid': RSA_KEY.kid})}.{_b64(claims)}"
    signature = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{base64url_encode(signature).decode()}"


def _tamper(token: str) -> str:
    """The issuer's signature over other claims."""
    header, _, signature = token.split(".")
    claims = jwt.decode(token, options={"verify_signature": False}) | {"sub": "someone-else"}
    return f"{header}.{_b64(claims)}.{signature}"


def _b64(value: dict) -> str:
    return base64url_encode(json.dumps(value).encode()).decode()


BAD_TOKENS = {
    "expired": lambda: RSA_KEY.token(exp=int(time.time()) - 600),
    "not yet valid": lambda: RSA_KEY.token(nbf=int(time.time()) + 600),
    "wrong issuer": lambda: RSA_KEY.token(iss="https://elsewhere.example/realms/dictation"),
    "wrong audience": lambda: RSA_KEY.token(aud="another-service"),
    "no expiry": lambda: RSA_KEY.token(exp=None),
    "no audience": lambda: RSA_KEY.token(aud=None),
    "bad signature": lambda: STRANGER.token(),
    "tampered": lambda: _tamper(RSA_KEY.token()),
    "unknown key": lambda: SigningKey("rsa-unpublished").token(),
    "HS256 confusion": _hs256_with_the_public_key,
    "not a JWT": lambda: "not.a.jwt",
}


@pytest.mark.parametrize("name", list(BAD_TOKENS))
def test_a_bad_token_is_refused(server: ServeProcess, name: str) -> None:
    with pytest.raises(SocketRefusedError) as refused:
        asyncio.run(dictate(server.url, bearer(BAD_TOKENS[name]())))
    assert refused.value.status == 401


def test_a_missing_token_is_refused(server: ServeProcess) -> None:
    with pytest.raises(SocketRefusedError) as refused:
        asyncio.run(dictate(server.url))
    assert refused.value.status == 401


def test_a_rotated_key_is_fetched_when_a_token_names_it() -> None:
    async def check(verifier: JwtVerifier, token: str) -> bool:
        return await verifier.verify(token)

    with running_issuer() as issuer:
        issuer.published = [RSA_KEY]
        verifier = JwtVerifier(ISSUER, AUDIENCE, issuer.jwks_url, refresh_cooldown_seconds=0)
        assert asyncio.run(check(verifier, RSA_KEY.token()))
        assert asyncio.run(check(verifier, RSA_KEY.token())) and issuer.fetches == 1  # the JWKS is cached
        rotated = SigningKey("rsa-2")
        issuer.published = [RSA_KEY, rotated]
        assert asyncio.run(check(verifier, rotated.token())) and issuer.fetches == 2


def test_unknown_key_ids_do_not_refetch_within_the_cooldown() -> None:
    async def check(verifier: JwtVerifier, token: str) -> bool:
        return await verifier.verify(token)

    with running_issuer() as issuer:
        issuer.published = [RSA_KEY]
        verifier = JwtVerifier(ISSUER, AUDIENCE, issuer.jwks_url, refresh_cooldown_seconds=60)
        verifier.prefetch()
        for attempt in range(5):
            assert not asyncio.run(check(verifier, SigningKey(f"made-up-{attempt}").token()))
        assert issuer.fetches == 1


@pytest.mark.parametrize("url", ["http://idp.hospital.example/certs", "ftp://127.0.0.1/certs"])
def test_keys_from_afar_must_come_over_https(url: str) -> None:
    with pytest.raises(AuthSetupError, match="must use https"):
        JwtVerifier(ISSUER, AUDIENCE, url)


def test_an_incomplete_jwt_setting_is_refused(tmp_path: Path) -> None:
    result = run_serve(tmp_path, "--jwt-issuer", ISSUER, "--jwks-url", "https://idp.hospital.example/certs")
    assert result.returncode == 2
    assert "jwt.audience" in result.stderr and "--jwt-audience" in result.stderr
