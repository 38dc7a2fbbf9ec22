"""The HTML report: executed headless, readable offline, replaced atomically."""

from __future__ import annotations

import re
import shutil

import nbformat
import pytest

from roi_kit import report
from roi_kit.errors import ReportError
from tests.paths import NOTEBOOKS


@pytest.fixture
def quick(quick_report):
    """The shared 00_quick_roi report (built once per run in conftest.py)."""
    return quick_report[0]


def test_index_links_every_page(quick):
    index = quick.index.read_text(encoding="utf-8")
    assert "Test study" in index
    for _, page in quick.pages:
        assert page.exists()
        assert f'href="{page.name}"' in index


def test_page_is_static_offline_and_clean(quick):
    page = quick.pages[0][1].read_text(encoding="utf-8")
    # The headline from the articles' example is in the page (report mode, static table).
    assert "400.0%" in page
    # A figure is embedded as data, not linked.
    assert re.search(r'<img[^>]+src="data:image/png;base64,', page)
    # Nothing that needs a kernel or the network.
    assert "application/vnd.jupyter.widget-view+json" not in page
    assert "Error displaying widget" not in page
    assert "Traceback" not in page
    assert not re.search(r"<script[^>]+src=", page)
    # Code hidden by default.
    assert "quick_estimate(" not in page


def test_failed_notebook_leaves_previous_report_intact(tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    (out / "index.html").write_text("previous report", encoding="utf-8")
    # An earlier report of the kit: its marker lists what it wrote.
    (out / report.MARKER).write_text('{"files": ["index.html"]}', encoding="utf-8")
    nb = nbformat.read(NOTEBOOKS / "00_quick_roi.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("raise ValueError('planted failure')"))
    broken = tmp_path / "01_broken.ipynb"
    nbformat.write(nb, broken)
    with pytest.raises(ReportError, match=r"01_broken.ipynb failed in cell .*planted failure"):
        report.build_report(out, notebooks=[broken], progress=None)
    assert (out / "index.html").read_text(encoding="utf-8") == "previous report"
    # No staging folder is left behind beside the report.
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_no_step_notebooks_is_a_clear_error(tmp_path):
    with pytest.raises(ReportError, match="no step notebooks"):
        report.step_notebooks(tmp_path)


def test_notebook_title_reads_first_heading(tmp_path):
    src = NOTEBOOKS / "00_quick_roi.ipynb"
    copy = tmp_path / "x.ipynb"
    shutil.copy(src, copy)
    assert report.notebook_title(copy).endswith("Quick ROI calculator")
