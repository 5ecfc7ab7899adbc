"""The availability check says why hotkeys cannot work, and passes when an X display with RECORD is there."""

from __future__ import annotations

from dictation_daemon.hotkeys.availability import Support, check_hotkeys


def test_no_graphical_session() -> None:
    verdict = check_hotkeys({})
    assert verdict.support is Support.UNAVAILABLE and not verdict.usable
    assert "DISPLAY" in verdict.reason and "trigger" in verdict.reason


def test_wayland_without_x_access() -> None:
    verdict = check_hotkeys({"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"})
    assert verdict.support is Support.UNAVAILABLE
    assert "Wayland" in verdict.reason


def test_unreachable_x_display() -> None:
    verdict = check_hotkeys({"DISPLAY": ":199"})
    assert verdict.support is Support.UNAVAILABLE
    assert "cannot connect to X display :199" in verdict.reason


def test_reachable_x_display(x_display: str) -> None:
    verdict = check_hotkeys({"DISPLAY": x_display})
    assert verdict.support is Support.AVAILABLE and verdict.usable
    assert x_display in verdict.reason


def test_xwayland_is_limited(x_display: str) -> None:
    verdict = check_hotkeys({"DISPLAY": x_display, "WAYLAND_DISPLAY": "wayland-0"})
    assert verdict.support is Support.LIMITED and verdict.usable
    assert "X11 window" in verdict.reason
