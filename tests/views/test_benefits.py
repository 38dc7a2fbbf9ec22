"""Tests for roi_kit.views.benefits (notebook 05).

Expected values are worked out by hand from the sample case's raw files (case.yml,
costs.csv and adoption.csv, the latter two read here with the csv module), never taken
from the code under test.
"""

from __future__ import annotations

import csv

import pytest

from roi_kit.errors import FinanceInputError
from roi_kit.study import model
from roi_kit.views.benefits import (
    SLIDER_ASSUMPTIONS,
    benefit_check_text,
    benefit_lines_table,
    benefit_view,
    revenue_views_table,
    slider_sensitivity_table,
)
from tests.paths import SAMPLE_CASE
from tests.study.hand_tables import sample_measurement


@pytest.fixture(scope="module")
def inputs(sample_case):
    # Worked on a fixed, hand-written measurement (tests/study/hand_tables.py).
    return model.model_inputs(sample_case, comparison=sample_measurement())


@pytest.fixture(scope="module")
def view(sample_case, inputs):
    return benefit_view(sample_case, inputs)


def _active_users_after() -> float:
    # Mean active users over the after period 2024-01..2025-06, the window of the
    # measured changes: 743 user-months / 18 months = 41.28 (notebook 03 sums the 743).
    with open(SAMPLE_CASE / "adoption.csv", newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if "2024-01" <= r["month"] <= "2025-06"]
    return sum(float(r["active_users"]) for r in rows) / len(rows)


def _line(view, kind):
    return next(ln for ln in view.lines if ln.kind == kind)


# --------------------------------------------------------------------------------------
# Benefits
# --------------------------------------------------------------------------------------


def test_productivity_line_by_hand(view):
    users = _active_users_after()
    assert users == pytest.approx(743 / 18)
    # 1.5 h x 743/18 users x 48 weeks x EUR 65 x 0.5 recapture = 743 x 130 = 96,590
    assert _line(view, "productivity").annual_value == pytest.approx(96_590.0)
    assert 1.5 * users * 48 * 65 * 0.5 == pytest.approx(96_590.0)


def test_sources_follow_case_yml(view):
    prod = {i.name: i.source for i in _line(view, "productivity").inputs}
    # case.yml gives hours saved and recapture as plain assumptions (source "assumed")
    assert prod["hours_saved_per_user_week"] == "assumed"
    assert prod["recapture_factor"] == "assumed"
    assert prod["users"] == "measured"
    margin = {i.name: i.source for i in _line(view, "revenue_margin").inputs}
    assert margin["delta_revenue_annual"] == "measured"
    assert margin["gross_margin"] == "assumed"


def test_waterfall_steps_follow_the_formulas(view, inputs):
    steps = view.steps
    kinds = [s.kind for s in steps]
    assert kinds[0] == "start" and kinds[-1] == "total" and "subtotal" in kinds
    delta_r = inputs.changes["revenue"].change * 12  # measured monthly change x 12
    assert steps[0].value == pytest.approx(delta_r)
    # x gross margin 0.32: the step is dR x (0.32 - 1); x attribution 0.7: dR x 0.32 x (0.7 - 1)
    assert steps[1].value == pytest.approx(delta_r * (0.32 - 1.0))
    assert steps[2].value == pytest.approx(delta_r * 0.32 * (0.7 - 1.0))
    # every delta from the start adds up to the subtotal, and the risk step is -10% of it
    sub = next(s for s in steps if s.kind == "subtotal")
    i_sub = steps.index(sub)
    assert steps[0].value + sum(s.value for s in steps[1:i_sub]) == pytest.approx(sub.value)
    assert steps[i_sub + 1].value == pytest.approx(-0.10 * sub.value)
    assert steps[-1].value == pytest.approx(0.90 * sub.value)


def test_not_counted_lines_stay_out_of_the_total(view):
    counted = [ln for ln in view.lines if ln.counted]
    assert view.annual_benefit == pytest.approx(sum(float(ln.annual_value) for ln in counted))
    labels = " ".join(s.label for s in view.steps)
    for ln in view.lines:
        if not ln.counted:
            assert ln.name not in labels
    # the revenue view (revenue counted as profit) is never counted
    assert not _line(view, "revenue_as_gain").counted


def test_overrides_recompute_through_the_model(sample_case, inputs):
    dr = inputs.changes["revenue"].change * 12
    v = benefit_view(
        sample_case,
        inputs,
        {"gross_margin": 0.5, "hours_saved_per_user_week": 2.0, "recapture_factor": 1.0},
    )
    assert _line(v, "revenue_margin").annual_value == pytest.approx(dr * 0.5 * 0.7)
    # 2 h x 743/18 x 48 x 65 x 1.0 = 743 x 346.67 = 257,573.33
    assert _line(v, "productivity").annual_value == pytest.approx(743 * 2 * 48 * 65 / 18)
    v0 = benefit_view(sample_case, inputs, {"risk_benefits": 0.0})
    assert v0.risk_adjusted == pytest.approx(v0.annual_benefit)


def test_unknown_override_is_refused(sample_case, inputs):
    with pytest.raises(FinanceInputError, match="gros_margin"):
        benefit_view(sample_case, inputs, {"gros_margin": 0.4})


def test_revenue_views_side_by_side(view):
    table = revenue_views_table(view)
    assert list(table["View"]) == ["Revenue view (the source articles)", "Margin view (this kit)"]
    assert table["In the total"].tolist() == ["no (shown for comparison)", "yes"]
    # margin view = revenue view x gross margin 0.32
    gain = float(_line(view, "revenue_as_gain").annual_value)
    margin = float(_line(view, "revenue_margin").annual_value)
    assert margin == pytest.approx(gain * 0.32)


def test_benefit_lines_table(view):
    table = benefit_lines_table(view)
    assert len(table) == len(view.lines) + 2
    assert table["Counted"].tolist()[:6] == ["yes", "no", "no", "yes", "no", "yes"]
    assert table.iloc[-1]["Annual value (EUR/year)"] == f"EUR {view.risk_adjusted:,.0f}"


def test_benefit_check_text(view, inputs):
    assert benefit_check_text(view, inputs) == (
        "Active users (mean over the after period): 41.3\n"
        "Productivity (time saved): EUR 96,590 a year\n"
        "Counted benefit lines: 3 of 6\n"
        "  - Revenue uplift (margin view)\n"
        "  - Shorter sales cycle (profit received earlier)\n"
        "  - Productivity (time saved)"
    )


def test_slider_sensitivity_table(sample_case, inputs, view):
    table = slider_sensitivity_table(sample_case, inputs)
    assert list(table["Assumption"]) == [v[0] for v in SLIDER_ASSUMPTIONS.values()]
    hours = table.set_index("Assumption").loc["Hours saved / user-week"]
    assert hours["Low / likely / high"] == "0.5 / 1.5 / 2.5"  # case.yml range
    # at 0.5 h the productivity line is 0.5 x 743/18 x 48 x 65 x 0.5 = 32,196.67,
    # 64,393.33 less than at 1.5 h (96,590), before the 10% benefit risk
    assert hours["Benefit at low"] == f"EUR {view.risk_adjusted - 0.9 * 96_590 * 2 / 3:,.0f}"
