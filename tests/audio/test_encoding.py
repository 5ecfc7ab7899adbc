"""The client's encoders: what they declare, that they send at once, and that nothing is lost."""

from __future__ import annotations

import numpy as np
import pytest

from dictation_daemon.audio.decoding import StreamDecoder
from dictation_daemon.audio.encoding import OggOpusEncoder, Pcm16Encoder, make_encoder
from dictation_daemon.protocol.audio_format import parse_audio_format
from tests.audio.media import RATE, envelope_similarity, to_pcm16

CHUNK = RATE // 4 * 2  # bytes of 250 ms of PCM16


def encode_in_chunks(encoder, pcm: bytes, chunk: int = CHUNK) -> list[bytes]:
    return [encoder.encode(pcm[i : i + chunk]) for i in range(0, len(pcm), chunk)] + [encoder.close()]


def test_pcm_encoder_passes_samples_through_and_declares_their_layout() -> None:
    encoder = make_encoder("pcm", 48000)
    assert isinstance(encoder, Pcm16Encoder)
    assert encoder.encode(b"\x01\x02\x03") == b"\x01\x02\x03"
    assert encoder.close() == b""
    layout = parse_audio_format(encoder.mime)
    assert (layout.container, layout.sample_rate, layout.channels, layout.bits) == ("pcm", 48000, 1, 16)


def test_ogg_opus_sends_every_chunk_at_once_with_the_header_first(speech: np.ndarray) -> None:
    encoder = make_encoder("ogg-opus")
    assert isinstance(encoder, OggOpusEncoder)
    assert parse_audio_format(encoder.mime).container == "ogg"
    chunks = encode_in_chunks(encoder, to_pcm16(speech))
    assert chunks[0].startswith(b"OggS")
    assert all(chunks[:-1]), "every 250 ms of audio must produce bytes to send right away"
    assert max(len(chunk) for chunk in chunks) <= 64000
    assert 300 < np.median([len(chunk) for chunk in chunks[:-1]]) < 2500


def test_ogg_opus_loses_nothing_when_chunks_split_codec_frames(speech: np.ndarray) -> None:
    pcm = to_pcm16(speech)
    for chunk in (CHUNK, 999, 7):  # 250 ms, then sizes that split samples and 20 ms frames
        stream = b"".join(encode_in_chunks(OggOpusEncoder(), pcm, chunk))
        decoder = StreamDecoder(parse_audio_format(OggOpusEncoder.mime))
        decoded = np.concatenate([decoder.feed(stream), decoder.finish()])
        # Only the last frame is padded, with less than 20 ms of silence.
        assert 0 <= len(decoded) - len(speech) < RATE // 50
        assert envelope_similarity(decoded, speech) > 0.97


def test_ogg_opus_refuses_rates_opus_cannot_take() -> None:
    with pytest.raises(ValueError, match="44100"):
        OggOpusEncoder(44100)
    encoder = make_encoder("ogg-opus", 48000)
    assert (encoder.encode(to_pcm16(np.zeros(480))) + encoder.close()).startswith(b"OggS")


def test_unknown_encoding_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown audio encoding"):
        make_encoder("mp3")  # type: ignore[arg-type]
