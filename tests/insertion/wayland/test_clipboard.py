"""Pasting into a native GTK field through wl-copy and a wtype chord, and giving the clipboard back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dictation_daemon.insertion.chords import Chord
from dictation_daemon.insertion.clipboard import ClipboardPaster, RestoreOutcome
from dictation_daemon.insertion.wlclipboard import WaylandClipboard
from dictation_daemon.insertion.wtype import WtypeTyper
from testkit.rig.wayland import WaylandSession, WaylandTextField

pytestmark = [pytest.mark.desktop]

TEXT = "Patient reports 5 µg ± 0.5 twice daily; temp 38.5 °C, naïve – no rash."


@pytest.fixture
def paster(wayland_env: WaylandSession) -> Iterator[ClipboardPaster]:
    clipboard_paster = ClipboardPaster(WtypeTyper(), clipboard=WaylandClipboard(), restore_delay=0.4)
    yield clipboard_paster
    clipboard_paster.close()


def test_paste_lands_and_the_previous_clipboard_comes_back(paster, field: WaylandTextField, wayland_env) -> None:
    wayland_env.copy("what the user copied")
    report = paster.paste(TEXT)
    assert field.wait_for(TEXT) == TEXT
    assert report.restored.result(timeout=20) is RestoreOutcome.RESTORED
    assert wayland_env.clipboard() == "what the user copied"
    assert report.chord == Chord.parse("ctrl+v")
    assert report.insertion.method == "clipboard" and report.insertion.typed == len(TEXT)


def test_clipboard_copied_meanwhile_is_left_alone(paster, field: WaylandTextField, wayland_env) -> None:
    wayland_env.copy("old")
    paster.restore_delay = 600  # the user's copy must come before the restore, however slow the machine
    report = paster.paste("dictated")
    assert field.wait_for("dictated") == "dictated"
    wayland_env.copy("copied by the user meanwhile")
    paster.close()  # restores now, as the timer would
    assert report.restored.result(timeout=20) is RestoreOutcome.CHANGED_MEANWHILE
    assert wayland_env.clipboard() == "copied by the user meanwhile"


def test_empty_clipboard_stays_empty(paster, field: WaylandTextField, wayland_env) -> None:
    WaylandClipboard().empty()
    assert wayland_env.clipboard() is None
    report = paster.paste("dictated")
    assert field.wait_for("dictated") == "dictated"
    assert report.restored.result(timeout=20) is RestoreOutcome.EMPTIED
    assert wayland_env.clipboard() is None
