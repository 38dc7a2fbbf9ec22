"""Tests for roi_kit.money.costs: every expected value is worked out by hand in the comment."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roi_kit.errors import BadValueError, FinanceInputError, MissingColumnError
from roi_kit.money.costs import (
    CATEGORIES,
    cost_schedule,
    monthly_cash_flows,
    tco_table,
    yearly_cash_flows,
)

NAN = math.nan


def M(text: str) -> pd.Period:
    return pd.Period(text, freq="M")


def ledger(*rows: dict) -> pd.DataFrame:
    """A ledger as the case loader returns it; rows give what differs from the defaults."""
    base = {
        "item": "x",
        "category": "software",
        "type": "recurring",
        "amount": NAN,
        "frequency": "monthly",
        "start": M("2024-01"),
        "end": None,
        "hours": NAN,
        "hourly_rate": NAN,
    }
    return pd.DataFrame([{**base, **r} for r in rows])


def year_totals(schedule) -> list[float]:
    return schedule.yearly.loc["Total"].tolist()


def test_mid_year_annual_subscription_prorated():
    # 12,000 a year from 2024-07 to 2025-12, go-live 2024-01, 3 years:
    # 2024: Jul-Dec = 6 months x 1,000 = 6,000; 2025: 12 x 1,000 = 12,000; 2026: 0.
    # Total 18,000.
    led = ledger(
        {
            "category": "subscription",
            "amount": 12_000.0,
            "frequency": "annual",
            "start": M("2024-07"),
            "end": M("2025-12"),
        }
    )
    s = cost_schedule(led, go_live=M("2024-01"), horizon_years=3)
    assert year_totals(s) == pytest.approx([0.0, 6_000.0, 12_000.0, 0.0, 18_000.0])
    assert s.tco == pytest.approx(18_000.0)
    # Monthly: 1,000 in 2024-07, nothing in 2024-06.
    assert s.monthly.loc[M("2024-07"), "subscription"] == pytest.approx(1_000.0)
    assert s.monthly.loc[M("2024-06"), "subscription"] == 0.0
    np.testing.assert_allclose(yearly_cash_flows(s), [0.0, 6_000.0, 12_000.0, 0.0])


def test_annual_subscription_ending_early():
    # 12,000 a year from 2024-01, cancelled after 2024-09, 2 years:
    # prorated: Jan-Sep = 9 x 1,000 = 9,000 in Year 1, 0 in Year 2.
    led = ledger(
        {
            "category": "subscription",
            "amount": 12_000.0,
            "frequency": "annual",
            "start": M("2024-01"),
            "end": M("2024-09"),
        }
    )
    s = cost_schedule(led, go_live="2024-01", horizon_years=2)
    assert year_totals(s) == pytest.approx([0.0, 9_000.0, 0.0, 9_000.0])
    # Anniversary (cash) view: the full 12,000 invoiced in 2024-01, none later
    # (2025-01 > end 2024-09).
    cash = cost_schedule(led, go_live="2024-01", horizon_years=2, annual="anniversary")
    assert year_totals(cash) == pytest.approx([0.0, 12_000.0, 0.0, 12_000.0])


def test_anniversary_mid_year_start():
    # 12,000 invoiced at 2024-07 and 2025-07 (2026-07 > end 2025-12): Year 1 12,000,
    # Year 2 12,000, Year 3 0 - versus 6,000 / 12,000 / 0 prorated.
    led = ledger(
        {
            "category": "subscription",
            "amount": 12_000.0,
            "frequency": "annual",
            "start": M("2024-07"),
            "end": M("2025-12"),
        }
    )
    s = cost_schedule(led, go_live="2024-01", horizon_years=3, annual="anniversary")
    assert year_totals(s) == pytest.approx([0.0, 12_000.0, 12_000.0, 0.0, 24_000.0])


def test_quarterly_charge():
    # 3,000 a quarter from 2024-02 to 2024-12: charged 2024-02, 05, 08, 11 (2025-02 > end)
    # = 4 x 3,000 = 12,000 in Year 1.
    led = ledger(
        {
            "category": "support",
            "amount": 3_000.0,
            "frequency": "quarterly",
            "start": M("2024-02"),
            "end": M("2024-12"),
        }
    )
    s = cost_schedule(led, go_live="2024-01", horizon_years=2)
    charged = s.monthly["support"]
    assert list(charged[charged > 0].index.astype(str)) == [
        "2024-02",
        "2024-05",
        "2024-08",
        "2024-11",
    ]
    assert year_totals(s) == pytest.approx([0.0, 12_000.0, 0.0, 12_000.0])


def test_quarterly_open_ended_runs_to_horizon():
    # From 2024-01, no end, 2 years: 2024-01, 04, 07, 10, 2025-01, 04, 07, 10 = 8 x 500
    # = 4,000, 2,000 a year.
    led = ledger({"category": "support", "amount": 500.0, "frequency": "quarterly"})
    s = cost_schedule(led, go_live="2024-01", horizon_years=2)
    assert year_totals(s) == pytest.approx([0.0, 2_000.0, 2_000.0, 4_000.0])


def test_internal_staff_hours_times_rate():
    # 40 hours a month at 50/h = 2,000 a month, 2024-01..2024-06 = 6 x 2,000 = 12,000.
    led = ledger(
        {
            "category": "internal_staff",
            "hours": 40.0,
            "hourly_rate": 50.0,
            "start": M("2024-01"),
            "end": M("2024-06"),
        }
    )
    s = cost_schedule(led, go_live="2024-01", horizon_years=1)
    assert s.lines.loc[0, "amount"] == pytest.approx(2_000.0)
    assert year_totals(s) == pytest.approx([0.0, 12_000.0, 12_000.0])


def test_one_time_before_go_live_lands_in_initial():
    # Implementation 50,000 in 2023-10, go-live 2024-01: Initial 50,000, years 0.
    # Monthly licences 1,000 from 2023-11 (pilot) to 2024-02: 2023-11, 2023-12 -> Initial
    # (2,000); 2024-01, 2024-02 -> Year 1 (2,000).
    led = ledger(
        {
            "item": "impl",
            "category": "implementation",
            "type": "one_time",
            "amount": 50_000.0,
            "frequency": "once",
            "start": M("2023-10"),
        },
        {"item": "lic", "amount": 1_000.0, "start": M("2023-11"), "end": M("2024-02")},
    )
    s = cost_schedule(led, go_live="2024-01", horizon_years=2)
    assert s.initial == pytest.approx(52_000.0)
    assert s.yearly.loc["implementation", "Initial"] == pytest.approx(50_000.0)
    assert s.yearly.loc["software", "Initial"] == pytest.approx(2_000.0)
    assert year_totals(s) == pytest.approx([52_000.0, 2_000.0, 0.0, 54_000.0])
    # Monthly index: from the earliest cost month to go-live + 24 - 1 = 2025-12: 27 months.
    assert s.monthly.index[0] == M("2023-10") and s.monthly.index[-1] == M("2025-12")
    assert len(s.monthly) == 27
    # One-time 50,000; recurring 4,000; together the TCO 54,000.
    assert (s.one_time_total, s.recurring_total) == pytest.approx((50_000.0, 4_000.0))
    # Monthly flows: [Initial 52,000, 1,000, 1,000, then 22 zeros].
    flows = monthly_cash_flows(s)
    assert flows.shape == (25,)
    np.testing.assert_allclose(flows[:3], [52_000.0, 1_000.0, 1_000.0])
    assert flows.sum() == pytest.approx(54_000.0)


def test_costs_after_horizon_are_excluded_and_reported():
    # 1,000 a month 2026-07..2027-06, go-live 2024-01, 3 years (last month 2026-12):
    # inside 2026-07..2026-12 = 6,000 (Year 3); excluded 2027-01..2027-06 = 6,000.
    # A one-off 9,000 in 2027-03 is excluded entirely.
    led = ledger(
        {"amount": 1_000.0, "start": M("2026-07"), "end": M("2027-06")},
        {
            "item": "upgrade",
            "type": "one_time",
            "frequency": "once",
            "amount": 9_000.0,
            "start": M("2027-03"),
        },
    )
    s = cost_schedule(led, go_live="2024-01", horizon_years=3)
    assert year_totals(s) == pytest.approx([0.0, 0.0, 0.0, 6_000.0, 6_000.0])
    assert s.excluded_after_horizon == pytest.approx(15_000.0)
    assert s.lines["after_horizon"].tolist() == pytest.approx([6_000.0, 9_000.0])


def test_overrun_scalar_and_per_category():
    # Software 1,000/month x 12 = 12,000; training 5,000 once. 1 year.
    led = ledger(
        {"amount": 1_000.0},
        {"category": "training", "type": "one_time", "frequency": "once", "amount": 5_000.0},
    )
    base = cost_schedule(led, go_live="2024-01", horizon_years=1)
    assert base.tco == pytest.approx(17_000.0)
    # 10% overrun on everything: 17,000 x 1.1 = 18,700 (costs go UP with risk).
    assert cost_schedule(led, go_live="2024-01", horizon_years=1, overrun=0.1).tco == (
        pytest.approx(18_700.0)
    )
    # 20% on software only: 12,000 x 1.2 + 5,000 = 14,400 + 5,000 = 19,400.
    s = cost_schedule(led, go_live="2024-01", horizon_years=1, overrun={"software": 0.2})
    assert s.tco == pytest.approx(19_400.0)
    assert s.yearly.loc["training", "Total"] == pytest.approx(5_000.0)
    # The amount column shows the ledger amount before overrun.
    assert s.lines.loc[0, "amount"] == pytest.approx(1_000.0)


def test_tco_table_layout():
    # Implementation 10,000 before go-live; internal staff 10 h x 80 = 800 a month, 2 years:
    # 9,600 a year. Total 10,000 + 19,200 = 29,200.
    led = ledger(
        {
            "category": "implementation",
            "type": "one_time",
            "frequency": "once",
            "amount": 10_000.0,
            "start": M("2023-12"),
        },
        {"category": "internal_staff", "hours": 10.0, "hourly_rate": 80.0},
    )
    s = cost_schedule(led, go_live="2024-01", horizon_years=2)
    table = tco_table(s, "EUR")
    assert list(table.columns) == ["Initial", "Year 1", "Year 2", "Total"]
    assert list(table.index) == [
        "Implementation",
        "Internal staff",
        "Total",
        "of which one-time",
        "of which recurring",
    ]
    assert table.index.name == "Cost (EUR)"
    assert table.loc["Total"].tolist() == pytest.approx([10_000.0, 9_600.0, 9_600.0, 29_200.0])
    assert table.loc["of which one-time", "Total"] == pytest.approx(10_000.0)
    assert table.loc["of which recurring", "Total"] == pytest.approx(19_200.0)


def test_string_months_accepted_and_empty_ledger():
    led = ledger({"amount": 100.0, "start": "2024-03", "end": "2024-04"})
    # 2 months x 100 = 200.
    assert cost_schedule(led, go_live="2024-01", horizon_years=1).tco == pytest.approx(200.0)
    # A timestamp counts for the month it falls in: 2024-03-15 -> 2024-03, so 200 again.
    led_ts = ledger({"amount": 100.0, "start": pd.Timestamp("2024-03-15"), "end": "2024-04"})
    assert cost_schedule(led_ts, go_live="2024-01", horizon_years=1).tco == pytest.approx(200.0)
    empty = cost_schedule(led.iloc[:0], go_live="2024-01", horizon_years=2)
    assert empty.tco == 0.0
    np.testing.assert_array_equal(yearly_cash_flows(empty), [0.0, 0.0, 0.0])


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ({"category": "licences", "amount": 1.0}, "category", "unknown category"),
        ({"type": "monthly", "amount": 1.0}, "type", "unknown type"),
        ({"frequency": "weekly", "amount": 1.0}, "frequency", "unknown frequency"),
        ({"frequency": "once", "amount": 1.0}, "frequency", "recurring cost paid once"),
        ({"amount": 1.0, "start": M("2024-05"), "end": M("2024-02")}, "end", "before start"),
        ({"amount": NAN}, "amount", "amount is blank"),
        ({"amount": -5.0}, "amount", "negative"),
        ({"amount": 100.0, "hours": 2.0, "hourly_rate": 10.0}, "amount", "disagrees"),
        ({"amount": 1.0, "start": "soon"}, "start", "not a month"),
        ({"amount": 1.0, "start": None}, "start", "blank"),
        # 2024 would otherwise be read as period ordinal 2024, i.e. 2138-09.
        ({"amount": 1.0, "start": 2024}, "start", "not a month"),
        ({"amount": "lots"}, "amount", "not a number"),
    ],
)
def test_bad_ledger_rows_name_row_and_column(row, column, message):
    led = ledger({"amount": 1.0}, row)  # the bad line is the second: spreadsheet row 3
    with pytest.raises(BadValueError, match=message) as info:
        cost_schedule(led, go_live="2024-01", horizon_years=1)
    assert info.value.row == 3
    assert info.value.column == column


def test_bad_arguments():
    led = ledger({"amount": 1.0})
    with pytest.raises(MissingColumnError, match="frequency"):
        cost_schedule(led.drop(columns="frequency"), go_live="2024-01", horizon_years=1)
    with pytest.raises(FinanceInputError, match="horizon_years"):
        cost_schedule(led, go_live="2024-01", horizon_years=0)
    with pytest.raises(FinanceInputError, match="go_live"):
        cost_schedule(led, go_live="someday", horizon_years=1)
    with pytest.raises(FinanceInputError, match="overrun"):
        cost_schedule(led, go_live="2024-01", horizon_years=1, overrun=-1.0)
    with pytest.raises(FinanceInputError, match="unknown categories"):
        cost_schedule(led, go_live="2024-01", horizon_years=1, overrun={"licences": 0.1})
    with pytest.raises(FinanceInputError, match="annual"):
        cost_schedule(led, go_live="2024-01", horizon_years=1, annual="yearly")
    with pytest.raises(FinanceInputError, match="cost_schedule"):
        yearly_cash_flows("not a schedule")


def test_ledger_not_modified():
    led = ledger({"amount": 1_000.0, "start": "2024-01"})
    before = led.copy()
    cost_schedule(led, go_live="2024-01", horizon_years=1, overrun=0.5)
    pd.testing.assert_frame_equal(led, before)


# --- properties ----------------------------------------------------------------------

line_strategy = st.fixed_dictionaries(
    {
        "category": st.sampled_from(CATEGORIES),
        "amount": st.floats(0, 1e6, allow_nan=False),
        "frequency": st.sampled_from(["monthly", "quarterly", "annual"]),
        "start": st.integers(-12, 40).map(lambda k: M("2024-01") + k),
        "length": st.one_of(st.none(), st.integers(0, 30)),
    }
)


def _ledger_from(lines):
    rows = []
    for ln in lines:
        end = None if ln["length"] is None else ln["start"] + ln["length"]
        rows.append({k: v for k, v in ln.items() if k != "length"} | {"end": end})
    return ledger(*rows)


@settings(max_examples=40, deadline=None)
@given(st.lists(line_strategy, min_size=1, max_size=6), st.floats(0, 2, allow_nan=False))
def test_costs_scale_linearly_with_overrun(lines, overrun):
    led = _ledger_from(lines)
    base = cost_schedule(led, go_live="2024-01", horizon_years=3)
    risky = cost_schedule(led, go_live="2024-01", horizon_years=3, overrun=overrun)
    np.testing.assert_allclose(
        yearly_cash_flows(risky), yearly_cash_flows(base) * (1 + overrun), rtol=1e-12, atol=1e-6
    )
    assert risky.excluded_after_horizon == pytest.approx(
        base.excluded_after_horizon * (1 + overrun), rel=1e-12, abs=1e-6
    )


@settings(max_examples=40, deadline=None)
@given(st.lists(line_strategy, min_size=1, max_size=6))
def test_totals_agree_every_way(lines):
    # The same money summed by month, by year, by line, and by type must agree.
    s = cost_schedule(_ledger_from(lines), go_live="2024-01", horizon_years=3)
    tol = {"rel": 1e-9, "abs": 1e-6}
    assert s.monthly.to_numpy().sum() == pytest.approx(s.tco, **tol)
    assert yearly_cash_flows(s).sum() == pytest.approx(s.tco, **tol)
    assert monthly_cash_flows(s).sum() == pytest.approx(s.tco, **tol)
    assert s.lines["total"].sum() == pytest.approx(s.tco, **tol)
    assert s.one_time_total + s.recurring_total == pytest.approx(s.tco, **tol)
    # Prorated annual lines: charged + excluded = amount/12 per active month, computed
    # here by counting the months directly.
    horizon_end = M("2026-12")
    for ln, (_, row) in zip(lines, s.lines.iterrows()):
        if ln["frequency"] != "annual":
            continue
        end = horizon_end if ln["length"] is None else ln["start"] + ln["length"]
        n_months = max((end - ln["start"]).n + 1, 0)
        assert row["total"] + row["after_horizon"] == pytest.approx(
            ln["amount"] / 12 * n_months, **tol
        )


def test_ledger_errors_name_the_file_and_the_sheet_row():
    # A ledger read from a file keeps its spreadsheet rows in the index (named "row") and
    # the file in attrs: a blank line 3 was skipped, so the second line is row 4.
    bad = ledger({"amount": 10.0}, {"amount": -5.0})
    bad.index = pd.Index([2, 4], name="row")
    bad.attrs["source"] = "my_case/costs.csv"
    with pytest.raises(BadValueError) as info:
        cost_schedule(bad, go_live="2024-01", horizon_years=1)
    assert info.value.row == 4 and info.value.column == "amount"
    assert info.value.file == "my_case/costs.csv"
    assert "my_case/costs.csv" in str(info.value)


def test_ledger_without_a_source_is_numbered_by_position():
    bad = ledger({"amount": 10.0}, {"amount": -5.0})
    with pytest.raises(BadValueError) as info:
        cost_schedule(bad, go_live="2024-01", horizon_years=1)
    assert info.value.row == 3 and info.value.file is None  # second line: header row 1
