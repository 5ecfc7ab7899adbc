"""Without global hotkeys the daemon says so loudly and still dictates through the socket and the CLI."""

from __future__ import annotations

import pytest

from dictation_daemon.rpc.client import RpcClient
from testkit.rig.daemon import finals_until_idle, spoken, words

pytestmark = [pytest.mark.desktop, pytest.mark.engine]


def test_no_display_is_reported_and_the_command_line_trigger_dictates(start_daemon, microphone, tmp_path):
    daemon = start_daemon(display=False)
    log = daemon.log.read_text()
    assert "WARNING" in log and "global hotkeys are unavailable" in log
    status = daemon.call("status")
    assert status["hotkeys"]["support"] == "unavailable"
    assert "keystroke" in status["plugins"]["unavailable"]
    assert "WARNING: global hotkeys are unavailable" in daemon.cli("status").stderr

    with RpcClient(daemon.socket) as listener:
        listener.call("status")
        assert daemon.cli("start").stdout.strip() == "listening"
        microphone.play(str(spoken(tmp_path, "one", "the patient reports mild chest pain period")))
        assert daemon.cli("stop").stdout.strip() == "finishing"
        daemon.wait_idle()
        finals, states = finals_until_idle(listener)
    assert states == ["listening", "finishing", "idle"]
    assert words(" ".join(finals)) == "the patient reports mild chest pain".split()

    assert daemon.cli("stop").stdout.strip() == "idle"
    refused = daemon.cli("paste-last")
    assert refused.returncode == 2 and "no enabled plugin can insert text" in refused.stderr
