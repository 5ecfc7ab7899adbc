"""Speech audio for tests and benchmarks, made on demand instead of committed.

Synthetic speech comes from three different synthesizers, so that results are not tuned to one voice:
festival's HTS voice ``cmu_us_slt_arctic_hts`` (the clearest, the one targets are set on) and its older
diphone voice ``kal_diphone``, flite's ``rms`` and espeak-ng's ``en-us``. Each clip is converted by sox to 16 kHz mono 16-bit WAV and cached
under ``.cache/speech/`` keyed by a hash of voice and text, so a second run synthesizes nothing.
Real human speech with transcripts comes from Debian's ``pocketsphinx-testdata``.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import tempfile
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SAMPLE_RATE = 16000
REPO_ROOT = Path(__file__).resolve().parents[1]
CACHE_DIR = REPO_ROOT / ".cache" / "speech"
POCKETSPHINX_DATA = Path("/usr/share/pocketsphinx/test/data")


@dataclass(frozen=True)
class Voice:
    """A synthesizer and voice, as the command line that writes ``{out}`` from the text on stdin."""

    name: str
    command: tuple[str, ...]
    package: str

    def synthesize_to(self, text: str, out: Path) -> None:
        command = [part.replace("{out}", str(out)) for part in self.command]
        subprocess.run(command, input=text.encode(), check=True, capture_output=True)


SLT = Voice("slt", ("text2wave", "-eval", "(voice_cmu_us_slt_arctic_hts)", "-o", "{out}"), "festvox-us-slt-hts")
KAL = Voice("kal", ("text2wave", "-eval", "(voice_kal_diphone)", "-o", "{out}"), "festvox-kallpc16k")
RMS = Voice("rms", ("flite", "-voice", "rms", "-f", "/dev/stdin", "-o", "{out}"), "flite")
ESPEAK = Voice("espeak", ("espeak-ng", "-v", "en-us", "--stdin", "-w", "{out}"), "espeak-ng")
VOICES: dict[str, Voice] = {voice.name: voice for voice in (SLT, KAL, RMS, ESPEAK)}


def speech_file(text: str, voice: Voice = SLT, cache_dir: Path = CACHE_DIR) -> Path:
    """A 16 kHz mono WAV of ``voice`` saying ``text``, synthesized once and then taken from the cache."""
    key = hashlib.sha256(f"{voice.name}\0{' '.join(voice.command)}\0{text}".encode()).hexdigest()[:24]
    cached = cache_dir / f"{voice.name}-{key}.wav"
    if cached.exists():
        return cached
    cache_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="speech-") as work:
        raw = Path(work) / "raw.wav"
        voice.synthesize_to(text, raw)
        converted = Path(work) / "16k.wav"
        subprocess.run(
            ["sox", str(raw), "-r", str(SAMPLE_RATE), "-c", "1", "-b", "16", str(converted)],
            check=True,
            capture_output=True,
        )
        os.replace(converted, cached)  # atomic: parallel runs never see half a file
    return cached


def read_wav(path: Path) -> np.ndarray:
    """Samples of a 16 kHz mono 16-bit WAV as float32 in [-1, 1]."""
    with wave.open(str(path)) as wav:
        if wav.getframerate() != SAMPLE_RATE or wav.getnchannels() != 1 or wav.getsampwidth() != 2:
            raise ValueError(f"{path} is not 16 kHz mono 16-bit")
        frames = wav.readframes(wav.getnframes())
    return np.frombuffer(frames, dtype="<i2").astype(np.float32) / 32768.0


def speech(text: str, voice: Voice = SLT) -> np.ndarray:
    """``voice`` saying ``text``, as 16 kHz float32 samples."""
    return read_wav(speech_file(text, voice))


def silence(seconds: float) -> np.ndarray:
    return np.zeros(round(seconds * SAMPLE_RATE), dtype=np.float32)


def with_pauses(parts: Sequence[np.ndarray | float]) -> np.ndarray:
    """Joins clips and pauses (a number is that many seconds of silence) into one recording."""
    return np.concatenate([silence(part) if isinstance(part, (int, float)) else part for part in parts])


@dataclass(frozen=True)
class HumanClip:
    """A recording of a person reading, with what they said (lower case, no punctuation)."""

    clip_id: str
    samples: np.ndarray
    transcript: str


_TRANSCRIPT_LINE = re.compile(r"^\s*(?:<s>)?\s*(?P<text>.*?)\s*(?:</s>)?\s*\((?P<id>[^)]+)\)\s*$")


def human_speech(data: Path = POCKETSPHINX_DATA) -> list[HumanClip]:
    """The read sentences of ``pocketsphinx-testdata`` that come with a transcript (LibriVox and cards)."""
    if not data.is_dir():
        raise FileNotFoundError(f"{data} not found: install the Debian package pocketsphinx-testdata")
    clips = []
    for transcription in sorted(data.glob("*/*transcription")):
        for line in transcription.read_text().splitlines():
            match = _TRANSCRIPT_LINE.match(line)
            if not match:
                continue
            audio = transcription.parent / f"{match['id']}.wav"
            if audio.exists():
                clips.append(HumanClip(match["id"], read_wav(audio), " ".join(match["text"].split())))
    return clips
