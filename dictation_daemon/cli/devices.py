"""``dictation-daemon devices``: the input devices to choose from (``audio.device`` takes a name or index)."""

from __future__ import annotations

import argparse

from .common import UsageError, run_guarded


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("devices", help="list the microphones (input devices)")
    parser.set_defaults(run=lambda arguments: run_guarded(_devices, arguments))


def _devices(arguments: argparse.Namespace) -> int:
    try:
        from ..capture.devices import list_input_devices

        devices = list_input_devices()
    except OSError as error:  # PortAudio missing or failing to start
        raise UsageError(f"cannot list audio devices: {error}") from None
    if not devices:
        print("no input devices found")
        return 1
    for device in devices:
        print(f"{device.describe()} [{device.channels} channels]")
    return 0
