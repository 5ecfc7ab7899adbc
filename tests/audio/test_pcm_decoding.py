"""Raw PCM and WAV streams: any declared rate and channel count comes out as 16 kHz mono, seamlessly."""

from __future__ import annotations

import io
import wave

import numpy as np
import pytest

from dictation_daemon.audio.decoding import StreamDecoder
from dictation_daemon.audio.headers import IncompleteHeader, read_wav_pcm_header
from dictation_daemon.protocol.audio_format import AudioFormat, parse_audio_format
from tests.audio.media import RATE, chirp, to_pcm16


def stream(decoder: StreamDecoder, data: bytes, chunk: int) -> tuple[np.ndarray, int]:
    """Feeds ``data`` in chunks; returns all samples and how many came out before ``finish``."""
    parts = [decoder.feed(data[i : i + chunk]) for i in range(0, len(data), chunk)]
    during = sum(len(part) for part in parts)
    return np.concatenate([*parts, decoder.finish()]), during


@pytest.mark.parametrize("rate", [8000, 16000, 44100, 48000])
@pytest.mark.parametrize("channels", [1, 2])
def test_pcm_at_any_rate_and_layout_round_trips(rate: int, channels: int) -> None:
    source = chirp(rate, 2.0)
    interleaved = np.stack([source, 0.5 * source], axis=1).reshape(-1) if channels == 2 else source
    layout = parse_audio_format(f"audio/pcm; rate={rate}; channels={channels}; bits=16")
    # 4001 bytes: chunks end mid-sample and, for stereo, between the channels of a sample frame.
    decoded, during = stream(StreamDecoder(layout), to_pcm16(interleaved), 4001)

    expected = chirp(RATE, 2.0) * (0.75 if channels == 2 else 1.0)
    assert abs(len(decoded) - len(expected)) <= RATE * 0.003
    assert during >= len(expected) - RATE * 0.003, "samples must come out as chunks arrive"
    n = min(len(decoded), len(expected))
    assert np.corrcoef(decoded[:n], expected[:n])[0, 1] > 0.999
    # No clicks at chunk joins: the sample-to-sample error stays at quantisation and filter level.
    assert np.max(np.abs(decoded[10 : n - 10] - expected[10 : n - 10])) < 0.02


def wav_bytes(samples: np.ndarray, rate: int, channels: int = 1) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(channels)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(to_pcm16(samples))
    return buffer.getvalue()


def test_wav_streams_from_its_first_chunk_and_stops_at_the_data_end() -> None:
    data = wav_bytes(chirp(22050, 1.0), 22050) + b"LIST\x04\x00\x00\x00junk"
    decoder = StreamDecoder(AudioFormat("wav"))
    first = decoder.feed(data[:4000])
    assert len(first) > 1000, "a WAV chunk's samples are ready at once"
    rest, _ = stream(decoder, data[4000:], 3001)
    decoded = np.concatenate([first, rest])
    assert abs(len(decoded) - RATE) <= RATE * 0.003
    assert np.corrcoef(decoded[:RATE - 50], chirp(RATE, 1.0)[:RATE - 50])[0, 1] > 0.999


def test_wav_header_parsing_waits_for_the_data_chunk() -> None:
    data = wav_bytes(np.zeros(100), 8000, channels=2)
    with pytest.raises(IncompleteHeader):
        read_wav_pcm_header(data[:30])
    header = read_wav_pcm_header(data)
    assert header is not None
    assert (header.layout.sample_rate, header.layout.channels, header.data_offset, header.data_size) == (8000, 2, 44, 200)


def test_pcm_drain_has_nothing_held_back() -> None:
    decoder = StreamDecoder(AudioFormat("pcm"))
    assert len(decoder.feed(to_pcm16(chirp(RATE, 0.5)) + b"\x01")) == RATE // 2
    assert len(decoder.drain()) == 0
    assert len(decoder.finish()) == 0
