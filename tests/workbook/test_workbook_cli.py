"""``roi-kit workbook CASE -o FILE.xlsx``: written atomically, never over a file unasked.

The refusals happen before the study runs, so those tests are quick; the one that writes
uses the hand case (a projection: no comparison to fit).
"""

from __future__ import annotations

import shutil
import zipfile

import pytest

from roi_kit import cli
from tests.paths import SAMPLE_CASE
from tests.workbook.test_workbook_hand import make_hand_case


def _run(capsys, *argv):
    code = cli.main(["workbook", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_refuses_a_name_that_is_not_xlsx(tmp_path, capsys):
    target = tmp_path / "model.xls"
    code, _, err = _run(capsys, SAMPLE_CASE, "-o", target)
    assert code == 2
    assert "must end in .xlsx" in err and "model.xlsx" in err
    assert len(err.strip().splitlines()) == 1
    assert not target.exists()


def test_refuses_an_existing_file_without_force(tmp_path, capsys):
    target = tmp_path / "model.xlsx"
    target.write_bytes(b"the user's own workbook")
    code, _, err = _run(capsys, SAMPLE_CASE, "-o", target)
    assert code == 2
    assert "already exists" in err and "--force" in err
    assert target.read_bytes() == b"the user's own workbook"
    assert list(tmp_path.iterdir()) == [target]


def test_never_replaces_a_file_inside_the_case_folder(tmp_path, capsys):
    case = tmp_path / "case"
    shutil.copytree(SAMPLE_CASE, case)
    target = case / "model.xlsx"
    target.write_bytes(b"kept")
    code, _, err = _run(capsys, case, "-o", target, "--force")
    assert code == 2
    assert "inside the case folder" in err
    assert target.read_bytes() == b"kept"
    assert not list(case.glob("model.xlsx.bak-*"))


def test_refuses_a_folder_as_the_output(tmp_path, capsys):
    target = tmp_path / "out.xlsx"
    target.mkdir()
    code, _, err = _run(capsys, SAMPLE_CASE, "-o", target)
    assert code == 2 and "is a folder" in err


@pytest.mark.slow
def test_force_keeps_a_backup_then_writes_a_workbook(tmp_path, capsys):
    case = make_hand_case(tmp_path / "case")
    target = tmp_path / "out" / "model.xlsx"
    code, out, _ = _run(capsys, case, "-o", target)
    assert code == 0 and "workbook written" in out
    target.write_bytes(b"edited by a reviewer")
    code, out, _ = _run(capsys, case, "-o", target, "--force")
    assert code == 0
    backups = list(target.parent.glob("model.xlsx.bak-*"))
    assert len(backups) == 1 and backups[0].read_bytes() == b"edited by a reviewer"
    assert str(backups[0]) in out
    with zipfile.ZipFile(target) as z:  # a real .xlsx, not the old bytes
        assert "xl/workbook.xml" in z.namelist()
    # Atomic: no temporary file is left beside it.
    assert sorted(p.name for p in target.parent.iterdir()) == sorted([target.name, backups[0].name])
