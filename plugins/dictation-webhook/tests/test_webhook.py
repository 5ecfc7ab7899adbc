"""The webhook plugin: its options, posting through a bounded queue, the daemon loading it by entry point, and
the field an editor took a final for."""

from __future__ import annotations

import asyncio
import logging

import pytest
from dictation_client import Client
from dictation_client.ehr import claim_params, initialize_params
from dictation_webhook import WebhookPlugin
from dictation_webhook.options import WebhookOptions
from dictation_webhook.sender import WebhookSender

from dictation_daemon.plugins.registry import available_plugins
from testkit.rig.daemon import spoken, words

SECRET = "patient reports chest pain"


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/x", "http://localhost/x", "https://[::1]:8443/", "http://127.1.2.3/"])
def test_urls_on_this_machine_are_accepted(url):
    assert WebhookOptions.parse({"url": url}).url == url


def test_another_host_needs_allow_remote():
    with pytest.raises(ValueError, match="not this machine"):
        WebhookOptions.parse({"url": "https://ehr.example.org/hook"})
    assert WebhookOptions.parse({"url": "https://ehr.example.org/hook", "allow_remote": True}).allow_remote


@pytest.mark.parametrize("options, problem", [
    ({}, "'url' is required"),
    ({"url": "ftp://127.0.0.1/x"}, "http or https"),
    ({"url": "http://127.0.0.1/x", "allow_remote": "yes"}, "allow_remote"),
    ({"url": "http://127.0.0.1/x", "queue_size": 0}, "queue_size"),
    ({"url": "http://127.0.0.1/x", "timeout_seconds": -1}, "timeout_seconds"),
    ({"url": "http://127.0.0.1/x", "retries": 3}, "unknown webhook options: retries"),
])
def test_bad_options_are_refused_naming_the_option(options, problem):
    with pytest.raises(ValueError, match=problem):
        WebhookOptions.parse(options)


def test_the_daemon_finds_the_plugin_through_its_entry_point():
    assert available_plugins()["webhook"] is WebhookPlugin


def test_payloads_are_posted_in_order(receiver):
    async def scenario() -> None:
        sender = WebhookSender(receiver.url, queue_size=10, timeout_seconds=10)
        sender.start()
        for number in range(5):
            sender.submit({"text": f"segment {number}", "start": number, "end": number + 1, "target": None})
        await sender.stop()

    asyncio.run(scenario())
    assert [post["text"] for post in receiver.wait_for(5)] == [f"segment {number}" for number in range(5)]


def test_a_stalled_receiver_fills_the_queue_and_later_finals_are_dropped(receiver):
    receiver.gate.clear()

    async def scenario() -> WebhookSender:
        sender = WebhookSender(receiver.url, queue_size=3, timeout_seconds=30)
        sender.start()
        sender.submit({"text": "first"})
        while sender.waiting:  # the worker took the first and waits on the receiver
            await asyncio.sleep(0.01)
        for number in range(5):
            sender.submit({"text": f"queued {number}"})
        receiver.gate.set()
        await sender.stop()
        return sender

    sender = asyncio.run(scenario())
    assert sender.dropped == 2
    assert [post["text"] for post in receiver.wait_for(4)] == ["first", "queued 0", "queued 1", "queued 2"]


@pytest.mark.parametrize("status", [500, None])
def test_failures_are_logged_without_the_text(receiver, caplog, status):
    url = receiver.url if status else "http://127.0.0.1:9/unreachable"
    receiver.status = status or 204

    async def scenario() -> WebhookSender:
        sender = WebhookSender(url, queue_size=10, timeout_seconds=10)
        sender.start()
        sender.submit({"text": SECRET})
        sender.submit({"text": SECRET})
        await sender.stop()
        return sender

    with caplog.at_level(logging.DEBUG):
        sender = asyncio.run(scenario())
    assert sender.failed == 2
    failures = [record.getMessage() for record in caplog.records if "webhook post failed" in record.getMessage()]
    assert failures and ("HTTP 500" if status else "ConnectError") in failures[0]
    assert not any(SECRET in record.getMessage() for record in caplog.records)


@pytest.mark.desktop
@pytest.mark.engine
def test_the_daemon_posts_each_final_through_the_installed_plugin(start_daemon, microphone, receiver, tmp_path):
    daemon = start_daemon({"plugins": {"enabled": ["webhook"], "options": {"webhook": {"url": receiver.url}}}},
                          display=False)
    assert "webhook" in daemon.call("status")["plugins"]["running"]
    assert daemon.cli("start").stdout.strip() == "listening"
    microphone.play(str(spoken(tmp_path, "one", "the patient reports mild chest pain period")))
    daemon.cli("stop")
    daemon.wait_idle()
    posts = receiver.wait_for(1)
    assert words(" ".join(post["text"] for post in posts)) == "the patient reports mild chest pain".split()
    assert all(set(post) == {"text", "start", "end", "target"} and post["target"] is None for post in posts)
    assert all(post["start"] < post["end"] for post in posts)
    assert all(" DEBUG " in line for line in daemon.log.read_text().splitlines() if "chest pain" in line)


@pytest.mark.desktop
@pytest.mark.engine
def test_finals_an_editor_takes_are_posted_with_its_field(start_daemon, microphone, receiver, tmp_path):
    daemon = start_daemon({"plugins": {"enabled": ["webhook"], "options": {"webhook": {"url": receiver.url}}}},
                          display=False)
    with Client(daemon.socket) as editor:
        editor.call("initialize", initialize_params("chart", inserts_text=True))
        editor.call("target.claim", claim_params("plan"))
        assert daemon.cli("start").stdout.strip() == "listening"
        microphone.play(str(spoken(tmp_path, "plan", "continue the current dose period")))
        daemon.cli("stop")
        daemon.wait_idle()
    posts = receiver.wait_for(1)
    assert words(" ".join(post["text"] for post in posts)) == "continue the current dose".split()
    assert all(post["target"] == "plan" for post in posts)
