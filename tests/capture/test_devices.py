"""Choosing an input device by name or index; errors name the alternatives."""

from __future__ import annotations

import pytest

from dictation_daemon.capture.devices import (
    DeviceNotFound,
    InputDevice,
    find_input_device,
)

DEVICES = [
    InputDevice(0, "HDA Intel PCH: ALC257 Analog (hw:0,0)", 2, False),
    InputDevice(3, "Philips SpeechMike Premium: USB Audio (hw:2,0)", 1, False),
    InputDevice(5, "pulse", 32, False),
    InputDevice(6, "default", 32, True),
]


def test_default_is_none() -> None:
    assert find_input_device(None, DEVICES) is None


@pytest.mark.parametrize(("wanted", "index"), [("speechmike", 3), ("PULSE", 5), (3, 3), ("6", 6), ("default", 6)])
def test_by_name_part_or_index(wanted: str | int, index: int) -> None:
    assert find_input_device(wanted, DEVICES).index == index


def test_exact_name_beats_substring() -> None:
    devices = [*DEVICES, InputDevice(7, "pulse monitor", 2, False)]
    assert find_input_device("pulse", devices).index == 5


@pytest.mark.parametrize(("wanted", "problem"), [("usb headset", "matches no input device"), (9, "is not an input device index"), ("hw:", "matches 2 devices")])
def test_errors_list_every_device(wanted: str | int, problem: str) -> None:
    with pytest.raises(DeviceNotFound) as raised:
        find_input_device(wanted, DEVICES)
    message = str(raised.value)
    assert problem in message
    assert "3: Philips SpeechMike" in message and "6: default (default)" in message
