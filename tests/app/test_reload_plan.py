"""What SIGHUP rebuilds for each changed section (the decisions only; test_signals runs a real reload)."""

from __future__ import annotations

from dictation_daemon.app.reload import plan_reload
from dictation_daemon.config.model import DaemonConfig


def config(**sections: dict) -> DaemonConfig:
    return DaemonConfig.model_validate(sections)


def test_an_unchanged_file_rebuilds_nothing():
    plan = plan_reload(config(), config(server={"port": 9000}))
    assert plan.empty and not (plan.backend or plan.hotkeys or plan.plugins or plan.logging)


def test_a_new_backend_url_rebuilds_the_backend_only():
    plan = plan_reload(config(), config(backend={"kind": "url", "url": "ws://127.0.0.1:1/transcribe"}))
    assert plan.changed == ("backend",) and plan.backend and not (plan.hotkeys or plan.plugins)


def test_a_new_hotkey_rebuilds_only_the_listener():
    plan = plan_reload(config(), config(hotkeys={"talk": "ctrl+alt+k"}))
    assert plan.hotkeys and not plan.plugins and not plan.backend and plan.needs_restart == ()


def test_sections_a_running_daemon_cannot_swap_wait_for_a_restart():
    plan = plan_reload(config(), config(audio={"device": "usb"}, history={"size": 3}, logging={"format": "json"}))
    assert plan.needs_restart == ("audio", "history") and plan.logging and not plan.backend
