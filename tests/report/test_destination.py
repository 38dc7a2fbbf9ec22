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


# --- a reviewer's edits to the kit's own files (model.xlsx saved in place, say) -------------

#: SHA-256 of b"abc": the FIPS 180-2 test vector (appendix B.1), not computed by the kit.
_ABC_SHA256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def staged_compute(workbook: bytes = b"new model", during=None):
    """A stand-in for the report's notebook pool: it writes one page per notebook and the
    workbook into the staging folder at once (and runs ``during()`` first, to change the
    destination while the "build" runs). Shared with tests/test_cli.py."""

    def compute(nbs, params, *, staging, **_):
        if during is not None:
            during()
        for nb in nbs:
            (staging / nb.with_suffix(".html").name).write_text("<p>new</p>", encoding="utf-8")
        (staging / "model.xlsx").write_bytes(workbook)
        return {"name": "", "headline": "", "banner": "", "block": "", "workbook": None}, []

    return compute


def _never_compute(*args, **kwargs):
    raise AssertionError("the notebooks ran although the destination must be refused first")


def _earlier_report(out: Path, files: dict[str, bytes]) -> Path:
    """A report the kit wrote: ``files`` and a marker recording them (as build_report does)."""
    out.mkdir()
    for name, data in files.items():
        (out / name).write_bytes(data)
    report.write_marker(out, list(files))
    return out


def _outside(tmp_path: Path, out: Path) -> list[str]:
    """What lies beside the report (staging or backup folders)."""
    return sorted(p.name for p in tmp_path.iterdir() if p != out)


def test_the_marker_records_each_files_size_and_sha256(tmp_path):
    (tmp_path / "index.html").write_bytes(b"abc")
    report.write_marker(tmp_path, ["index.html"])
    marker = json.loads((tmp_path / report.MARKER).read_text(encoding="utf-8"))
    assert marker["files"] == ["index.html"]  # read by earlier kit versions as before
    assert marker["content"] == {"index.html": {"size": 3, "sha256": _ABC_SHA256}}


@pytest.mark.parametrize(
    "edited",
    [b"old model, margin 0.35", b"old model, margin 0.3"],
    ids=["same-size", "other-size"],  # the size check alone, and the hash behind it
)
def test_an_edited_kit_file_is_refused_before_any_compute_and_left_untouched(
    tmp_path, monkeypatch, edited
):
    out = _earlier_report(
        tmp_path / "report", {"index.html": b"old", "model.xlsx": b"old model, margin 0.30"}
    )
    (out / "model.xlsx").write_bytes(edited)  # the reviewer saves the workbook in place
    before = _tree(out)
    monkeypatch.setattr(report.build, "_execute_all", _never_compute)
    with pytest.raises(ReportError) as err:
        report.build_report(out, notebooks=[], progress=None)
    message = str(err.value)
    assert "model.xlsx was edited after the kit wrote it" in message
    assert "nothing was changed" in message
    assert "move or rename model.xlsx to keep your edits, or add --force to replace it" in message
    assert "kept as model.xlsx.bak-YYYYmmdd-HHMMSS" in message
    assert "index.html" not in message and "\n" not in message
    assert _tree(out) == before
    assert _outside(tmp_path, out) == []  # not even a staging folder was made


def test_every_edited_file_is_named_including_one_the_rebuild_would_remove(tmp_path):
    # 05_old.html is a page the new report may not have: removing it would lose the edit too.
    files = {"index.html": b"old", "05_old.html": b"old", "model.xlsx": b"old"}
    out = _earlier_report(tmp_path / "report", files)
    for name in ("index.html", "05_old.html"):
        (out / name).write_bytes(b"edited")
    with pytest.raises(ReportError, match=r"05_old\.html, index\.html were edited .*them"):
        report.check_destination(out)


def test_with_force_the_edited_file_is_replaced_and_its_bak_holds_the_edit(tmp_path, monkeypatch):
    out = _earlier_report(tmp_path / "report", {"index.html": b"old", "model.xlsx": b"old"})
    (out / "model.xlsx").write_bytes(b"reviewer's model")
    monkeypatch.setattr(report.build, "_execute_all", staged_compute(b"kit model"))
    result = report.build_report(out, notebooks=[], progress=None, force=True)

    assert (out / "model.xlsx").read_bytes() == b"kit model"
    assert result.workbook == out.resolve() / "model.xlsx"
    (bak,) = result.backups
    assert bak.parent == out.resolve() and bak.name.startswith("model.xlsx.bak-")
    assert bak.read_bytes() == b"reviewer's model"
    # The copy is the reviewer's now: not in the marker, so no later report touches it.
    marker = json.loads((out / report.MARKER).read_text(encoding="utf-8"))
    assert bak.name not in marker["files"]
    again = report.build_report(out, notebooks=[], progress=None)  # unedited: silent
    assert again.backups == () and bak.read_bytes() == b"reviewer's model"
    assert _outside(tmp_path, out) == []


def test_an_unedited_rebuild_replaces_the_kits_files_silently(tmp_path, monkeypatch):
    out = _earlier_report(tmp_path / "report", {"index.html": b"old", "model.xlsx": b"old"})
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    monkeypatch.setattr(report.build, "_execute_all", staged_compute(b"kit model"))
    result = report.build_report(out, notebooks=[], progress=None)
    assert result.backups == ()
    assert (out / "model.xlsx").read_bytes() == b"kit model"
    assert (out / "index.html").read_bytes() != b"old"
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in out.iterdir()) == [
        report.MARKER, "index.html", "model.xlsx", "notes.txt"
    ]  # fmt: skip
    assert _outside(tmp_path, out) == []


def test_an_old_marker_without_content_is_copied_beside_before_it_is_replaced(tmp_path):
    # A marker of an earlier kit version: names only. The kit cannot tell whether the
    # pages were edited, so it keeps a copy of each one (documented in destination.py).
    out = tmp_path / "report"
    out.mkdir()
    (out / "index.html").write_bytes(b"old front page")
    (out / "01_old.html").write_bytes(b"maybe edited")
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    (out / report.MARKER).write_text(json.dumps({"files": ["index.html", "01_old.html"]}))
    assert report.check_destination(out) == out.resolve()  # not refused

    backups = report.swap_into_place(_stage(tmp_path, {"index.html": "new"}), out)
    (folder,) = backups
    assert folder.parent == tmp_path and folder.name.startswith("report.bak-")
    assert _tree(folder) == {
        "index.html": hashlib.sha256(b"old front page").hexdigest(),
        "01_old.html": hashlib.sha256(b"maybe edited").hexdigest(),
    }
    assert sorted(p.name for p in out.iterdir()) == [report.MARKER, "index.html", "notes.txt"]
    # The new marker records the content: the next rebuild needs no copy.
    assert report.swap_into_place(_stage(tmp_path, {"index.html": "newer"}), out) == ()


def test_a_file_saved_during_the_build_is_caught_at_the_swap(tmp_path, monkeypatch):
    out = _earlier_report(tmp_path / "report", {"index.html": b"old", "model.xlsx": b"old"})

    def save_in_excel():
        (out / "model.xlsx").write_bytes(b"saved while the report was building")

    monkeypatch.setattr(report.build, "_execute_all", staged_compute(during=save_in_excel))
    with pytest.raises(ReportError, match=r"model\.xlsx was edited .*add --force"):
        report.build_report(out, notebooks=[], progress=None)
    assert (out / "model.xlsx").read_bytes() == b"saved while the report was building"
    assert (out / "index.html").read_bytes() == b"old"  # nothing was moved
    assert _outside(tmp_path, out) == []  # the staged report was removed


def test_an_interrupted_swap_does_not_make_the_kits_own_files_look_edited(tmp_path, monkeypatch):
    from roi_kit.report import destination

    out = _earlier_report(tmp_path / "report", {"index.html": b"old", "model.xlsx": b"old"})
    staging = _stage(tmp_path, {"index.html": "new", "model.xlsx": "new"})
    real_replace, moved = os.replace, []

    def replace_then_interrupt(src, dst):
        # Ctrl-C after the first staged file is in place, before the second and the marker
        # (the marker rewritten before the first replacement goes through as well).
        if Path(src).parent == staging:
            if moved:
                raise KeyboardInterrupt
            moved.append(dst)
        real_replace(src, dst)

    monkeypatch.setattr(destination.os, "replace", replace_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        report.swap_into_place(staging, out)
    monkeypatch.undo()
    # One file new, one old: both are the kit's, so a rebuild is not refused.
    assert {(out / n).read_bytes() for n in ("index.html", "model.xlsx")} == {b"new", b"old"}
    assert report.check_destination(out) == out.resolve()
    (out / "model.xlsx").write_bytes(b"edited")  # while a real edit still is
    with pytest.raises(ReportError, match="model.xlsx was edited"):
        report.check_destination(out)


def test_a_removed_kit_file_is_no_edit_and_a_folder_in_its_place_is_refused_even_with_force(
    tmp_path,
):
    out = _earlier_report(tmp_path / "report", {"index.html": b"old", "model.xlsx": b"old"})
    (out / "model.xlsx").unlink()  # nothing there to lose
    assert report.check_destination(out) == out.resolve()
    (out / "model.xlsx").mkdir()
    with pytest.raises(ReportError, match=r"holds the folder\(s\) model\.xlsx"):
        report.check_destination(out, force=True)
