"""The package in Chromium against the daemon's real socket server, the daemon's events made to happen on
purpose: edits at the caret, interim text replaced in place, undo one phrase at a time, React state,
section commands, pairing, refusal, revocation and reconnection."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from dictation_daemon.events.dictation import CommandEvent, TranscriptEvent
from dictation_daemon.rpc.client import RpcClient
from dictation_daemon.web.demo_server import DemoServer, package_folder
from testkit.rig.browser import chromium
from testkit.rig.in_process import DaemonRig, running_daemon

from ehr_page import EhrPage

PACKAGE = package_folder()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def demo() -> Iterator[DemoServer]:
    assert PACKAGE is not None
    with DemoServer(PACKAGE) as server:
        yield server


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@contextmanager
def daemon_for(demo: DemoServer, folder: Path, port: int) -> Iterator[DaemonRig]:
    settings = {"websocket": {"enabled": True, "port": port, "allowed_origins": [demo.origin],
                              "pairings_file": str(folder / "pairings.json")}}
    with running_daemon(folder, rpc=settings) as rig:
        yield rig


@pytest.fixture(scope="module")
def port() -> int:
    return free_port()


@pytest.fixture(scope="module")
def rig(demo: DemoServer, tmp_path_factory: pytest.TempPathFactory, port: int) -> Iterator[DaemonRig]:
    with daemon_for(demo, tmp_path_factory.mktemp("daemon"), port) as running:
        yield running


@pytest.fixture
def ehr(browser: Browser, demo: DemoServer, rig: DaemonRig, port: int) -> Iterator[EhrPage]:
    context = browser.new_context()
    page = EhrPage(context.new_page(), rig.socket).open(demo.page_url(f"ws://127.0.0.1:{port}/"))
    page.pair()
    yield page
    context.close()


def final(text: str, start: float, end: float) -> TranscriptEvent:
    return TranscriptEvent(text, text, start, end, True)


def interim(text: str, start: float, end: float) -> TranscriptEvent:
    return TranscriptEvent(text, text, start, end, False)


def test_dictation_lands_at_the_caret_joined_to_the_text_around_it(ehr: EhrPage, rig: DaemonRig):
    ehr.focus("subjective", "Seen today.")
    rig.publish(interim("patient is", 0.0, 0.5))
    ehr.wait_for(lambda: ehr.value("subjective") == "Seen today. Patient is", "the interim text in place")
    rig.publish(interim("patient is stable", 0.0, 0.8))
    ehr.wait_for(lambda: ehr.value("subjective") == "Seen today. Patient is stable", "the next interim in place")
    rig.publish(final("patient is stable.", 0.0, 1.0))
    ehr.wait_for(lambda: ehr.value("subjective") == "Seen today. Patient is stable.", "the final in place")
    rig.publish(final("lungs clear.", 1.5, 2.0))
    ehr.wait_for(lambda: ehr.value("subjective") == "Seen today. Patient is stable. Lungs clear.", "the next final")
    assert ehr.page.evaluate("[document.activeElement.selectionStart, document.activeElement.value.length]") == [43, 43]
    assert {entry["type"] for entry in ehr.inputs("subjective")} >= {"insertText"}


def test_undo_takes_back_one_dictated_phrase_at_a_time_and_never_the_interims(ehr: EhrPage, rig: DaemonRig):
    ehr.focus("assessment", "Stable.")
    for start, words in ((0.0, "improving"), (2.0, "no fever")):
        rig.publish(interim(words.split()[0], start, start + 0.3), interim(words, start, start + 0.6),
                    final(words + ".", start, start + 1.0))
    ehr.wait_for(lambda: ehr.value("assessment") == "Stable. Improving. No fever.", "both finals")
    ehr.page.keyboard.press("Control+z")
    assert ehr.value("assessment") == "Stable. Improving."
    ehr.page.keyboard.press("Control+z")
    assert ehr.value("assessment") == "Stable."
    ehr.page.keyboard.press("Control+z")  # then the user's own typing, in steps the browser chose
    assert "Stable.".startswith(ehr.value("assessment")) and ehr.value("assessment") != "Stable."


def test_a_react_controlled_field_keeps_the_dictated_text_in_its_state(ehr: EhrPage, rig: DaemonRig):
    ehr.focus("follow-up", "Review")
    rig.publish(interim("in two", 0.0, 0.5), final("in two weeks", 0.0, 1.0))
    ehr.wait_for(lambda: ehr.value("follow-up") == "Review in two weeks", "the final in the React field")
    state = ehr.page.get_attribute("#follow-up-state", "data-value")
    assert state == "Review in two weeks"


def test_a_contenteditable_takes_dictation_at_the_caret_with_interims_replaced(ehr: EhrPage, rig: DaemonRig):
    ehr.page.click("#addendum")
    ehr.page.keyboard.type("Called the family.")
    ehr.page.wait_for_timeout(400)
    ehr.wait_claimed("addendum")

    def text() -> str:
        return ehr.page.inner_text("#addendum")

    rig.publish(interim("they agree", 0.0, 0.5))
    ehr.wait_for(lambda: text() == "Called the family. They agree", "the interim in place")
    rig.publish(final("they agree with the plan.", 0.0, 1.0))
    ehr.wait_for(lambda: text() == "Called the family. They agree with the plan.", "the final in place")
    ehr.page.keyboard.press("Control+z")
    assert text() == "Called the family."


def test_section_commands_move_the_focus_and_the_claim(ehr: EhrPage, rig: DaemonRig):
    ehr.focus("subjective")
    rig.publish(CommandEvent("next_section", None, "next section", 0.0, 0.5))
    ehr.wait_for(lambda: ehr.active() == "objective", "the focus in the next section")
    ehr.wait_claimed("objective")
    rig.publish(CommandEvent("go_to_section", {"section": "plan"}, "go to plan section", 1.0, 1.5))
    ehr.wait_for(lambda: ehr.active() == "plan", "the focus in the plan")
    ehr.wait_claimed("plan")
    rig.publish(final("follow up in clinic.", 2.0, 3.0))
    ehr.wait_for(lambda: ehr.value("plan") == "Follow up in clinic.", "the plan's text")
    rig.publish(CommandEvent("previous_section", None, "previous section", 4.0, 4.5))
    ehr.wait_for(lambda: ehr.active() == "assessment", "the focus one section back")
    ehr.wait_claimed("assessment")
    rig.publish(CommandEvent("insert_normal_exam", None, "insert normal exam", 5.0, 5.5))
    ehr.wait_for(lambda: ehr.page.inner_text("#commands li:last-child") == "insert_normal_exam in assessment",
                 "the page's own command as an event")
    assert ehr.active() == "assessment"


def test_scratch_that_takes_back_the_last_phrase_only_while_it_is_untouched(ehr: EhrPage, rig: DaemonRig):
    ehr.focus("plan", "Continue aspirin.")
    rig.publish(final("stop metoprolol.", 0.0, 1.0))
    ehr.wait_for(lambda: ehr.value("plan") == "Continue aspirin. Stop metoprolol.", "the final")
    rig.publish(CommandEvent("scratch_that", None, "scratch that", 1.5, 2.0))
    ehr.wait_for(lambda: ehr.value("plan") == "Continue aspirin.", "the phrase taken back")
    rig.publish(final("stop metoprolol.", 3.0, 4.0))
    ehr.wait_for(lambda: ehr.value("plan").endswith("Stop metoprolol."), "the phrase again")
    ehr.page.keyboard.type(" OK")
    ehr.page.wait_for_timeout(300)
    rig.publish(CommandEvent("scratch_that", None, "scratch that", 5.0, 5.5))
    ehr.page.wait_for_timeout(300)
    assert ehr.value("plan").endswith("Stop metoprolol. OK")


def test_the_user_typing_between_interims_keeps_every_word(ehr: EhrPage, rig: DaemonRig):
    ehr.focus("objective")
    rig.publish(interim("heart", 0.0, 0.3))
    ehr.wait_for(lambda: ehr.value("objective") == "Heart", "the interim")
    ehr.page.evaluate("""() => { const field = document.getElementById('objective');
        field.setRangeText('BP 120/80. ', 0, 0, 'preserve'); }""")
    rig.publish(final("heart regular.", 0.0, 1.0))
    ehr.wait_for(lambda: "regular" in ehr.value("objective"), "the final")
    assert ehr.value("objective") == "BP 120/80. Heart regular."


def test_a_final_for_the_field_just_left_lands_there_not_in_the_new_one(ehr: EhrPage):
    """The daemon may send a final for the previous field before it has seen the page's new claim."""
    ehr.focus("subjective", "Cough.")
    ehr.focus("plan")
    ehr.page.evaluate("""() => window.dictationDemo.client.dispatchEvent(new CustomEvent("transcript", {detail: {
        text: "worse at night.", rawTranscriptText: "worse at night period", start: 0, end: 1, isFinal: true,
        field: "subjective", insert: {delete: 0, text: " Worse at night."}}}))""")
    assert ehr.value("subjective") == "Cough. Worse at night."
    assert ehr.value("plan") == "" and ehr.active() == "plan"


def test_a_page_from_an_origin_not_allowed_never_reaches_pairing(browser: Browser, demo: DemoServer, rig: DaemonRig,
                                                                 port: int):
    context = browser.new_context()
    page = EhrPage(context.new_page(), rig.socket)
    page.open(demo.page_url(f"ws://127.0.0.1:{port}/").replace("127.0.0.1", "localhost", 1))
    page.wait_for(lambda: page.connection() == "reconnecting", "the page to give up on this attempt")
    assert "Cannot reach the dictation daemon" in page.status_text()
    with RpcClient.connect(rig.socket) as user:
        assert user.call("pairing.list")["waiting"] == []
    context.close()


def test_a_revoked_page_is_refused_and_asks_to_pair_again(browser: Browser, demo: DemoServer, rig: DaemonRig,
                                                          port: int):
    context = browser.new_context()
    page = EhrPage(context.new_page(), rig.socket).open(demo.page_url(f"ws://127.0.0.1:{port}/"))
    page.pair()
    with RpcClient.connect(rig.socket) as user:
        for pairing in user.call("pairing.list")["pairings"]:
            user.call("pairing.revoke", {"id": pairing["id"]})
    page.wait_for_code()  # the stored token was refused: the page asks again
    assert page.connection() == "pairing" and page.page.is_visible("#pairing")
    assert page.page.evaluate("localStorage.getItem('dictation-daemon:token')") is None
    page.pair()
    context.close()


def test_the_page_reconnects_by_itself_after_the_daemon_restarts(browser: Browser, demo: DemoServer,
                                                                 tmp_path: Path):
    port = free_port()
    context = browser.new_context()
    page: Any = None
    with daemon_for(demo, tmp_path, port) as first:
        page = EhrPage(context.new_page(), first.socket).open(demo.page_url(f"ws://127.0.0.1:{port}/"))
        page.pair()
        page.focus("plan")
    page.wait_for(lambda: page.connection() == "reconnecting", "the page to see the daemon go")
    assert page.status_text() == "Reconnecting to dictation…"
    with daemon_for(demo, tmp_path, port) as second:
        page.socket = second.socket
        page.wait_ready(timeout=20)  # with its stored token: no new pairing
        page.wait_claimed("plan")
        second.publish(final("recheck in a week.", 0.0, 1.0))
        page.wait_for(lambda: page.value("plan") == "Recheck in a week.", "dictation after the restart")
    context.close()


def test_the_dictation_button_toggles_dictation_and_the_field_keeps_the_focus(ehr: EhrPage, rig: DaemonRig):
    ehr.focus("assessment")
    with RpcClient.connect(rig.socket) as observer:
        before = observer.call("status")["state"]
        ehr.page.click("#dictate")
        ehr.wait_for(lambda: observer.call("status")["state"] != before, "the daemon to start dictating")
    assert ehr.active() == "assessment"
    assert ehr.page.get_attribute("#dictate", "data-state") in ("listening", "error")
