"""Session-wide real parts shared by the suites: a virtual screen and a virtual microphone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.rig.display import virtual_display
from tests.rig.pulse import VirtualMicrophone, virtual_microphone


@pytest.fixture(scope="session")
def x_display() -> Iterator[str]:
    """DISPLAY of a private Xvfb screen."""
    with virtual_display() as display:
        yield display


@pytest.fixture(scope="session")
def microphone() -> Iterator[VirtualMicrophone]:
    """A PulseAudio null sink whose monitor is the default capture device."""
    with virtual_microphone() as mic:
        yield mic
