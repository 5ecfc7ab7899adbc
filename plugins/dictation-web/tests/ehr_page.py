"""The demo EHR page in Chromium, as a test drives it: pairing it with a daemon, focusing fields, reading them."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from dictation_daemon.rpc.client import RpcClient

INPUT_LOG = """
window.inputLog = [];
document.addEventListener("input", (event) => window.inputLog.push(
  {field: event.target.id, type: event.inputType, value: event.target.value}), true);
"""


class EhrPage:
    """One tab of the demo page (its own browser profile), connected to the daemon at ``socket``."""

    def __init__(self, page: Page, socket: Path) -> None:
        self.page = page
        self.socket = socket
        page.add_init_script(INPUT_LOG)

    def open(self, url: str) -> EhrPage:
        self.page.goto(url)
        return self

    def pair(self) -> str:
        """Confirms the code the page shows, as the user would; returns the code once the page is ready."""
        code = self.wait_for_code()
        with RpcClient.connect(self.socket) as user:
            user.call("pairing.confirm", {"code": code})
        self.wait_ready()
        return code

    def wait_for_code(self, timeout: float = 15) -> str:
        self.page.wait_for_function("document.getElementById('code').textContent.length === 6",
                                    timeout=timeout * 1000)
        return self.page.inner_text("#code")

    def wait_ready(self, timeout: float = 15) -> None:
        self.page.wait_for_function("window.dictationDemo && window.dictationDemo.client.ready",
                                    timeout=timeout * 1000)

    def connection(self) -> str:
        return self.page.evaluate("window.dictationDemo.client.status.connection")

    def status_text(self) -> str:
        return self.page.inner_text("#status")

    def focus(self, field: str, text: str = "") -> None:
        """Clicks into ``field``, gives it ``text`` by typing, and waits until the daemon has the claim."""
        self.page.click(f"#{field}")
        if text:
            self.page.keyboard.type(text)
            self.page.wait_for_timeout(400)  # the page claims again once the user pauses typing
        self.wait_claimed(field)

    def wait_claimed(self, field: str, timeout: float = 10) -> None:
        """Waits until the daemon's target is ``field``."""
        deadline = time.monotonic() + timeout
        while True:
            with RpcClient.connect(self.socket) as client:
                target = client.call("status")["rpc"]["target"]
            if target and target["field"] == field:
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"the page did not claim {field}: {target}")
            time.sleep(0.05)

    def value(self, field: str) -> str:
        return self.page.input_value(f"#{field}")

    def active(self) -> str:
        return self.page.evaluate("document.activeElement.id")

    def inputs(self, field: str) -> list[dict[str, Any]]:
        """The ``input`` events the field fired, with its value after each."""
        return [entry for entry in self.page.evaluate("window.inputLog") if entry["field"] == field]

    def wait_for(self, predicate: Callable[[], bool], what: str, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            time.sleep(0.02)
