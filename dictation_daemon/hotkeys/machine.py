"""Push-to-talk as a pure state machine: key events with timestamps in, actions out, no I/O.

X11 auto-repeat makes a held key look like press, press, press... or, without detectable auto-repeat,
like release+press pairs a few milliseconds apart. Taken literally, one long hold would start and stop
dictation many times. :class:`KeyDebouncer` holds every release back for ``repeat_window`` seconds and
forgets it if the same key is pressed again in that time, so only real releases reach the mode logic.
That delays a stop by the window (a few tens of ms, inside the audio tail) and never starts twice.

X repeats only the key pressed last, and a repeat's release and press are generated together, so when a
different key goes down every held-back release is real and is confirmed at once. Otherwise a key typed
right after the combo came up (by the user, or by the daemon itself, whose keystrokes the listener sees
too) would count the just-released Ctrl and Alt as held and could complete a hotkey such as Ctrl+Alt+C.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .combo import Combo


class Action(enum.Enum):
    """What the daemon should do."""

    START = "start"
    STOP = "stop"
    CANCEL = "cancel"
    PASTE_LAST = "paste_last"


class Mode(enum.Enum):
    """``hold``: dictate while the combo is held. ``toggle``: each press starts or stops. ``auto``: a short tap
    toggles, a longer hold is push-to-talk, so users need not choose."""

    HOLD = "hold"
    TOGGLE = "toggle"
    AUTO = "auto"


@dataclass(frozen=True)
class Bindings:
    """The combos the machine reacts to; ``cancel`` and ``paste_last`` are optional."""

    talk: Combo
    cancel: Combo | None = None
    paste_last: Combo | None = None


@dataclass(frozen=True)
class KeyEvent:
    """A debounced key change; ``at`` is when it really happened (a confirmed release keeps its own time)."""

    key: str
    down: bool
    at: float


class KeyDebouncer:
    """Turns raw key events into real key changes, dropping auto-repeat presses and fake release/press pairs."""

    def __init__(self, repeat_window: float) -> None:
        self._window = repeat_window
        self._down: set[str] = set()
        self._pending_release: dict[str, float] = {}

    @property
    def down(self) -> frozenset[str]:
        """Keys down, counting a release still within the window as down."""
        return frozenset(self._down)

    def deadline(self) -> float | None:
        """When :meth:`expire` must be called to confirm the oldest held-back release."""
        return min(self._pending_release.values()) + self._window if self._pending_release else None

    def expire(self, now: float) -> list[KeyEvent]:
        """Confirms the releases whose window has passed by ``now``, oldest first."""
        due = sorted((at, key) for key, at in self._pending_release.items() if at + self._window <= now)
        events = []
        for at, key in due:
            del self._pending_release[key]
            self._down.discard(key)
            events.append(KeyEvent(key, False, at))
        return events

    def press(self, key: str, at: float) -> list[KeyEvent]:
        events = self.expire(at)
        if key in self._pending_release:  # a fake release/press pair: the key never went up
            del self._pending_release[key]
            return events
        if key in self._down:  # an auto-repeat press
            return events
        events += self.expire(float("inf"))  # another key went down: no held-back release was a repeat
        self._down.add(key)
        return [*events, KeyEvent(key, True, at)]

    def release(self, key: str, at: float) -> list[KeyEvent]:
        events = self.expire(at)
        if key in self._down:
            self._pending_release[key] = at
        return events


class PushToTalk:
    """Feeds key events through :class:`KeyDebouncer` and the chosen :class:`Mode` to produce actions.

    A combo fires when its last key goes down; when several combos fire at once, the one with the most keys
    wins (so "ctrl+shift+space" is not also "ctrl+space"). Dictation stops when any key of the talk combo is
    released, whatever the order the user lets go of them. The owner calls :meth:`tick` at :meth:`deadline`
    so a release is confirmed even when no further key event arrives.
    """

    def __init__(self, bindings: Bindings, mode: Mode, *, tap_seconds: float = 0.3, repeat_window: float = 0.05) -> None:
        self._bindings = bindings
        self._mode = mode
        self._tap_seconds = tap_seconds
        self._keys = KeyDebouncer(repeat_window)
        self._recording = False
        self._latched = False  # recording continues after the talk combo is released (toggle, or a tap in auto)
        self._started_at = 0.0

    @property
    def bindings(self) -> Bindings:
        return self._bindings

    @property
    def recording(self) -> bool:
        return self._recording

    def deadline(self) -> float | None:
        return self._keys.deadline()

    def press(self, key: str, at: float) -> list[Action]:
        return self._apply(self._keys.press(key, at))

    def release(self, key: str, at: float) -> list[Action]:
        return self._apply(self._keys.release(key, at))

    def tick(self, now: float) -> list[Action]:
        return self._apply(self._keys.expire(now))

    def _apply(self, events: list[KeyEvent]) -> list[Action]:
        actions: list[Action] = []
        held = set(self._keys.down) | {event.key for event in events if not event.down}
        for event in events:
            if event.down:
                actions += self._on_down(event, frozenset(held))
            else:
                held.discard(event.key)
                actions += self._on_up(event)
        return actions

    def _on_down(self, event: KeyEvent, held: frozenset[str]) -> list[Action]:
        fired = [
            (name, combo)
            for name, combo in (("talk", self._bindings.talk), ("cancel", self._bindings.cancel),
                                ("paste_last", self._bindings.paste_last))
            if combo is not None and event.key in combo.keys and combo.keys <= held
        ]
        if not fired:
            return []
        name = max(fired, key=lambda item: len(item[1].keys))[0]
        if name == "cancel":
            if not self._recording:
                return []
            self._recording = False
            return [Action.CANCEL]
        if name == "paste_last":
            return [Action.PASTE_LAST]
        if not self._recording:
            self._recording = True
            self._latched = self._mode is Mode.TOGGLE
            self._started_at = event.at
            return [Action.START]
        if self._latched:
            self._recording = False
            return [Action.STOP]
        return []

    def _on_up(self, event: KeyEvent) -> list[Action]:
        if not self._recording or self._latched or event.key not in self._bindings.talk.keys:
            return []
        if self._mode is Mode.AUTO and event.at - self._started_at < self._tap_seconds:
            self._latched = True
            return []
        self._recording = False
        return [Action.STOP]
