"""``systemctl --user``, and a clear reason when there is none to talk to.

Many machines have no user service manager: containers, SSH sessions without a login session, systems
without systemd. The unit file is still written then, and the user is told how to enable it later.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass

TIMEOUT_SECONDS = 30.0


class SystemdUnavailable(RuntimeError):
    """No user service manager can be reached; the message says why and what to do."""


@dataclass(frozen=True)
class Outcome:
    """What one ``systemctl --user`` call returned."""

    returncode: int
    output: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def systemctl(*arguments: str) -> Outcome:
    """Runs ``systemctl --user ARGUMENTS``; raises :class:`SystemdUnavailable` when the command is missing or
    the user's service manager does not answer (as opposed to a unit that is merely inactive)."""
    command = shutil.which("systemctl")
    if command is None:
        raise SystemdUnavailable("systemctl is not installed: this system does not run systemd")
    try:
        result = subprocess.run([command, "--user", *arguments], capture_output=True, text=True,
                                timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        raise SystemdUnavailable(f"systemctl --user did not answer within {TIMEOUT_SECONDS:g} s") from None
    output = (result.stdout + result.stderr).strip()
    if _unreachable(output):
        raise SystemdUnavailable(f"no user service manager is reachable ({output.splitlines()[0]})")
    return Outcome(result.returncode, output)


def _unreachable(output: str) -> bool:
    markers = ("Failed to connect to bus", "Failed to connect to user scope bus",
               "System has not been booted with systemd", "$DBUS_SESSION_BUS_ADDRESS and $XDG_RUNTIME_DIR not defined")
    return any(marker in output for marker in markers)
