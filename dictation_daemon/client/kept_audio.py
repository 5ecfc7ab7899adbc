"""The dictated audio a session still owes the user text for, in memory or, past a limit, in a private file.

A resilient session keeps every sample from the end of the last final result onwards, so it can replay
them to a new socket. Normally that is a few seconds. While the backend is unreachable it grows with
everything the user says; beyond ``memory_limit_bytes`` it moves to a spill file, so a long outage cannot
exhaust memory and nothing the user said is thrown away.

The spill file is patient speech, so it is made as private and short-lived as the platform allows: it is
created with mode 0600 in the daemon's private 0700 folder (:func:`~dictation_daemon.files.private.runtime_folder`:
under ``$XDG_RUNTIME_DIR``, a per-user tmpfs cleared at logout, or else in the user's cache folder, never
the shared temporary folder), and unlinked at once, so it has no name, no other process can open it, and
it vanishes with the process, even after a crash. It is closed, and its storage freed, as soon as the
audio in it has been transcribed. Where no private folder can be had, the audio stays in memory.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import BinaryIO

from ..files.private import UnsafeFolder, private_folder, runtime_folder
from ..protocol.audio_format import BYTES_PER_SAMPLE

logger = logging.getLogger(__name__)



def default_spill_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """The daemon's private runtime folder, where a spill file is made."""
    return runtime_folder(environ)


class KeptAudio:
    """16-bit mono samples ``[start, end)`` of a stream, addressed by sample index from the session's start.

    :meth:`append` adds at the end, :meth:`trim` forgets everything before a point, :meth:`read` returns
    any stretch still kept. Samples go to a spill file once more than ``memory_limit_bytes`` are kept, and
    come back to memory once trimming leaves half of that.
    """

    def __init__(self, memory_limit_bytes: int, spill_dir: str | Path | None = None) -> None:
        """``spill_dir`` is made private (0700) when a spill needs it, or refused if it is not the user's own."""
        if memory_limit_bytes < BYTES_PER_SAMPLE:
            raise ValueError("the memory limit must hold at least one sample")
        self.memory_limit_bytes = memory_limit_bytes
        self.spill_dir = Path(spill_dir) if spill_dir is not None else default_spill_dir()
        self.start = 0
        self.end = 0
        self._memory = bytearray()
        self._file: BinaryIO | None = None
        self._file_start = 0  # sample index of the file's first byte
        self._spill_refused = False
        """No private folder could be had: the audio stays in memory rather than be lost."""

    @property
    def samples(self) -> int:
        return self.end - self.start

    @property
    def spilled(self) -> bool:
        """Whether the kept samples are in the spill file rather than in memory."""
        return self._file is not None

    def append(self, pcm16: bytes) -> None:
        """Adds samples at the end (an odd trailing byte is a caller's bug and is refused)."""
        if len(pcm16) % BYTES_PER_SAMPLE:
            raise ValueError("PCM16 comes in whole samples")
        if self._file is None and not self._spill_refused and len(self._memory) + len(pcm16) > self.memory_limit_bytes:
            self._spill()
        if self._file is not None:
            self._file.seek(0, os.SEEK_END)
            self._file.write(pcm16)
        else:
            self._memory += pcm16
        self.end += len(pcm16) // BYTES_PER_SAMPLE

    def read(self, start: int, end: int) -> bytes:
        """Samples ``[start, end)``, which must still be kept."""
        if not self.start <= start <= end <= self.end:
            raise ValueError(f"samples {start}..{end} are not kept (kept: {self.start}..{self.end})")
        if self._file is None:
            offset = (start - self.start) * BYTES_PER_SAMPLE
            return bytes(self._memory[offset : offset + (end - start) * BYTES_PER_SAMPLE])
        self._file.seek((start - self._file_start) * BYTES_PER_SAMPLE)
        return self._file.read((end - start) * BYTES_PER_SAMPLE)

    def trim(self, before: int) -> None:
        """Forgets the samples before ``before`` (they have been transcribed)."""
        before = min(max(before, self.start), self.end)
        if self._file is None:
            del self._memory[: (before - self.start) * BYTES_PER_SAMPLE]
            self.start = before
            return
        self.start = before
        if self.samples * BYTES_PER_SAMPLE <= self.memory_limit_bytes // 2:
            self._memory = bytearray(self.read(self.start, self.end))
            self._close_file()

    def close(self) -> None:
        """Forgets everything and frees the spill file."""
        self._memory = bytearray()
        self._close_file()
        self.start = self.end

    # --- internals ------------------------------------------------------------------------------

    def _spill(self) -> None:
        try:
            folder = private_folder(self.spill_dir)
            # 0600 and unlinked at once (O_TMPFILE where available): no name survives, even a crash.
            self._file = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115 - lives as long as the spill
        except (UnsafeFolder, OSError) as error:
            logger.warning("kept audio stays in memory: no private folder for a spill file (%s)", error)
            self._spill_refused = True
            return
        self._file.write(self._memory)
        self._file_start = self.start
        self._memory = bytearray()
        logger.info("kept audio passed %d bytes; continuing in a private spill file", self.memory_limit_bytes)

    def _close_file(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
            logger.info("spill file released: its audio has been transcribed")
