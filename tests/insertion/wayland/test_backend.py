"""The backend is picked from the session, and a missing tool is named with the Debian package to install."""

from __future__ import annotations

from pathlib import Path

import pytest

from dictation_daemon.doctor.desktop import check_hotkeys_here, check_typing
from dictation_daemon.doctor.report import Mark
from dictation_daemon.insertion.backend import choose_backend

pytestmark = [pytest.mark.desktop]


def test_a_wayland_session_types_through_wtype(wayland) -> None:
    assert choose_backend("auto", wayland.env).kind == "wayland"
    assert choose_backend("auto", wayland.env, clipboard=True).kind == "wayland"
    check = check_typing(wayland.env)
    assert check.mark is Mark.OK and check.details["backend"] == "wayland"


def test_x11_can_be_forced(wayland) -> None:
    choice = choose_backend("x11", wayland.env)
    assert choice.kind is None and "DISPLAY" in choice.note
    assert choose_backend("x11", {**wayland.env, "DISPLAY": ":0"}).kind == "x11"


def test_without_wtype_the_package_is_named(wayland, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    choice = choose_backend("auto", wayland.env)
    assert choice.kind is None and "apt install wtype" in choice.note
    check = check_typing(wayland.env)
    assert check.mark is Mark.FAIL and "apt install wtype wl-clipboard" in (check.advice or "")
    fallback = choose_backend("auto", {**wayland.env, "DISPLAY": ":0"})
    assert fallback.kind == "x11" and "X11 windows only" in fallback.note


def test_without_wl_clipboard_only_pasting_is_refused(wayland, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "wtype").symlink_to("/usr/bin/wtype")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert choose_backend("auto", wayland.env).kind == "wayland"
    choice = choose_backend("wayland", wayland.env, clipboard=True)
    assert choice.kind is None and "apt install wl-clipboard" in choice.note
    assert check_typing(wayland.env).mark is Mark.WARN


def test_the_hotkey_check_points_to_a_compositor_binding(wayland) -> None:
    check = check_hotkeys_here(wayland.env)
    assert check.mark is Mark.FAIL
    assert "bindsym --release" in check.summary and "Hyprland" in check.summary
