"""Debian's Chromium, headless, driven by Playwright: the real browser web EHRs run in.

Playwright never downloads a browser here; it is pointed at ``/usr/bin/chromium`` with the switches a
closed network needs (no background requests to Google's services, no component updates) and a fresh
profile per launch, so one test's stored token never leaks into another.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Browser, sync_playwright

CHROMIUM_SWITCHES = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage"]


def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        raise RuntimeError("Debian's chromium is not installed: run `make install`")
    return path


@contextmanager
def chromium() -> Iterator[Browser]:
    """A headless Chromium; each ``browser.new_context()`` is a fresh profile (its own localStorage)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_SWITCHES, headless=True)
        try:
            yield browser
        finally:
            browser.close()
