"""`validate-questionnaires` checks the instruments and the action library, and says why."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from coach.cli import validate_questionnaires

QUESTIONNAIRES = Path(__file__).resolve().parents[2] / "questionnaires"


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "q"
    shutil.copytree(QUESTIONNAIRES, folder)
    return folder


def test_the_shipped_files_are_valid(tmp_path):
    result = CliRunner().invoke(validate_questionnaires, ["--path", str(_copy(tmp_path))])
    assert result.exit_code == 0 and "valid" in result.output


def test_a_broken_instrument_names_file_item_and_reason_and_exits_non_zero(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "leader-manager.yaml"
    path.write_text(path.read_text().replace(", key: -1,", ", key: 0,", 1))
    result = CliRunner().invoke(validate_questionnaires, ["--path", str(folder)])
    assert result.exit_code == 1
    assert "leader-manager.yaml: item" in result.output and "+1 or -1" in result.output


def test_a_broken_action_library_is_reported_too(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "actions.yaml"
    path.write_text(path.read_text().replace("\n    steps:", "\n    stepz:", 1))
    result = CliRunner().invoke(validate_questionnaires, ["--path", str(folder)])
    assert result.exit_code == 1 and "unknown field 'stepz'" in result.output
