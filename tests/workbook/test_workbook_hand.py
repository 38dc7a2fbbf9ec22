"""The workbook of a case small enough to work out by hand, recomputed by ``formulas``.

The case (a projection, so nothing is estimated by a statistic): 12 baseline months of
revenue at exactly 100,000 a month, an expected revenue change of +10%, gross margin 0.5,
attribution 0.5, no ramp-up, no risk, one cost of 50,000 paid before go-live, 3 years
at 10%.

By hand:

- change = 10% x 100,000 = 10,000 a month; benefit = 10,000 x 12 x 0.5 x 0.5 = 30,000 a year
- flows: benefits [0, 30,000, 30,000, 30,000], costs [50,000, 0, 0, 0]
- PV benefits = 30,000 x (1/1.1 + 1/1.21 + 1/1.331) = 30,000 x 2.486851991 = 74,605.56
- NPV = 74,605.56 - 50,000 = 24,605.56; TEI ROI = 24,605.56 / 50,000 = 0.4921112
- simple ROI = (90,000 - 50,000) / 50,000 = 0.8; incremental ROI = 1.8; Nucleus = 30,000 /
  50,000 = 0.6; revenue view: (10,000 x 12 x 0.5 x 3 - 50,000) / 50,000 = 2.6
- payback: cumulative -50,000, -20,000, +10,000: 1 + 20,000 / 30,000 years = 20 months
- margin 0.6 instead: 36,000 a year, PV 89,526.67, NPV 39,526.67
- IRR: numpy-financial's irr of [-50,000, 30,000, 30,000, 30,000] (independent of the kit)
"""

from __future__ import annotations

from pathlib import Path

import numpy_financial as npf
import pytest

from roi_kit import load_case
from roi_kit.workbook import write_workbook
from tests.workbook.recalc import load_model, recalculate

pytestmark = pytest.mark.slow

_YML = """\
name: Hand case
kind: projection
currency: EUR
go_live: 2024-01
baseline: {start: 2023-01, end: 2023-12}
horizon_years: 3
discount_rate: 0.10
assumptions:
  gross_margin: {low: 0.4, likely: 0.5, high: 0.6}
  attribution_share: 0.5
  ramp_up_months: 0
expected_changes:
  revenue: {low: 0.05, likely: 0.10, high: 0.15}
risk: {benefits: 0, costs: 0}
"""


__all__ = ["make_hand_case"]


def make_hand_case(folder: Path) -> Path:
    """Write the hand case (see the module docstring) into the new folder ``folder``."""
    folder.mkdir(parents=True)
    (folder / "case.yml").write_text(_YML, encoding="utf-8")
    months = "\n".join(f"2023-{m:02d},100000" for m in range(1, 13))
    (folder / "kpis.csv").write_text(f"month,revenue\n{months}\n", encoding="utf-8")
    (folder / "costs.csv").write_text(
        "item,category,type,amount,frequency,start,end\n"
        "Implementation,implementation,one_time,50000,once,2023-12,\n",
        encoding="utf-8",
    )
    return folder


@pytest.fixture(scope="module")
def hand(tmp_path_factory):
    folder = make_hand_case(tmp_path_factory.mktemp("hand") / "case")
    path = write_workbook(load_case(folder), tmp_path_factory.mktemp("out") / "hand.xlsx")
    model = load_model(path)
    return path, model, recalculate(path, model=model)


def test_headline_cells_equal_the_hand_calculation(hand):
    _, _, rc = hand
    assert rc.name("annual_benefit") == pytest.approx(30_000.0, abs=0.005)
    assert rc.name("base_pv_benefits") == pytest.approx(74_605.56, abs=0.005)
    assert rc.name("base_pv_costs") == pytest.approx(50_000.0, abs=0.005)
    assert rc.name("base_npv") == pytest.approx(24_605.56, abs=0.005)
    assert rc.name("base_roi") == pytest.approx(0.4921112, abs=1e-7)
    assert rc.name("base_payback_months") == pytest.approx(20.0, abs=0.01)
    assert rc.name("base_irr") == pytest.approx(
        npf.irr([-50_000, 30_000, 30_000, 30_000]), abs=1e-6
    )


def test_every_roi_definition_equals_the_hand_calculation(hand):
    _, _, rc = hand
    rows = rc.rows("ROI")
    expected = {
        "Simple ROI (articles)": 0.8,
        "ROI % (articles)": 80.0,
        "Incremental ROI (articles)": 1.8,
        "TEI ROI (Forrester)": 0.4921112,
        "NPV": 24_605.56,
        "Benefit-cost ratio": 1.4921112,
        "Nucleus annual ROI": 0.6,
        "Simple ROI, revenue counted as gain": 2.6,
        "Payback": 20.0,
    }
    for name, value in expected.items():
        got = rc.cell("ROI", f"B{rows[name]}")
        assert got == pytest.approx(value, abs=0.005 if name == "NPV" else 1e-7), name


def test_changing_the_margin_moves_npv_by_the_hand_amount(hand):
    path, model, _ = hand
    moved = recalculate(path, {"gross_margin": 0.6}, model=model)
    assert moved.name("base_npv") == pytest.approx(39_526.67, abs=0.005)


def test_tornado_margin_row_equals_the_hand_calculation(hand):
    _, _, rc = hand
    rows = rc.rows("Tornado")
    # Margin at its high, 0.6 (the others at likely): NPV 39,526.67; at its low, 0.4:
    # 24,000 a year x 2.486851991 - 50,000 = 9,684.45.
    assert rc.cell("Tornado", f"F{rows['gross_margin']}") == pytest.approx(39_526.67, abs=0.005)
    assert rc.cell("Tornado", f"E{rows['gross_margin']}") == pytest.approx(9_684.45, abs=0.005)
