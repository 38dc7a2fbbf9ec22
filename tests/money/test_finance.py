"""Tests of the finance core against independent sources.

Expected values come from the source articles' worked example, from numpy-financial
(an independent implementation), or from hand calculations written out in comments.
"""

from __future__ import annotations

import doctest
import math

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from roi_kit.errors import FinanceInputError, RoiKitError
from roi_kit.money import finance
from roi_kit.money.finance import (
    discounted_payback_period,
    evaluate,
    incremental_roi,
    irr,
    irr_result,
    npv,
    nucleus_roi,
    payback_period,
    period_rate,
    roi,
    roi_percent,
)

money = st.floats(min_value=1.0, max_value=1e9, allow_nan=False, allow_infinity=False)
flows = st.lists(
    st.floats(min_value=-1e7, max_value=1e7, allow_nan=False, allow_infinity=False),
    min_size=2,
    max_size=12,
)


# --- the articles' three definitions ----------------------------------------------------


def test_articles_worked_example():
    # Source articles: gain 100,000, cost 20,000 -> (100,000 - 20,000) / 20,000 = 4 -> 400%.
    assert roi(100_000, 20_000) == 4.0
    assert roi_percent(100_000, 20_000) == 400.0


def test_incremental_roi_is_a_benefit_cost_ratio():
    # (after - before) / cost = (300,000 - 200,000) / 20,000 = 5.0; with the same money
    # (gain 100,000 on cost 20,000) the simple ROI is 4.0: one less, as the design says.
    assert incremental_roi(300_000, 200_000, 20_000) == 5.0
    assert incremental_roi(300_000, 200_000, 20_000) - roi(100_000, 20_000) == 1.0


def test_nucleus_roi_by_hand():
    # 360,000 of benefits over 3 years = 120,000 a year; / 80,000 initial cost = 1.5.
    assert nucleus_roi(360_000, 80_000, 3) == pytest.approx(1.5)


def test_ratio_functions_broadcast():
    gains = np.array([100_000.0, 50_000.0, 20_000.0])
    # By hand: (100k-20k)/20k = 4, (50k-20k)/20k = 1.5, (20k-20k)/20k = 0.
    np.testing.assert_allclose(roi(gains, 20_000), [4.0, 1.5, 0.0])
    costs = np.array([[10_000.0], [40_000.0]])
    out = roi(gains, costs)
    assert out.shape == (2, 3)
    np.testing.assert_allclose(out[1], [1.5, 0.25, -0.5])


@pytest.mark.parametrize("cost", [0, -1, -20_000])
def test_zero_or_negative_cost_refused(cost):
    with pytest.raises(FinanceInputError, match="greater than zero"):
        roi(100, cost)
    with pytest.raises(FinanceInputError):
        incremental_roi(100, 50, cost)
    with pytest.raises(FinanceInputError):
        nucleus_roi(100, cost, 3)


def test_nan_and_text_refused_with_kit_error():
    with pytest.raises(FinanceInputError, match="NaN"):
        roi(float("nan"), 10)
    with pytest.raises(FinanceInputError):
        roi("lots", 10)
    with pytest.raises(FinanceInputError, match="infinite"):
        npv(0.1, [-1, math.inf])
    # The family is catchable as one, and as ValueError for generic callers.
    with pytest.raises(RoiKitError):
        roi(1, 0)
    with pytest.raises(ValueError):
        roi(1, 0)


def test_no_numpy_warning_escapes(recwarn):
    with pytest.raises(FinanceInputError):
        roi(np.array([1.0, 2.0]), np.array([1.0, 0.0]))
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


# --- NPV / IRR / payback against numpy-financial and by hand ----------------------------


def test_npv_matches_numpy_financial():
    cf = [-100_000, 30_000, 40_000, 50_000, 20_000]
    assert npv(0.08, cf) == pytest.approx(npf.npv(0.08, cf), rel=1e-12)


def test_npv_by_hand_and_excel_difference():
    # -100 + 60/1.1 + 60/1.21 = -100 + 54.5454... + 49.5867... = 4.1322...
    assert npv(0.10, [-100, 60, 60]) == pytest.approx(4.132231405, abs=1e-9)
    # Excel's NPV(10%, 60, 60) discounts the first value too: 60/1.1 + 60/1.21 = 104.1322;
    # the kit gets the same by putting a zero at t = 0.
    assert npv(0.10, [0, 60, 60]) == pytest.approx(104.132231405, abs=1e-9)


def test_npv_vectorised_over_rates_and_draws():
    cf = np.array([[-100.0, 60.0, 60.0], [-50.0, 10.0, 80.0]])
    rates = np.array([0.10, 0.05])
    out = npv(rates, cf)
    assert out == pytest.approx([npf.npv(0.10, cf[0]), npf.npv(0.05, cf[1])])


def test_irr_matches_numpy_financial_and_its_published_example():
    # numpy-financial's docstring: irr([-100, 39, 59, 55, 20]) = 0.28095.
    assert irr([-100, 39, 59, 55, 20]) == pytest.approx(0.28095, abs=1e-5)
    cf = [-250_000, 90_000, 110_000, 130_000]
    assert irr(cf) == pytest.approx(npf.irr(cf), rel=1e-10)


def test_irr_none_with_reason():
    res = irr_result([100, 50, 20])
    assert res.rate is None and "no sign change" in res.reason
    assert irr([-100, -50]) is None
    assert irr_result([0, 0, 0]).reason == "all cash flows are zero"
    multi = irr_result([-100, 230, -132])  # roots at 10% and 20%: two sign changes
    assert multi.rate is not None and "several IRRs" in multi.reason


def test_payback_interpolates_inside_the_period():
    # cum: -100, -40, +20 -> turns non-negative in period 2; 40 of its 60 needed:
    # 1 + 40/60 = 1.6667 periods.
    assert payback_period([-100, 60, 60]) == pytest.approx(1 + 40 / 60)
    # An investment made at t = 1 (nothing at t = 0): cum 0, -100, -40, 20 -> 2 + 40/60.
    assert payback_period([0, -100, 60, 60]) == pytest.approx(2 + 40 / 60)
    # Exactly covered at the end of period 2: cum -100, -50, 0 -> 2.0.
    assert payback_period([-100, 50, 50]) == pytest.approx(2.0)
    # Never negative: nothing to pay back.
    assert payback_period([10, 5]) == 0.0
    assert payback_period([-100, 10, 10]) is None


def test_discounted_payback_by_hand():
    # At 10%: -100, 54.5454, 49.5868; cum -100, -45.4545, 4.1322
    # -> 1 + 45.4545 / 49.5868 = 1.91667 periods.
    assert discounted_payback_period(0.10, [-100, 60, 60]) == pytest.approx(
        1 + (100 - 60 / 1.1) / (60 / 1.21), rel=1e-12
    )
    assert discounted_payback_period(0.10, [-100, 55, 55]) is None  # PV 95.45 < 100


def test_payback_array_form_uses_nan_for_never():
    out = payback_period(np.array([[-100, 60, 60], [-100, 10, 10]]))
    assert out[0] == pytest.approx(1 + 40 / 60)
    assert np.isnan(out[1])


def test_period_rate_compounds_to_the_annual_rate():
    # (1 + r_m)^12 must equal 1.10.
    assert (1 + period_rate(0.10, 12)) ** 12 == pytest.approx(1.10, rel=1e-12)
    with pytest.raises(FinanceInputError):
        period_rate(0.1, 0)
    with pytest.raises(FinanceInputError):
        period_rate(-1.5)


# --- evaluate (TEI) -------------------------------------------------------------------


def test_evaluate_tei_by_hand():
    # Three-year TEI example. Initial cost 50,000; yearly costs 20,000; yearly benefits
    # 60,000; risk: benefits -10%, costs +10%; discount 10%.
    # Risk-adjusted: benefits 0, 54,000 x3; costs 55,000, 22,000 x3.
    # PV benefits = 54,000 x (1/1.1 + 1/1.21 + 1/1.331) = 54,000 x 2.486852 = 134,290.01
    # PV costs = 55,000 + 22,000 x 2.486852 = 109,710.74
    # NPV = 24,579.26; ROI = 24,579.26 / 109,710.74 = 22.40%.
    # Net: -55,000, 32,000, 32,000, 32,000; cum -55,000, -23,000, 9,000
    # -> payback = 1 + 23,000/32,000 = 1.71875 years = 20.625 months.
    annuity = 1 / 1.1 + 1 / 1.21 + 1 / 1.331
    ev = evaluate(
        [0, 60_000, 60_000, 60_000],
        [50_000, 20_000, 20_000, 20_000],
        discount_rate=0.10,
        risk_benefits=0.10,
        risk_costs=0.10,
    )
    assert ev.pv_benefits == pytest.approx(54_000 * annuity)
    assert ev.pv_costs == pytest.approx(55_000 + 22_000 * annuity)
    assert ev.npv == pytest.approx(54_000 * annuity - 55_000 - 22_000 * annuity)
    assert ev.roi == pytest.approx(ev.npv / ev.pv_costs)
    assert ev.roi == pytest.approx(0.22403, abs=1e-5)
    assert ev.payback_months == pytest.approx(20.625)
    assert ev.irr == pytest.approx(npf.irr([-55_000, 32_000, 32_000, 32_000]))
    t = ev.table
    assert list(t.columns) == ["Initial", "Year 1", "Year 2", "Year 3", "Total", "Present value"]
    assert list(t.index) == ["Benefits", "Costs", "Net cash flow", "Cumulative net"]
    assert t.loc["Costs", "Initial"] == pytest.approx(55_000)
    assert t.loc["Cumulative net", "Year 2"] == pytest.approx(9_000)
    assert t.loc["Benefits", "Total"] == pytest.approx(162_000)


def test_evaluate_monthly_matches_numpy_financial():
    # 12 monthly benefits of 5,000 against 40,000 up front, 10% a year.
    benefits = [0] + [5_000] * 12
    costs = [40_000] + [0] * 12
    ev = evaluate(benefits, costs, discount_rate=0.10, periods_per_year=12)
    r_m = 1.10 ** (1 / 12) - 1
    net = np.array(benefits) - np.array(costs)
    assert ev.npv == pytest.approx(npf.npv(r_m, net))
    # Cum after 8 months = 0 exactly -> payback 8 months.
    assert ev.payback_months == pytest.approx(8.0)
    assert ev.irr == pytest.approx((1 + npf.irr(net)) ** 12 - 1)
    assert ev.table.columns[1] == "Month 1"


@pytest.mark.parametrize(
    ("benefits", "costs", "kwargs", "match"),
    [
        ([0, 1], [1, 1, 1], {}, "same length"),
        ([0, 1], [0, 0], {}, "costs are all zero"),
        ([0, float("nan")], [1, 0], {}, "NaN"),
        ([0, 5], [1, -2], {}, "costs are positive amounts"),
        ([0, 5], [1, 0], {"risk_costs": [0.1, 0.1, 0.1]}, "one value per period"),
        ([0, 5], [1, 0], {"risk_benefits": 1.2}, "risk_benefits"),
        ([0, 5], [1, 0], {"risk_costs": -0.1}, "risk_costs"),
        ([0, 5], [1, 0], {"discount_rate": -2}, "-100%"),
        ([], [], {}, "at least one"),
    ],
)
def test_evaluate_refuses_bad_input(benefits, costs, kwargs, match):
    with pytest.raises(FinanceInputError, match=match):
        evaluate(benefits, costs, **kwargs)


def test_doctest_examples_run():
    result = doctest.testmod(finance)
    assert result.attempted >= 10 and result.failed == 0


# --- properties ----------------------------------------------------------------------


@given(gain=money, cost=money, frac=st.floats(min_value=1e-6, max_value=10.0))
def test_roi_rises_with_gain_and_falls_with_cost(gain, cost, frac):
    # Increments are relative (at least one part in a million) so that the change is
    # larger than float rounding of the ratio.
    assert roi(gain + frac * max(gain, cost), cost) > roi(gain, cost)
    assert roi(gain, cost * (1 + frac)) < roi(gain, cost)


@given(gain=money, cost=money, k=st.floats(min_value=1e-3, max_value=1e3))
def test_scaling_all_money_leaves_roi_unchanged(gain, cost, k):
    assert roi(gain * k, cost * k) == pytest.approx(roi(gain, cost), rel=1e-9, abs=1e-9)


@given(cf=flows, k=st.floats(min_value=1e-3, max_value=1e3))
@settings(max_examples=60)
def test_scaling_flows_leaves_tei_roi_unchanged(cf, k):
    benefits = np.clip(cf, 0, None)
    costs = np.clip(-np.asarray(cf), 0, None)
    assume(costs.sum() > 1.0 and benefits.sum() > 0)
    a = evaluate(benefits, costs)
    b = evaluate(benefits * k, costs * k)
    assert b.roi == pytest.approx(a.roi, rel=1e-9, abs=1e-12)


@given(
    invest=st.floats(min_value=100, max_value=1e7),
    inflows=st.lists(st.floats(min_value=1, max_value=1e7), min_size=1, max_size=10),
)
@settings(max_examples=80)
def test_npv_at_irr_is_zero(invest, inflows):
    cf = [-invest, *inflows]
    rate = irr(cf)
    assume(rate is not None and rate > -0.99 and rate < 10)
    scale = invest + sum(inflows)
    assert abs(npv(rate, cf)) <= 1e-6 * scale


@given(
    invest=st.floats(min_value=1, max_value=1e7),
    inflows=st.lists(st.floats(min_value=0, max_value=1e7), min_size=1, max_size=10),
)
def test_payback_none_exactly_when_never_recovered(invest, inflows):
    cf = [-invest, *inflows]
    pb = payback_period(cf)
    recovered = sum(inflows) >= invest
    assert (pb is not None) == recovered
    if pb is not None:
        # The interpolated point lies inside the horizon.
        assert 0 < pb <= len(inflows)


@given(gain=money, cost=money)
def test_scalar_and_array_agree(gain, cost):
    arr = roi(np.array([gain, gain]), np.array([cost, cost]))
    assert arr[0] == roi(gain, cost)


def test_negative_benefit_is_a_loss_and_cost_risk_can_vary_by_period():
    # A benefit that turned negative (a KPI got worse) is a loss: -100 + (-10)/1.1.
    ev = evaluate([0, -10], [100, 0], discount_rate=0.10)
    assert ev.npv == pytest.approx(-100 - 10 / 1.1)
    # Cost risk only on the second period (the first already paid):
    # costs 100 and 50 x 1.2 = 60 -> PV = 100 + 60 / 1.1.
    ev = evaluate([0, 200], [100, 50], discount_rate=0.10, risk_costs=[0.0, 0.2])
    assert ev.pv_costs == pytest.approx(100 + 60 / 1.1)
