"""An EHR editor embedding dictation: the daemon, the demo editor on the test screen, speech into the microphone.

The daemon runs without a keystroke plugin, so text reaches a section only through the editor holding the
target. Recognition of synthetic speech varies in small ways, so words are compared normalised; which
section each sentence lands in, which the commands and the target decide, is compared exactly.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from dictation_client import Client, Notification
from dictation_client.ehr import Transcript, initialize_params
from dictation_demo_editor.sections import TEMPLATES

from testkit.rig.daemon import spoken, words
from testkit.rig.pipe_child import PipeChild, until_quiet
from testkit.rig.textfield import TextFieldWindow

pytestmark = [pytest.mark.desktop, pytest.mark.engine]

EDITOR = Path(sys.executable).parent / "dictation-demo-editor"
NO_KEYSTROKES = {"plugins": {"enabled": []}}


class DemoEditor(PipeChild):
    """``dictation-demo-editor --automation`` on the test screen, driven over its stdin and stdout."""

    description = "the editor"

    def __init__(self, display: str, socket: Path) -> None:
        super().__init__()
        self._arguments = [str(EDITOR), "--automation", "--socket", str(socket)]
        self._env = {**os.environ, "DISPLAY": display}

    def __enter__(self) -> DemoEditor:
        self.start(self._arguments, self._env)
        return self

    def enter(self, section: str) -> None:
        """Puts the cursor into ``section`` and waits until the editor holds the target for it."""
        self.ask({"do": "focus", "section": section})
        self.wait_claimed(section)

    def wait_claimed(self, section: str) -> None:
        """Waits until the editor holds the target for ``section``: its claim and the section's configuration,
        sent together, are both answered (the daemon shows the claim before it has taken the configuration)."""
        deadline = time.monotonic() + 30
        while (status := self.ask({"do": "status"}))["claimed"] != section:
            if time.monotonic() > deadline:
                raise AssertionError(f"the editor did not claim {section}: {status}")
            time.sleep(0.05)

    def sections(self, quiet_seconds: float = 1.0) -> dict[str, str]:
        """Every section's text, once none has changed for ``quiet_seconds`` (edits arrive asynchronously)."""
        return until_quiet(lambda: self.ask({"do": "read"}), quiet_seconds)


def until_idle(subscription: Any) -> list[Notification]:
    """What a client received up to the daemon's return to idle after dictation."""
    received: list[Notification] = []
    while True:
        notification = subscription.get(timeout=60)
        received.append(notification)
        if notification.method == "state" and notification.params["state"] == "idle" \
                and notification.params["previous"] != "idle":
            return received


def dictate(daemon, client: Client, microphone, wav: Path) -> None:
    assert client.call("dictation.start") == {"state": "listening"}
    microphone.play(str(wav))
    client.call("dictation.stop")
    daemon.wait_idle()


def test_next_section_splits_the_dictation_across_two_sections(start_daemon, microphone, x_display, tmp_path):
    daemon = start_daemon(NO_KEYSTROKES)
    wav = spoken(tmp_path, "sections", "the patient reports mild chest pain period", 0.8, "next section", 0.8,
                 "lungs are clear period")
    with DemoEditor(x_display, daemon.socket) as editor, Client(daemon.socket) as observer:
        observer.call("initialize", initialize_params("observer", commands=[]))
        editor.enter("subjective")
        daemon.wait_for(lambda status: (status["rpc"]["target"] or {}).get("field") == "subjective"
                        and status["session"]["ready"], "the editor's claim and its session")
        with observer.subscribe() as notifications:
            dictate(daemon, observer, microphone, wav)
            seen = until_idle(notifications)
        sections = editor.sections()

    assert words(sections["subjective"]) == "the patient reports mild chest pain".split()
    assert words(sections["objective"]) == "lungs are clear".split()
    assert sections["subjective"].startswith("The ") and sections["subjective"].endswith("pain.")
    assert sections["objective"].startswith("Lungs ") and sections["objective"].endswith("clear.")
    assert sections["assessment"] == sections["plan"] == ""

    transcripts = [Transcript.from_params(n.params) for n in seen if n.method == "transcript"]
    assert any(not t.is_final and t.insert for t in transcripts), "interim text was shown in the section"
    finals = [transcript for transcript in transcripts if transcript.is_final]
    by_field = {field: words(" ".join(final.text for final in finals if final.field == field))
                for field in ("subjective", "objective")}
    assert by_field == {"subjective": words(sections["subjective"]), "objective": words(sections["objective"])}
    assert "command" not in {notification.method for notification in seen}


def test_leaving_the_window_releases_the_target(start_daemon, x_display):
    daemon = start_daemon(NO_KEYSTROKES)
    with DemoEditor(x_display, daemon.socket) as editor:
        editor.enter("assessment")
        daemon.wait_for(lambda status: (status["rpc"]["target"] or {}).get("field") == "assessment",
                        "the editor to claim the assessment section")
        with TextFieldWindow(x_display):  # takes keyboard focus
            daemon.wait_for(lambda status: status["rpc"]["target"] is None, "the editor to release the target")
        editor.enter("plan")
        daemon.wait_for(lambda status: (status["rpc"]["target"] or {}).get("field") == "plan",
                        "the editor to claim again when the user comes back")


def test_section_commands_follow_the_claimed_section(start_daemon, microphone, x_display, tmp_path):
    """``go to {section} section`` from Subjective; then, in Plan, a template only Plan's configuration offers."""
    daemon = start_daemon(NO_KEYSTROKES)
    with DemoEditor(x_display, daemon.socket) as editor, Client(daemon.socket) as client:
        editor.enter("subjective")
        daemon.wait_for(lambda status: (status["rpc"]["target"] or {}).get("field") == "subjective"
                        and status["session"]["ready"], "the editor's claim and its session")
        dictate(daemon, client, microphone, spoken(tmp_path, "go", "go to plan section"))
        editor.wait_claimed("plan")
        dictate(daemon, client, microphone, spoken(tmp_path, "template", "insert discharge template"))
        sections = editor.sections()

    assert sections["plan"] == TEMPLATES["plan"]["discharge"]
    assert sections["subjective"] == sections["objective"] == sections["assessment"] == ""
