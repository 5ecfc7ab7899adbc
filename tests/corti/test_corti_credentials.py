"""Corti credentials read from the environment, and the secret kept out of every rendering."""

import logging

import pytest

from dictation_daemon.corti.credentials import CortiCredentials, CredentialsError

SECRET = "s3cr3t-value"


def env(**values: str) -> dict[str, str]:
    return {"CORTI_CLIENT_ID": "daemon", "CORTI_CLIENT_SECRET": SECRET} | values


def test_nothing_set_means_no_credentials() -> None:
    assert CortiCredentials.from_env({}) is None
    assert CortiCredentials.from_env({"CORTI_CLIENT_ID": " ", "CORTI_CLIENT_SECRET": "", "CORTI_TENANT": "x"}) is None


def test_defaults() -> None:
    credentials = CortiCredentials.from_env(env())
    assert credentials is not None
    assert (credentials.environment, credentials.tenant, credentials.scope) == ("eu", "base", "openid transcribe")
    assert credentials.client_id == "daemon"
    assert credentials.client_secret.get_secret_value() == SECRET
    assert credentials.auth_url is None and credentials.api_url is None
    assert credentials.token_url == "https://auth.eu.corti.app/realms/base/protocol/openid-connect/token"


def test_every_variable() -> None:
    credentials = CortiCredentials.from_env(
        env(
            CORTI_ENVIRONMENT="US",
            CORTI_TENANT="acme",
            CORTI_SCOPE="openid",
            CORTI_AUTH_URL="http://127.0.0.1:8080",
            CORTI_API_URL="ws://127.0.0.1:8765",
        )
    )
    assert credentials is not None
    assert (credentials.environment, credentials.tenant, credentials.scope) == ("us", "acme", "openid")
    assert credentials.token_url == "http://127.0.0.1:8080/realms/acme/protocol/openid-connect/token"
    assert credentials.transcribe_url("tok") == (
        "ws://127.0.0.1:8765/audio-bridge/v2/transcribe?tenant-name=acme&token=Bearer%20tok"
    )


def test_values_are_stripped() -> None:
    credentials = CortiCredentials.from_env(env(CORTI_CLIENT_ID=" daemon\n", CORTI_TENANT=" base "))
    assert credentials is not None
    assert (credentials.client_id, credentials.tenant) == ("daemon", "base")


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"CORTI_CLIENT_ID": "daemon"}, "CORTI_CLIENT_ID is set but CORTI_CLIENT_SECRET is not"),
        ({"CORTI_CLIENT_SECRET": SECRET}, "CORTI_CLIENT_SECRET is set but CORTI_CLIENT_ID is not"),
        (env(CORTI_ENVIRONMENT="de"), "CORTI_ENVIRONMENT must be 'eu' or 'us', not 'de'"),
        (env(CORTI_AUTH_URL="auth.example"), "CORTI_AUTH_URL"),
        (env(CORTI_API_URL="https://api.example"), "CORTI_API_URL"),
    ],
)
def test_bad_settings_are_named(environ: dict[str, str], message: str) -> None:
    with pytest.raises(CredentialsError, match=message) as caught:
        CortiCredentials.from_env(environ)
    assert SECRET not in str(caught.value)


def test_secret_never_rendered(caplog: pytest.LogCaptureFixture) -> None:
    credentials = CortiCredentials.from_env(env())
    assert credentials is not None
    logging.getLogger("test").warning("credentials %s %r", credentials, credentials)
    for rendering in (repr(credentials), str(credentials), credentials.model_dump_json(), caplog.text):
        assert SECRET not in rendering
        assert "daemon" in rendering


def test_direct_construction_checks_environment() -> None:
    with pytest.raises(ValueError):
        CortiCredentials(environment="de", client_id="daemon", client_secret=SECRET)  # type: ignore[arg-type]
