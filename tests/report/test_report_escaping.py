"""User text is escaped in every report page: a hostile case runs no script.

A copy of the sample case gets ``<script>`` and ``<img onerror=...>`` in each place a
user writes free text (case name, a KPI label, a cost item, a goal's KPI label, an
intangible's name and evidence, a scenario description); the whole report is built
and every page is opened in Chromium. Each payload would set ``window.__pwned``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from roi_kit import report
from tests.paths import SAMPLE_CASE as SAMPLE

pytestmark = pytest.mark.slow


SCRIPT = "<script>window.__pwned = 'script'</script>"
IMG = "<img src=x onerror=\"window.__pwned = 'img'\">"


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile") / "case"
    shutil.copytree(SAMPLE, folder)
    cfg = yaml.safe_load((folder / "case.yml").read_text(encoding="utf-8"))
    cfg["name"] = f"Evil {SCRIPT} Co {IMG}"
    cfg["custom_kpis"][0]["label"] = f"Closed {IMG}"
    cfg["intangibles"][0]["name"] = f"Customer {SCRIPT}"
    cfg["intangibles"][1]["evidence"] = f"dashboards {IMG}"
    cfg["scenarios"]["conservative"]["description"] = f"Careful {SCRIPT}"
    (folder / "case.yml").write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    costs = (folder / "costs.csv").read_text(encoding="utf-8").splitlines()
    first = costs[1].split(",", 1)
    costs[1] = '"Licences ' + IMG.replace('"', '""') + '",' + first[1]
    (folder / "costs.csv").write_text("\n".join(costs) + "\n", encoding="utf-8")
    out = tmp_path_factory.mktemp("hostile-report") / "reports"
    before = _snapshot(folder) | _snapshot(report.NOTEBOOKS_DIR)
    # Few Monte Carlo draws: escaping does not depend on the draw count (07 and 10 default
    # to 100,000, which only costs time here).
    params = {"case_path": str(folder), "n_draws": 2000}
    result = report.build_report(out, parameters=params, progress=None)
    # The report never writes into the case folder or into notebooks/.
    assert _snapshot(folder) | _snapshot(report.NOTEBOOKS_DIR) == before
    return result


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _pages(result):
    return [result.index, *(p for _, p in result.pages)]


def test_payloads_never_appear_unescaped(hostile_report):
    for page in _pages(hostile_report):
        text = page.read_text(encoding="utf-8")
        assert "window.__pwned = 'script'</script>" not in text, page.name
        assert "<img src=x onerror" not in text, page.name
        # No warning or error text printed into any page (a cell's stderr output).
        assert 'data-mime-type="application/vnd.jupyter.stderr"' not in text, page.name
        assert "Traceback" not in text, page.name
    index = hostile_report.index.read_text(encoding="utf-8")
    # The payloads are there, shown as text (so the checks above are not vacuous).
    assert "Evil &lt;script&gt;" in index
    pages = {p.name: p.read_text(encoding="utf-8") for _, p in hostile_report.pages}
    assert "Licences &lt;img src=x onerror" in pages["06_costs.html"]
    assert "Customer &lt;script&gt;" in pages["08_intangibles.html"]
    assert "Careful &lt;script&gt;" in pages["07_roi.html"]


@pytest.mark.browser
def test_no_payload_runs_in_a_browser(hostile_report, page):
    for html_page in _pages(hostile_report):
        page.goto(html_page.as_uri())
        page.wait_for_load_state("load")
        assert page.evaluate("window.__pwned === undefined"), html_page.name
    assert page.log.page_errors == []
