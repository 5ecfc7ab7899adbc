"""Pasting into a real Tk text field through the real clipboard (xclip), and giving the clipboard back."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pyperclip
import pytest

from dictation_daemon.insertion.chords import Chord
from dictation_daemon.insertion.clipboard import (
    ClipboardPaster,
    PasteRules,
    RestoreOutcome,
)
from dictation_daemon.insertion.window import WindowInfo
from testkit.rig.textfield import TextFieldWindow

TEXT = "Patient reports 5 µg ± 0.5 twice daily; temp 38.5 °C.\nNo rash."


@pytest.fixture
def paster(typer) -> Iterator[ClipboardPaster]:
    clipboard_paster = ClipboardPaster(typer, restore_delay=0.4)
    yield clipboard_paster
    clipboard_paster.close()


def clipboard_owned() -> bool:
    from dictation_daemon.insertion.clipboard import _read_clipboard

    return _read_clipboard() is not None


def copy(text: str) -> None:
    """Copies as the user would, and returns once the clipboard holds the text.

    ``pyperclip.copy`` returns before xclip's background process has taken the clipboard; a paste or a
    restore that looks before then sees the clipboard from before (or none at all).
    """
    from dictation_daemon.insertion.clipboard import _read_clipboard

    pyperclip.copy(text)
    deadline = time.monotonic() + 20
    while (held := _read_clipboard()) != text:
        assert time.monotonic() < deadline, f"the clipboard did not take {text!r} (it holds {held!r})"
        time.sleep(0.01)


def test_paste_lands_and_the_previous_clipboard_comes_back(paster: ClipboardPaster, field: TextFieldWindow) -> None:
    copy("what the user copied")
    report = paster.paste(TEXT)
    assert pyperclip.paste() == TEXT  # not restored before the application could paste
    assert field.settle() == TEXT
    assert report.restored.result(timeout=5) is RestoreOutcome.RESTORED
    assert pyperclip.paste() == "what the user copied"
    assert report.chord == Chord.parse("ctrl+v")
    assert report.insertion.method == "clipboard" and report.insertion.typed == len(TEXT)


def test_clipboard_copied_meanwhile_is_left_alone(paster: ClipboardPaster, field: TextFieldWindow) -> None:
    copy("old")
    paster.restore_delay = 600  # the user's copy must come before the restore, however slow xclip starts
    report = paster.paste("dictated")
    assert field.settle() == "dictated"
    copy("copied by the user meanwhile")
    assert not report.restored.done()
    paster.close()  # restores now, as the timer would
    assert report.restored.result(timeout=5) is RestoreOutcome.CHANGED_MEANWHILE
    assert pyperclip.paste() == "copied by the user meanwhile"


def test_empty_clipboard_stays_empty(paster: ClipboardPaster, field: TextFieldWindow) -> None:
    from dictation_daemon.insertion.clipboard import _empty_clipboard

    _empty_clipboard()
    assert not clipboard_owned()
    report = paster.paste("dictated")
    assert field.settle() == "dictated"
    assert report.restored.result(timeout=5) is RestoreOutcome.EMPTIED
    assert not clipboard_owned()


def test_quick_second_paste_takes_over_the_restore(paster: ClipboardPaster, field: TextFieldWindow) -> None:
    copy("original")
    short_delay, paster.restore_delay = paster.restore_delay, 600  # the second paste comes before this restore
    first = paster.paste("First.")
    assert field.settle() == "First."
    paster.restore_delay = short_delay
    second = paster.paste(" Second.")
    assert field.settle() == "First. Second."
    assert first.restored.result(timeout=5) is RestoreOutcome.TAKEN_OVER
    assert second.restored.result(timeout=5) is RestoreOutcome.RESTORED
    assert pyperclip.paste() == "original"


def test_terminal_gets_ctrl_shift_v(display_env: str, paster: ClipboardPaster) -> None:
    with TextFieldWindow(display_env, window_class="kitty", paste_sequence="<Control-Shift-Key-V>") as terminal:
        report = paster.paste("pasted into a terminal")
        assert terminal.settle() == "pasted into a terminal"
        assert report.chord == Chord.parse("ctrl+shift+v")


def test_other_windows_get_ctrl_v_which_a_ctrl_shift_v_window_ignores(display_env: str, paster) -> None:
    with TextFieldWindow(display_env, window_class="charteditor", paste_sequence="<Control-Shift-Key-V>") as editor:
        report = paster.paste("not pasted")
        assert report.chord == Chord.parse("ctrl+v")
        assert editor.settle(0.5) == ""


def test_rules_match_instance_or_class_case_insensitively() -> None:
    rules = PasteRules(by_window_class={"MyEHR": "shift+insert"})
    assert rules.chord_for(WindowInfo(1, "myehr", "Other", "")) == Chord(("shift",), "insert")
    assert rules.chord_for(WindowInfo(1, "x", "MYEHR", "")) == Chord(("shift",), "insert")
    assert rules.chord_for(WindowInfo(1, "kitty", "kitty", "")) == Chord(("ctrl",), "v")
    assert rules.chord_for(None) == Chord(("ctrl",), "v")
    assert PasteRules().chord_for(WindowInfo(1, "gnome-terminal-server", "Gnome-terminal", "")) == Chord(
        ("ctrl", "shift"), "v"
    )
    with pytest.raises(ValueError):
        PasteRules(by_window_class={"x": "ctrl+hyper+v"})
