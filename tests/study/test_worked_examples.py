"""Tests of the source articles' worked examples (roi_kit.study.worked_examples, example_*).

Expected values come from the articles themselves (4, 400%, 100%, +20% x +15%) and from
hand calculations written out in the comments, never from the code under test.
"""

from __future__ import annotations

import doctest
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure

from roi_kit.errors import FinanceInputError
from roi_kit.study import (
    example_b2b,
    example_checks,
    example_definitions,
    example_healthcare,
    example_simple,
)
from roi_kit.study import worked_examples as cs
from roi_kit.views.worked_examples import sensitivity_figure

fraction = st.floats(min_value=0.01, max_value=1.0, allow_nan=False)
money = st.floats(min_value=1_000.0, max_value=1e9, allow_nan=False)
target = st.floats(min_value=0.1, max_value=20.0, allow_nan=False)
rate = st.floats(min_value=0.0, max_value=0.3, allow_nan=False)

#: The re-exporting module first, then the modules that hold the code.
EXAMPLE_MODULES = [
    cs,
    example_checks,
    example_simple,
    example_b2b,
    example_definitions,
    example_healthcare,
]


@pytest.mark.parametrize("module", EXAMPLE_MODULES, ids=lambda m: m.__name__)
def test_doctests(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0  # each example module documents itself with an example


def test_worked_examples_re_exports_every_example_name():
    # views, widgets and notebook 09 call worked_examples.<name>: every public name of the
    # example modules must be reachable there, and be the very same object.
    # (example_checks is internal to the examples: not re-exported.)
    holders = [example_simple, example_b2b, example_definitions, example_healthcare]
    names = [name for module in holders for name in module.__all__]
    assert sorted(names) == sorted(cs.__all__)
    for module in holders:
        for name in module.__all__:
            assert getattr(cs, name) is getattr(module, name), name


# --- example 1 ---------------------------------------------------------------------------


def test_example_1_is_the_articles_4():
    # Article 1: (100,000 - 20,000) / 20,000 = 4.
    ex = cs.simple_example(100_000, 20_000)
    assert ex.roi == 4.0
    assert ex.roi_percent == 400.0
    assert ex.benefit_cost_ratio == 5.0  # 100,000 / 20,000
    assert cs.simple_example_text(ex) == "4.00 (400%)"
    assert ex.roi_on_profit is None


def test_example_1_on_profit():
    # 100,000 x 30% = 30,000 of gross profit; (30,000 - 20,000) / 20,000 = 0.5.
    ex = cs.simple_example(100_000, 20_000, gross_margin=0.30)
    assert ex.roi_on_profit == pytest.approx(0.5)
    table = cs.simple_example_table(ex)
    assert list(table["Value"])[-1] == "0.50 (50%)"
    assert list(table["Value"])[0] == "4.00 (400%)"


def test_example_1_refuses_bad_margin():
    with pytest.raises(FinanceInputError):
        cs.simple_example(100_000, 20_000, gross_margin=1.5)
    with pytest.raises(FinanceInputError):
        cs.simple_example(100_000, 0)


# --- example 2 ---------------------------------------------------------------------------


def test_literal_formula_is_the_articles_100_percent():
    # Article 2: ((20% - 10%) / 10%) x 100% = 100%.
    assert cs.literal_percentage_roi(0.20, 0.10) == pytest.approx(1.0)
    # (30% - 10%) / 10% = 2.
    assert cs.literal_percentage_roi(0.30, 0.10) == pytest.approx(2.0)


def test_literal_formula_refuses_zero_reduction():
    with pytest.raises(FinanceInputError, match="non-zero"):
        cs.literal_percentage_roi(0.20, 0.0)


def test_b2b_defaults_match_the_hand_calculation():
    res = cs.b2b_example()
    # extra gross profit 5,000,000 x 20% x 30% = 300,000; saving 1,000,000 x 10% = 100,000
    assert res.extra_gross_profit == pytest.approx(300_000)
    assert res.cost_saving == pytest.approx(100_000)
    assert res.annual_benefit == pytest.approx(400_000)
    assert res.total_benefit == pytest.approx(1_200_000)
    # cost 150,000 + 3 x 50,000 = 300,000
    assert res.total_cost == pytest.approx(300_000)
    assert res.literal == pytest.approx(1.0)
    assert res.roi == pytest.approx(3.0)  # (1,200,000 - 300,000) / 300,000
    assert res.roi_percent == pytest.approx(300.0)
    assert res.incremental_roi == pytest.approx(4.0)  # 1,200,000 / 300,000
    # revenue view: (1,000,000 + 100,000) x 3 = 3,300,000; (3,300,000 - 300,000) / 300,000
    assert res.revenue_view_roi == pytest.approx(10.0)
    assert res.nucleus_roi == pytest.approx(400_000 / 150_000)
    # annuity factor 1/1.1 + 1/1.21 + 1/1.331 = 2.4868519910
    af = 1 / 1.1 + 1 / 1.1**2 + 1 / 1.1**3
    assert af == pytest.approx(2.486851991)
    pv_b, pv_c = 400_000 * af, 150_000 + 50_000 * af  # 994,740.80 and 274,342.60
    assert res.evaluation.npv == pytest.approx(720_398.20, abs=0.01)
    assert res.evaluation.roi == pytest.approx((pv_b - pv_c) / pv_c)
    assert res.evaluation.roi == pytest.approx(2.62591, abs=1e-5)
    # payback: 150,000 / 350,000 of year 1 = 5.142857 months
    assert res.evaluation.payback_months == pytest.approx(150 / 350 * 12)


def test_b2b_table_text():
    table = cs.b2b_table(cs.b2b_example())
    values = dict(zip(table["Measure"], table["Value"], strict=True))
    assert values["The article's figure"] == "100%"
    assert values["Simple ROI (on profit)"] == "3.00 (300.0%)"
    assert values["TEI ROI"] == "262.6%"
    assert values["NPV at 10%"] == "720,398"
    assert values["Payback"] == "5.1 months"
    lines = cs.b2b_benefit_lines(cs.b2b_example(), "EUR")
    assert list(lines["Per year"]) == ["EUR 300,000", "EUR 100,000", "-", "-", "EUR 400,000"]


def test_literal_formula_ignores_size_and_crm_cost():
    small = cs.B2BAssumptions(baseline_revenue=1_000_000.0, operating_cost=200_000.0)
    table = cs.literal_vs_money_table([("small", small), ("mid", cs.B2BAssumptions())])
    assert list(table["The article's formula"]) == ["100%", "100%"]
    # small: 1,000,000 x 20% x 30% + 200,000 x 10% = 80,000 a year, 240,000 in 3 years;
    # (240,000 - 300,000) / 300,000 = -20%.
    assert list(table["Simple ROI (on profit)"]) == ["-20.0%", "300.0%"]


@settings(max_examples=60, deadline=None)
@given(
    revenue=money,
    margin=fraction,
    opex=money,
    initial=money,
    annual=st.floats(min_value=0.0, max_value=1e8),
    years=st.integers(1, 10),
    r=rate,
)
def test_b2b_properties(revenue, margin, opex, initial, annual, years, r):
    a = cs.B2BAssumptions(revenue, margin, opex, initial, annual, years, r)
    res = cs.b2b_example(a)
    # The literal figure never depends on the money.
    assert res.literal == pytest.approx(1.0)
    # Incremental ROI is a benefit-cost ratio: one more than the simple ROI.
    assert res.incremental_roi == pytest.approx(res.roi + 1.0, rel=1e-9, abs=1e-9)
    # Counting revenue as gain can only inflate the figure (margin <= 100%).
    assert res.revenue_view_roi >= res.roi - 1e-9
    expected = (revenue * 0.2 * margin + opex * 0.1) * years
    assert res.total_benefit == pytest.approx(expected)


@pytest.mark.parametrize(
    "field, value",
    [
        ("baseline_revenue", -1.0),
        ("gross_margin", 0.0),
        ("gross_margin", 1.2),
        ("operating_cost", -5.0),
        ("years", 0),
        ("discount_rate", -1.0),
        ("crm_initial_cost", float("nan")),
    ],
)
def test_b2b_refuses_bad_assumptions(field, value):
    a = cs.B2BAssumptions(**{field: value})
    with pytest.raises(FinanceInputError):
        cs.b2b_example(a)


def test_b2b_refuses_a_free_crm():
    with pytest.raises(FinanceInputError, match="cost something"):
        cs.b2b_example(cs.B2BAssumptions(crm_initial_cost=0.0, crm_annual_cost=0.0))


def test_stated_changes():
    assert list(cs.stated_changes("b2b")["Stated change"]) == ["+20%", "-30%", "+15%", "-10%"]
    assert list(cs.stated_changes("healthcare")["Stated change"]) == [
        "+20%",
        "+15%",
        "-25%",
        "+10%",
    ]
    with pytest.raises(FinanceInputError):
        cs.stated_changes("retail")


# --- example 3 ---------------------------------------------------------------------------


def test_revenue_growth_multiplies():
    # 1.20 x 1.15 = 1.38, not 1.35.
    assert cs.revenue_growth(0.20, 0.15) == pytest.approx(0.38)
    assert cs.revenue_growth_text(0.20, 0.15) == "+38.0% revenue"
    assert cs.revenue_growth_text(-0.10, 0.0) == "-10.0% revenue"


@given(d=st.floats(0.0, 2.0), o=st.floats(0.0, 2.0))
def test_revenue_growth_at_least_the_sum(d, o):
    assert cs.revenue_growth(d, o) >= d + o - 1e-12
    assert cs.revenue_growth(d, o) == pytest.approx(d + o + d * o)


def test_healthcare_defaults_match_the_hand_calculation():
    res = cs.healthcare_example()
    # 2,000,000 x 38% = 760,000; x 35% = 266,000.
    assert res.revenue_gain == pytest.approx(760_000)
    assert res.profit_gain == pytest.approx(266_000)
    assert res.additive_growth == pytest.approx(0.35)
    costs = {r.definition: r.cost_for_target for r in res.rows}
    assert costs["revenue_simple"] == pytest.approx(760_000 / 3.5)  # 217,142.86
    assert costs["simple"] == pytest.approx(76_000)  # 266,000 / 3.5
    assert costs["incremental"] == pytest.approx(106_400)  # 266,000 / 2.5
    assert costs["tei"] == pytest.approx(266_000 / 3.85)  # 69,090.91
    margins = {r.definition: r.margin_for_target for r in res.rows}
    assert math.isnan(margins["revenue_simple"])
    assert margins["simple"] == pytest.approx(3.5 * 100_000 / 760_000)  # 46.05%
    assert margins["incremental"] == pytest.approx(2.5 * 100_000 / 760_000)  # 32.89%
    assert margins["tei"] == pytest.approx(3.85 * 100_000 / 760_000)  # 50.66%
    rois = {r.definition: r.roi for r in res.rows}
    assert rois["simple"] == pytest.approx((266_000 - 100_000) / 100_000)  # 1.66
    assert rois["tei"] == pytest.approx((266_000 / 1.1 - 100_000) / 100_000)
    assert cs.target_text(res).splitlines()[1] == "Simple ROI on gross profit: 76,000.00"


@settings(max_examples=60, deadline=None)
@given(gain=money, margin=fraction, t=target, r=rate)
def test_solved_cost_matches_closed_form(gain, margin, t, r):
    profit = gain * margin
    expected = {
        "revenue_simple": gain / (1 + t),
        "simple": profit / (1 + t),
        "incremental": profit / t,
        "tei": profit / ((1 + r) * (1 + t)),
    }
    for code, value in expected.items():
        assert cs.solve_crm_cost(code, gain, margin, t, r) == pytest.approx(value, rel=1e-7)


@settings(max_examples=60, deadline=None)
@given(gain=money, cost_share=st.floats(0.001, 2.0), t=target, r=rate)
def test_solved_margin_matches_closed_form(gain, cost_share, t, r):
    cost = gain * cost_share
    expected = {
        "simple": (1 + t) * cost / gain,
        "incremental": t * cost / gain,
        "tei": (1 + t) * (1 + r) * cost / gain,
    }
    for code, value in expected.items():
        got = cs.solve_gross_margin(code, gain, cost, t, r)
        if value > 1:
            assert got is None  # would need a margin above 100%
        else:
            assert got == pytest.approx(value, rel=1e-7, abs=1e-10)


def test_solvers_refuse_impossible_targets():
    with pytest.raises(FinanceInputError):
        cs.solve_crm_cost("simple", 100.0, 0.5, target=-1.0)
    with pytest.raises(FinanceInputError):
        cs.solve_crm_cost("incremental", 100.0, 0.5, target=0.0)
    with pytest.raises(FinanceInputError, match="no margin"):
        cs.solve_gross_margin("revenue_simple", 100.0, 10.0)
    with pytest.raises(FinanceInputError, match="unknown definition"):
        cs.roi_for_definition("magic", 100.0, 0.5, 10.0)


def test_healthcare_table_and_sensitivity():
    table = cs.healthcare_table(cs.healthcare_example())
    assert list(table.columns) == [
        "Definition",
        "Formula",
        "ROI at these assumptions",
        "CRM cost for 250%",
        "Margin for 250%",
    ]
    assert list(table["CRM cost for 250%"]) == ["217,143", "76,000", "106,400", "69,091"]
    assert list(table["Margin for 250%"])[1:] == ["46.1%", "32.9%", "50.7%"]
    by_margin, by_cost = cs.healthcare_sensitivity(margins=[0.5], costs=[200_000.0])
    # (760,000 x 50% - 100,000) / 100,000 = 2.8
    assert by_margin.loc[0.5, "simple"] == pytest.approx(2.8)
    # (760,000 x 35% - 200,000) / 200,000 = 0.33
    assert by_cost.loc[200_000.0, "simple"] == pytest.approx(0.33)
    small = cs.sensitivity_table(margins=(0.5,))
    assert list(small.iloc[0]) == ["50%", "660%", "280%", "380%", "245%"]
    fig = sensitivity_figure(*cs.healthcare_sensitivity())
    assert isinstance(fig, Figure) and len(fig.axes) == 2


def test_impossible_margin_is_reported():
    # A cost of 1,000,000 on 760,000 of extra revenue: a 250% simple ROI needs a margin of
    # 3.5 x 1,000,000 / 760,000 = 460%.
    res = cs.healthcare_example(cs.HealthcareAssumptions(crm_cost=1_000_000.0))
    assert res.rows[1].margin_for_target is None
    assert cs.healthcare_table(res).iloc[1, 4] == "above 100%: impossible at this cost"


def test_b2b_takes_a_whole_float_of_years():
    # 3.0 years is 3 years: (1,200,000 - 300,000) / 300,000 = 3, as with the int default.
    assert cs.b2b_example(cs.B2BAssumptions(years=3.0)).roi == pytest.approx(3.0)
    with pytest.raises(FinanceInputError, match="whole number"):
        cs.b2b_example(cs.B2BAssumptions(years=2.5))


def test_sensitivity_refuses_a_margin_above_100_percent():
    with pytest.raises(FinanceInputError, match="margins"):
        cs.healthcare_sensitivity(margins=[0.5, 1.5])
