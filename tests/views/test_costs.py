"""Tests for roi_kit.views.costs (notebook 06).

Expected values are worked out by hand from the sample case's raw files (case.yml,
costs.csv and adoption.csv, the latter two read here with the csv module), never taken
from the code under test.
"""

from __future__ import annotations

import csv

import pytest

from roi_kit.case import load_case
from roi_kit.views.costs import (
    cost_view,
    costs_by_year_figure,
    internal_staff_table,
    ledger_table,
    one_time_recurring_figure,
    overrun_grid_table,
    proration_table,
    tco_check_text,
)
from roi_kit.views.tables import table_html
from tests.paths import SAMPLE_CASE

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


# --------------------------------------------------------------------------------------
# Costs
# --------------------------------------------------------------------------------------


FUTURE = 52_900 + 96_800  # costs dated after the data ends (2025-06), from costs.csv


def test_cost_view_by_hand(sample_case):
    cv = cost_view(sample_case)
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
    over = cost_view(sample_case, overrun=0.2, risk_costs=0.1)
    assert over.tco == pytest.approx(TCO * 1.2)
    assert over.risk_adjusted_tco == pytest.approx(1.2 * (TCO + 0.1 * FUTURE))


def test_tco_check_text(sample_case):
    assert tco_check_text(cost_view(sample_case)) == (
        "Initial: EUR 159,700\n"
        "Year 1: EUR 98,367\n"
        "Year 2: EUR 105,800\n"
        "Year 3: EUR 96,800\n"
        "TCO (Initial + 3 years): EUR 460,667\n"
        "One-time: EUR 159,700\n"
        "Recurring: EUR 300,967\n"
        "Risk-adjusted TCO (+10% on costs not yet paid): EUR 475,637"
    )


def test_ledger_table_matches_costs_csv(sample_case):
    with open(SAMPLE_CASE / "costs.csv", newline="", encoding="utf-8") as f:
        raw = list(csv.DictReader(f))
    table = ledger_table(sample_case)
    assert table["Item"].tolist() == [r["item"] for r in raw]
    assert table["Row"].tolist() == list(range(2, 2 + len(raw)))
    staff = table.set_index("Item").loc["Internal project team (sales ops and IT)"]
    assert staff["Hours × rate"] == "960 h × EUR 65.00 = EUR 62,400"
    assert staff["End"] == ""  # a one-off has no end
    addon = table.set_index("Item").loc["Sales intelligence add-on (annual plan, cancelled early)"]
    assert addon["In the horizon"] == "EUR 13,500"  # 18 months x 750


def test_proration_table(sample_case):
    table = proration_table(sample_case).set_index("Item")
    addon = table.loc["Sales intelligence add-on (annual plan, cancelled early)"]
    # 2024-07..2025-12 = 18 months x 9,000/12; invoices 2024-07 and 2025-07 = 18,000
    assert addon["Months charged"] == "18"
    assert addon["Prorated (kit)"] == "EUR 13,500"
    assert addon["Invoiced (anniversary)"] == "EUR 18,000"
    # refresher: 2024-12..2026-12 = 25 months x 3,200/12 = 6,666.67; invoices 3 x 3,200
    assert table.loc["Refresher training", "Months charged"] == "25"
    assert table.loc["Refresher training", "Invoiced (anniversary)"] == "EUR 9,600"


def test_internal_staff_table(sample_case):
    table = internal_staff_table(sample_case)
    total = table.iloc[-1]
    # 62,400 + 36 x 2,600 = 156,000; 156,000 / 460,666.67 = 33.86%
    assert total["In the horizon"] == "EUR 156,000"
    assert total["Share of TCO"] == "33.9%"
    assert table.iloc[1]["Occurrences in horizon"] == "36"


def test_overrun_grid(sample_case):
    table = overrun_grid_table(sample_case)
    assert table.loc["overrun 10%", "cost risk 20%"] == f"EUR {1.1 * (TCO + 0.2 * FUTURE):,.0f}"
    assert table.loc["overrun 0%", "cost risk 0%"] == "EUR 460,667"


def test_category_colours_match_across_charts(sample_case):
    cv = cost_view(sample_case)
    colours = []
    for fig in (costs_by_year_figure(cv), one_time_recurring_figure(cv)):
        handles, labels = fig.axes[0].get_legend_handles_labels()
        colours.append({lab: h.patches[0].get_facecolor() for h, lab in zip(handles, labels)})
    shared = set(colours[0]) & set(colours[1])
    assert {"Software", "Internal staff", "Implementation"} <= shared
    for lab in shared:
        assert colours[0][lab] == colours[1][lab]


def test_user_text_is_escaped(case_copy):
    folder = case_copy
    costs = (folder / "costs.csv").read_text(encoding="utf-8")
    costs = costs.replace("Tablets for field sales (12 units)", "<b>Tablets</b> & co")
    (folder / "costs.csv").write_text(costs, encoding="utf-8")
    html = table_html(ledger_table(load_case(folder)))
    assert "&lt;b&gt;Tablets&lt;/b&gt; &amp; co" in html
    assert "<b>Tablets" not in html


def test_charges_after_the_horizon_are_named_on_the_costs_page(case_copy):
    # A one-time 7,200 licence true-up dated after the horizon (go-live 2024-01 + 3 years
    # ends 2026-12): left out of the TCO, and the page says so with the item and amount.
    from roi_kit.case import load_case
    from roi_kit.views.costs import after_horizon_html, cost_headline_html, cost_view

    ledger = case_copy / "costs.csv"
    text = ledger.read_text(encoding="utf-8")
    header = text.splitlines()[0].split(",")
    row = dict.fromkeys(header, "")
    row.update(
        item="Licence true-up <b>",
        category="software",
        type="one_time",
        amount="7200",
        frequency="once",
        start="2027-03",
    )
    ledger.write_text(text + ",".join(row[h] for h in header) + "\n", encoding="utf-8")
    view = cost_view(load_case(case_copy))
    note = after_horizon_html(view)
    assert "Licence true-up &lt;b&gt; (EUR 7,200)" in note
    assert "Left out of the TCO" in note
    assert note in cost_headline_html(view)


def test_no_warning_when_every_charge_is_inside_the_horizon(sample_case):
    from roi_kit.views.costs import after_horizon_html, cost_view

    assert after_horizon_html(cost_view(sample_case)) == ""
