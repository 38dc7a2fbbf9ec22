"""Tests for roi_kit.money.benefits: every expected value is worked out by hand in the comment."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roi_kit.errors import FinanceInputError, RoiKitError
from roi_kit.money.benefits import (
    BenefitLine,
    Input,
    acquisition_cost_saving,
    benefit_table,
    cost_saving,
    customer_lifetime_value,
    cycle_time_benefit,
    decompose_revenue_change,
    decomposition_benefits,
    monthly_profile,
    productivity_benefit,
    projected,
    realise,
    realise_line,
    retention_benefit,
    retention_benefit_clv,
    revenue_as_gain,
    revenue_uplift,
    total_benefits,
    with_monthly,
)

fractions = st.floats(0.0, 1.0, allow_nan=False)
money = st.floats(-1e7, 1e7, allow_nan=False)
positive_money = st.floats(0.0, 1e6, allow_nan=False)


# --- revenue -------------------------------------------------------------------------


def test_revenue_margin_view_vs_revenue_view():
    # ΔR = 100,000 at m = 32%: margin view 100,000 x 0.32 = 32,000; revenue view 100,000.
    margin = revenue_uplift(100_000, 0.32)
    revenue = revenue_as_gain(100_000)
    assert margin.annual_value == pytest.approx(32_000.0)
    assert revenue.annual_value == pytest.approx(100_000.0)
    # The margin view is the one counted; the revenue view is labelled as the articles' one.
    assert margin.counted and not revenue.counted
    assert "counts revenue as if it were profit" in revenue.note
    assert "articles" in revenue.note
    # Only the margin view reaches the total: 32,000, not 132,000.
    assert total_benefits([margin, revenue]) == pytest.approx(32_000.0)


def test_revenue_line_explains_itself():
    line = revenue_uplift(100_000, 0.32)
    assert line.formula_symbols == "ΔR × m"
    by_name = {i.name: i for i in line.inputs}
    assert by_name["delta_revenue_annual"].source == "measured"
    assert by_name["gross_margin"].source == "assumed"
    assert by_name["gross_margin"].text() == "m = 32% (assumed)"
    assert by_name["delta_revenue_annual"].text("EUR") == "ΔR = 100,000 EUR/year (measured)"


def test_sources_can_be_overridden_and_unknown_names_refused():
    line = revenue_uplift(100_000, 0.32, sources={"gross_margin": "measured"})
    assert line.inputs[1].source == "measured"
    with pytest.raises(FinanceInputError, match="unknown inputs"):
        revenue_uplift(100_000, 0.32, sources={"margin": "measured"})
    with pytest.raises(FinanceInputError, match="source must be one of"):
        revenue_uplift(100_000, 0.32, sources={"gross_margin": "guessed"})


def test_decomposition_hand_checked_and_sums_exactly():
    # D0 = 100 deals at S0 = 1,000; D1 = 120 deals at S1 = 1,100.
    # volume = (120 - 100) x 1,000 = 20,000; size = 100 x (1,100 - 1,000) = 10,000;
    # interaction = 20 x 100 = 2,000; total = 120 x 1,100 - 100 x 1,000 = 132,000 - 100,000
    # = 32,000 = 20,000 + 10,000 + 2,000.
    d = decompose_revenue_change(100, 1_000, 120, 1_100)
    assert (d.volume, d.size, d.interaction, d.total) == (20_000.0, 10_000.0, 2_000.0, 32_000.0)
    assert d.volume + d.size + d.interaction == d.total


def test_decomposition_with_fewer_but_bigger_deals():
    # D0 = 50 at 2,000, D1 = 40 at 3,000: volume = -10 x 2,000 = -20,000;
    # size = 50 x 1,000 = 50,000; interaction = -10 x 1,000 = -10,000;
    # total = 120,000 - 100,000 = 20,000 = -20,000 + 50,000 - 10,000.
    d = decompose_revenue_change(50, 2_000, 40, 3_000)
    assert (d.volume, d.size, d.interaction, d.total) == (-20_000.0, 50_000.0, -10_000.0, 20_000.0)


@given(
    st.integers(0, 10_000), st.integers(0, 100_000), st.integers(0, 10_000), st.integers(0, 100_000)
)
def test_decomposition_sums_exactly_property(d0, s0, d1, s1):
    # Integers below 2**53: every product and sum is exact in float64.
    d = decompose_revenue_change(d0, s0, d1, s1)
    assert d.volume + d.size + d.interaction == d.total == d1 * s1 - d0 * s0


def test_decomposition_lines_add_up_to_margin_view():
    # 32,000 of revenue change at m = 0.25 -> 8,000; parts 5,000 + 2,500 + 500.
    d = decompose_revenue_change(100, 1_000, 120, 1_100)
    parts = decomposition_benefits(d, 0.25)
    assert [p.annual_value for p in parts] == pytest.approx([5_000.0, 2_500.0, 500.0])
    assert sum(p.annual_value for p in parts) == pytest.approx(8_000.0)
    assert not any(p.counted for p in parts)


# --- double counting -----------------------------------------------------------------


def _all_views(counted_decomposition: bool = True):
    d = decompose_revenue_change(100, 1_000, 120, 1_100)
    return [
        revenue_uplift(32_000, 0.25),
        *decomposition_benefits(d, 0.25, counted=counted_decomposition),
        retention_benefit(10, 500),
    ]


def test_revenue_and_its_decomposition_both_counted_refused():
    d = decompose_revenue_change(100, 1_000, 120, 1_100)
    lines = [revenue_uplift(32_000, 0.25), *decomposition_benefits(d, 0.25, counted=True)]
    with pytest.raises(FinanceInputError, match="double counting.*same revenue change"):
        total_benefits(lines)


def test_revenue_margin_and_revenue_view_both_counted_refused():
    lines = [revenue_uplift(100_000, 0.3), revenue_as_gain(100_000, counted=True)]
    with pytest.raises(FinanceInputError, match="double counting"):
        total_benefits(lines)


def test_retention_in_both_views_refused():
    lines = [retention_benefit(10, 1_000), retention_benefit_clv(10, 1_000, 0.8, 0.1, counted=True)]
    with pytest.raises(FinanceInputError, match="both the annual margin view and the lifetime"):
        total_benefits(lines)


def test_revenue_deals_and_retention_never_all_added():
    # All three counted: refused, and the error is a RoiKitError a notebook can show.
    with pytest.raises(RoiKitError):
        total_benefits(_all_views(counted_decomposition=True))
    # Revenue + retention without the decomposition is refused too (booked revenue
    # already includes what the kept customers bought) ...
    with pytest.raises(FinanceInputError, match="retained customers"):
        total_benefits(_all_views(counted_decomposition=False))
    # ... unless the analyst states the revenue change excludes them:
    # 32,000 x 0.25 + 10 x 500 = 8,000 + 5,000 = 13,000 (decomposition not counted).
    total = total_benefits(
        _all_views(counted_decomposition=False), allow_revenue_with_retention=True
    )
    assert total == pytest.approx(13_000.0)
    # The permission never lets two revenue views through.
    with pytest.raises(FinanceInputError, match="same revenue change"):
        total_benefits(_all_views(counted_decomposition=True), allow_revenue_with_retention=True)


def test_decomposition_may_be_counted_instead_of_margin_view():
    # 5,000 + 2,500 + 500 = 8,000, the same as the margin view 32,000 x 0.25.
    d = decompose_revenue_change(100, 1_000, 120, 1_100)
    lines = [
        revenue_uplift(32_000, 0.25, counted=False),
        *decomposition_benefits(d, 0.25, counted=True),
    ]
    assert total_benefits(lines) == pytest.approx(8_000.0)


def test_total_of_independent_lines():
    # 28,800 (productivity) + 50,000 (cost saving) + 20,000 (CAC) = 98,800.
    lines = [
        productivity_benefit(2, 10, 60, 0.5),
        cost_saving(-50_000),
        acquisition_cost_saving(-100, 200),
    ]
    assert total_benefits(lines) == pytest.approx(98_800.0)
    assert total_benefits([]) == 0.0


# --- retention -----------------------------------------------------------------------


def test_retention_annual_view():
    # 20 customers kept x 1,000 a year = 20,000.
    line = retention_benefit(20, 1_000)
    assert line.annual_value == pytest.approx(20_000.0)
    assert line.counted


def test_clv_by_hand():
    # m = 1,000, r = 0.8, d = 0.1: 1,000 x 0.8 / (1 + 0.1 - 0.8) = 800 / 0.3 = 2,666.67.
    assert customer_lifetime_value(1_000, 0.8, 0.1) == pytest.approx(2_666.6667, abs=1e-3)


def test_clv_equals_discounted_series():
    # The closed form equals sum_{t>=1} m r^t / (1+d)^t, summed directly by numpy.
    t = np.arange(1, 2_000)
    series = np.sum(1_000 * 0.8**t / 1.1**t)
    assert customer_lifetime_value(1_000, 0.8, 0.1) == pytest.approx(series, rel=1e-12)


def test_clv_line_not_counted_by_default():
    # 10 customers x 2,666.67 = 26,666.67.
    line = retention_benefit_clv(10, 1_000, 0.8, 0.1)
    assert line.annual_value == pytest.approx(26_666.667, abs=1e-2)
    assert not line.counted
    assert "lifetime" in line.note


def test_clv_rejects_retention_of_one():
    with pytest.raises(FinanceInputError, match="retention_rate"):
        customer_lifetime_value(1_000, 1.0, 0.1)


# --- cycle time, productivity, costs ---------------------------------------------------


def test_cycle_time_by_hand():
    # R = 3,650,000, m = 0.3, 10 days saved, k = 10%:
    # 3,650,000 x 0.3 = 1,095,000; x 10/365 = 30,000; x 0.1 = 3,000.
    line = cycle_time_benefit(3_650_000, 0.3, 10, 0.1)
    assert line.annual_value == pytest.approx(3_000.0)
    # Longer cycle (-10 days) is a loss of the same size.
    assert cycle_time_benefit(3_650_000, 0.3, -10, 0.1).annual_value == pytest.approx(-3_000.0)
    assert "already in the revenue change" in line.note


def test_productivity_recapture():
    # 2 h/week x 10 users x 48 weeks x 60/h x 0.5 = 2 x 10 = 20; x 48 = 960; x 60 = 57,600;
    # x 0.5 = 28,800.
    assert productivity_benefit(2, 10, 60, 0.5).annual_value == pytest.approx(28_800.0)
    # Default recapture is 0.5 and default weeks 48: same number without them.
    line = productivity_benefit(2, 10, 60)
    assert line.annual_value == pytest.approx(28_800.0)
    assert {i.name: i.source for i in line.inputs}["recapture_factor"] == "benchmark"
    # Full recapture doubles it: 57,600.
    assert productivity_benefit(2, 10, 60, 1.0).annual_value == pytest.approx(57_600.0)


def test_cost_saving_signs():
    # Cost fell 50,000 (ΔC = -50,000): benefit +50,000. Cost rose 10,000: benefit -10,000.
    assert cost_saving(-50_000).annual_value == pytest.approx(50_000.0)
    assert cost_saving(10_000).annual_value == pytest.approx(-10_000.0)
    # CAC fell by 100 per customer, 200 new customers: 100 x 200 = 20,000.
    assert acquisition_cost_saving(-100, 200).annual_value == pytest.approx(20_000.0)


# --- realisation and monthly profile -----------------------------------------------------


def test_realise_by_hand():
    # 100,000 x 0.8 x 0.5 x (1 - 0.1) = 100,000 x 0.36 = 36,000.
    assert realise(100_000, adoption=0.8, attribution=0.5, risk=0.1) == pytest.approx(36_000.0)
    # Risk lowers benefits: 100,000 x (1 - 0.15) = 85,000.
    assert realise(100_000, risk=0.15) == pytest.approx(85_000.0)


def test_realise_line_keeps_explanation():
    # 32,000 x 0.5 (attribution) x (1 - 0.2) = 12,800.
    line = realise_line(revenue_uplift(100_000, 0.32), attribution=0.5, risk=0.2)
    assert line.annual_value == pytest.approx(12_800.0)
    assert [i.name for i in line.inputs][-3:] == ["adoption", "attribution", "risk"]
    assert "(1 − ρ_risk)" in line.formula_symbols


def test_realise_rejects_bad_fractions():
    with pytest.raises(FinanceInputError, match="adoption"):
        realise(1.0, adoption=1.2)
    with pytest.raises(FinanceInputError, match="risk"):
        realise(1.0, risk=1.0)
    with pytest.raises(FinanceInputError, match="finite"):
        realise(np.nan)


def test_monthly_profile_ramp():
    # 12,000 a year = 1,000 a month; ramp 3 months: 1/3, 2/3, 1, 1, 1, 1 of it.
    prof = monthly_profile(12_000, 6, ramp_up_months=3)
    np.testing.assert_allclose(prof, [1_000 / 3, 2_000 / 3, 1_000, 1_000, 1_000, 1_000])
    # No ramp: 1,000 every month.
    np.testing.assert_allclose(monthly_profile(12_000, 3, ramp_up_months=0), [1_000] * 3)


def test_monthly_profile_adoption_curve_and_broadcasting():
    # Ramp 0, adoption 0.5, 1.0: 1,000 x 0.5 = 500 then 1,000; second draw 24,000 -> 1,000, 2,000.
    prof = monthly_profile(
        np.array([12_000.0, 24_000.0]), 2, ramp_up_months=0, adoption_curve=np.array([0.5, 1.0])
    )
    assert prof.shape == (2, 2)
    np.testing.assert_allclose(prof, [[500, 1_000], [1_000, 2_000]])
    with pytest.raises(FinanceInputError, match="last axis"):
        monthly_profile(12_000, 3, adoption_curve=np.array([1.0, 1.0]))
    with pytest.raises(FinanceInputError, match="months"):
        monthly_profile(12_000, 0)


def test_with_monthly_refuses_adoption_twice():
    line = realise_line(revenue_uplift(12_000, 1.0), adoption=0.5)
    with pytest.raises(FinanceInputError, match="adoption twice"):
        with_monthly(line, 3, adoption_curve=np.ones(3))
    # 12,000 x 0.5 = 6,000 a year, 500 a month without ramp.
    np.testing.assert_allclose(with_monthly(line, 2, ramp_up_months=0).monthly, [500, 500])


# --- projection --------------------------------------------------------------------------


def test_projected_lines_are_tagged():
    # likely 100,000 x 30% = 30,000; every input says projected, so does the note.
    line = revenue_uplift(projected(50_000, 100_000, 150_000), 0.3)
    assert line.annual_value == pytest.approx(30_000.0)
    assert all(i.source == "projected" for i in line.inputs)
    assert line.note.startswith("projected")
    assert line.is_projected
    # high: 150,000 x 0.3 = 45,000.
    high = revenue_uplift(projected(50_000, 100_000, 150_000).at("high"), 0.3)
    assert high.annual_value == pytest.approx(45_000.0)
    assert not revenue_uplift(100_000, 0.3).is_projected
    with pytest.raises(FinanceInputError, match="low <= likely <= high"):
        projected(3, 2, 1)


def test_projection_carries_through_realise_and_table():
    line = realise_line(retention_benefit(projected(5, 10, 15), 1_000), risk=0.1)
    assert all(i.source == "projected" for i in line.inputs)
    table = benefit_table([line], "USD")
    assert table.loc[0, "source"] == "projected"


# --- table ---------------------------------------------------------------------------


def test_benefit_table():
    lines = [revenue_uplift(100_000, 0.32), revenue_as_gain(100_000)]
    table = benefit_table(lines, "EUR")
    assert isinstance(table, pd.DataFrame)
    assert list(table["name"]) == ["Revenue uplift (margin view)", "Revenue uplift (revenue view)"]
    assert table.loc[0, "inputs"] == "ΔR = 100,000 EUR/year (measured); m = 32% (assumed)"
    assert table.loc[0, "source"] == "measured, assumed"
    assert list(table["annual_value"]) == pytest.approx([32_000.0, 100_000.0])
    assert list(table["counted"]) == [True, False]


def test_custom_line_and_input_validation():
    custom = BenefitLine(
        "Fewer errors",
        "errors avoided x cost",
        "E × c",
        (Input("errors", 10.0, "errors/year", "measured", "E"),),
        1_000.0,
    )
    assert total_benefits([custom]) == 1_000.0
    with pytest.raises(FinanceInputError, match="source"):
        Input("x", 1.0, "fraction", "guess")
    with pytest.raises(FinanceInputError, match="gross_margin"):
        revenue_uplift(100, 1.5)
    with pytest.raises(FinanceInputError, match="number"):
        revenue_uplift("a lot", 0.3)
    with pytest.raises(FinanceInputError, match="broadcast"):
        revenue_uplift(np.ones(3), np.ones(2) * 0.3)
    with pytest.raises(FinanceInputError, match="BenefitLine"):
        total_benefits([32_000.0])


# --- properties ----------------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(money, fractions), min_size=1, max_size=20))
def test_revenue_uplift_scalar_vs_array(pairs):
    dr = np.array([p[0] for p in pairs])
    m = np.array([p[1] for p in pairs])
    vector = revenue_uplift(dr, m).annual_value
    scalars = [revenue_uplift(a, b).annual_value for a, b in pairs]
    np.testing.assert_array_equal(vector, scalars)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0, 40), st.floats(0, 500), positive_money, fractions, st.floats(1, 52)),
        min_size=1,
        max_size=10,
    )
)
def test_productivity_scalar_vs_array(rows):
    cols = [np.array(c) for c in zip(*rows)]
    vector = productivity_benefit(*cols).annual_value
    scalars = [productivity_benefit(*r).annual_value for r in rows]
    np.testing.assert_array_equal(vector, scalars)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(-1000, 1000), positive_money, st.floats(0, 0.99), fractions),
        min_size=1,
        max_size=10,
    )
)
def test_clv_and_cycle_scalar_vs_array(rows):
    n, mc, r, d = (np.array(c) for c in zip(*rows))
    np.testing.assert_array_equal(
        retention_benefit_clv(n, mc, r, d).annual_value,
        [retention_benefit_clv(*row).annual_value for row in rows],
    )
    np.testing.assert_array_equal(
        cycle_time_benefit(mc, d, np.clip(n, -365, 365) / 3, r).annual_value,
        [
            cycle_time_benefit(b, e, np.clip(a, -365, 365) / 3, c).annual_value
            for a, b, c, e in rows
        ],
    )


@settings(max_examples=30, deadline=None)
@given(
    money, st.lists(st.tuples(fractions, fractions, st.floats(0, 0.99)), min_size=1, max_size=10)
)
def test_realise_scalar_vs_array(value, rows):
    a, at, r = (np.array(c) for c in zip(*rows))
    vector = realise(value, adoption=a, attribution=at, risk=r)
    scalars = [realise(value, adoption=x, attribution=y, risk=z) for x, y, z in rows]
    np.testing.assert_array_equal(vector, scalars)


@given(st.floats(0, 1e7), fractions, fractions)
def test_benefit_monotone_in_margin(dr, m1, m2):
    lo, hi = sorted((m1, m2))
    assert revenue_uplift(dr, lo).annual_value <= revenue_uplift(dr, hi).annual_value


@given(st.floats(0, 40), st.floats(0, 500), positive_money, fractions, fractions)
def test_benefit_monotone_in_recapture(h, u, c, r1, r2):
    lo, hi = sorted((r1, r2))
    assert (
        productivity_benefit(h, u, c, lo).annual_value
        <= productivity_benefit(h, u, c, hi).annual_value
    )


@given(positive_money, fractions, fractions, fractions, st.floats(0, 0.99))
def test_realised_benefit_monotone_in_adoption_and_falls_with_risk(v, a1, a2, at, risk):
    lo, hi = sorted((a1, a2))
    assert realise(v, adoption=lo, attribution=at) <= realise(v, adoption=hi, attribution=at)
    # Risk only ever lowers a positive benefit (TEI: benefits down by (1 - risk)).
    assert realise(v, adoption=hi, attribution=at, risk=risk) <= realise(
        v, adoption=hi, attribution=at
    )


@settings(max_examples=30, deadline=None)
@given(st.lists(positive_money, min_size=1, max_size=8), st.integers(1, 36), st.integers(0, 6))
def test_monthly_profile_scalar_vs_array(values, months, ramp):
    vector = monthly_profile(np.array(values), months, ramp_up_months=ramp)
    for k, v in enumerate(values):
        np.testing.assert_array_equal(vector[k], monthly_profile(v, months, ramp_up_months=ramp))
    # After the ramp, each month is exactly a twelfth of the annual value.
    if months > ramp:
        np.testing.assert_allclose(vector[:, -1], np.array(values) / 12)


def test_monte_carlo_size_runs():
    # 100,000 draws through the same code as a slider; the mean of ΔR x m with independent
    # uniform draws is E[ΔR] x E[m] ~ 100,000 x 0.3 = 30,000.
    rng = np.random.default_rng(1)
    dr = rng.uniform(50_000, 150_000, 100_000)
    m = rng.uniform(0.2, 0.4, 100_000)
    line = realise_line(revenue_uplift(dr, m), risk=0.1)
    assert line.annual_value.shape == (100_000,)
    assert np.mean(line.annual_value) == pytest.approx(30_000 * 0.9, rel=0.01)
    np.testing.assert_allclose(line.annual_value, dr * m * 0.9)
