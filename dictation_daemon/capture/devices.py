"""Choosing the input device by name or index, with an error that lists what is there.

A dictation set-up often has several microphones (laptop, headset, USB hand microphone); a wrong or
vanished choice must fail loudly with the alternatives rather than silently record from another one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sounddevice as sd


@dataclass(frozen=True)
class InputDevice:
    """One PortAudio device that can record."""

    index: int
    name: str
    channels: int
    is_default: bool

    def describe(self) -> str:
        return f"{self.index}: {self.name}{' (default)' if self.is_default else ''}"


class DeviceNotFound(LookupError):
    """The requested input device does not exist or is ambiguous; the message names the available ones."""

    def __init__(self, wanted: str | int, problem: str, available: Sequence[InputDevice]) -> None:
        listing = "; ".join(device.describe() for device in available) or "none"
        super().__init__(f"input device {wanted!r} {problem}. Available input devices: {listing}")
        self.wanted = wanted
        self.available = tuple(available)


def list_input_devices() -> list[InputDevice]:
    """The devices PortAudio can record from, as it saw them when it was (re)initialised."""
    default_input = sd.default.device[0]
    return [
        InputDevice(index, info["name"], info["max_input_channels"], index == default_input)
        for index, info in enumerate(sd.query_devices())
        if info["max_input_channels"] > 0
    ]


def find_input_device(wanted: str | int | None, devices: Sequence[InputDevice]) -> InputDevice | None:
    """Resolves a configured device: ``None`` means the system default (returned as ``None``), an int or a
    string of digits is an index, any other string a case-insensitive part of the name (an exact name wins).

    Raises :class:`DeviceNotFound` when nothing or several devices match, so the user never records from a
    microphone they did not mean.
    """
    if wanted is None:
        return None
    if isinstance(wanted, int) or wanted.strip().isdigit():
        index = int(wanted)
        for device in devices:
            if device.index == index:
                return device
        raise DeviceNotFound(wanted, "is not an input device index", devices)
    needle = wanted.strip().casefold()
    exact = [device for device in devices if device.name.casefold() == needle]
    if exact:
        return exact[0]
    matches = [device for device in devices if needle in device.name.casefold()]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise DeviceNotFound(wanted, "matches no input device", devices)
    raise DeviceNotFound(wanted, f"matches {len(matches)} devices, name one of them more exactly", devices)


def reinitialise_portaudio() -> None:
    """Makes PortAudio enumerate devices again and re-read the sound server's location from the environment.

    PortAudio snapshots both at initialisation, so a microphone plugged back in, or a restarted sound
    server, is invisible until this runs. Streams still open are invalidated, so call it only with none open.
    sounddevice has no public call for this, so its private pair is used.
    """
    sd._terminate()
    sd._initialize()
