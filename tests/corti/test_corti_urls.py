"""The token endpoint and socket URLs, and their redaction for logs."""

from urllib.parse import parse_qs, urlsplit

from dictation_daemon.corti.urls import redact_url, token_url, transcribe_url


def test_transcribe_url_on_corti_hosts() -> None:
    url = transcribe_url("eu", "base", "eyJ.abc-_.xyz")
    assert url == "wss://api.eu.corti.app/audio-bridge/v2/transcribe?tenant-name=base&token=Bearer%20eyJ.abc-_.xyz"
    assert transcribe_url("us", "base", "t").startswith("wss://api.us.corti.app/audio-bridge/v2/transcribe?")


def test_transcribe_url_encodes_every_value() -> None:
    url = transcribe_url("eu", "a&b c", "t/o+k=en")
    assert parse_qs(urlsplit(url).query) == {"tenant-name": ["a&b c"], "token": ["Bearer t/o+k=en"]}
    assert "token=Bearer%20t%2Fo%2Bk%3Den" in url


def test_transcribe_url_override_keeps_the_path() -> None:
    url = transcribe_url("eu", "base", "t", api_url="ws://127.0.0.1:8765/")
    assert url == "ws://127.0.0.1:8765/audio-bridge/v2/transcribe?tenant-name=base&token=Bearer%20t"


def test_token_url() -> None:
    assert token_url("eu", "base") == "https://auth.eu.corti.app/realms/base/protocol/openid-connect/token"
    assert token_url("us", "acme") == "https://auth.us.corti.app/realms/acme/protocol/openid-connect/token"
    assert token_url("eu", "x/y", "http://127.0.0.1:9/") == (
        "http://127.0.0.1:9/realms/x%2Fy/protocol/openid-connect/token"
    )


def test_redact_url_hides_the_token_and_keeps_the_rest() -> None:
    url = transcribe_url("eu", "base", "secret-token-value")
    redacted = redact_url(url)
    assert "secret-token-value" not in redacted
    assert redacted == "wss://api.eu.corti.app/audio-bridge/v2/transcribe?tenant-name=base&token=REDACTED"


def test_redact_url_other_shapes() -> None:
    assert redact_url("ws://h/x?token=a&x-corti-analytics=1#f") == "ws://h/x?token=REDACTED&x-corti-analytics=1#f"
    assert redact_url("https://h/cb?access_token=abc") == "https://h/cb?access_token=REDACTED"
    assert redact_url("wss://h/x") == "wss://h/x"
    assert redact_url("wss://h/x?tokens=1&flag") == "wss://h/x?tokens=1&flag"
