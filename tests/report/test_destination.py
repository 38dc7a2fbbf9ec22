"""Where a report may be written: never over a case, never over files the kit did not write.

No notebook runs here: every refusal happens before any work, and the swap is tested on
staged folders directly.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from roi_kit import report
from roi_kit.errors import ReportError


def _tree(folder: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file below ``folder``."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def user_dir(tmp_path, case_copy) -> Path:
    """A user's folder holding a case and notes: ``DIR/case``, ``DIR/notes.txt``."""
    folder = tmp_path / "work"
    folder.mkdir()
    shutil.move(str(case_copy), folder / "case")
    (folder / "notes.txt").write_text("my notes", encoding="utf-8")
    return folder


def test_new_and_empty_folders_are_accepted(tmp_path):
    assert report.check_destination(tmp_path / "new") == (tmp_path / "new").resolve()
    (tmp_path / "empty").mkdir()
    assert report.check_destination(tmp_path / "empty") == (tmp_path / "empty").resolve()


@pytest.mark.parametrize("where", ["case", "case/sub", ".", "case/.."])
def test_case_folder_is_never_a_destination(user_dir, where):
    before = _tree(user_dir)
    with pytest.raises(ReportError, match=r"case folder .*Fix: write the report beside the case"):
        report.check_destination(user_dir / where, case_path=user_dir / "case")
    assert _tree(user_dir) == before


def test_destination_that_contains_the_case_is_refused_even_if_case_not_given(user_dir):
    with pytest.raises(ReportError, match="case folder"):
        report.check_destination(user_dir)


def test_non_empty_foreign_folder_is_refused_with_what_is_there(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("x", encoding="utf-8")
    (folder / "images").mkdir()
    with pytest.raises(ReportError) as err:
        report.check_destination(folder)
    message = str(err.value)
    assert "not a crm-roi-kit report" in message
    assert "images, notes.txt" in message and "Fix:" in message
    assert "\n" not in message


def test_a_file_is_refused(tmp_path):
    (tmp_path / "x").write_text("x", encoding="utf-8")
    with pytest.raises(ReportError, match="is a file"):
        report.check_destination(tmp_path / "x")


def test_build_report_refuses_before_running_anything(user_dir):
    before = _tree(user_dir)
    with pytest.raises(ReportError, match="case folder"):
        report.build_report(user_dir, parameters={"case_path": str(user_dir / "case")})
    assert _tree(user_dir) == before
    # Nothing staged beside it either.
    assert sorted(p.name for p in user_dir.parent.iterdir()) == ["work"]


def _stage(tmp_path: Path, files: dict[str, str]) -> Path:
    staging = tmp_path / ".staging"
    staging.mkdir()
    for name, text in files.items():
        (staging / name).write_text(text, encoding="utf-8")
    report.write_marker(staging, list(files))
    return staging


def test_replacing_an_earlier_report_keeps_the_users_files(tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    for name in ("index.html", "01_old.html"):
        (out / name).write_text("old", encoding="utf-8")
    (out / report.MARKER).write_text(json.dumps({"files": ["index.html", "01_old.html"]}))
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    (out / "images").mkdir()
    (out / "images" / "logo.png").write_bytes(b"png")
    assert report.check_destination(out) == out.resolve()

    staging = _stage(tmp_path, {"index.html": "new", "02_new.html": "new"})
    report.swap_into_place(staging, out)

    assert (out / "index.html").read_text(encoding="utf-8") == "new"
    assert (out / "02_new.html").exists()
    assert not (out / "01_old.html").exists()  # the kit wrote it, the new report has none
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (out / "images" / "logo.png").read_bytes() == b"png"
    assert json.loads((out / report.MARKER).read_text())["files"] == ["02_new.html", "index.html"]
    assert not staging.exists()


def test_a_marker_cannot_make_the_kit_remove_files_elsewhere(tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    victim = tmp_path / "precious.txt"
    victim.write_text("keep", encoding="utf-8")
    (out / report.MARKER).write_text(
        json.dumps({"files": ["../precious.txt", os.fspath(victim), "sub/x.html"]})
    )
    staging = _stage(tmp_path, {"index.html": "new"})
    report.swap_into_place(staging, out)
    assert victim.read_text(encoding="utf-8") == "keep"


def test_a_new_destination_is_one_rename(tmp_path):
    staging = _stage(tmp_path, {"index.html": "new"})
    report.swap_into_place(staging, tmp_path / "fresh")
    assert sorted(p.name for p in (tmp_path / "fresh").iterdir()) == [report.MARKER, "index.html"]


def test_a_report_from_before_the_marker_is_recognised_and_only_its_pages_replaced(tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    # The front page the kit wrote before markers existed (0.1.0).
    (out / "index.html").write_text(
        "<p>Report built on 2026-01-01 by crm-roi-kit. Each page opens offline.</p>\n"
        '<ol><li><a href="00_quick_roi.html">Quick ROI</a></li></ol>',
        encoding="utf-8",
    )
    (out / "00_quick_roi.html").write_text("old", encoding="utf-8")
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    report.check_destination(out)
    report.swap_into_place(_stage(tmp_path, {"index.html": "new"}), out)
    assert sorted(p.name for p in out.iterdir()) == [report.MARKER, "index.html", "notes.txt"]
