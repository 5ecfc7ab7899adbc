"""Combo strings from configuration become the key sets the listener reports."""

from __future__ import annotations

import pytest

from dictation_daemon.hotkeys.combo import Combo, ComboError, normalise_key, parse_combo


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("ctrl+alt+space", {"ctrl", "alt", "space"}),
        ("<f9>", {"f9"}),
        ("ctrl+shift+d", {"ctrl", "shift", "d"}),
        ("<ctrl>+<alt>+D", {"ctrl", "alt", "d"}),
        ("Control_R + Shift_L + Return", {"ctrl", "shift", "enter"}),
        ("super+escape", {"cmd", "esc"}),
        ("ctrl+plus", {"ctrl", "+"}),
        ("alt_gr+f24", {"alt_gr", "f24"}),
    ],
)
def test_parses_and_normalises(text: str, keys: set[str]) -> None:
    assert parse_combo(text) == Combo(frozenset(keys))


def test_left_and_right_modifiers_are_one_key() -> None:
    assert normalise_key("ctrl_l") == normalise_key("ctrl_r") == normalise_key("Control") == "ctrl"
    assert normalise_key("shift_r") == "shift"
    assert normalise_key("alt_r") == "alt"


def test_prints_modifiers_first() -> None:
    assert str(parse_combo("space+alt+ctrl")) == "ctrl+alt+space"


@pytest.mark.parametrize("text", ["", "ctrl+", "+d", "ctrl++d", "ctrl+ctrl_r+d", "hyperspace", "f25", "ctrl+banana"])
def test_rejects_malformed_or_unknown(text: str) -> None:
    with pytest.raises(ComboError) as raised:
        parse_combo(text)
    assert repr(text) in str(raised.value)
