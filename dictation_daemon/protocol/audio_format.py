"""Which audio a ``/transcribe`` stream carries: parsed from ``audioFormat`` or sniffed from the first chunk.

Pure functions, shared by the client (to label what it sends) and the server (to pick a decoder).
"""

from __future__ import annotations

from dataclasses import dataclass

PCM_MIME = "audio/pcm"

SAMPLE_RATE = 16000
"""The one rate inside the daemon: the microphone captures it, the client sends it, the engine hears it."""
BYTES_PER_SAMPLE = 2
"""16-bit mono PCM."""
BYTES_PER_SECOND = SAMPLE_RATE * BYTES_PER_SAMPLE

SOURCE_RATES = range(8000, 192001)
"""Sample rates a container may declare: from telephone audio to studio recordings. Outside it no real
recording exists, and a tiny declared rate would make a small upload expand into hours of samples."""

# MIME type (without parameters) → the container PyAV should demux.
_CONTAINERS = {
    "audio/ogg": "ogg",
    "audio/opus": "ogg",
    "audio/vorbis": "ogg",
    "audio/webm": "webm",
    "audio/mpeg": "mp3",
    "audio/mp3": "mp3",
    "audio/flac": "flac",
    "audio/mp4": "mp4",
    "audio/m4a": "mp4",
    "audio/wav": "wav",
    "audio/wave": "wav",
    "audio/x-wav": "wav",
    PCM_MIME: "pcm",
}


class UnsupportedAudioFormat(ValueError):
    """The ``audioFormat`` names something the server cannot decode (answered with ``CONFIG_REJECTED``)."""


def check_source_rate(rate: int, where: str) -> None:
    """Raises :class:`UnsupportedAudioFormat` for a rate no audio uses (see :data:`SOURCE_RATES`)."""
    if rate not in SOURCE_RATES:
        raise UnsupportedAudioFormat(f"{where} declares a sample rate of {rate} Hz; audio from "
                                     f"{SOURCE_RATES.start} to {SOURCE_RATES.stop - 1} Hz is accepted")


@dataclass(frozen=True)
class AudioFormat:
    """A stream's container and, for raw PCM, its sample layout."""

    container: str
    sample_rate: int = SAMPLE_RATE
    channels: int = 1
    bits: int = 16

    @property
    def is_raw_pcm(self) -> bool:
        return self.container == "pcm"

    @property
    def bytes_per_second(self) -> int:
        return self.sample_rate * self.channels * self.bits // 8

    @property
    def mime(self) -> str:
        if self.is_raw_pcm:
            return f"{PCM_MIME}; rate={self.sample_rate}; channels={self.channels}; bits={self.bits}"
        return next(mime for mime, container in _CONTAINERS.items() if container == self.container)


RAW_PCM_16K = AudioFormat("pcm")


def parse_audio_format(mime: str) -> AudioFormat:
    """Reads an ``audioFormat`` value such as ``audio/ogg; codecs=opus`` or
    ``audio/pcm; rate=16000; channels=1; bits=16``."""
    kind, *parameter_texts = [part.strip() for part in mime.split(";")]
    container = _CONTAINERS.get(kind.lower())
    if container is None:
        raise UnsupportedAudioFormat(f"unsupported audioFormat {mime!r}; supported: {', '.join(sorted(_CONTAINERS))}")
    parameters = {}
    for text in parameter_texts:
        name, _, value = text.partition("=")
        parameters[name.strip().lower()] = value.strip().strip('"')
    codecs = parameters.get("codecs", "").lower()
    if codecs and codecs not in ("opus", "vorbis", "flac", "mp3", "aac", "mp4a.40.2", "pcm"):
        raise UnsupportedAudioFormat(f"unsupported codec {codecs!r} in audioFormat {mime!r}")
    if container != "pcm":
        return AudioFormat(container)
    try:
        layout = AudioFormat(
            "pcm",
            sample_rate=int(parameters.get("rate", SAMPLE_RATE)),
            channels=int(parameters.get("channels", 1)),
            bits=int(parameters.get("bits", 16)),
        )
    except ValueError:
        raise UnsupportedAudioFormat(f"audioFormat {mime!r} has a non-numeric rate, channels or bits") from None
    if layout.bits != 16:
        raise UnsupportedAudioFormat(f"raw PCM must be 16-bit, got bits={layout.bits}")
    if not 8000 <= layout.sample_rate <= 48000:
        raise UnsupportedAudioFormat(f"raw PCM rate must be 8000 to 48000 Hz, got {layout.sample_rate}")
    if not 1 <= layout.channels <= 2:
        raise UnsupportedAudioFormat(f"raw PCM must have 1 or 2 channels, got {layout.channels}")
    return layout


def sniff_audio_format(first_chunk: bytes) -> AudioFormat | None:
    """Guesses the container from its magic bytes, as Corti does when ``audioFormat`` is absent.

    Raw PCM carries no header, so it cannot be sniffed: it must be declared.
    """
    if first_chunk.startswith(b"OggS"):
        return AudioFormat("ogg")
    if first_chunk.startswith(b"\x1a\x45\xdf\xa3"):
        return AudioFormat("webm")
    if first_chunk.startswith(b"RIFF") and first_chunk[8:12] == b"WAVE":
        return AudioFormat("wav")
    if first_chunk.startswith(b"fLaC"):
        return AudioFormat("flac")
    if first_chunk[4:8] == b"ftyp":
        return AudioFormat("mp4")
    if first_chunk.startswith(b"ID3") or (len(first_chunk) > 1 and first_chunk[0] == 0xFF and first_chunk[1] & 0xE0 == 0xE0):
        return AudioFormat("mp3")
    return None
