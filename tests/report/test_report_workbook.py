"""The Excel model in the report folder (issue 15, item 1): ``DIR/model.xlsx``.

Built in the front page's kernel from the same study as the front page, so its NPV is the
front page's NPV; linked from the front page; listed in the marker, so a later report
replaces it and nothing else; never written over a file the kit did not write.

The one report built here runs the quick notebook only (the front page's facts run for any
case report) with 2,000 Monte Carlo draws: the workbook does not depend on the pages.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest

from roi_kit import report
from roi_kit.errors import ReportError
from roi_kit.report.pages import WORKBOOK_NAME, index_html, keep_dates_whole, workbook_html
from tests.paths import NOTEBOOKS, SAMPLE_CASE
from tests.report.test_destination import _stage
from tests.workbook.recalc import defined_names, recalculate

__all__: list[str] = []


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A case report of the sample (quick notebook only, 2,000 draws)."""
    out = tmp_path_factory.mktemp("report-workbook") / "report"
    params = {"case_path": str(SAMPLE_CASE), "n_draws": 2000}
    nbs = [NOTEBOOKS / "00_quick_roi.ipynb"]
    return report.build_report(out, parameters=params, notebooks=nbs, progress=None)


def _front_npv(index: str) -> float:
    """The NPV figure of the front page's headline, as a number (whole euros)."""
    m = re.search(r'"label">NPV</div><div class="value">(-?)EUR ([\d,]+)</div>', index)
    assert m, "no NPV figure on the front page"
    return float(m.group(2).replace(",", "")) * (-1 if m.group(1) else 1)


def _provenance_sheet(path: Path) -> dict[str, str]:
    ws = openpyxl.load_workbook(path, data_only=True)["Provenance"]
    return {str(a): str(b) for a, b in ws.iter_rows(min_row=3, max_col=2, values_only=True) if b}


@pytest.mark.slow
def test_the_workbook_npv_is_the_front_pages_npv(built):
    book = built.out_dir / WORKBOOK_NAME
    assert book.is_file()
    index = built.index.read_text(encoding="utf-8")
    shown = _front_npv(index)  # -EUR 201,622 for the sample
    sheet, cell = defined_names(book)["base_npv"]
    cached = openpyxl.load_workbook(book, data_only=True)[sheet][cell].value
    # The front page rounds to the euro: the workbook's value is within half a euro of it.
    assert abs(cached - shown) <= 0.5
    # And recomputed from the Inputs by another formula engine, not read back from the kit.
    assert abs(recalculate(book).name("base_npv") - shown) <= 0.5


@pytest.mark.slow
def test_the_front_page_links_the_workbook_with_the_same_provenance(built):
    index = built.index.read_text(encoding="utf-8")
    assert f'<a href="{WORKBOOK_NAME}">{WORKBOOK_NAME}</a>' in index
    assert "live formulas" in index and "moves NPV" in index
    prov = _provenance_sheet(built.out_dir / WORKBOOK_NAME)
    # The same kit version, input hash and build date as the front page's provenance block.
    front = dict(re.findall(r"<tr><th>([^<]+)</th><td>([^<]+)</td></tr>", index))
    for key in ("Kit version", "Input hash (SHA-256)", "Built", "Data through", "Case"):
        assert prov[key] == front[key], key
    assert f"input hash ({front['Input hash (SHA-256)'][:12]})" in index


@pytest.mark.slow
def test_the_workbook_is_listed_in_the_marker(built):
    marker = json.loads((built.out_dir / report.MARKER).read_text(encoding="utf-8"))
    assert WORKBOOK_NAME in marker["files"]
    # No temporary file of the atomic write is left in the report.
    assert sorted(p.name for p in built.out_dir.iterdir()) == sorted(
        [report.MARKER, *marker["files"]]
    )


def _earlier_report(folder: Path, files: dict[str, str], listed: list[str]) -> None:
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    report.write_marker(folder, listed)


def test_a_users_own_model_xlsx_in_an_earlier_report_is_never_replaced(tmp_path):
    out = tmp_path / "report"
    # A report from before the workbook existed, and a person's own model.xlsx beside it.
    _earlier_report(out, {"index.html": "old", WORKBOOK_NAME: "my model"}, ["index.html"])
    staging = _stage(tmp_path, {"index.html": "new", WORKBOOK_NAME: "kit model"})
    with pytest.raises(ReportError, match=r"holds model\.xlsx.*nothing was changed.*Fix: "):
        report.swap_into_place(staging, out)
    assert (out / WORKBOOK_NAME).read_text(encoding="utf-8") == "my model"
    assert (out / "index.html").read_text(encoding="utf-8") == "old"


def test_the_kits_own_model_xlsx_is_replaced_by_the_next_report(tmp_path):
    out = tmp_path / "report"
    files = {"index.html": "old", WORKBOOK_NAME: "old model", "notes.txt": "mine"}
    _earlier_report(out, files, ["index.html", WORKBOOK_NAME])
    report.swap_into_place(_stage(tmp_path, {"index.html": "new", WORKBOOK_NAME: "new"}), out)
    assert (out / WORKBOOK_NAME).read_text(encoding="utf-8") == "new"
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_a_report_without_a_workbook_removes_the_kits_old_one_only(tmp_path):
    out = tmp_path / "report"
    _earlier_report(out, {"index.html": "old", WORKBOOK_NAME: "old"}, ["index.html", WORKBOOK_NAME])
    report.swap_into_place(_stage(tmp_path, {"index.html": "new"}), out)
    assert not (out / WORKBOOK_NAME).exists()  # it was the kit's, and this report has none


def test_the_front_page_says_why_there_is_no_workbook_and_escapes_it():
    refused = {"href": WORKBOOK_NAME, "kit": "0.1.0", "inputs": "abc", "refused": "a <b> & c"}
    page = index_html("Case", [], built="2026-01-02", workbook=refused)
    assert "No Excel model was written with this report: a &lt;b&gt; &amp; c" in page
    assert f'href="{WORKBOOK_NAME}"' not in page
    assert workbook_html(None) == ""  # a report without a case has no workbook
    assert "Excel model" not in index_html("Calculator", [], built="2026-01-02")


def test_dates_in_table_cells_are_kept_whole_and_other_text_is_not_touched():
    page = (
        '<th class="x">2024-01-31</th><td>2023-10 to (horizon end)</td>'
        "<td><b>2024-01</b></td><p>2024-01</p><td>12024-011</td>"
    )
    kept = keep_dates_whole(page)
    assert '<th class="x"><span class="roi-nowrap">2024-01-31</span></th>' in kept
    assert '<td><span class="roi-nowrap">2023-10</span> to (horizon end)</td>' in kept
    # Markup inside a cell, text outside tables and digits that are no date stay as they were.
    assert "<td><b>2024-01</b></td><p>2024-01</p><td>12024-011</td>" in kept
