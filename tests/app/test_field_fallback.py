"""A field's configuration the server refuses (a language it does not have): the utterance started right
after it is transcribed with the daemon's own configuration, and the editor hears why."""

from __future__ import annotations

from typing import Any

import pytest

from dictation_daemon.rpc.client import RpcClient
from testkit.rig.daemon import daemon_settings
from testkit.scripted_backend import ScriptedBackend, dictated

pytestmark = [pytest.mark.desktop]

TIMEOUT = 60.0


def transcript(text: str, start: float, end: float) -> dict[str, Any]:
    return {"type": "transcript", "data": {"text": text, "rawTranscriptText": text.lower().rstrip("."),
                                           "start": start, "end": end, "isFinal": True}}


@pytest.mark.parametrize("language", ["da", "xx-unknown"])
def test_an_utterance_right_after_a_refused_language_is_transcribed_all_the_same(run_daemon, tmp_path, language):
    script = [[transcript("Patient is stable.", 0.2, 1.4)], [transcript("Plan as discussed.", 0.2, 1.4)]]
    with ScriptedBackend(script, languages=frozenset({"en"})) as backend:
        settings = daemon_settings(tmp_path / "rpc" / "rpc.sock", backend={"kind": "url", "url": backend.url})
        daemon = run_daemon(settings, "--headless")
        with RpcClient(daemon.socket, timeout=TIMEOUT) as editor:
            editor.call("initialize", {"protocolVersions": ["1.0"], "client": {"name": "editor"}})
            editor.call("target.claim", {"field": "plan"})
            editor.call("session.configure", {"language": language})
            errors: list[dict[str, Any]] = []
            assert list(dictated(editor, errors)) == [("text", "patient is stable")]
            assert list(dictated(editor, errors)) == [("text", "plan as discussed")]
            assert any(error["source"] == "configuration" for error in errors), errors
        assert [config["primaryLanguage"] for config in backend.configs][-1] == "en"
