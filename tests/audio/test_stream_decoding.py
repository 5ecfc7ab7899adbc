"""Container streams decode while they arrive, drain on demand, fail clearly and leave no thread behind."""

from __future__ import annotations

import io
import os
import time

import numpy as np
import pytest

from dictation_daemon.audio.decoding import AudioDecodeError, StreamDecoder
from dictation_daemon.audio.encoding import OggOpusEncoder
from dictation_daemon.audio.whole import decode_whole
from dictation_daemon.protocol.audio_format import AudioFormat, parse_audio_format
from tests.audio.media import (
    RATE,
    decoder_threads,
    encode,
    envelope_similarity,
    to_pcm16,
)

QUARTER = RATE // 4  # samples in 250 ms
FRAGMENTED_MP4 = {"movflags": "frag_keyframe+empty_moov+default_base_moof", "frag_duration": "250000"}


def live_ogg_opus(speech: np.ndarray) -> list[bytes]:
    """What a client sends: one encoded chunk per 250 ms of captured audio, then the rest at close."""
    encoder = OggOpusEncoder()
    pcm = to_pcm16(speech)
    return [encoder.encode(pcm[i : i + 2 * QUARTER]) for i in range(0, len(pcm), 2 * QUARTER)] + [encoder.close()]


def test_ogg_opus_decodes_each_chunk_as_it_arrives(speech: np.ndarray) -> None:
    decoder = StreamDecoder(parse_audio_format(OggOpusEncoder.mime))
    fed_samples = 0
    decoded = []
    started = time.perf_counter()
    *chunks, last = live_ogg_opus(speech)
    for chunk in chunks:
        fed_samples += QUARTER
        decoded.append(decoder.feed(chunk))
        behind = min(fed_samples, len(speech)) - sum(len(part) for part in decoded)
        assert behind < RATE * 0.05, f"{behind / RATE:.3f} s of fed audio not decoded yet"
    assert len(decoded[0]) > QUARTER * 0.8, "the first chunk's samples come out with it"
    assert time.perf_counter() - started < 2.0
    decoded += [decoder.feed(last), decoder.finish()]
    samples = np.concatenate(decoded)
    assert 0 <= len(samples) - len(speech) < RATE // 50
    assert envelope_similarity(samples, speech) > 0.97


def test_drain_returns_everything_fed_so_far(speech: np.ndarray) -> None:
    chunks = live_ogg_opus(speech)
    decoder = StreamDecoder(parse_audio_format(OggOpusEncoder.mime))
    for _ in range(2):  # a push-to-talk release after each second of speech
        got = sum(len(decoder.feed(chunk)) for chunk in chunks[:4])
        got += len(decoder.drain())
        chunks = chunks[4:]
        # Held back: the Ogg muxer's last 20 ms page (it keeps one to mark the end of stream on it)
        # and the Opus pre-skip of 6.5 ms.
        assert got >= RATE - RATE * 0.03
    decoder.close()


STREAMED_FORMATS = {
    "webm-opus": ("webm", "libopus", False, {}),
    "ogg-vorbis": ("ogg", "vorbis", True, {"page_duration": "20000"}),
    "mp3": ("mp3", "libmp3lame", False, {}),
    "flac": ("flac", "flac", False, {}),
    "wav": ("wav", "pcm_s16le", False, {}),
    "wav-float": ("wav", "pcm_f32le", False, {}),  # not unwrapped here: left to FFmpeg
    "fragmented-mp4": ("mp4", "aac", False, FRAGMENTED_MP4),
}


@pytest.mark.parametrize("name", STREAMED_FORMATS)
def test_containers_stream_in_small_chunks(name: str, speech: np.ndarray) -> None:
    container, codec, stereo, options = STREAMED_FORMATS[name]
    data = encode(speech, container, codec, stereo=stereo, options=options)
    decoder = StreamDecoder(AudioFormat(container))
    chunk = 1500
    parts = [decoder.feed(data[i : i + chunk]) for i in range(0, len(data), chunk)]
    during = sum(len(part) for part in parts)
    samples = np.concatenate([*parts, decoder.finish()])
    assert during > len(speech) * 0.75, f"only {during / RATE:.2f} s decoded before the end"
    whole = decode_whole(io.BytesIO(data), container)
    assert len(samples) == len(whole), "streaming in chunks must give what decoding the whole stream gives"
    assert np.max(np.abs(samples - whole)) < 1e-4
    # MP3 and AAC add encoder delay and padding that a live stream cannot trim.
    assert abs(len(samples) - len(speech)) < RATE * 0.1
    assert envelope_similarity(samples, speech) > 0.9


def test_mp4_with_its_index_at_the_end_decodes_at_finish(speech: np.ndarray) -> None:
    data = encode(speech, "mp4", "aac", seekable=True)
    decoder = StreamDecoder(AudioFormat("mp4"))
    assert sum(len(decoder.feed(data[i : i + 4000])) for i in range(0, len(data), 4000)) == 0
    samples = decoder.finish()
    assert abs(len(samples) - len(speech)) < RATE * 0.1
    assert envelope_similarity(samples, speech) > 0.9


def test_a_stream_not_in_its_declared_format_is_refused_at_once(speech: np.ndarray) -> None:
    baseline = len(decoder_threads())
    decoder = StreamDecoder(AudioFormat("webm"))
    with pytest.raises(AudioDecodeError, match="declared as audio/webm but starts like ogg"):
        decoder.feed(live_ogg_opus(speech)[0])
    with pytest.raises(AudioDecodeError, match="starts with no container header"):
        StreamDecoder(AudioFormat("ogg")).feed(b"hello, this is text")
    assert len(decoder_threads()) == baseline


def test_garbage_after_a_valid_header_fails_promptly(speech: np.ndarray) -> None:
    baseline = len(decoder_threads())
    decoder = StreamDecoder(parse_audio_format(OggOpusEncoder.mime))
    decoder.feed(live_ogg_opus(speech)[0])
    started = time.perf_counter()
    with pytest.raises(AudioDecodeError, match="ogg audio cannot be decoded"):
        for _ in range(20):
            decoder.feed(os.urandom(8000))
        decoder.drain()
    assert time.perf_counter() - started < 2.0
    assert len(decoder_threads()) == baseline
    with pytest.raises(AudioDecodeError, match="closed"):
        decoder.feed(b"more")


@pytest.mark.parametrize("container", ["mp3", "flac", "webm", "mp4"])
def test_corrupt_streams_raise_instead_of_hanging(container: str, speech: np.ndarray) -> None:
    options = FRAGMENTED_MP4 if container == "mp4" else {}
    codec = {"mp3": "libmp3lame", "flac": "flac", "webm": "libopus", "mp4": "aac"}[container]
    data = bytearray(encode(speech[: RATE * 2], container, codec, options=options))
    head = 64 if container != "mp4" else 1200
    data[head:] = os.urandom(len(data) - head)
    baseline = len(decoder_threads())
    decoder = StreamDecoder(AudioFormat(container))
    started = time.perf_counter()
    with pytest.raises(AudioDecodeError):
        for i in range(0, len(data), 4000):
            decoder.feed(bytes(data[i : i + 4000]))
        decoder.finish()
    assert time.perf_counter() - started < 2.0
    assert len(decoder_threads()) == baseline


def test_no_thread_outlives_its_stream(speech: np.ndarray) -> None:
    baseline = len(decoder_threads())
    chunks = live_ogg_opus(speech)
    finished, abandoned, untouched = (StreamDecoder(parse_audio_format(OggOpusEncoder.mime)) for _ in range(3))
    for decoder in (finished, abandoned, untouched):
        decoder.feed(chunks[0])
    assert len(decoder_threads()) == baseline + 3
    finished.finish()
    abandoned.feed(chunks[1][:100])  # the thread is now blocked mid-page
    abandoned.close()
    abandoned.close()
    untouched.close()
    assert len(decoder_threads()) == baseline


def test_an_empty_or_truncated_stream() -> None:
    assert len(StreamDecoder(AudioFormat("ogg")).finish()) == 0
    decoder = StreamDecoder(AudioFormat("wav"))
    decoder.feed(b"RIFF\x00\x00\x00\x00WAVEfmt ")
    with pytest.raises(AudioDecodeError, match="ended inside its header"):
        decoder.finish()


@pytest.mark.parametrize(("container", "codec", "declared"), [
    ("webm", "libopus", "webm"), ("mp3", "libmp3lame", "mp3"), ("ogg", "libopus", "ogg"), ("flac", "flac", "flac"),
])
def test_a_stream_closed_part_way_ends_quietly(speech: np.ndarray, capfd: pytest.CaptureFixture[str],
                                               container: str, codec: str, declared: str) -> None:
    """A client that goes away mid-stream is ordinary: nothing on stderr, no decoder thread left."""
    data = encode(speech, container, codec, rate=48000 if codec == "libopus" else 16000)
    baseline = len(decoder_threads())
    for size in (10, 60, 200, 2000, len(data) // 2):
        decoder = StreamDecoder(AudioFormat(declared))
        try:
            decoder.feed(data[:size])
        except AudioDecodeError:
            pass  # too little to tell the container by: refused, which is not what is tested here
        decoder.close()
    assert len(decoder_threads()) == baseline
    assert capfd.readouterr().err == ""
