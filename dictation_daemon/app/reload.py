"""The decisions behind the daemon's signals: how long SIGTERM waits, and what a SIGHUP rebuilds.

SIGTERM (and SIGINT) end a dictation in progress and deliver its text before the daemon stops, within
:data:`DEFAULT_STOP_TIMEOUT` seconds unless ``run --stop-timeout`` says otherwise.

SIGHUP must not drop the socket's clients, so the daemon rebuilds only what a changed section feeds: the
backend and its warm session, the hotkey listener, the plugins. Sections whose parts cannot be swapped
under a running daemon (the socket itself, the open microphone, the history kept in memory) are named so
the log can say that they take effect at the next start. Pure decisions; :mod:`.daemon` carries them out.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config.model import DaemonConfig

DEFAULT_STOP_TIMEOUT = 10.0
"""Seconds a stop signal leaves a dictation in progress to be finished and delivered before the daemon stops anyway."""

BACKEND_SECTIONS = ("backend", "transcription", "engine", "editing", "autotexts")
"""What the backend and the session's config (its commands included) are made from."""
HOTKEY_SECTIONS = ("hotkeys",)
PLUGIN_SECTIONS = ("plugins", "autotexts")
RESTART_SECTIONS = ("audio", "rpc", "history", "ui")
"""Applied only at the next start: the socket keeps its clients, the microphone its pre-roll, history its
entries, the indicator its window."""


@dataclass(frozen=True)
class ReloadPlan:
    """The parts to rebuild for a new configuration, and the changed sections that wait for a restart."""

    changed: tuple[str, ...]
    backend: bool
    hotkeys: bool
    plugins: bool
    logging: bool
    needs_restart: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return not self.changed


def plan_reload(old: DaemonConfig, new: DaemonConfig) -> ReloadPlan:
    """Compares section by section; ``server`` belongs to ``serve`` and never matters to a running daemon."""
    changed = tuple(name for name in type(old).model_fields
                    if name != "server" and getattr(old, name) != getattr(new, name))
    return ReloadPlan(
        changed=changed,
        backend=any(name in changed for name in BACKEND_SECTIONS),
        hotkeys=any(name in changed for name in HOTKEY_SECTIONS),
        plugins=any(name in changed for name in PLUGIN_SECTIONS),
        logging="logging" in changed,
        needs_restart=tuple(name for name in changed if name in RESTART_SECTIONS),
    )
