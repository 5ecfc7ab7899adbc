"""Kept audio in memory, and in a private spill file past the limit, freed as it is transcribed."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import pytest

from dictation_daemon.client.kept_audio import KeptAudio, default_spill_dir


def samples(count: int, first: int = 0) -> bytes:
    return b"".join(((first + index) % 30000).to_bytes(2, "little") for index in range(count))


def test_memory_until_the_limit_then_an_unnamed_0600_file(tmp_path: Path) -> None:
    kept = KeptAudio(memory_limit_bytes=200, spill_dir=tmp_path)
    kept.append(samples(100))
    assert not kept.spilled
    kept.append(samples(50, first=100))
    assert kept.spilled
    assert stat.S_IMODE(os.fstat(kept._file.fileno()).st_mode) == 0o600
    assert os.listdir(tmp_path) == []  # neither the file nor its folder has a name left
    kept.append(samples(50, first=150))
    assert kept.read(90, 160) == samples(70, first=90)
    assert (kept.start, kept.end, kept.samples) == (0, 200, 200)


def test_trimming_frees_the_file_once_half_the_limit_is_left(tmp_path: Path) -> None:
    kept = KeptAudio(memory_limit_bytes=200, spill_dir=tmp_path)
    kept.append(samples(300))
    spill = kept._file
    kept.trim(150)
    assert kept.spilled and kept.read(150, 300) == samples(150, first=150)
    kept.trim(260)
    assert not kept.spilled and spill.closed
    assert kept.read(260, 300) == samples(40, first=260)
    kept.append(samples(10, first=300))
    assert kept.read(295, 310) == samples(15, first=295)


def test_trimmed_audio_cannot_be_read_and_trimming_is_clamped() -> None:
    kept = KeptAudio(memory_limit_bytes=1000)
    kept.append(samples(100))
    kept.trim(40)
    with pytest.raises(ValueError):
        kept.read(30, 50)
    kept.trim(10)
    assert kept.start == 40
    kept.trim(500)
    assert (kept.start, kept.samples) == (100, 0)
    with pytest.raises(ValueError):
        kept.append(b"\x00")


def test_close_forgets_everything(tmp_path: Path) -> None:
    kept = KeptAudio(memory_limit_bytes=20, spill_dir=tmp_path)
    kept.append(samples(50))
    spill = kept._file
    kept.close()
    assert spill.closed and kept.samples == 0 and not kept.spilled


def test_the_spill_folder_is_the_users_private_runtime_folder_never_the_shared_temp(tmp_path: Path) -> None:
    assert default_spill_dir({"XDG_RUNTIME_DIR": "/run/user/1000"}) == Path("/run/user/1000/dictation-daemon")
    if not Path(f"/run/user/{os.getuid()}").is_dir():
        assert default_spill_dir({"HOME": str(tmp_path)}) == tmp_path / ".cache" / "dictation-daemon"
    assert not str(default_spill_dir({"HOME": "/home/clinician"})).startswith(tempfile.gettempdir() + os.sep)


def test_a_spill_makes_its_folder_0700(tmp_path: Path) -> None:
    kept = KeptAudio(memory_limit_bytes=20, spill_dir=tmp_path / "private" / "dictation-daemon")
    kept.append(samples(50))
    assert kept.spilled
    assert stat.S_IMODE((tmp_path / "private" / "dictation-daemon").stat().st_mode) == 0o700
    assert os.listdir(tmp_path / "private" / "dictation-daemon") == []  # the file has no name


def test_a_folder_open_to_others_is_never_used_and_the_audio_stays_whole_in_memory(tmp_path: Path, caplog) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    kept = KeptAudio(memory_limit_bytes=20, spill_dir=shared)
    kept.append(samples(50))
    kept.append(samples(50, first=50))
    assert not kept.spilled and kept.read(0, 100) == samples(100)
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755  # never re-permissioned
    assert sum("stays in memory" in record.getMessage() for record in caplog.records) == 1
