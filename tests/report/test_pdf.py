"""The PDF board pack (issue 15, item 2): A4 through the system Chromium, a running header,
page numbers, checked page by page with poppler (``pdfinfo``, ``pdftotext``, ``pdftoppm``).

PNGs of the pages are copied to ``$ROI_KIT_SHOTS`` (default /tmp/browser-shots) for a
person to look at.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from roi_kit import cli, report
from roi_kit.report import pdf
from roi_kit.report.build import ReportResult, _summary_pages
from tests.paths import NOTEBOOKS, SAMPLE_CASE

from .conftest import SHOTS_DIR

__all__: list[str] = []

#: A4 in PostScript points (210 x 297 mm at 72 points per inch = 595.3 x 841.9).
A4_POINTS = (210 / 25.4 * 72, 297 / 25.4 * 72)


def _poppler(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    """A report of the costs and summary pages with ``--pdf all`` (few Monte Carlo draws)."""
    out = tmp_path_factory.mktemp("pdf") / "report"
    nbs = [NOTEBOOKS / "06_costs.ipynb", NOTEBOOKS / "10_summary.ipynb"]
    params = {"case_path": str(SAMPLE_CASE), "n_draws": 2000}
    return report.build_report(out, parameters=params, notebooks=nbs, pdf="all", progress=None)


@pytest.mark.browser
@pytest.mark.slow
def test_pdf_pages_are_a4_with_header_page_numbers_and_the_pages(pack, tmp_path):
    assert pack.pdf == pack.out_dir / "report.pdf" and pack.pdf.is_file()
    assert not pack.pdf_refused
    info = _poppler("pdfinfo", str(pack.pdf))
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    # Chromium sizes the sheet in whole CSS pixels (1/96 inch): within 1.5 points of A4.
    assert abs(width - A4_POINTS[0]) < 1.5 and abs(height - A4_POINTS[1]) < 1.5
    # Front page, costs and summary: more than one sheet each, fewer than a ream.
    assert 3 <= pages <= 30
    text = _poppler("pdftotext", "-layout", str(pack.pdf), "-")
    sheets = text.split("\f")[:pages]
    for number, sheet in enumerate(sheets, start=1):
        # The running header on every sheet: case, kit version, data-through, status.
        assert "Northwind Supplies - CRM review" in sheet, number
        assert "crm-roi-kit 0.1.0" in sheet and "data through 2025-06" in sheet, number
        assert "DRAFT" in sheet, number
        assert f"Page {number} of {pages}" in sheet, number
    assert "Provenance and sign-off" in sheets[0]
    assert "Costs: the total cost of ownership" in text
    assert "Executive summary" in text
    assert "Traceback" not in text
    # Every sheet renders; copies for a person to look at.
    _poppler("pdftoppm", "-r", "60", "-png", str(pack.pdf), str(tmp_path / "sheet"))
    pngs = sorted(tmp_path.glob("sheet-*.png"))
    assert len(pngs) == pages
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)
    for png in pngs:
        shutil.copy(png, SHOTS_DIR / f"pdf-{png.name}")


#: Cost ledger rows of the sample (data/sample_case/costs.csv): item, category, type,
#: frequency, start month; each must print on one line, every word and date whole.
LEDGER_ROWS = [
    ("CRM licences", "Software", "recurring", "monthly", "2024-01"),
    ("Implementation partner", "Implementation", "one-time", "once", "2023-10"),
    ("Refresher training", "Training", "recurring", "annual", "2024-12"),
    ("Data enrichment credits", "Subscription", "recurring", "quarterly", "2024-01"),
    ("Tablets for field sales", "Hardware", "one-time", "once", "2023-12"),
]


@pytest.mark.browser
@pytest.mark.slow
def test_the_cost_ledger_prints_whole_words_on_a4(pack):
    # Page 06's 10-column ledger once printed "Softwa" over "re": a word split across
    # lines of a cell puts each half on its own line of pdftotext's layout.
    text = _poppler("pdftotext", "-layout", str(pack.pdf), "-")
    header = r"Row +Item +Category +Type +Amount +Hours × rate +Frequency +Start +End +In the"
    assert re.search(header, text), "the ledger's header words are not whole on one line"
    for item, category, kind, frequency, start in LEDGER_ROWS:
        row = rf"{item}.* {category} +{kind} .* {frequency} +{start}\b"
        assert re.search(row, text), (item, category, kind, frequency, start)
    assert not re.search(r"^ *\d+ +CRM licences.* Softwa +", text, re.M)  # the old split


@pytest.mark.browser
@pytest.mark.slow
def test_the_pdf_is_listed_as_the_kits_file(pack):
    marker = (pack.out_dir / report.MARKER).read_text(encoding="utf-8")
    assert '"report.pdf"' in marker  # so a later report replaces it, and nothing else


def test_the_executive_summary_is_the_front_page_and_the_summary_page():
    pages = [("00 · Quick", "00_quick_roi.html"), ("10 · Executive summary", "10_summary.html")]
    assert _summary_pages(pages) == [pages[1]]
    assert _summary_pages(pages[:1]) == []


def test_print_document_joins_the_front_page_and_each_page_on_a_new_sheet(tmp_path):
    (tmp_path / "index.html").write_text(
        report.index_html("Case", [("A", "01_a.html")], built="2026-01-02"), encoding="utf-8"
    )
    page = "<html><head><style>.x{}</style></head><body><main><p>page A</p></main></body></html>"
    (tmp_path / "01_a.html").write_text(page, encoding="utf-8")
    doc = pdf.print_document(tmp_path, [("A", "01_a.html")])
    assert doc.count('class="roi-page-break"') == 1
    assert doc.index("Report built on 2026-01-02") < doc.index("page A")
    assert ".x{}" in doc  # the pages' own style is kept


def test_without_chromium_the_refusal_is_one_line_with_the_fix(monkeypatch):
    monkeypatch.setenv("ROI_KIT_CHROMIUM", "/nonexistent/chromium")
    why = pdf.refusal()
    assert "\n" not in why
    assert "Chromium not found at /nonexistent/chromium" in why
    assert "apt-get install chromium" in why and "ROI_KIT_CHROMIUM" in why


def test_cli_writes_the_html_and_refuses_the_pdf_in_one_line(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("ROI_KIT_CHROMIUM", "/nonexistent/chromium")
    seen = {}

    def fake_build(out, **kwargs):
        seen.update(kwargs)
        index = tmp_path / "index.html"
        index.write_text("front", encoding="utf-8")
        return ReportResult(tmp_path, index, (), pdf_refused=pdf.refusal())

    monkeypatch.setattr(report, "build_report", fake_build)
    code = cli.main(["report", str(SAMPLE_CASE), "-o", str(tmp_path), "--pdf"])
    out, err = capsys.readouterr()
    assert seen["pdf"] == "summary"
    assert code != 0
    assert f"report written: {tmp_path / 'index.html'}" in out
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Chromium not found" in lines[0] and "Traceback" not in err
    assert cli.build_parser().parse_args(["report", "--pdf", "all"]).pdf == "all"
