"""Every name a formula uses is defined, on cases with parts missing (a #NAME? in Excel
would show as an error where the reviewer expects a number)."""

from __future__ import annotations

import re
import shutil

import openpyxl
import pandas as pd
import pytest

from roi_kit import load_case
from roi_kit.workbook import write_workbook
from tests.paths import TEMPLATES
from tests.workbook.recalc import defined_names, recalculate

_CELL = re.compile(r"(?<![A-Za-z0-9_])\$?[A-Z]{1,3}\$?\d+(?![A-Za-z0-9_])")
_WORD = re.compile(r"(?<![A-Za-z0-9_.])[A-Za-z_][A-Za-z0-9_.]*(?![A-Za-z0-9_.(!])")


def undefined_names(path) -> set[str]:
    """Identifiers used in formulas that are neither cells, functions nor defined names."""
    names = {n.lower() for n in defined_names(path)}
    used = set()
    for ws in openpyxl.load_workbook(path).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                # Drop text literals and quoted sheet names before looking for words.
                body = re.sub(r'"[^"]*"', "", re.sub(r"'[^']*'!", "", str(cell.value)))
                used |= set(_WORD.findall(_CELL.sub(" ", body)))
    return {w for w in used if w.lower() not in names}


def test_the_checker_finds_an_undefined_name(tmp_path):
    import xlsxwriter

    path = tmp_path / "t.xlsx"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("S")
    ws.write("A1", 1)
    wb.define_name("known", "=S!$A$1")
    ws.write_formula("A2", '=known*2+unknown_name+SUM(A1:A1)+IF(A1>0,"text x",0)')
    wb.close()
    assert undefined_names(path) == {"unknown_name"}


@pytest.mark.slow
def test_a_case_without_customers_defines_every_name(tmp_path):
    # churned_customers without customers: the kit cannot derive customer_annual_margin,
    # values the retention line at 0, and the workbook must still define the name.
    folder = tmp_path / "case"
    shutil.copytree(TEMPLATES / "case", folder)
    kpis = pd.read_csv(folder / "kpis.csv", dtype=str)
    kpis.drop(columns=["customers"]).to_csv(folder / "kpis.csv", index=False)
    case = load_case(folder)
    assert "customer_annual_margin" not in case.assumptions
    path = write_workbook(case, tmp_path / "model.xlsx")
    assert undefined_names(path) == set()
    rc = recalculate(path)
    rows = rc.rows("Benefits")
    assert rc.cell("Benefits", f"C{rows['Retention (annual margin view)']}") == 0.0
