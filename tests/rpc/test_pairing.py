"""The pairing rules without a socket: codes, tokens bound to an origin, expiry, revocation, the file."""

from __future__ import annotations

import json
import os

import pytest

from dictation_daemon.rpc.pairing import MAX_WAITING, REQUEST_SECONDS, PairingBook, PairingRefused
from dictation_daemon.rpc.pairing_file import PairingFileError, load_pairings, save_pairings

ORIGIN = "https://ehr.example.org"


def test_a_confirmed_request_gives_a_token_that_works_only_from_its_origin():
    book = PairingBook()
    request = book.request(client=7, origin=ORIGIN, site="Clinic EHR", now=0.0)
    assert len(request.code) == 6 and request.code.isdigit()
    waiting, pairing, token = book.confirm(f"{request.code[:3]} {request.code[3:]}", now=5.0)
    assert waiting.client == 7 and pairing.origin == ORIGIN and pairing.site == "Clinic EHR"
    assert book.check(token, ORIGIN, now=6.0) is pairing and pairing.last_used == 6.0
    assert book.check(token, "https://other.example.org", now=6.0) is None
    assert book.check(token, None, now=6.0) is None
    assert book.check("0" * 64, ORIGIN, now=6.0) is None
    with pytest.raises(PairingRefused):  # a code is good once
        book.confirm(request.code, now=7.0)


def test_a_request_expires_and_one_connection_has_one_request():
    book = PairingBook()
    first = book.request(client=1, origin=ORIGIN, site="", now=0.0)
    second = book.request(client=1, origin=ORIGIN, site="", now=1.0)
    assert [request.code for request in book.waiting(now=2.0)] == [second.code]
    with pytest.raises(PairingRefused, match="no page is waiting"):
        book.confirm(first.code, now=2.0)
    with pytest.raises(PairingRefused):
        book.confirm(second.code, now=1.0 + REQUEST_SECONDS)


def test_waiting_requests_are_bounded_and_withdrawn_with_their_connection():
    book = PairingBook()
    for client in range(MAX_WAITING):
        book.request(client=client, origin=ORIGIN, site="", now=0.0)
    with pytest.raises(PairingRefused, match="already waiting"):
        book.request(client=99, origin=ORIGIN, site="", now=0.0)
    book.withdraw(0)
    assert book.waiting_for(0, now=0.0) is None
    book.request(client=99, origin=ORIGIN, site="", now=0.0)


def test_revoked_tokens_no_longer_work():
    book = PairingBook()
    _, pairing, token = book.confirm(book.request(client=1, origin=ORIGIN, site="", now=0.0).code, now=0.0)
    book.revoke(pairing.id)
    assert book.check(token, ORIGIN, now=1.0) is None
    with pytest.raises(PairingRefused, match="no pairing"):
        book.revoke(pairing.id)


def test_the_file_keeps_hashes_only_and_is_private(tmp_path):
    book = PairingBook()
    _, pairing, token = book.confirm(book.request(client=1, origin=ORIGIN, site="EHR", now=0.0).code, now=0.0)
    path = tmp_path / "state" / "pairings.json"
    save_pairings(path, book)
    assert token not in path.read_text()
    assert os.stat(path).st_mode & 0o777 == 0o600 and os.stat(path.parent).st_mode & 0o777 == 0o700
    again = load_pairings(path)
    assert again.check(token, ORIGIN, now=1.0).id == pairing.id


def test_a_file_open_to_others_or_broken_is_refused_with_its_name(tmp_path):
    path = tmp_path / "pairings.json"
    path.write_text(json.dumps({"version": 1, "pairings": []}))
    path.chmod(0o644)
    with pytest.raises(PairingFileError, match="not a private file"):
        load_pairings(path)
    path.chmod(0o600)
    path.write_text('{"pairings": [{"id": "x"}]}')
    with pytest.raises(PairingFileError, match="pairings.json cannot be read"):
        load_pairings(path)
    path.write_bytes(b"\xff\xfe")
    with pytest.raises(PairingFileError):
        load_pairings(path)
    assert load_pairings(tmp_path / "missing.json").pairings == {}
