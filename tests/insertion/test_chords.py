"""Key chords read from configuration text."""

from __future__ import annotations

import pytest

from dictation_daemon.insertion.chords import Chord


@pytest.mark.parametrize(
    ("text", "modifiers", "key"),
    [
        ("ctrl+v", ("ctrl",), "v"),
        ("Ctrl+Shift+V", ("ctrl", "shift"), "v"),
        ("control + shift + v", ("ctrl", "shift"), "v"),
        ("shift+insert", ("shift",), "insert"),
        ("super+return", ("cmd",), "enter"),
        ("alt+f4", ("alt",), "f4"),
        ("ctrl+ctrl+a", ("ctrl",), "a"),
        ("enter", (), "enter"),
    ],
)
def test_parses(text: str, modifiers: tuple[str, ...], key: str) -> None:
    assert Chord.parse(text) == Chord(modifiers, key)


@pytest.mark.parametrize("text", ["", "ctrl+", "+v", "hyper+v", "ctrl+shift", "ctrl+nokey", "ctrl+ "])
def test_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        Chord.parse(text)


def test_round_trips_as_text() -> None:
    assert str(Chord.parse("Control+Shift+V")) == "ctrl+shift+v"
