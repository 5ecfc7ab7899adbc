"""Speech into the virtual microphone, the daemon with the local engine, the demo page in Chromium: what a
clinician dictating into a web EHR sees. Recognised words may vary slightly between machines, so words are
compared normalised where the model decides them; the join with the text already there (one space, the
capital after a sentence), which field receives what and where the focus goes are compared exactly."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from dictation_daemon.rpc.client import RpcClient
from dictation_daemon.web.demo_server import DemoServer, package_folder
from testkit.rig.browser import chromium
from testkit.rig.daemon import RunningDaemon, daemon_settings, launch, spoken, words
from testkit.rig.pulse import VirtualMicrophone

from ehr_page import EhrPage

pytestmark = [pytest.mark.desktop, pytest.mark.engine]


@pytest.fixture(scope="module")
def demo() -> Iterator[DemoServer]:
    with DemoServer(package_folder()) as server:
        yield server


@pytest.fixture(scope="module")
def port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def daemon(demo: DemoServer, microphone: VirtualMicrophone, tmp_path_factory: pytest.TempPathFactory, port: int
           ) -> Iterator[RunningDaemon]:
    folder = tmp_path_factory.mktemp("web-daemon")
    settings = daemon_settings(folder / "rpc" / "rpc.sock", rpc={"websocket": {
        "enabled": True, "port": port, "allowed_origins": [demo.origin],
        "pairings_file": str(folder / "pairings.json")}})
    config = folder / "config.yaml"
    config.write_text(yaml.safe_dump(settings))
    env = {key: value for key, value in microphone.env.items() if key != "DISPLAY"}
    running = launch(config, env, folder / "rpc" / "rpc.sock", folder / "daemon.log")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def ehr(demo: DemoServer, daemon: RunningDaemon, port: int) -> Iterator[EhrPage]:
    with chromium() as browser:
        context = browser.new_context()
        page = EhrPage(context.new_page(), daemon.socket).open(demo.page_url(f"ws://127.0.0.1:{port}/"))
        page.pair()
        yield page


def dictate(daemon: RunningDaemon, microphone: VirtualMicrophone, wav: Path) -> None:
    with RpcClient.connect(daemon.socket) as client:
        assert client.call("dictation.start") == {"state": "listening"}
        microphone.play(str(wav))
        client.call("dictation.stop")
    daemon.wait_idle()


def test_dictation_lands_at_the_caret_and_its_interim_text_is_replaced(ehr: EhrPage, daemon: RunningDaemon,
                                                                         microphone: VirtualMicrophone, tmp_path):
    ehr.focus("subjective", "Seen today.")
    dictate(daemon, microphone, spoken(tmp_path, "pain", "the patient reports mild chest pain period"))
    ehr.wait_for(lambda: ehr.value("subjective").endswith("."), "the final text")
    text = ehr.value("subjective")
    assert words(text) == "seen today the patient reports mild chest pain".split()
    assert text.startswith("Seen today. The patient ") and text.endswith("pain.")
    values = [entry["value"] for entry in ehr.inputs("subjective")]
    assert any(value.startswith("Seen today. ") and value != text and not value.endswith(".") for value in values), \
        "interim text was shown in the field before the final"
    assert ehr.page.evaluate("document.activeElement.selectionStart") == len(text)


def test_next_section_moves_on_and_go_to_plan_section_reaches_the_plan(ehr: EhrPage, daemon: RunningDaemon,
                                                                        microphone: VirtualMicrophone, tmp_path):
    ehr.focus("assessment")
    dictate(daemon, microphone, spoken(tmp_path, "sections", "the patient reports mild chest pain period", 0.8,
                                       "next section", 0.8, "lungs are clear period"))
    ehr.wait_for(lambda: ehr.value("plan").endswith("."), "the text after next section")
    assert ehr.active() == "plan"
    assert words(ehr.value("assessment")) == "the patient reports mild chest pain".split()
    assert words(ehr.value("plan")) == "lungs are clear".split()
    assert ehr.value("plan").startswith("Lungs ")
    ehr.focus("subjective")
    dictate(daemon, microphone, spoken(tmp_path, "go", "go to plan section"))
    ehr.wait_for(lambda: ehr.active() == "plan", "the focus in the plan")
    ehr.wait_claimed("plan")
    assert words(ehr.value("plan")) == "lungs are clear".split()


def test_a_react_controlled_field_holds_the_dictation_in_its_state(ehr: EhrPage, daemon: RunningDaemon,
                                                                   microphone: VirtualMicrophone, tmp_path):
    ehr.focus("follow-up")
    dictate(daemon, microphone, spoken(tmp_path, "follow", "return to clinic in two weeks"))
    ehr.wait_for(lambda: "weeks" in ehr.value("follow-up"), "the final in the React field")
    assert words(ehr.value("follow-up"))[-2:] in (["two", "weeks"], ["2", "weeks"])
    assert ehr.page.get_attribute("#follow-up-state", "data-value") == ehr.value("follow-up")
