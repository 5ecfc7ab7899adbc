"""Auto-texts and editing by voice in the configuration: validated where they are written, and turned into
the commands every session asks for."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from dictation_daemon.config import ConfigError, load_config
from dictation_daemon.config.model import DaemonConfig

DAEMON = Path(sys.executable).parent / "dictation-daemon"
EXAM = {"id": "normal_exam", "phrases": ["insert normal exam"], "text": "Lungs: ***. Heart: ***."}


def test_autotexts_and_editing_add_their_commands_and_the_users_own_command_wins():
    config = DaemonConfig.model_validate({
        "autotexts": {"texts": [EXAM]}, "editing": {"voice_commands": True},
        "transcription": {"commands": [{"id": "correct_that", "phrases": ["fix that"]}]},
    })
    commands = {command.id: command.phrases for command in config.session_config().commands}
    assert commands["correct_that"] == ["fix that"]
    assert commands["autotext:normal_exam"] == ["insert normal exam"] and commands["next_blank"] == ["next blank"]
    assert commands["select_words"] == ["select {words}"]
    plain = DaemonConfig().session_config()  # editing by voice is asked for, not a default
    assert [command.id for command in plain.commands] == ["next_section", "previous_section", "scratch_that"]


@pytest.mark.parametrize("texts, problem", [
    ([EXAM, EXAM], "unique"),
    ([{**EXAM, "id": "Normal Exam"}], "id"),
    ([{**EXAM, "phrases": []}], "phrases"),
    ([{**EXAM, "text": ""}], "text"),
])
def test_a_bad_autotext_is_refused_naming_the_field_and_line(tmp_path, texts, problem):
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump({"autotexts": {"texts": texts}}))
    with pytest.raises(ConfigError) as refused:
        load_config(path)
    assert "autotexts" in str(refused.value) and problem in str(refused.value) and "line" in str(refused.value)


def test_the_autotexts_command_lists_what_to_say_and_the_blanks(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump({"autotexts": {"blank": "[ ]", "texts": [
        {"id": "normal_exam", "phrases": ["insert normal exam", "normal exam"], "text": "Lungs: [ ].\nHeart: [ ]."}]}}))
    listed = subprocess.run([str(DAEMON), "autotexts", "--config", str(path)], capture_output=True, text=True,
                            timeout=30)
    assert listed.returncode == 0
    assert listed.stdout.splitlines() == [
        'normal_exam: say "insert normal exam" | "normal exam" (2 blanks; "next blank" moves on)',
        "    Lungs: [ ].", "    Heart: [ ]."]
    as_json = json.loads(subprocess.run([str(DAEMON), "autotexts", "--json", "--config", str(path)],
                                        capture_output=True, text=True, timeout=30).stdout)
    assert as_json["blank"] == "[ ]" and as_json["texts"][0]["id"] == "normal_exam"
