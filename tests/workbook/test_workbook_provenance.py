"""The workbook's Provenance sheet and its print header (issue 15, item 4)."""

from __future__ import annotations

import hashlib
import io
import shutil

import openpyxl
import pytest

from roi_kit import load_case
from roi_kit.study.run import run_study
from roi_kit.workbook import workbook_bytes
from tests.paths import SAMPLE_CASE

__all__: list[str] = []

pytestmark = pytest.mark.slow


def _rows(data: bytes) -> dict[str, str]:
    ws = openpyxl.load_workbook(io.BytesIO(data), read_only=True)["Provenance"]
    return {r[0]: r[1] for r in ws.iter_rows(min_row=3, values_only=True) if r[0] and r[1]}


def test_provenance_sheet_names_the_inputs_and_changes_with_them(tmp_path):
    folder = tmp_path / "case"
    shutil.copytree(SAMPLE_CASE, folder)
    study = run_study(load_case(folder), n=200)
    first = _rows(workbook_bytes(study))
    # Each input file is listed with its own SHA-256, computed here independently.
    digest = hashlib.sha256((folder / "kpis.csv").read_bytes()).hexdigest()
    assert any(digest in v for k, v in first.items() if k.startswith("Input file"))
    assert first["Status"] in ("DRAFT", "FINAL")
    assert first["Data through"] == str(study.case.kpis["month"].max())
    # A changed input (a comment added to case.yml: no number moves) -> another hash.
    with (folder / "case.yml").open("a", encoding="utf-8") as fh:
        fh.write("\n# reviewed\n")
    second = _rows(workbook_bytes(study))
    assert second["Input hash (SHA-256)"] != first["Input hash (SHA-256)"]


def test_every_sheet_prints_the_provenance_line(tmp_path):
    study = run_study(load_case(SAMPLE_CASE), n=200)
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(study)))
    short = _rows(workbook_bytes(study))["Input hash (SHA-256)"][:12]
    for ws in book.worksheets:
        header = ws.oddHeader.right.text or ""
        assert "crm-roi-kit" in header, ws.title
        assert short[:8] in header, ws.title
        assert "Page" in (ws.oddFooter.right.text or ""), ws.title
    # The file's properties name the same kit version and inputs as the sheet.
    kit = _rows(workbook_bytes(study))["Kit version"].removeprefix("crm-roi-kit ")
    assert book.properties.description == f"written by roi-kit {kit}, inputs {short}"
