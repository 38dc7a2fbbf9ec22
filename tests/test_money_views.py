"""Tests for roi_kit.views.money_views (notebooks 05 and 06).

Expected values are worked out by hand from the sample case's raw files (case.yml,
costs.csv and adoption.csv, the latter two read here with the csv module), never taken
from the code under test.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import ipywidgets as w
import pytest

from roi_kit.case.config import load_case
from roi_kit.errors import FinanceInputError
from roi_kit.study import model
from roi_kit.views import money_views as mv

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample_case"

# Hand calculations from costs.csv (go-live 2024-01, horizon 3 years -> 2026-12):
# Initial = 48,000 + 14,500 + 18,000 + 9,600 + 62,400 (960 h x 65) + 7,200 = 159,700
# Year 1 = 50,400 (4,200 x 12) + 266.67 (refresher 3,200/12, one month) + 31,200 (40 h x 65
#          x 12) + 6,000 (support) + 6,000 (1,500 x 4 quarters) + 4,500 (add-on 750 x 6)
#        = 98,366.67
# Year 2 = 50,400 + 3,200 + 31,200 + 6,000 + 6,000 + 9,000 (add-on 750 x 12) = 105,800
# Year 3 = 50,400 + 3,200 + 31,200 + 6,000 + 6,000 = 96,800
INITIAL = 159_700.0
YEARS = (98_366.0 + 2.0 / 3.0, 105_800.0, 96_800.0)
TCO = INITIAL + sum(YEARS)  # 460,666.67


@pytest.fixture(scope="module")
def case():
    return load_case(SAMPLE)


@pytest.fixture(scope="module")
def inputs(case):
    return model.model_inputs(case)


@pytest.fixture(scope="module")
def view(case, inputs):
    return mv.benefit_view(case, inputs)


def _active_users_after() -> float:
    # Mean active users over the after period 2024-01..2025-06, the window of the
    # measured changes: 743 user-months / 18 months = 41.28 (notebook 03 sums the 743).
    with open(SAMPLE / "adoption.csv", newline="", encoding="utf-8") as f:
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


def test_overrides_recompute_through_the_model(case, inputs):
    dr = inputs.changes["revenue"].change * 12
    v = mv.benefit_view(
        case,
        inputs,
        {"gross_margin": 0.5, "hours_saved_per_user_week": 2.0, "recapture_factor": 1.0},
    )
    assert _line(v, "revenue_margin").annual_value == pytest.approx(dr * 0.5 * 0.7)
    # 2 h x 743/18 x 48 x 65 x 1.0 = 743 x 346.67 = 257,573.33
    assert _line(v, "productivity").annual_value == pytest.approx(743 * 2 * 48 * 65 / 18)
    v0 = mv.benefit_view(case, inputs, {"risk_benefits": 0.0})
    assert v0.risk_adjusted == pytest.approx(v0.annual_benefit)


def test_unknown_override_is_refused(case, inputs):
    with pytest.raises(FinanceInputError, match="gros_margin"):
        mv.benefit_view(case, inputs, {"gros_margin": 0.4})


def test_revenue_views_side_by_side(view):
    table = mv.revenue_views_table(view)
    assert list(table["View"]) == ["Revenue view (the source articles)", "Margin view (this kit)"]
    assert table["In the total"].tolist() == ["no (shown for comparison)", "yes"]
    # margin view = revenue view x gross margin 0.32
    gain = float(_line(view, "revenue_as_gain").annual_value)
    margin = float(_line(view, "revenue_margin").annual_value)
    assert margin == pytest.approx(gain * 0.32)


def test_benefit_lines_table(view):
    table = mv.benefit_lines_table(view)
    assert len(table) == len(view.lines) + 2
    assert table["Counted"].tolist()[:6] == ["yes", "no", "no", "yes", "no", "yes"]
    assert table.iloc[-1]["Annual value (EUR/year)"] == f"EUR {view.risk_adjusted:,.0f}"


def test_benefit_check_text(view, inputs):
    assert mv.benefit_check_text(view, inputs) == (
        "Active users (mean over the after period): 41.3\n"
        "Productivity (time saved): EUR 96,590 a year\n"
        "Counted benefit lines: 3 of 6\n"
        "  - Revenue uplift (margin view)\n"
        "  - Shorter sales cycle (profit received earlier)\n"
        "  - Productivity (time saved)"
    )


def test_slider_sensitivity_table(case, inputs, view):
    table = mv.slider_sensitivity_table(case, inputs)
    assert list(table["Assumption"]) == [v[0] for v in mv.SLIDER_ASSUMPTIONS.values()]
    hours = table.set_index("Assumption").loc["Hours saved / user-week"]
    assert hours["Low / likely / high"] == "0.5 / 1.5 / 2.5"  # case.yml range
    # at 0.5 h the productivity line is 0.5 x 743/18 x 48 x 65 x 0.5 = 32,196.67,
    # 64,393.33 less than at 1.5 h (96,590), before the 10% benefit risk
    assert hours["Benefit at low"] == f"EUR {view.risk_adjusted - 0.9 * 96_590 * 2 / 3:,.0f}"


# --------------------------------------------------------------------------------------
# Costs
# --------------------------------------------------------------------------------------


FUTURE = 52_900 + 96_800  # costs dated after the data ends (2025-06), from costs.csv


def test_cost_view_by_hand(case):
    cv = mv.cost_view(case)
    assert cv.tco == pytest.approx(TCO)
    assert cv.schedule.initial == pytest.approx(INITIAL)
    # The 10% cost risk applies only to costs after the data ends (2025-06): 2025-07..12
    # = 52,900 (licences 25,200 + refresher 1,600 + admin 15,600 + support 3,000 +
    # enrichment 3,000 + add-on 4,500) and 2026 = 96,800: FUTURE = 149,700.
    assert cv.risk_adjusted_tco == pytest.approx(TCO + 0.1 * FUTURE)  # 475,636.67
    # PV at 10%: 159,700 + 98,366.67/1.1 + (105,800 + 5,290)/1.21 + 106,480/1.331
    assert cv.pv_costs == pytest.approx(
        159_700 + 98_366.6667 / 1.1 + 111_090 / 1.21 + 106_480 / 1.331, abs=0.01
    )
    over = mv.cost_view(case, overrun=0.2, risk_costs=0.1)
    assert over.tco == pytest.approx(TCO * 1.2)
    assert over.risk_adjusted_tco == pytest.approx(1.2 * (TCO + 0.1 * FUTURE))


def test_tco_check_text(case):
    assert mv.tco_check_text(mv.cost_view(case)) == (
        "Initial: EUR 159,700\n"
        "Year 1: EUR 98,367\n"
        "Year 2: EUR 105,800\n"
        "Year 3: EUR 96,800\n"
        "TCO (Initial + 3 years): EUR 460,667\n"
        "One-time: EUR 159,700\n"
        "Recurring: EUR 300,967\n"
        "Risk-adjusted TCO (+10% on costs not yet paid): EUR 475,637"
    )


def test_ledger_table_matches_costs_csv(case):
    with open(SAMPLE / "costs.csv", newline="", encoding="utf-8") as f:
        raw = list(csv.DictReader(f))
    table = mv.ledger_table(case)
    assert table["Item"].tolist() == [r["item"] for r in raw]
    assert table["Row"].tolist() == list(range(2, 2 + len(raw)))
    staff = table.set_index("Item").loc["Internal project team (sales ops and IT)"]
    assert staff["Hours × rate"] == "960 h × EUR 65.00 = EUR 62,400"
    assert staff["End"] == ""  # a one-off has no end
    addon = table.set_index("Item").loc["Sales intelligence add-on (annual plan, cancelled early)"]
    assert addon["In the horizon"] == "EUR 13,500"  # 18 months x 750


def test_proration_table(case):
    table = mv.proration_table(case).set_index("Item")
    addon = table.loc["Sales intelligence add-on (annual plan, cancelled early)"]
    # 2024-07..2025-12 = 18 months x 9,000/12; invoices 2024-07 and 2025-07 = 18,000
    assert addon["Months charged"] == "18"
    assert addon["Prorated (kit)"] == "EUR 13,500"
    assert addon["Invoiced (anniversary)"] == "EUR 18,000"
    # refresher: 2024-12..2026-12 = 25 months x 3,200/12 = 6,666.67; invoices 3 x 3,200
    assert table.loc["Refresher training", "Months charged"] == "25"
    assert table.loc["Refresher training", "Invoiced (anniversary)"] == "EUR 9,600"


def test_internal_staff_table(case):
    table = mv.internal_staff_table(case)
    total = table.iloc[-1]
    # 62,400 + 36 x 2,600 = 156,000; 156,000 / 460,666.67 = 33.86%
    assert total["In the horizon"] == "EUR 156,000"
    assert total["Share of TCO"] == "33.9%"
    assert table.iloc[1]["Occurrences in horizon"] == "36"


def test_overrun_grid(case):
    table = mv.overrun_grid_table(case)
    assert table.loc["overrun 10%", "cost risk 20%"] == f"EUR {1.1 * (TCO + 0.2 * FUTURE):,.0f}"
    assert table.loc["overrun 0%", "cost risk 0%"] == "EUR 460,667"


def test_category_colours_match_across_charts(case):
    cv = mv.cost_view(case)
    colours = []
    for fig in (mv.costs_by_year_figure(cv), mv.one_time_recurring_figure(cv)):
        handles, labels = fig.axes[0].get_legend_handles_labels()
        colours.append({lab: h.patches[0].get_facecolor() for h, lab in zip(handles, labels)})
    shared = set(colours[0]) & set(colours[1])
    assert {"Software", "Internal staff", "Implementation"} <= shared
    for lab in shared:
        assert colours[0][lab] == colours[1][lab]


def test_user_text_is_escaped(tmp_path):
    folder = tmp_path / "case"
    shutil.copytree(SAMPLE, folder)
    costs = (folder / "costs.csv").read_text(encoding="utf-8")
    costs = costs.replace("Tablets for field sales (12 units)", "<b>Tablets</b> & co")
    (folder / "costs.csv").write_text(costs, encoding="utf-8")
    html = mv._html(mv.ledger_table(load_case(folder)))
    assert "&lt;b&gt;Tablets&lt;/b&gt; &amp; co" in html
    assert "<b>Tablets" not in html


# --------------------------------------------------------------------------------------
# Panels: a widget in interactive mode, static output in report mode
# --------------------------------------------------------------------------------------


def test_benefits_panel_is_a_widget_and_recomputes(case, inputs, view):
    panel = mv.benefits_panel(case, inputs)
    assert isinstance(panel, w.Widget)
    for slider in panel.sliders.values():
        assert slider.continuous_update is False
    assert panel.result.risk_adjusted == pytest.approx(view.risk_adjusted)
    panel.sliders["risk_benefits"].value = 0.0
    assert panel.result.risk_adjusted == pytest.approx(view.annual_benefit)


def test_costs_panel_is_a_widget_and_recomputes(case):
    panel = mv.costs_panel(case)
    assert isinstance(panel, w.Widget)
    overrun, risk = panel.children[0].children
    assert overrun.continuous_update is False and risk.continuous_update is False
    overrun.value = 0.2
    assert panel.result.risk_adjusted_tco == pytest.approx(1.2 * (TCO + 0.1 * FUTURE))


def test_report_mode_renders_static_output(case, inputs, view, monkeypatch):
    shown = []
    monkeypatch.setattr(mv, "display", shown.append)
    monkeypatch.setattr(mv, "show_figure", shown.append)
    mv.show_benefits_panel(case, inputs, report_mode=True)
    mv.show_costs_panel(case, report_mode=True)
    mv.show_revenue_views(view)
    mv.show_waterfall(view)
    mv.show_costs_overview(mv.cost_view(case))
    assert shown
    assert not any(isinstance(obj, w.Widget) for obj in shown)
    html = "".join(obj.data for obj in shown if hasattr(obj, "data") and isinstance(obj.data, str))
    assert "Risk-adjusted TCO" in html and "Hours saved / user-week" in html
