"""Fixtures for the Wayland tests: a headless sway for the session, this process pointed at it, a GTK field."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from testkit.rig.wayland import WaylandSession, WaylandTextField, wayland_session


@pytest.fixture(scope="session")
def wayland() -> Iterator[WaylandSession]:
    with wayland_session() as session:
        yield session


@pytest.fixture
def wayland_env(wayland: WaylandSession, monkeypatch: pytest.MonkeyPatch) -> WaylandSession:
    """Makes this process a client of the sway session, with no X display to fall back on."""
    monkeypatch.delenv("DISPLAY", raising=False)
    for name in ("XDG_RUNTIME_DIR", "WAYLAND_DISPLAY", "SWAYSOCK"):
        monkeypatch.setenv(name, wayland.env[name])
    return wayland


@pytest.fixture
def field(wayland_env: WaylandSession) -> Iterator[WaylandTextField]:
    with WaylandTextField(wayland_env) as window:
        yield window
