"""Article 2's worked example: the B2B company, ``((20% - 10%) / 10%) x 100% = 100%``.

The article reports sales +20%, sales cycle -30%, satisfaction +15% and operating cost
-10%, and divides percentages of different bases with no CRM cost anywhere. This module
reproduces that figure literally, then redoes the case in money under stated assumptions
(:class:`B2BAssumptions`), every ROI definition on the same cash flows through
:mod:`roi_kit.money.finance`. :func:`stated_changes` also lists article 3's stated
changes: the two case studies share that one table layout.

References
----------
.. [1] The kit's source articles (``shared/source-articles.zh.txt``): article 2,
   "case study".
.. [2] Forrester Research, "Total Economic Impact (TEI) methodology": Initial column
   undiscounted, year-end flows discounted (10% by default),
   ROI = (PV benefits - PV costs) / PV costs.
.. [3] Nucleus Research, "ROI methodology": average annual benefit / initial cost.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from roi_kit import formatting as fmt
from roi_kit.errors import FinanceInputError
from roi_kit.money import checks as _checks
from roi_kit.money import finance
from roi_kit.study import example_checks as check

__all__ = [
    "literal_percentage_roi",
    "B2BAssumptions",
    "B2BResult",
    "b2b_example",
    "b2b_table",
    "b2b_benefit_lines",
    "literal_vs_money_table",
    "stated_changes",
]


def literal_percentage_roi(sales_growth: float, cost_reduction: float) -> float:
    """Article 2's arithmetic, literally: ``(sales growth - cost reduction) / cost reduction``.

    This is *not* a return on the CRM: the numerator mixes a percentage of revenue with a
    percentage of operating cost (different bases), the cost reduction is a saving yet is
    subtracted as if it were a cost, and the CRM's own cost appears nowhere. The function
    exists to reproduce the article and to show that its result does not depend on the
    company's size or on what the CRM cost.

    Parameters
    ----------
    sales_growth : float, fraction
        The article: 0.20 (sales +20%).
    cost_reduction : float, fraction, != 0
        The article: 0.10 (operating cost -10%).

    Returns
    -------
    float, fraction
        1.0 for the article's numbers (the "100%").

    Examples
    --------
    >>> literal_percentage_roi(0.20, 0.10)
    1.0
    """
    s = check.growth(sales_growth, "sales_growth")
    c = float(_checks.numbers(cost_reduction, "cost_reduction"))
    if c == 0:
        raise FinanceInputError(
            "cost_reduction must be a non-zero fraction: the article divides by it"
        )
    return (s - c) / c


@dataclass(frozen=True)
class B2BAssumptions:
    """The baseline the B2B example needs and the article does not give.

    Attributes
    ----------
    baseline_revenue : float, currency per year, > 0
        Annual revenue before the CRM.
    gross_margin : float, fraction (0, 1]
        Gross margin on extra sales (revenue is not profit).
    operating_cost : float, currency per year, >= 0
        The annual operating cost the article's "-10%" applies to (without the CRM).
    crm_initial_cost : float, currency, >= 0
        Up-front CRM cost: implementation, training, migration (TEI "Initial").
    crm_annual_cost : float, currency per year, >= 0
        Running CRM cost: subscriptions, support, administration.
    years : int
        Horizon of the study; benefits and running costs arrive at each year end.
    discount_rate : float, fraction per year
    sales_growth : float, fraction
        The article: +20%.
    cost_reduction : float, fraction
        The article: -10% operating cost, given as 0.10.
    """

    baseline_revenue: float = 5_000_000.0
    gross_margin: float = 0.30
    operating_cost: float = 1_000_000.0
    crm_initial_cost: float = 150_000.0
    crm_annual_cost: float = 50_000.0
    years: int = 3
    discount_rate: float = 0.10
    sales_growth: float = 0.20
    cost_reduction: float = 0.10


@dataclass(frozen=True)
class B2BResult:
    """The B2B example redone in money; every ROI definition on the same cash flows.

    Attributes
    ----------
    assumptions : B2BAssumptions
    literal : float, fraction
        The article's ``(20% - 10%) / 10%`` = 1.0.
    extra_gross_profit : float, currency per year
        ``baseline_revenue x sales_growth x gross_margin``.
    cost_saving : float, currency per year
        ``operating_cost x cost_reduction``.
    annual_benefit : float, currency per year
        The sum of the two.
    total_benefit, total_cost : float, currency
        Over the horizon, undiscounted.
    revenue_view_roi : float, fraction
        Simple ROI with the extra *revenue* counted as gain (the articles' habit).
    roi, roi_percent : float
        Simple ROI on profit, as a fraction and in percent.
    incremental_roi : float, ratio
        ``(profit after - profit before) / CRM cost`` over the horizon (= roi + 1).
    nucleus_roi : float, fraction per year
        Annual benefit / initial cost (NaN when there is no initial cost).
    evaluation : finance.Evaluation
        TEI: NPV, TEI ROI, IRR, payback and the cash-flow table.
    """

    assumptions: B2BAssumptions
    literal: float
    extra_gross_profit: float
    cost_saving: float
    annual_benefit: float
    total_benefit: float
    total_cost: float
    revenue_view_roi: float
    roi: float
    roi_percent: float
    incremental_roi: float
    nucleus_roi: float
    evaluation: finance.Evaluation


def b2b_example(a: B2BAssumptions | None = None) -> B2BResult:
    """Redo article 2's B2B case in money, under stated assumptions.

    The sales increase becomes gross profit through the margin; the operating cost
    reduction is a saving (a benefit, not a cost); the CRM's cost is the denominator.
    The shorter sales cycle and the satisfaction gain are not added as money (the first
    is largely how the extra sales happen, counting it again would double count; the
    second is an intangible, see notebook 08).

    Parameters
    ----------
    a : B2BAssumptions, optional
        Defaults to ``B2BAssumptions()``.

    Returns
    -------
    B2BResult

    Examples
    --------
    Revenue 5,000,000 at 30% margin, operating cost 1,000,000, CRM 150,000 up front and
    50,000 a year for 3 years: benefit 300,000 + 100,000 = 400,000 a year, 1,200,000 in
    all, against 300,000 of cost, so ROI = 900,000 / 300,000 = 3.0.

    >>> b2b_example().roi
    3.0
    """
    a = a or B2BAssumptions()
    revenue = check.positive(a.baseline_revenue, "baseline_revenue")
    margin = check.margin(a.gross_margin)
    opex = check.nonneg(a.operating_cost, "operating_cost")
    initial = check.nonneg(a.crm_initial_cost, "crm_initial_cost")
    annual = check.nonneg(a.crm_annual_cost, "crm_annual_cost")
    years = check.years(a.years)
    rate = check.rate(a.discount_rate)
    growth = check.growth(a.sales_growth, "sales_growth")
    cut = check.growth(a.cost_reduction, "cost_reduction")
    total_cost = initial + annual * years
    if total_cost <= 0:
        raise FinanceInputError("the CRM must cost something: set an initial or annual cost")

    extra_revenue = revenue * growth
    extra_profit = extra_revenue * margin
    saving = opex * cut
    benefit = extra_profit + saving
    total_benefit = benefit * years
    flows_b = np.r_[0.0, np.full(years, benefit)]
    flows_c = np.r_[initial, np.full(years, annual)]
    if benefit < 0:
        raise FinanceInputError(
            "the changes give a negative yearly benefit; the TEI layout takes benefits of "
            "zero or more"
        )
    return B2BResult(
        assumptions=a,
        literal=literal_percentage_roi(growth, cut) if cut != 0 else float("nan"),
        extra_gross_profit=extra_profit,
        cost_saving=saving,
        annual_benefit=benefit,
        total_benefit=total_benefit,
        total_cost=total_cost,
        revenue_view_roi=float(finance.roi((extra_revenue + saving) * years, total_cost)),
        roi=float(finance.roi(total_benefit, total_cost)),
        roi_percent=float(finance.roi_percent(total_benefit, total_cost)),
        incremental_roi=float(finance.incremental_roi(total_benefit, 0.0, total_cost)),
        nucleus_roi=(
            float(finance.nucleus_roi(total_benefit, initial, years))
            if initial > 0
            else float("nan")
        ),
        evaluation=finance.evaluate(flows_b, flows_c, discount_rate=rate),
    )


def b2b_benefit_lines(res: B2BResult, currency: str = "") -> pd.DataFrame:
    """Each of the article's four changes: how it becomes money, or why it does not.

    Parameters
    ----------
    res : B2BResult
    currency : str

    Returns
    -------
    DataFrame
        Columns ``Change``, ``How it is counted``, ``Per year``.
    """
    a = res.assumptions
    m = fmt.percent(a.gross_margin, decimals=0)
    rows = [
        (
            f"Sales +{fmt.percent(a.sales_growth, decimals=0)}",
            f"{fmt.money(a.baseline_revenue, currency)} x "
            f"{fmt.percent(a.sales_growth, decimals=0)} x gross margin {m}",
            fmt.money(res.extra_gross_profit, currency),
        ),
        (
            f"Operating cost -{fmt.percent(a.cost_reduction, decimals=0)}",
            f"{fmt.money(a.operating_cost, currency)} x "
            f"{fmt.percent(a.cost_reduction, decimals=0)}: a saving, so a benefit",
            fmt.money(res.cost_saving, currency),
        ),
        (
            "Sales cycle -30%",
            "not added: a faster cycle is largely how the extra sales close; "
            "counting it again would double count",
            "-",
        ),
        (
            "Satisfaction +15%",
            "not money: an intangible, scored beside the ROI (notebook 08)",
            "-",
        ),
        ("Total benefit", "extra gross profit + saving", fmt.money(res.annual_benefit, currency)),
    ]
    return pd.DataFrame(rows, columns=["Change", "How it is counted", "Per year"])


def b2b_table(res: B2BResult, currency: str = "") -> pd.DataFrame:
    """The B2B case's ROI by each definition, beside the article's literal 100%.

    Parameters
    ----------
    res : B2BResult
    currency : str

    Returns
    -------
    DataFrame
        Columns ``Measure``, ``Formula``, ``Value``.
    """
    a = res.assumptions
    ev = res.evaluation
    rate = fmt.percent(a.discount_rate, decimals=0)
    yrs = f"{a.years} year{'s' if a.years != 1 else ''}"
    rows = [
        (
            "The article's figure",
            "(20% - 10%) / 10% x 100%: no CRM cost in it",
            fmt.percent(res.literal, decimals=0),
        ),
        (
            "Simple ROI, revenue counted as gain",
            f"(extra revenue + saving - CRM cost) / CRM cost, {yrs}",
            f"{fmt.ratio(res.revenue_view_roi)} ({fmt.percent(res.revenue_view_roi)})",
        ),
        (
            "Simple ROI (on profit)",
            f"(benefit - CRM cost) / CRM cost, {yrs}",
            f"{fmt.ratio(res.roi)} ({fmt.percent(res.roi)})",
        ),
        ("ROI %", "the same x 100%", fmt.percent(res.roi)),
        (
            "Incremental ROI",
            "(profit after - profit before) / CRM cost",
            fmt.ratio(res.incremental_roi),
        ),
        (
            "Nucleus annual ROI",
            "annual benefit / initial cost",
            fmt.percent(res.nucleus_roi),
        ),
        (f"NPV at {rate}", "PV benefits - PV costs", fmt.money(ev.npv, currency)),
        ("TEI ROI", "(PV benefits - PV costs) / PV costs", fmt.percent(ev.roi)),
        ("Payback", "cumulative net flow covers the cost", fmt.months(ev.payback_months)),
    ]
    return pd.DataFrame(rows, columns=["Measure", "Formula", "Value"])


def literal_vs_money_table(
    companies: Sequence[tuple[str, B2BAssumptions]], currency: str = ""
) -> pd.DataFrame:
    """Several companies with the same percentage changes: one literal figure, many ROIs.

    Parameters
    ----------
    companies : sequence of (name, B2BAssumptions)
    currency : str

    Returns
    -------
    DataFrame
        Columns ``Company``, ``Revenue``, ``Operating cost``, ``CRM cost (total)``,
        ``The article's formula``, ``Simple ROI (on profit)``, ``TEI ROI``.
    """
    rows = []
    for name, a in companies:
        res = b2b_example(a)
        rows.append(
            {
                "Company": name,
                "Revenue": fmt.money(a.baseline_revenue, currency),
                "Operating cost": fmt.money(a.operating_cost, currency),
                "CRM cost (total)": fmt.money(res.total_cost, currency),
                "The article's formula": fmt.percent(res.literal, decimals=0),
                "Simple ROI (on profit)": fmt.percent(res.roi),
                "TEI ROI": fmt.percent(res.evaluation.roi),
            }
        )
    return pd.DataFrame(rows)


def stated_changes(case: str) -> pd.DataFrame:
    """The changes an article's case study reports, and how the kit counts each.

    Parameters
    ----------
    case : {"b2b", "healthcare"}

    Returns
    -------
    DataFrame
        Columns ``Metric``, ``Stated change``, ``How the kit counts it``.
    """
    _checks.one_of(case, "case", ("b2b", "healthcare"))
    if case == "b2b":
        rows = [
            ("Sales", "+20%", "extra revenue x gross margin"),
            ("Sales cycle", "-30%", "not added (mostly shows up as the extra sales)"),
            ("Customer satisfaction", "+15%", "intangible, not money (notebook 08)"),
            ("Operating cost", "-10%", "a saving: operating cost x 10%"),
        ]
    else:  # "healthcare", the only other case one_of lets through
        rows = [
            ("Deals closed", "+20%", "revenue = deals x average order: 1.20 x 1.15 = 1.38"),
            ("Average order value", "+15%", "(together with deals) +38% revenue, not +35%"),
            ("Sales cycle", "-25%", "not added (mostly shows up as the extra deals)"),
            (
                "Customer retention",
                "+10%",
                "not added in year 1 (the deals already include repeat customers); "
                "it raises later years' revenue",
            ),
        ]
    return pd.DataFrame(rows, columns=["Metric", "Stated change", "How the kit counts it"])
