"""The report on cases without the optional tables (issue 14, item 2).

Two report builds in all, each on a copy of the sample with parts removed
(:func:`tests.study.test_optional_tables.make_case`): one without adoption table, scenarios,
intangibles and goals; one without a control group.
"""

from __future__ import annotations

import pytest

from roi_kit import report
from tests.study.test_optional_tables import make_case

__all__: list[str] = []

#: Few draws: the pages, not the Monte Carlo precision, are under test.
DRAWS = 2000


def _build(tmp_path, folder):
    out = tmp_path / "report"
    result = report.build_report(
        out, parameters={"case_path": str(folder), "n_draws": DRAWS}, progress=None
    )
    pages = {path.name: path.read_text(encoding="utf-8") for _, path in result.pages}
    assert result.index.is_file()
    assert len(pages) == len(report.step_notebooks())
    for name, text in pages.items():
        assert "Traceback" not in text, name
    return pages


def _page(pages, prefix):
    return next(text for name, text in pages.items() if name.startswith(prefix))


@pytest.mark.slow
def test_report_without_adoption_scenarios_intangibles_goals(tmp_path):
    folder = make_case(
        tmp_path / "bare", adoption=False, scenarios=False, intangibles=False, goals=False
    )
    pages = _build(tmp_path, folder)
    rollout = _page(pages, "03")
    assert "no adoption table" in rollout
    assert "What it would add" in rollout
    # The sample's adoption figures must not appear on a case without adoption data.
    assert "68.8%" not in rollout
    assert "scores no intangibles" in _page(pages, "08")
    assert "no goals yet" in _page(pages, "01")


@pytest.mark.slow
def test_report_without_control_group(tmp_path):
    folder = make_case(tmp_path / "noctrl", control=False)
    pages = _build(tmp_path, folder)
    # The adoption table is there: page 03 shows it, not the "missing" note.
    assert "no adoption table" not in _page(pages, "03")
    assert "mean adoption rate" in _page(pages, "03")
