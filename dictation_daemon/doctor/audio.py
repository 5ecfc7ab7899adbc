"""The microphone: PortAudio loads, the configured device exists, and one second recorded from it has a level.

Digital silence (every sample zero) is the typical sign of a muted or wrong device, so it is a warning
even though recording itself worked.
"""

from __future__ import annotations

from ..capture.level import rms_dbfs
from ..config.model import DaemonConfig
from ..protocol.audio_format import SAMPLE_RATE
from .report import Check, fail, ok, warn

SECONDS = 1.0
SILENT_DBFS = -100.0
"""At or below this the device delivered (near) digital zeros: muted, unplugged or the wrong source."""


def check_audio(config: DaemonConfig) -> Check:
    name = "microphone"
    try:
        import sounddevice as sd
    except OSError as error:  # the PortAudio library itself is missing
        return fail(name, f"PortAudio cannot be loaded: {error}",
                    "install PortAudio (Debian: apt install libportaudio2)")
    from ..capture.devices import DeviceNotFound, find_input_device, list_input_devices

    try:
        devices = list_input_devices()
        device = find_input_device(config.audio.device, devices)
    except DeviceNotFound as error:
        return fail(name, str(error), "set audio.device to a name or index that `dictation-daemon devices` lists",
                    devices=[entry.describe() for entry in error.available])
    except (OSError, sd.PortAudioError) as error:
        return fail(name, f"PortAudio cannot list devices: {error}", "check that the sound server runs")
    if not devices:
        return fail(name, "no input device found", "plug in a microphone, or start the sound server")
    label = device.describe() if device is not None else "system default input"
    try:
        samples = sd.rec(int(SAMPLE_RATE * SECONDS), samplerate=SAMPLE_RATE, channels=1, dtype="int16",
                         device=None if device is None else device.index, blocking=True)
    except (OSError, sd.PortAudioError) as error:
        return fail(name, f"cannot record from {label}: {error}",
                    "check that no other program holds the device exclusively, and the sound server runs")
    level = round(rms_dbfs(samples.reshape(-1)), 1)
    if level <= SILENT_DBFS:
        return warn(name, f"{label}: recorded {SECONDS:g} s of silence ({level} dBFS)",
                    "unmute the microphone, or choose another one with audio.device", level_dbfs=level, device=label)
    return ok(name, f"{label}: recorded {SECONDS:g} s at {level} dBFS", level_dbfs=level, device=label)
