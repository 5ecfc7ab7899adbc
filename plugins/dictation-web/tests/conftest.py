"""The web package in a real browser against a real daemon: the fixtures the suites share."""

from testkit.fixtures import microphone, x_display  # noqa: F401  (fixtures)
