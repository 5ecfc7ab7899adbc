"""The push-to-talk machine: modes, X11 auto-repeat, release order, cancel and paste, with made-up timestamps."""

from __future__ import annotations

from dictation_daemon.hotkeys.combo import parse_combo
from dictation_daemon.hotkeys.machine import Action, Bindings, Mode, PushToTalk

START, STOP, CANCEL, PASTE = Action.START, Action.STOP, Action.CANCEL, Action.PASTE_LAST
BINDINGS = Bindings(parse_combo("ctrl+alt+space"), cancel=parse_combo("esc"), paste_last=parse_combo("ctrl+alt+v"))


class Driver:
    """Feeds events and collects every action, calling tick whenever time passes a deadline."""

    def __init__(self, mode: Mode, bindings: Bindings = BINDINGS) -> None:
        self.machine = PushToTalk(bindings, mode, tap_seconds=0.3, repeat_window=0.05)
        self.actions: list[Action] = []

    def _advance(self, now: float) -> None:
        deadline = self.machine.deadline()
        while deadline is not None and deadline <= now:
            self.actions += self.machine.tick(deadline)
            deadline = self.machine.deadline()

    def down(self, at: float, *keys: str) -> None:
        for key in keys:
            self._advance(at)
            self.actions += self.machine.press(key, at)

    def up(self, at: float, *keys: str) -> None:
        for key in keys:
            self._advance(at)
            self.actions += self.machine.release(key, at)

    def settle(self, at: float) -> list[Action]:
        self._advance(at)
        return self.actions


def test_hold_starts_on_the_last_key_and_stops_on_release() -> None:
    d = Driver(Mode.HOLD)
    d.down(0.0, "ctrl", "alt")
    assert d.actions == []
    d.down(0.01, "space")
    assert d.actions == [START]
    d.up(2.0, "space")
    assert d.settle(2.0) == [START], "a release is held back for the repeat window"
    assert d.settle(2.06) == [START, STOP]


def test_release_in_any_order_stops_once() -> None:
    for order in (("ctrl", "alt", "space"), ("space", "ctrl", "alt"), ("alt", "space", "ctrl")):
        d = Driver(Mode.HOLD)
        d.down(0.0, "ctrl", "alt", "space")
        d.up(1.0, *order)
        assert d.settle(5.0) == [START, STOP], order
        assert not d.machine.recording


def test_x11_fake_release_press_pairs_are_one_utterance() -> None:
    d = Driver(Mode.HOLD)
    d.down(0.0, "ctrl", "alt", "space")
    t = 0.5  # auto-repeat begins after the delay, then repeats every 25-40 ms with release+press a few ms apart
    while t < 3.0:
        d.up(t, "space")
        d.down(t + 0.002, "space")
        t += 0.033
    d.up(3.1, "space", "alt", "ctrl")
    assert d.settle(4.0) == [START, STOP]


def test_repeated_presses_of_a_held_key_do_not_start_again() -> None:
    for mode in Mode:
        d = Driver(mode)
        d.down(0.0, "ctrl", "alt", "space")
        for i in range(60):
            d.down(0.5 + i * 0.03, "space")
        assert d.actions == [START], mode


def test_repeat_on_a_modifier_is_also_debounced() -> None:
    d = Driver(Mode.HOLD)
    d.down(0.0, "ctrl", "alt", "space")
    d.up(0.6, "ctrl")
    d.down(0.601, "ctrl")
    d.up(1.5, "space")
    assert d.settle(2.0) == [START, STOP]


def test_a_real_release_then_press_is_two_utterances() -> None:
    d = Driver(Mode.HOLD)
    d.down(0.0, "ctrl", "alt", "space")
    d.up(1.0, "space")
    d.down(1.2, "space")
    d.up(2.0, "space", "alt", "ctrl")
    assert d.settle(3.0) == [START, STOP, START, STOP]


def test_toggle_press_starts_next_press_stops() -> None:
    d = Driver(Mode.TOGGLE)
    d.down(0.0, "ctrl", "alt", "space")
    d.up(0.1, "space", "alt", "ctrl")
    assert d.settle(5.0) == [START]
    d.down(5.0, "ctrl", "alt", "space")
    d.up(5.1, "space", "alt", "ctrl")
    assert d.settle(6.0) == [START, STOP]


def test_auto_tap_latches_and_next_tap_stops() -> None:
    d = Driver(Mode.AUTO)
    d.down(0.0, "ctrl", "alt", "space")
    d.up(0.15, "space", "alt", "ctrl")
    assert d.settle(3.0) == [START]
    assert d.machine.recording
    d.down(3.0, "ctrl", "alt", "space")
    d.up(3.1, "alt", "space", "ctrl")
    assert d.settle(4.0) == [START, STOP]


def test_auto_long_hold_is_push_to_talk() -> None:
    d = Driver(Mode.AUTO)
    d.down(0.0, "ctrl", "alt", "space")
    d.up(1.2, "alt", "ctrl", "space")
    assert d.settle(2.0) == [START, STOP]


def test_auto_tap_measures_the_real_release_time_not_the_confirmation() -> None:
    d = Driver(Mode.AUTO)
    d.down(0.0, "ctrl", "alt", "space")
    d.up(0.28, "space")  # confirmed at 0.33, past the tap limit; the release itself was a tap
    assert d.settle(1.0) == [START]
    assert d.machine.recording


def test_cancel_discards_and_the_later_release_does_nothing() -> None:
    d = Driver(Mode.HOLD)
    d.down(0.0, "ctrl", "alt", "space")
    d.down(1.0, "esc")
    d.up(1.1, "esc", "space", "alt", "ctrl")
    assert d.settle(2.0) == [START, CANCEL]
    assert not d.machine.recording


def test_cancel_when_idle_does_nothing() -> None:
    d = Driver(Mode.HOLD)
    d.down(0.0, "esc")
    d.up(0.1, "esc")
    assert d.settle(1.0) == []


def test_the_more_specific_combo_wins() -> None:
    d = Driver(Mode.HOLD)
    d.down(0.0, "ctrl", "alt", "v")
    d.up(0.1, "v", "alt", "ctrl")
    assert d.settle(1.0) == [PASTE]
    bindings = Bindings(parse_combo("ctrl+space"), paste_last=parse_combo("ctrl+shift+space"))
    d = Driver(Mode.HOLD, bindings)
    d.down(0.0, "ctrl", "shift", "space")
    assert d.settle(1.0) == [PASTE]


def test_extra_keys_do_not_stop_or_restart() -> None:
    d = Driver(Mode.HOLD)
    d.down(0.0, "ctrl", "alt", "space")
    d.down(0.5, "x")
    d.up(0.6, "x")
    assert d.settle(1.0) == [START]


def test_single_key_combo() -> None:
    d = Driver(Mode.HOLD, Bindings(parse_combo("<f9>")))
    d.down(0.0, "f9")
    for i in range(20):
        d.up(0.5 + i * 0.04, "f9")
        d.down(0.501 + i * 0.04, "f9")
    d.up(2.0, "f9")
    assert d.settle(3.0) == [START, STOP]


def test_a_key_pressed_right_after_the_release_does_not_complete_a_combo_with_released_keys() -> None:
    d = Driver(Mode.HOLD)
    d.down(0.0, "ctrl", "alt", "space")
    d.up(1.0, "space", "alt", "ctrl")
    d.down(1.01, "v")  # typed 10 ms later, inside the repeat window: Ctrl and Alt are already up
    d.up(1.02, "v")
    assert d.settle(2.0) == [START, STOP]
    assert d.machine.deadline() is None


def test_another_key_confirms_a_held_back_release_at_once_and_at_its_own_time() -> None:
    d = Driver(Mode.HOLD)
    d.down(0.0, "ctrl", "alt", "space")
    d.up(1.0, "space")
    d.down(1.01, "x")
    assert d.actions == [START, STOP], "the stop is not held back once another key went down"
    d = Driver(Mode.AUTO)
    d.down(0.0, "ctrl", "alt", "space")
    d.up(0.29, "space")
    d.down(0.35, "x")  # confirmed late, but the release itself was a tap
    assert d.actions == [START] and d.machine.recording
