"""The real parts every suite may use (:mod:`testkit.fixtures`)."""

from testkit.fixtures import microphone, start_daemon, x_display  # noqa: F401  (fixtures)
