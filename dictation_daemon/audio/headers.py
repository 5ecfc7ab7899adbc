"""Reads the few container headers the server handles itself instead of handing them to FFmpeg.

WAV: FFmpeg's WAV demuxer reads 64 kB ahead before its first packet (to detect S/PDIF data), which at
16 kHz is two seconds of silence from a live stream; 16-bit PCM in WAV is therefore unwrapped here and
converted as raw PCM. MP4: a stream can be decoded while it arrives only if its index (``moov``) comes
before the samples, so the box order decides how it is decoded.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from ..protocol.audio_format import AudioFormat, check_source_rate

_WAVE_FORMAT_PCM = 1
_WAVE_FORMAT_EXTENSIBLE = 0xFFFE
_UNKNOWN_SIZES = (0, 0xFFFFFFFF)
_MAX_FTYP_SIZE = 1024  # real ones are a few dozen bytes; beyond this, do not wait for the next box


@dataclass(frozen=True)
class WavPcmHeader:
    """Where the samples of a 16-bit PCM WAV stream start, their layout and, if the header says, their length."""

    layout: AudioFormat
    data_offset: int
    data_size: int | None


class IncompleteHeader(Exception):
    """More bytes are needed to read the header."""


def read_wav_pcm_header(head: bytes) -> WavPcmHeader | None:
    """Parses a WAV header; ``None`` if the samples are not 16-bit PCM (left to FFmpeg).

    Raises :class:`IncompleteHeader` until ``head`` reaches the start of the ``data`` chunk, and
    :class:`~dictation_daemon.protocol.audio_format.UnsupportedAudioFormat` for a rate no audio uses,
    whatever the sample format.
    """
    offset = 12  # after "RIFF", the RIFF size and "WAVE"
    layout: AudioFormat | None = None
    while True:
        if len(head) < offset + 8:
            raise IncompleteHeader
        chunk_id, chunk_size = struct.unpack_from("<4sI", head, offset)
        body = offset + 8
        if chunk_id == b"data":
            if layout is None:
                return None
            return WavPcmHeader(layout, body, None if chunk_size in _UNKNOWN_SIZES else chunk_size)
        if chunk_id == b"fmt ":
            if len(head) < body + 16:
                raise IncompleteHeader
            tag, channels, rate, _, _, bits = struct.unpack_from("<HHIIHH", head, body)
            check_source_rate(rate, "the WAV header")
            if tag not in (_WAVE_FORMAT_PCM, _WAVE_FORMAT_EXTENSIBLE) or bits != 16 or not 1 <= channels <= 2:
                return None
            layout = AudioFormat("pcm", sample_rate=rate, channels=channels, bits=16)
        offset = body + chunk_size + (chunk_size & 1)


def mp4_index_first(head: bytes) -> bool:
    """Whether the box after ``ftyp`` is ``moov``: fragmented or "fast start" MP4, decodable as it arrives.

    Raises :class:`IncompleteHeader` until the second box's type is in ``head``.
    """
    if len(head) < 4:
        raise IncompleteHeader
    (ftyp_size,) = struct.unpack_from(">I", head, 0)
    if ftyp_size > _MAX_FTYP_SIZE:
        return False
    if len(head) < ftyp_size + 8:
        raise IncompleteHeader
    return head[ftyp_size + 4 : ftyp_size + 8] == b"moov"
