"""The listener under a private Xvfb: real key events from xdotool reach the machine as one START and one STOP."""

from __future__ import annotations

import asyncio
import subprocess

import pytest

from dictation_daemon.hotkeys.combo import parse_combo
from dictation_daemon.hotkeys.machine import Action, Bindings, Mode, PushToTalk


@pytest.fixture
def display_env(x_display: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("DISPLAY", x_display)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    return {"DISPLAY": x_display}


def xdotool(env: dict[str, str], *arguments: str) -> None:
    subprocess.run(["xdotool", *arguments], env=env, check=True, timeout=10)


BINDINGS = Bindings(parse_combo("ctrl+alt+space"), cancel=parse_combo("esc"))


async def listen_while(env: dict[str, str], mode: Mode, script: list[tuple[str, ...]],
                       bindings: Bindings = BINDINGS) -> list[Action]:
    """Starts the listener, plays the xdotool commands (with ``("sleep", seconds)`` pauses), returns the actions."""
    from dictation_daemon.hotkeys.listener import HotkeyListener

    actions: list[Action] = []
    machine = PushToTalk(bindings, mode)
    listener = HotkeyListener(machine, actions.append)
    await listener.start()
    try:
        for step in script:
            if step[0] == "sleep":
                await asyncio.sleep(float(step[1]))
            else:
                await asyncio.to_thread(xdotool, env, *step)
        await asyncio.sleep(0.5)
    finally:
        listener.stop()
    return actions


def test_hold_with_repeated_presses_is_one_utterance(display_env: dict[str, str]) -> None:
    script: list[tuple[str, ...]] = [("keydown", "ctrl"), ("keydown", "alt"), ("keydown", "space"), ("sleep", "0.3")]
    script += [("keydown", "space"), ("sleep", "0.03")] * 10  # what a held key's auto-repeat looks like
    script += [("keyup", "ctrl"), ("keyup", "space"), ("keyup", "alt")]  # released in another order
    assert asyncio.run(listen_while(display_env, Mode.HOLD, script)) == [Action.START, Action.STOP]


def test_fake_release_press_pairs_are_one_utterance(display_env: dict[str, str]) -> None:
    script: list[tuple[str, ...]] = [("keydown", "ctrl+alt+space"), ("sleep", "0.3")]
    script += [("keyup", "space", "keydown", "space"), ("sleep", "0.03")] * 8  # one xdotool call: back to back
    script += [("keyup", "ctrl+alt+space")]
    assert asyncio.run(listen_while(display_env, Mode.HOLD, script)) == [Action.START, Action.STOP]


def test_cancel_combo_through_the_listener(display_env: dict[str, str]) -> None:
    script: list[tuple[str, ...]] = [("key", "ctrl+alt+space"), ("sleep", "0.3"), ("key", "Escape")]
    assert asyncio.run(listen_while(display_env, Mode.TOGGLE, script)) == [Action.START, Action.CANCEL]


def test_a_letter_typed_right_after_the_release_fires_no_hotkey(display_env: dict[str, str]) -> None:
    """What the daemon's own typing looks like to its listener: XTEST keys a few ms after the combo came up."""
    bindings = Bindings(parse_combo("ctrl+alt+space"), cancel=parse_combo("ctrl+alt+c"), paste_last=parse_combo("ctrl+alt+v"))
    script: list[tuple[str, ...]] = [("keydown", "ctrl+alt+space"), ("sleep", "0.3"),
                                     ("keyup", "space", "keyup", "alt", "keyup", "ctrl", "key", "v", "key", "c")]
    assert asyncio.run(listen_while(display_env, Mode.HOLD, script, bindings)) == [Action.START, Action.STOP]


def test_hotkeys_do_not_reach_the_focused_application(display_env: dict[str, str]) -> None:
    """Tk's Text pastes on any Ctrl+V, extra modifiers or not: without the grab, ctrl+alt+v would paste there."""
    from testkit.rig.textfield import TextFieldWindow

    bindings = Bindings(parse_combo("ctrl+alt+space"), paste_last=parse_combo("ctrl+alt+v"))
    with TextFieldWindow(display_env["DISPLAY"]) as field:
        field.focus()
        subprocess.run(["xclip", "-selection", "clipboard"], input=b"must not be pasted", env=display_env,
                       check=True, timeout=10)
        script: list[tuple[str, ...]] = [("key", "ctrl+alt+v"), ("sleep", "0.3"), ("type", "typed")]
        actions = asyncio.run(listen_while(display_env, Mode.HOLD, script, bindings))
        assert actions == [Action.PASTE_LAST]
        assert field.settle() == "typed"


QUIT_AFTER_THE_DISPLAY = """
import asyncio, os, sys, time
from testkit.rig.display import virtual_display
from dictation_daemon.hotkeys.combo import parse_combo
from dictation_daemon.hotkeys.listener import HotkeyListener
from dictation_daemon.hotkeys.machine import Bindings, Mode, PushToTalk

screen = virtual_display()
os.environ["DISPLAY"] = screen.__enter__()
loop = asyncio.new_event_loop()
listener = HotkeyListener(PushToTalk(Bindings(parse_combo("ctrl+alt+space")), Mode.HOLD), print)
loop.run_until_complete(listener.start())
screen.__exit__(None, None, None)  # a logout: the X server ends before the daemon
time.sleep(1.0)
listener.stop()
loop.close()
time.sleep(0.5)
print("stopped")
"""


def test_the_listener_ends_quietly_when_the_x_server_went_away_first():
    import sys
    from pathlib import Path

    result = subprocess.run([sys.executable, "-c", QUIT_AFTER_THE_DISPLAY], capture_output=True, text=True,
                            timeout=60, cwd=Path(__file__).resolve().parents[2])
    assert result.returncode == 0 and result.stdout.strip() == "stopped"
    assert "Traceback" not in result.stderr and "Exception in thread" not in result.stderr, result.stderr
