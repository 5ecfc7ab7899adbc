"""The plugin's options (``plugins.options.webhook``), checked when the daemon starts.

Dictated text is patient data: by default it may only go to this machine. A URL on another host is an
error unless ``allow_remote: true`` says the user meant it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})


@dataclass(frozen=True)
class WebhookOptions:
    """Where finals are posted and how patiently."""

    url: str
    allow_remote: bool = False
    queue_size: int = 100
    """Finals waiting to be posted; beyond that new ones are dropped (and counted in the log)."""
    timeout_seconds: float = 5.0
    """Per request, and how long a stopping daemon waits for the queue to empty."""

    @classmethod
    def parse(cls, options: Mapping[str, Any]) -> WebhookOptions:
        """Raises ``ValueError`` naming the option that is wrong."""
        unknown = set(options) - {"url", "allow_remote", "queue_size", "timeout_seconds"}
        if unknown:
            raise ValueError(f"unknown webhook options: {', '.join(sorted(unknown))}")
        url = options.get("url")
        if not isinstance(url, str) or not url:
            raise ValueError("webhook: 'url' is required (for example http://127.0.0.1:8080/dictation)")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"webhook: 'url' must be an http or https URL with a host, not {url!r}")
        allow_remote = options.get("allow_remote", False)
        if not isinstance(allow_remote, bool):
            raise ValueError("webhook: 'allow_remote' must be true or false")
        if not allow_remote and not is_loopback(parts.hostname):
            raise ValueError(f"webhook: {parts.hostname} is not this machine; dictated text leaves it only with "
                             "'allow_remote: true'")
        queue_size = options.get("queue_size", cls.queue_size)
        if not isinstance(queue_size, int) or isinstance(queue_size, bool) or not 1 <= queue_size <= 100000:
            raise ValueError("webhook: 'queue_size' must be a whole number from 1 to 100000")
        timeout = options.get("timeout_seconds", cls.timeout_seconds)
        if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or not 0 < timeout <= 300:
            raise ValueError("webhook: 'timeout_seconds' must be a number above 0 and at most 300")
        return cls(url, allow_remote, queue_size, float(timeout))


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine: ``localhost`` or a loopback address (127.0.0.0/8, ::1)."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
