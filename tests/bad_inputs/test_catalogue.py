"""Run the catalogue of bad inputs (``tests/bad_inputs/catalogue.py``), one test per entry.

For every entry: the outcome is the one the catalogue states (true values loaded, or a
refusal in words that names the file and, where there is one, the row/column/key), no input
file changed (sha256 before and after), and no file appeared except those a success writes.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
from collections import Counter
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from roi_kit import errors
from roi_kit.case import load_case
from roi_kit.cli import main
from roi_kit.io import import_opportunities, read_raw, read_table, read_yaml
from tests.bad_inputs import catalogue as cat
from tests.paths import SAMPLE_CASE

__all__: list[str] = []


def _hashes(root: Path) -> dict[str, str]:
    """sha256 of every file under ``root``, by relative path."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _text(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def _apply(step: object, root: Path) -> None:
    """Carry out one build step of the catalogue inside ``root``."""
    path = root / step.path  # type: ignore[attr-defined]
    if isinstance(step, cat.Put):
        data = step.data if isinstance(step.data, bytes) else step.data.encode(step.encoding)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    elif isinstance(step, cat.Sub):
        text = _text(path)
        # A replacement that silently did nothing would make the case test the sample.
        assert text.count(step.old) == step.count, f"{step.old!r} in {path.name}"
        path.write_bytes(text.replace(step.old, step.new).encode("utf-8"))
    elif isinstance(step, cat.Drop):
        path.unlink()
    elif isinstance(step, cat.DropLines):
        lines = _text(path).splitlines(keepends=True)
        kept = [line for line in lines if not line.startswith(step.prefix)]
        assert len(kept) < len(lines), f"no line starts with {step.prefix!r}"
        path.write_bytes("".join(kept).encode("utf-8"))
    elif isinstance(step, cat.Copy):
        shutil.copyfile(path, root / step.to)
    elif isinstance(step, cat.MakeDir):
        path.mkdir(parents=True)
    elif isinstance(step, cat.Recode):
        path.write_bytes(_text(path).encode(step.encoding))
    elif isinstance(step, cat.Xlsx):
        book = openpyxl.Workbook()
        book.remove(book.active)
        for name, rows in step.sheets:
            sheet = book.create_sheet(name)
            for row in rows:
                sheet.append(list(row))
        path.parent.mkdir(parents=True, exist_ok=True)
        book.save(path)
    elif isinstance(step, cat.Semicolons):
        path.write_bytes(cat.semicolon_text(_text(path)).encode("utf-8"))
    else:  # pragma: no cover - a slip in the catalogue
        raise AssertionError(f"unknown step {step!r}")


def _call(call: object, root: Path):
    if isinstance(call, cat.Load):
        return load_case(root / call.target)
    if isinstance(call, cat.ReadTable):
        if call.raw:
            return read_raw(root / call.path, **dict(call.options))
        return read_table(root / call.path, **dict(call.options))
    if isinstance(call, cat.ReadYaml):
        return read_yaml(root / call.path)
    if isinstance(call, cat.Import):
        return import_opportunities(root / call.path, by=call.by, mapping=call.mapping)
    raise AssertionError(f"unknown call {call!r}")  # pragma: no cover


def _frame(result, table: str) -> pd.DataFrame:
    if table == "monthly":
        return result.monthly
    if table == "frame":
        return result
    return getattr(result, table)


def _pick(frame: pd.DataFrame, row: int | dict[str, str]) -> pd.Series:
    if isinstance(row, int):
        return frame.loc[row]
    hit = pd.Series(True, index=frame.index)
    for column, text in row.items():
        hit &= frame[column].astype(str) == text
    assert hit.sum() == 1, f"{row} matches {int(hit.sum())} rows"
    return frame[hit].iloc[0]


def _same(found: object, expected: object) -> bool:
    if isinstance(expected, float):
        return found == pytest.approx(expected, rel=1e-12, abs=1e-12)
    if isinstance(expected, str) and not isinstance(found, str):
        return str(found) == expected
    return found == expected


def _check_value(result, value: cat.Value) -> None:
    if value.table == "attr":
        found = getattr(result, value.column)
    elif value.row is None:  # a whole-table fact: the number of rows or the columns
        frame = _frame(result, value.table)
        found = len(frame) if value.column == "len" else list(map(str, frame.columns))
    else:
        found = _pick(_frame(result, value.table), value.row)[value.column]
    assert _same(found, value.expected), f"{value}: found {found!r}"


def _check_cli(expect: cat.Exit, code: int, out: str, err: str, root: Path) -> None:
    said = out + err
    assert code == expect.code, said
    assert "Traceback" not in said
    for text in expect.says:
        assert text in said, f"{text!r} not in {said!r}"
    for name, wanted in expect.rows:
        with open(root / name, newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        assert any(all(r.get(k) == v for k, v in wanted.items()) for r in rows), (name, wanted)


@pytest.mark.parametrize("bad", cat.CATALOGUE, ids=[bad.id for bad in cat.CATALOGUE])
def test_bad_input(bad: cat.Bad, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if bad.base == "sample":
        shutil.copytree(SAMPLE_CASE, tmp_path / "case")
    for step in bad.steps:
        _apply(step, tmp_path)
    before = _hashes(tmp_path)
    expect = bad.expect
    if isinstance(bad.call, cat.Cli):
        capsys.readouterr()
        args = [arg.format(tmp=tmp_path) for arg in bad.call.args]
        code = main(args)
        out, err = capsys.readouterr()
        _check_cli(expect, code, out, err, tmp_path)  # type: ignore[arg-type]
    elif isinstance(expect, cat.Refused):
        with pytest.raises(errors.RoiKitError) as info:
            _call(bad.call, tmp_path)
        assert isinstance(info.value, getattr(errors, expect.error)), repr(info.value)
        message = str(info.value)
        assert "Traceback" not in message
        assert len(message.splitlines()) <= 2, message
        assert expect.file in message, message
        for text in expect.says:
            assert text in message, f"{text!r} not in {message!r}"
    else:
        result = _call(bad.call, tmp_path)
        for value in expect.values:  # type: ignore[union-attr]
            _check_value(result, value)
    after = _hashes(tmp_path)
    # No input changed, and nothing new but what a success writes (no temp file left).
    assert {k: v for k, v in after.items() if k in before} == before
    assert sorted(set(after) - set(before)) == sorted(getattr(expect, "writes", ()))


def test_catalogue_is_large_and_covers_every_category() -> None:
    counts = Counter(bad.category for bad in cat.CATALOGUE)
    assert len(cat.CATALOGUE) >= 100, len(cat.CATALOGUE)
    assert set(counts) == set(cat.CATEGORIES)
    assert all(counts[c] >= 10 for c in cat.CATEGORIES), counts
    ids = [bad.id for bad in cat.CATALOGUE]
    assert len(set(ids)) == len(ids), [i for i, n in Counter(ids).items() if n > 1]


def test_catalogue_has_both_outcomes() -> None:
    # A catalogue of refusals alone would pass a kit that refuses everything.
    kinds = Counter(type(bad.expect).__name__ for bad in cat.CATALOGUE)
    assert kinds["Loaded"] >= 15 and kinds["Refused"] >= 60, kinds
    codes = Counter(bad.expect.code for bad in cat.CATALOGUE if isinstance(bad.expect, cat.Exit))
    assert codes[0] >= 2 and codes[1] + codes[2] >= 6, codes
