"""Fixtures for the insertion tests: the test screen as this process's display, a typer and a text field."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from testkit.rig.textfield import TextFieldWindow

if TYPE_CHECKING:
    from dictation_daemon.insertion.keyboard import KeystrokeTyper


@pytest.fixture(scope="session")
def held_display(x_display: str) -> Iterator[str]:
    """Keeps one client connected to the test screen for the whole session.

    Xvfb regenerates itself when its last client disconnects and resets connections that arrive
    meanwhile; between two tests every client is gone, so the next test's first connection would fail.
    """
    import Xlib.display

    connection = Xlib.display.Display(x_display)
    yield x_display
    connection.close()


@pytest.fixture
def display_env(held_display: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Points this process at the test screen; pynput and pyperclip read DISPLAY from the environment."""
    monkeypatch.setenv("DISPLAY", held_display)
    return held_display


@pytest.fixture
def typer(display_env: str) -> Iterator[KeystrokeTyper]:
    from dictation_daemon.insertion.keyboard import KeystrokeTyper

    with KeystrokeTyper() as keystroke_typer:
        yield keystroke_typer


@pytest.fixture
def field(display_env: str) -> Iterator[TextFieldWindow]:
    with TextFieldWindow(display_env) as window:
        yield window
