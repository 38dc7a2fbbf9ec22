"""Writing a case never destroys a user's file: `new` and the sample generator refuse an
existing folder unless forced, and forced, they keep a dated backup of what they replace."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from roi_kit.case import sample as sample_module
from roi_kit.case import scaffold_case
from roi_kit.case.sample import SAMPLE_FILES, default_sample_dir, generate_sample_case
from roi_kit.errors import CaseError
from roi_kit.io.atomic import backup_file, backup_files
from tests.paths import SAMPLE_CASE, TEMPLATES

STAMP = r"\.bak-\d{8}-\d{6}(-\d+)?$"


def _tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def user_case(tmp_path) -> Path:
    """A user's own case folder: an edited case.yml, a table and notes."""
    folder = tmp_path / "my_case"
    folder.mkdir()
    (folder / "case.yml").write_text("name: Mine\n# my edits\n", encoding="utf-8")
    (folder / "kpis.csv").write_text("month,revenue\n2024-01,1\n", encoding="utf-8")
    (folder / "notes.txt").write_text("keep me", encoding="utf-8")
    return folder


# --- roi-kit new -----------------------------------------------------------------------------


def test_new_refuses_a_non_empty_folder_and_changes_nothing(user_case):
    before = _tree(user_case.parent)
    with pytest.raises(CaseError) as info:
        scaffold_case(user_case)
    message = str(info.value)
    assert str(user_case) in message and "--force" in message and "case.yml" in message
    assert len(message.splitlines()) == 1
    assert _tree(user_case.parent) == before


def test_new_refuses_a_file(tmp_path):
    target = tmp_path / "case"
    target.write_text("not a folder", encoding="utf-8")
    with pytest.raises(CaseError, match="is a file"):
        scaffold_case(target, force=True)
    assert target.read_text(encoding="utf-8") == "not a folder"


def test_new_force_backs_up_what_it_replaces_and_keeps_the_rest(user_case):
    old = _tree(user_case)
    seen: list[Path] = []
    scaffold_case(user_case, force=True, on_backup=seen.append)
    (backup,) = seen
    assert backup.parent == user_case.parent and re.search(r"my_case" + STAMP, backup.name)
    # The two files the template replaces are in the backup, byte for byte; notes.txt was
    # not replaced, so it is not copied and stays where it was.
    assert _tree(backup) == {k: old[k] for k in ("case.yml", "kpis.csv")}
    assert (user_case / "notes.txt").read_text(encoding="utf-8") == "keep me"
    template_kpis = (TEMPLATES / "case" / "kpis.csv").read_bytes()
    assert (user_case / "kpis.csv").read_bytes() == template_kpis
    assert 'name: "my_case"' in (user_case / "case.yml").read_text(encoding="utf-8")


# --- the sample generator -------------------------------------------------------------------


def test_sample_refuses_a_foreign_folder_and_changes_nothing(user_case):
    before = _tree(user_case.parent)
    with pytest.raises(CaseError) as info:
        generate_sample_case(user_case)
    message = str(info.value)
    assert str(user_case) in message and "--force" in message and "notes.txt" in message
    assert _tree(user_case.parent) == before


def test_sample_refuses_an_earlier_sample_copy_that_is_not_the_kits_own(tmp_path):
    copy = generate_sample_case(tmp_path / "northwind")
    with pytest.raises(CaseError, match="already exists"):
        generate_sample_case(copy)


def test_sample_force_backs_up_the_replaced_files(user_case):
    old = _tree(user_case)
    seen: list[Path] = []
    generate_sample_case(user_case, force=True, on_backup=seen.append)
    (backup,) = seen
    assert _tree(backup) == {k: old[k] for k in ("case.yml", "kpis.csv")}
    assert (user_case / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert (user_case / "kpis.csv").read_bytes() == (SAMPLE_CASE / "kpis.csv").read_bytes()


def test_the_kits_own_sample_folder_is_recognised():
    assert sample_module._is_kit_sample(default_sample_dir())


def test_the_kits_own_sample_folder_is_rewritten_without_force(tmp_path, monkeypatch):
    own = tmp_path / "data" / "sample_case"
    generate_sample_case(own, seed=7)  # a different seed: different bytes to replace
    monkeypatch.setattr(sample_module, "default_sample_dir", lambda: own)
    seen: list[Path] = []
    generate_sample_case(own, on_backup=seen.append)
    assert seen == []  # git holds the committed copy: no backup litter beside it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]
    assert (own / "kpis.csv").read_bytes() == (SAMPLE_CASE / "kpis.csv").read_bytes()


def test_the_sample_folder_with_a_users_file_in_it_is_not_the_kits_own(tmp_path, monkeypatch):
    own = generate_sample_case(tmp_path / "sample_case")
    (own / "my_notes.txt").write_text("mine", encoding="utf-8")
    monkeypatch.setattr(sample_module, "default_sample_dir", lambda: own)
    with pytest.raises(CaseError, match="already exists and is not empty"):
        generate_sample_case(own)


def test_sample_main_refuses_with_one_line_and_exit_2(user_case, capsys):
    assert sample_module.main([str(user_case)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and len(err.strip().splitlines()) == 1
    assert "already exists" in err


def test_sample_main_force_says_where_the_backup_is(user_case, capsys):
    assert sample_module.main([str(user_case), "--force"]) == 0
    out = capsys.readouterr().out
    (backup,) = [p for p in user_case.parent.iterdir() if p.name != "my_case"]
    assert f"kept a backup of the replaced files in {backup}" in out


# --- the backup helpers ----------------------------------------------------------------------


def test_backup_file_never_replaces_an_earlier_backup(tmp_path):
    f = tmp_path / "kpis.csv"
    f.write_text("one", encoding="utf-8")
    first = backup_file(f)
    f.write_text("two", encoding="utf-8")
    second = backup_file(f)  # same second, most likely: the name gets "-2"
    assert first != second
    assert re.search(r"kpis\.csv" + STAMP, first.name) and re.search(STAMP, second.name)
    assert first.read_text(encoding="utf-8") == "one"
    assert second.read_text(encoding="utf-8") == "two"


def test_backup_files_of_nothing_present_makes_no_folder(tmp_path):
    (tmp_path / "empty").mkdir()
    assert backup_files(tmp_path / "empty", SAMPLE_FILES) is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty"]
