"""Access tokens from a live token endpoint: caching, sharing, refreshing, and every way it can fail."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import httpx
import pytest
from testkit.corti import CLIENT_ID, SECRET, FakeClock, TokenServer

from dictation_daemon.corti.auth import (
    AuthError,
    AuthUnavailableError,
    InvalidClientError,
    RealmNotFoundError,
    ScopeRejectedError,
    TokenProvider,
    UnexpectedAuthResponseError,
)
from dictation_daemon.corti.credentials import CortiCredentials

T = TypeVar("T")


def run(provider: TokenProvider, use: Callable[[TokenProvider], Awaitable[T]]) -> T:
    """Run ``use`` on ``provider`` in a fresh event loop, closing the provider afterwards."""

    async def main() -> T:
        async with provider:
            return await use(provider)

    return asyncio.run(main())


def failure(provider: TokenProvider) -> AuthError:
    async def fetch(provider: TokenProvider) -> AuthError:
        with pytest.raises(AuthError) as caught:
            await provider.token()
        return caught.value

    error = run(provider, fetch)
    assert SECRET not in str(error)
    return error


def test_request_is_a_client_credentials_grant(token_server: TokenServer) -> None:
    token = run(TokenProvider(token_server.credentials()), lambda provider: provider.token())
    assert token == token_server.issued[0]
    assert token_server.requests == [
        {
            "grant_type": "client_credentials",
            "client_id": CLIENT_ID,
            "client_secret": SECRET,
            "scope": "openid transcribe",
        }
    ]


def test_token_is_cached(token_server: TokenServer, clock: FakeClock) -> None:
    async def use(provider: TokenProvider) -> list[str]:
        tokens = [await provider.token()]
        clock.now += 170  # 300 s token, 120 s margin: still fresh until 180 s
        tokens.append(await provider.token())
        return tokens

    tokens = run(TokenProvider(token_server.credentials(), clock=clock), use)
    assert tokens == [token_server.issued[0]] * 2
    assert len(token_server.requests) == 1


def test_refresh_once_the_margin_is_reached(token_server: TokenServer, clock: FakeClock) -> None:
    token_server.expires_in = 3

    async def use(provider: TokenProvider) -> list[str]:
        tokens = [await provider.token()]
        clock.now += 1.99
        tokens.append(await provider.token())
        clock.now += 0.01
        tokens.append(await provider.token())
        clock.now += 1.0
        tokens.append(await provider.token())
        return tokens

    tokens = run(TokenProvider(token_server.credentials(), refresh_margin=1, clock=clock), use)
    first, second = token_server.issued
    assert tokens == [first, first, second, second]


def test_margin_is_at_most_half_the_lifetime(token_server: TokenServer, clock: FakeClock) -> None:
    token_server.expires_in = 3

    async def use(provider: TokenProvider) -> list[str]:
        tokens = [await provider.token()]
        clock.now += 1.49
        tokens.append(await provider.token())
        clock.now += 0.01
        tokens.append(await provider.token())
        return tokens

    tokens = run(TokenProvider(token_server.credentials(), clock=clock), use)  # default margin 120 s
    first, second = token_server.issued
    assert tokens == [first, first, second]


def test_refresh_on_the_real_clock(token_server: TokenServer) -> None:
    token_server.expires_in = 1.0  # refreshed from 0.5 s on

    async def use(provider: TokenProvider) -> tuple[str, str, str]:
        first = await provider.token()
        again = await provider.token()
        await asyncio.sleep(0.6)
        return first, again, await provider.token()

    first, again, later = run(TokenProvider(token_server.credentials()), use)
    assert first == again != later
    assert len(token_server.requests) == 2


def test_concurrent_callers_share_one_request(token_server: TokenServer) -> None:
    token_server.delay = 0.2
    tokens = run(
        TokenProvider(token_server.credentials()),
        lambda provider: asyncio.gather(*(provider.token() for _ in range(20))),
    )
    assert tokens == [token_server.issued[0]] * 20
    assert len(token_server.requests) == 1


def test_concurrent_callers_share_one_failure(token_server: TokenServer) -> None:
    token_server.delay = 0.2
    token_server.canned = (503, "text/plain", b"down for maintenance")
    results = run(
        TokenProvider(token_server.credentials()),
        lambda provider: asyncio.gather(*(provider.token() for _ in range(20)), return_exceptions=True),
    )
    assert all(isinstance(result, AuthUnavailableError) for result in results)
    assert len(token_server.requests) == 1


def test_a_caller_giving_up_does_not_cancel_the_others(token_server: TokenServer) -> None:
    token_server.delay = 0.3

    async def use(provider: TokenProvider) -> str:
        impatient = asyncio.ensure_future(provider.token())
        patient = asyncio.ensure_future(provider.token())
        await asyncio.sleep(0.1)
        impatient.cancel()
        return await patient

    assert run(TokenProvider(token_server.credentials()), use) == token_server.issued[0]
    assert len(token_server.requests) == 1


def test_invalidate_fetches_a_new_token(token_server: TokenServer) -> None:
    async def use(provider: TokenProvider) -> tuple[str, str]:
        refused = await provider.token()
        provider.invalidate()
        return refused, await provider.token()

    refused, fresh = run(TokenProvider(token_server.credentials()), use)
    assert refused != fresh
    assert token_server.issued == [refused, fresh]


def test_invalidating_a_replaced_token_keeps_the_replacement(token_server: TokenServer) -> None:
    async def use(provider: TokenProvider) -> list[str]:
        refused = await provider.token()
        provider.invalidate(refused)  # first session refused
        fresh = await provider.token()
        provider.invalidate(refused)  # second session, refused the same old token
        return [refused, fresh, await provider.token()]

    refused, fresh, kept = run(TokenProvider(token_server.credentials()), use)
    assert kept == fresh != refused
    assert len(token_server.requests) == 2


def test_wrong_secret(token_server: TokenServer) -> None:
    error = failure(TokenProvider(token_server.credentials(client_secret="not-the-secret")))
    assert isinstance(error, InvalidClientError)
    assert CLIENT_ID in str(error) and "secret" in str(error) and "invalid_client" in str(error)
    assert "not-the-secret" not in str(error)


def test_unknown_client_id(token_server: TokenServer) -> None:
    error = failure(TokenProvider(token_server.credentials(client_id="someone-else")))
    assert isinstance(error, InvalidClientError)
    assert "someone-else" in str(error)


def test_wrong_tenant(token_server: TokenServer) -> None:
    error = failure(TokenProvider(token_server.credentials(tenant="acme")))
    assert isinstance(error, RealmNotFoundError)
    assert "'acme'" in str(error) and "404" in str(error) and "region" in str(error)


def test_region_host_that_does_not_resolve(token_server: TokenServer) -> None:
    error = failure(TokenProvider(token_server.credentials(auth_url="http://auth.nowhere.invalid")))
    assert isinstance(error, RealmNotFoundError)
    assert "auth.nowhere.invalid does not resolve" in str(error)


def test_scope_not_allowed(token_server: TokenServer) -> None:
    error = failure(TokenProvider(token_server.credentials(scope="openid admin")))
    assert isinstance(error, ScopeRejectedError)
    assert "'openid admin'" in str(error)


def test_timeout(token_server: TokenServer) -> None:
    token_server.delay = 5.0
    started = time.monotonic()
    error = failure(TokenProvider(token_server.credentials(), timeout=0.2))
    assert isinstance(error, AuthUnavailableError)
    assert "did not answer within 0.2 s" in str(error)
    assert time.monotonic() - started < 4.0, "the timeout, not the server's late answer, ended the wait"


def test_server_error(token_server: TokenServer) -> None:
    token_server.canned = (502, "text/html", b"<html>Bad Gateway</html>")
    error = failure(TokenProvider(token_server.credentials()))
    assert isinstance(error, AuthUnavailableError)
    assert "HTTP 502" in str(error)


@pytest.mark.parametrize(
    ("status", "content_type", "body", "named"),
    [
        (200, "text/html", b"<html>Sign in to the hotel wifi</html>", "other than a JSON object"),
        (200, "application/json", b"[1, 2]", "other than a JSON object"),
        (200, "application/json", b'{"expires_in": 300, "token_type": "Bearer"}', "without an access_token"),
        (200, "application/json", b'{"access_token": "x", "expires_in": "soon"}', "expires_in"),
        (200, "application/json", b'{"access_token": "x", "expires_in": 300, "token_type": "MAC"}', "not a Bearer"),
        (302, "text/plain", b"", "HTTP 302"),
    ],
)
def test_unexpected_answers(
    token_server: TokenServer, status: int, content_type: str, body: bytes, named: str
) -> None:
    token_server.canned = (status, content_type, body)
    error = failure(TokenProvider(token_server.credentials()))
    assert isinstance(error, UnexpectedAuthResponseError)
    assert named in str(error)


def test_server_text_in_messages_never_carries_the_secret(token_server: TokenServer) -> None:
    echo = {"error": "invalid_client", "error_description": f"bad {SECRET}"}
    token_server.canned = (400, "application/json", json.dumps(echo).encode())
    error = failure(TokenProvider(token_server.credentials()))
    assert isinstance(error, InvalidClientError)
    assert "bad **********" in str(error)


def test_endpoint_down_then_back(token_server: TokenServer) -> None:
    token_server.stop()

    async def use(provider: TokenProvider) -> str:
        with pytest.raises(AuthUnavailableError, match="cannot connect to Corti's token endpoint"):
            await provider.token()
        token_server.start()
        return await provider.token()

    assert run(TokenProvider(token_server.credentials()), use) == token_server.issued[0]


def test_missing_expires_in_means_corti_lifetime(token_server: TokenServer, clock: FakeClock) -> None:
    token_server.canned = (200, "application/json", b'{"access_token": "x"}')

    async def use(provider: TokenProvider) -> None:
        await provider.token()
        clock.now += 179
        await provider.token()
        clock.now += 1
        await provider.token()

    run(TokenProvider(token_server.credentials(), clock=clock), use)
    assert len(token_server.requests) == 2


@pytest.mark.parametrize("settings", [{"timeout": 0}, {"refresh_margin": -1}])
def test_settings_that_would_misbehave_are_refused(settings: dict[str, float]) -> None:
    credentials = CortiCredentials(client_id=CLIENT_ID, client_secret=SECRET)
    with pytest.raises(ValueError):
        TokenProvider(credentials, **settings)


def test_shared_client_is_left_open(token_server: TokenServer) -> None:
    async def main() -> None:
        async with httpx.AsyncClient() as client:
            async with TokenProvider(token_server.credentials(), client=client) as provider:
                await provider.token()
            assert not client.is_closed

    asyncio.run(main())


def test_nothing_secret_is_logged(token_server: TokenServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    run(TokenProvider(token_server.credentials()), lambda provider: provider.token())
    failure(TokenProvider(token_server.credentials(tenant="acme")))
    assert caplog.records
    assert SECRET not in caplog.text
    assert token_server.issued[0] not in caplog.text
