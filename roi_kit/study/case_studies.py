"""The source articles' three worked examples, reproduced, checked and redone in money.

The kit's three source articles each end with a worked example:

1. Sales +100,000 for an implementation and training cost of 20,000: ROI = 4 (400%).
2. A B2B company: sales +20%, sales cycle -30%, satisfaction +15%, operating cost -10%;
   the article computes ``((20% - 10%) / 10%) x 100% = 100%``.
3. A healthcare company: deals +20%, average order +15%, cycle -25%, retention +10%;
   "an ROI of about 250%", with no baseline, margin or cost given.

This module reproduces each literally, shows what is wrong or missing, and redoes it in
money with stated assumptions, through :mod:`roi_kit.money.finance` (every ROI definition, NPV,
TEI). Results are frozen dataclasses; tables are tidy DataFrames of formatted text; the
notebook ``09_case_studies.ipynb`` only calls these functions and shows their output.

The figure and slider-panel functions for this notebook live here too (``*_figure``,
``*_panel``, ``show_*``), so the notebook's logic stays in one topic module.

References
----------
.. [1] The kit's three source articles (``shared/source-articles.zh.txt``): article 1,
   step 7; article 2, "case study"; article 3, "case study".
.. [2] Forrester Research, "Total Economic Impact (TEI) methodology": Initial column
   undiscounted, year-end flows discounted (10% by default),
   ROI = (PV benefits - PV costs) / PV costs.
.. [3] Nucleus Research, "ROI methodology": average annual benefit / initial cost.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import ipywidgets as w
import numpy as np
import pandas as pd
from IPython.display import HTML, display
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter
from scipy.optimize import brentq

import roi_kit.views.plots as plots
from roi_kit import formatting as fmt
from roi_kit.errors import FinanceInputError
from roi_kit.money import finance, references
from roi_kit.widgets.display import show_figure

__all__ = [
    "SimpleExample",
    "simple_example",
    "simple_example_text",
    "simple_example_table",
    "literal_percentage_roi",
    "B2BAssumptions",
    "B2BResult",
    "b2b_example",
    "b2b_table",
    "b2b_benefit_lines",
    "literal_vs_money_table",
    "stated_changes",
    "revenue_growth",
    "revenue_growth_text",
    "HEALTHCARE_DEFINITIONS",
    "HealthcareAssumptions",
    "HealthcareRow",
    "HealthcareResult",
    "roi_for_definition",
    "solve_crm_cost",
    "solve_gross_margin",
    "healthcare_example",
    "healthcare_table",
    "target_text",
    "healthcare_sensitivity",
    "sensitivity_table",
    "sensitivity_figure",
    "b2b_panel",
    "show_b2b",
    "healthcare_panel",
    "show_healthcare",
    "references_panel",
    "show_references",
]


# ---------------------------------------------------------------------------
# input checks


def _positive(value: float, name: str) -> float:
    v = float(value)
    if not np.isfinite(v) or v <= 0:
        raise FinanceInputError(f"{name} must be a number greater than zero (found {value!r})")
    return v


def _nonneg(value: float, name: str) -> float:
    v = float(value)
    if not np.isfinite(v) or v < 0:
        raise FinanceInputError(f"{name} must be a number of zero or more (found {value!r})")
    return v


def _margin(value: float, name: str = "gross_margin") -> float:
    v = float(value)
    if not np.isfinite(v) or not 0 < v <= 1:
        raise FinanceInputError(f"{name} must be a fraction in (0, 1] (found {value!r})")
    return v


def _growth(value: float, name: str) -> float:
    v = float(value)
    if not np.isfinite(v) or v <= -1:
        raise FinanceInputError(f"{name} must be a fraction above -100% (found {value!r})")
    return v


def _years(value: int) -> int:
    if isinstance(value, bool) or int(value) != value or value < 1:
        raise FinanceInputError(f"years must be a whole number >= 1 (found {value!r})")
    return int(value)


def _rate(value: float) -> float:
    v = float(value)
    if not np.isfinite(v) or v <= -1:
        raise FinanceInputError(f"discount_rate must be above -100% (found {value!r})")
    return v


# ---------------------------------------------------------------------------
# example 1: sales +100,000, cost 20,000 -> 4


@dataclass(frozen=True)
class SimpleExample:
    """Article 1's worked example, by the article's formula and beside it.

    Attributes
    ----------
    gain : float, currency
        What the article counts as gain (an increase in sales, i.e. revenue).
    cost : float, currency
        Implementation and training cost.
    roi : float, fraction
        ``(gain - cost) / cost``; the article's 4.
    roi_percent : float, percent
    benefit_cost_ratio : float, ratio
        ``gain / cost``: what came back per unit spent (article 3's incremental formula
        with nothing before); one more than ``roi``.
    gross_margin : float or None, fraction
        When given, the gain is read as revenue and turned into gross profit.
    roi_on_profit : float or None, fraction
        ``(gain x gross_margin - cost) / cost``.
    """

    gain: float
    cost: float
    roi: float
    roi_percent: float
    benefit_cost_ratio: float
    gross_margin: float | None
    roi_on_profit: float | None


def simple_example(
    gain: float = 100_000.0, cost: float = 20_000.0, gross_margin: float | None = None
) -> SimpleExample:
    """Article 1's example: ``ROI = (gain - cost) / cost``.

    Parameters
    ----------
    gain : float, currency
        Sales increase credited to the CRM (the article: 100,000).
    cost : float, currency, > 0
        Implementation and training cost (the article: 20,000).
    gross_margin : float, fraction (0, 1], optional
        Gross margin on the extra sales, to show the profit view beside the article's.

    Returns
    -------
    SimpleExample

    Examples
    --------
    >>> ex = simple_example()
    >>> ex.roi, ex.roi_percent, ex.benefit_cost_ratio
    (4.0, 400.0, 5.0)
    """
    margin = None if gross_margin is None else _margin(gross_margin)
    return SimpleExample(
        gain=float(gain),
        cost=float(cost),
        roi=float(finance.roi(gain, cost)),
        roi_percent=float(finance.roi_percent(gain, cost)),
        benefit_cost_ratio=float(finance.incremental_roi(gain, 0.0, cost)),
        gross_margin=margin,
        roi_on_profit=None if margin is None else float(finance.roi(gain * margin, cost)),
    )


def simple_example_text(ex: SimpleExample) -> str:
    """The headline as the article states it: ``"4.00 (400%)"``."""
    return f"{fmt.ratio(ex.roi)} ({fmt.percent(ex.roi, decimals=0)})"


def simple_example_table(ex: SimpleExample, currency: str = "") -> pd.DataFrame:
    """Article 1's example read three ways: as written, as money back, as profit.

    Parameters
    ----------
    ex : SimpleExample
    currency : str

    Returns
    -------
    DataFrame
        Columns ``Reading``, ``Formula``, ``Value``.
    """
    g, c = fmt.money(ex.gain, currency), fmt.money(ex.cost, currency)
    rows = [
        (
            "Simple ROI (the article)",
            f"({g} - {c}) / {c}",
            simple_example_text(ex),
        ),
        (
            "Money back per unit spent",
            f"{g} / {c}",
            f"{fmt.ratio(ex.benefit_cost_ratio)} (each 1 spent came back as "
            f"{fmt.ratio(ex.benefit_cost_ratio)}: the cost plus {fmt.ratio(ex.roi)} more)",
        ),
    ]
    if ex.gross_margin is not None and ex.roi_on_profit is not None:
        m = fmt.percent(ex.gross_margin, decimals=0)
        rows.append(
            (
                f"Simple ROI on gross profit (margin {m})",
                f"({g} x {m} - {c}) / {c}",
                f"{fmt.ratio(ex.roi_on_profit)} ({fmt.percent(ex.roi_on_profit, decimals=0)})",
            )
        )
    return pd.DataFrame(rows, columns=["Reading", "Formula", "Value"])


# ---------------------------------------------------------------------------
# example 2: the B2B company, ((20% - 10%) / 10%) x 100% = 100%


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
    s = _growth(sales_growth, "sales_growth")
    c = float(cost_reduction)
    if not np.isfinite(c) or c == 0:
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
    revenue = _positive(a.baseline_revenue, "baseline_revenue")
    margin = _margin(a.gross_margin)
    opex = _nonneg(a.operating_cost, "operating_cost")
    initial = _nonneg(a.crm_initial_cost, "crm_initial_cost")
    annual = _nonneg(a.crm_annual_cost, "crm_annual_cost")
    years = _years(a.years)
    rate = _rate(a.discount_rate)
    growth = _growth(a.sales_growth, "sales_growth")
    cut = _growth(a.cost_reduction, "cost_reduction")
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
    if case == "b2b":
        rows = [
            ("Sales", "+20%", "extra revenue x gross margin"),
            ("Sales cycle", "-30%", "not added (mostly shows up as the extra sales)"),
            ("Customer satisfaction", "+15%", "intangible, not money (notebook 08)"),
            ("Operating cost", "-10%", "a saving: operating cost x 10%"),
        ]
    elif case == "healthcare":
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
    else:
        raise FinanceInputError(f"case must be 'b2b' or 'healthcare' (found {case!r})")
    return pd.DataFrame(rows, columns=["Metric", "Stated change", "How the kit counts it"])


# ---------------------------------------------------------------------------
# example 3: the healthcare company, "about 250%"


def revenue_growth(deals_growth: float, order_value_growth: float) -> float:
    """Revenue growth from more deals at a larger average order: ``(1+d)(1+o) - 1``.

    Revenue = number of deals x average order value, so the growths multiply;
    adding them (20% + 15% = 35%) misses the cross term (20% x 15% = 3%).

    Parameters
    ----------
    deals_growth : float, fraction
        Article 3: 0.20.
    order_value_growth : float, fraction
        Article 3: 0.15.

    Returns
    -------
    float, fraction

    Examples
    --------
    >>> round(revenue_growth(0.20, 0.15), 10)
    0.38
    """
    d = _growth(deals_growth, "deals_growth")
    o = _growth(order_value_growth, "order_value_growth")
    return (1.0 + d) * (1.0 + o) - 1.0


def revenue_growth_text(deals_growth: float, order_value_growth: float) -> str:
    """``"+38.0% revenue"`` for article 3's +20% deals and +15% average order."""
    g = revenue_growth(deals_growth, order_value_growth)
    return f"{'+' if g >= 0 else ''}{fmt.percent(g)} revenue"


#: The definitions under which "about 250%" is tested: code -> (label, formula).
HEALTHCARE_DEFINITIONS: dict[str, tuple[str, str]] = {
    "revenue_simple": (
        "Simple ROI, revenue counted as gain",
        "(extra revenue - cost) / cost",
    ),
    "simple": ("Simple ROI on gross profit", "(extra revenue x margin - cost) / cost"),
    "incremental": (
        "Incremental ROI on gross profit (article 3's formula)",
        "(profit after - profit before) / cost",
    ),
    "tei": (
        "TEI ROI on gross profit, discounted",
        "(extra profit / (1 + r) - cost) / cost",
    ),
}


def _check_code(definition: str) -> str:
    if definition not in HEALTHCARE_DEFINITIONS:
        raise FinanceInputError(
            f"unknown definition {definition!r}; use one of " + ", ".join(HEALTHCARE_DEFINITIONS)
        )
    return definition


def roi_for_definition(
    definition: str,
    revenue_gain: float,
    gross_margin: float,
    crm_cost: float,
    discount_rate: float = 0.10,
) -> float:
    """One year's ROI of a revenue gain, by one of :data:`HEALTHCARE_DEFINITIONS`.

    Article 3's results are "within one year after implementation": the cost is paid
    up front (TEI Initial) and the extra profit arrives over year 1 (discounted as a
    year-end flow in the TEI definition).

    Parameters
    ----------
    definition : str
        A key of :data:`HEALTHCARE_DEFINITIONS`.
    revenue_gain : float, currency, >= 0
        Extra revenue in the year.
    gross_margin : float, fraction [0, 1]
        Ignored by ``revenue_simple``.
    crm_cost : float, currency, > 0
    discount_rate : float, fraction per year
        Used by ``tei`` only.

    Returns
    -------
    float
        A fraction (2.5 = 250%) for ``revenue_simple``, ``simple`` and ``tei``; a
        benefit-cost ratio for ``incremental``.
    """
    code = _check_code(definition)
    gain = _nonneg(revenue_gain, "revenue_gain")
    m = float(gross_margin)
    if not np.isfinite(m) or not 0 <= m <= 1:
        raise FinanceInputError(f"gross_margin must be a fraction in [0, 1] (found {m!r})")
    cost = _positive(crm_cost, "crm_cost")
    if code == "revenue_simple":
        return float(finance.roi(gain, cost))
    profit = gain * m
    if code == "simple":
        return float(finance.roi(profit, cost))
    if code == "incremental":
        return float(finance.incremental_roi(profit, 0.0, cost))
    # TEI with one year: the cost in the Initial column, the profit at the end of year 1;
    # (PV benefits - PV costs) / PV costs is the simple ROI of the present values.
    pv_benefit = finance.npv(_rate(discount_rate), [0.0, profit])
    return float(finance.roi(pv_benefit, cost))


def solve_crm_cost(
    definition: str,
    revenue_gain: float,
    gross_margin: float,
    target: float = 2.5,
    discount_rate: float = 0.10,
) -> float:
    """The CRM cost at which a definition's ROI equals ``target`` (Brent's method).

    ROI falls as the cost rises, so there is exactly one such cost when the target is
    reachable.

    Parameters
    ----------
    definition : str
        A key of :data:`HEALTHCARE_DEFINITIONS`.
    revenue_gain : float, currency, > 0
    gross_margin : float, fraction (0, 1]
    target : float
        2.5 for "250%" (a fraction; a ratio for ``incremental``).
    discount_rate : float, fraction per year

    Returns
    -------
    float, currency

    Raises
    ------
    FinanceInputError
        No positive cost gives the target (a simple ROI cannot reach -100%, a
        benefit-cost ratio cannot reach 0).
    """
    code = _check_code(definition)
    gain = _positive(revenue_gain, "revenue_gain")
    m = _margin(gross_margin)
    floor = 0.0 if code == "incremental" else -1.0
    if not np.isfinite(target) or target <= floor:
        raise FinanceInputError(
            f"no CRM cost gives {target!r} by {HEALTHCARE_DEFINITIONS[code][0]}: "
            f"the target must be above {floor:g}"
        )

    def gap(cost: float) -> float:
        return roi_for_definition(code, gain, m, cost, discount_rate) - target

    lo, hi = gain * 1e-9, gain * 1e9
    if gap(lo) < 0 or gap(hi) > 0:
        raise FinanceInputError(f"the target {target:g} cannot be reached with a positive cost")
    return float(brentq(gap, lo, hi, xtol=1e-9, rtol=1e-12, maxiter=500))


def solve_gross_margin(
    definition: str,
    revenue_gain: float,
    crm_cost: float,
    target: float = 2.5,
    discount_rate: float = 0.10,
) -> float | None:
    """The gross margin at which a definition's ROI equals ``target`` (Brent's method).

    Parameters
    ----------
    definition : str
        ``simple``, ``incremental`` or ``tei`` (``revenue_simple`` has no margin).
    revenue_gain : float, currency, > 0
    crm_cost : float, currency, > 0
    target : float
    discount_rate : float, fraction per year

    Returns
    -------
    float or None, fraction
        None when even a 100% margin falls short (the claim cannot hold at this cost).

    Raises
    ------
    FinanceInputError
        ``revenue_simple``, or a target below what a zero margin gives.
    """
    code = _check_code(definition)
    if code == "revenue_simple":
        raise FinanceInputError("the revenue view counts revenue as gain: it has no margin")
    gain = _positive(revenue_gain, "revenue_gain")
    cost = _positive(crm_cost, "crm_cost")

    def gap(margin: float) -> float:
        return roi_for_definition(code, gain, margin, cost, discount_rate) - target

    if gap(0.0) > 0:
        raise FinanceInputError(f"the target {target:g} is below the ROI of a zero margin")
    if gap(1.0) < 0:
        return None
    return float(brentq(gap, 0.0, 1.0, xtol=1e-12, rtol=1e-12, maxiter=500))


@dataclass(frozen=True)
class HealthcareAssumptions:
    """The baseline article 3's healthcare case needs and does not give.

    Attributes
    ----------
    baseline_revenue : float, currency per year, > 0
    gross_margin : float, fraction (0, 1]
    crm_cost : float, currency, > 0
        Total first-year CRM cost, paid up front.
    discount_rate : float, fraction per year
    deals_growth, order_value_growth : float, fraction
        The article: +20% deals, +15% average order value.
    target_roi : float
        The article's "about 250%": 2.5.
    """

    baseline_revenue: float = 2_000_000.0
    gross_margin: float = 0.35
    crm_cost: float = 100_000.0
    discount_rate: float = 0.10
    deals_growth: float = 0.20
    order_value_growth: float = 0.15
    target_roi: float = 2.5


@dataclass(frozen=True)
class HealthcareRow:
    """One definition's answer for the healthcare case.

    Attributes
    ----------
    definition, label, formula : str
    roi : float
        At the assumed margin and cost.
    cost_for_target : float, currency
        The CRM cost that makes the target true at the assumed margin.
    margin_for_target : float or None, fraction
        The margin that makes it true at the assumed cost; None if above 100%, NaN for
        the revenue view (no margin).
    """

    definition: str
    label: str
    formula: str
    roi: float
    cost_for_target: float
    margin_for_target: float | None


@dataclass(frozen=True)
class HealthcareResult:
    """Article 3's case under stated assumptions.

    Attributes
    ----------
    assumptions : HealthcareAssumptions
    revenue_growth : float, fraction
        ``(1 + deals) x (1 + order value) - 1`` (0.38).
    additive_growth : float, fraction
        ``deals + order value`` (0.35), the tempting but wrong sum.
    revenue_gain : float, currency
    profit_gain : float, currency
    rows : tuple of HealthcareRow
    """

    assumptions: HealthcareAssumptions
    revenue_growth: float
    additive_growth: float
    revenue_gain: float
    profit_gain: float
    rows: tuple[HealthcareRow, ...]


def healthcare_example(a: HealthcareAssumptions | None = None) -> HealthcareResult:
    """Test "about 250%" under every definition: ROI now, and what would make it true.

    Parameters
    ----------
    a : HealthcareAssumptions, optional

    Returns
    -------
    HealthcareResult

    Examples
    --------
    Revenue 2,000,000 x 38% = 760,000; at 35% margin 266,000 of gross profit. A simple
    ROI of 2.5 needs a cost of 266,000 / 3.5 = 76,000.

    >>> res = healthcare_example()
    >>> round(res.rows[1].cost_for_target, 2)
    76000.0
    """
    a = a or HealthcareAssumptions()
    revenue = _positive(a.baseline_revenue, "baseline_revenue")
    margin = _margin(a.gross_margin)
    cost = _positive(a.crm_cost, "crm_cost")
    growth = revenue_growth(a.deals_growth, a.order_value_growth)
    gain = revenue * growth
    rows = []
    for code, (label, formula) in HEALTHCARE_DEFINITIONS.items():
        margin_needed = (
            float("nan")
            if code == "revenue_simple"
            else solve_gross_margin(code, gain, cost, a.target_roi, a.discount_rate)
        )
        rows.append(
            HealthcareRow(
                definition=code,
                label=label,
                formula=formula,
                roi=roi_for_definition(code, gain, margin, cost, a.discount_rate),
                cost_for_target=solve_crm_cost(code, gain, margin, a.target_roi, a.discount_rate),
                margin_for_target=margin_needed,
            )
        )
    return HealthcareResult(
        assumptions=a,
        revenue_growth=growth,
        additive_growth=float(a.deals_growth) + float(a.order_value_growth),
        revenue_gain=gain,
        profit_gain=gain * margin,
        rows=tuple(rows),
    )


def _roi_text(code: str, value: float) -> str:
    if code == "incremental":
        return f"{fmt.ratio(value)} per 1 spent"
    return f"{fmt.ratio(value)} ({fmt.percent(value, decimals=0)})"


def _margin_text(value: float | None) -> str:
    if value is None:
        return "above 100%: impossible at this cost"
    if np.isnan(value):
        return "n/a (revenue is counted, not margin)"
    return fmt.percent(value)


def healthcare_table(res: HealthcareResult, currency: str = "") -> pd.DataFrame:
    """Per definition: the ROI now, and the cost or margin that makes "250%" true.

    Parameters
    ----------
    res : HealthcareResult
    currency : str

    Returns
    -------
    DataFrame
        Columns ``Definition``, ``Formula``, ``ROI at these assumptions``,
        ``CRM cost for 250%``, ``Margin for 250%`` (the target's percentage in the
        column names).
    """
    a = res.assumptions
    target = fmt.percent(a.target_roi, decimals=0)
    rows = [
        {
            "Definition": r.label,
            "Formula": r.formula,
            "ROI at these assumptions": _roi_text(r.definition, r.roi),
            f"CRM cost for {target}": fmt.money(r.cost_for_target, currency),
            f"Margin for {target}": _margin_text(r.margin_for_target),
        }
        for r in res.rows
    ]
    return pd.DataFrame(rows)


def target_text(res: HealthcareResult, currency: str = "") -> str:
    """The CRM cost for the target under each definition, one ``label: amount`` a line."""
    return "\n".join(
        f"{r.label}: {fmt.money(r.cost_for_target, currency, decimals=2)}" for r in res.rows
    )


def healthcare_sensitivity(
    a: HealthcareAssumptions | None = None,
    *,
    margins: Sequence[float] | None = None,
    costs: Sequence[float] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """ROI by definition as the margin varies, and as the CRM cost varies.

    Parameters
    ----------
    a : HealthcareAssumptions, optional
    margins : sequence of float, fraction, optional
        Default 5% .. 100% in 1-point steps (cost held at ``a.crm_cost``).
    costs : sequence of float, currency, optional
        Default 0.25x .. 3x ``a.crm_cost`` (margin held at ``a.gross_margin``).

    Returns
    -------
    by_margin, by_cost : DataFrame
        Index ``gross_margin`` / ``crm_cost``; one float column per definition code.
    """
    a = a or HealthcareAssumptions()
    gain = _positive(a.baseline_revenue, "baseline_revenue") * revenue_growth(
        a.deals_growth, a.order_value_growth
    )
    ms = np.round(np.arange(0.05, 1.0001, 0.01), 4) if margins is None else np.asarray(margins)
    cs = np.linspace(0.25, 3.0, 56) * a.crm_cost if costs is None else np.asarray(costs)
    by_margin = pd.DataFrame(
        {
            code: [roi_for_definition(code, gain, m, a.crm_cost, a.discount_rate) for m in ms]
            for code in HEALTHCARE_DEFINITIONS
        },
        index=pd.Index(ms, name="gross_margin"),
    )
    by_cost = pd.DataFrame(
        {
            code: [roi_for_definition(code, gain, a.gross_margin, c, a.discount_rate) for c in cs]
            for code in HEALTHCARE_DEFINITIONS
        },
        index=pd.Index(cs, name="crm_cost"),
    )
    return by_margin, by_cost


def sensitivity_table(
    a: HealthcareAssumptions | None = None,
    margins: Sequence[float] = (0.20, 0.30, 0.40, 0.50, 0.60),
) -> pd.DataFrame:
    """A small printable table: ROI by definition at a few margins (cost as assumed).

    Parameters
    ----------
    a : HealthcareAssumptions, optional
    margins : sequence of float, fraction

    Returns
    -------
    DataFrame
        Column ``Gross margin`` and one column per definition label, formatted.
    """
    a = a or HealthcareAssumptions()
    by_margin, _ = healthcare_sensitivity(a, margins=margins, costs=[a.crm_cost])
    out = pd.DataFrame({"Gross margin": [fmt.percent(m, decimals=0) for m in by_margin.index]})
    for code, (label, _) in HEALTHCARE_DEFINITIONS.items():
        out[label] = [fmt.percent(v, decimals=0) for v in by_margin[code]]
    return out


def sensitivity_figure(a: HealthcareAssumptions | None = None, *, currency: str = "") -> Figure:
    """Two panels: ROI vs gross margin, and ROI vs CRM cost, with the 250% line.

    Parameters
    ----------
    a : HealthcareAssumptions, optional
    currency : str

    Returns
    -------
    Figure
    """
    a = a or HealthcareAssumptions()
    by_margin, by_cost = healthcare_sensitivity(a)
    fig = Figure(figsize=(10, 4.2), layout="constrained")
    ax_m, ax_c = fig.subplots(1, 2, sharey=True)
    styles = {
        "revenue_simple": ("#9e9e9e", "--"),
        "simple": ("#1f4e79", "-"),
        "incremental": ("#2e7d32", "-"),
        "tei": ("#c62828", "-"),
    }
    for code, (label, _) in HEALTHCARE_DEFINITIONS.items():
        color, ls = styles[code]
        ax_m.plot(by_margin.index, by_margin[code], color=color, linestyle=ls, label=label)
        ax_c.plot(by_cost.index, by_cost[code], color=color, linestyle=ls, label=label)
    target = fmt.percent(a.target_roi, decimals=0)
    for ax in (ax_m, ax_c):
        ax.axhline(a.target_roi, color="black", linewidth=1, linestyle=":")
        ax.grid(alpha=0.3)
        ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
    ax_m.axvline(a.gross_margin, color="#555555", linewidth=0.8)
    ax_c.axvline(a.crm_cost, color="#555555", linewidth=0.8)
    ax_m.text(0.06, a.target_roi, f" article: about {target}", va="bottom")
    ax_m.xaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
    prefix = f"{currency} " if currency else ""
    ax_c.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{prefix}{v:,.0f}"))
    ax_m.set_xlabel(f"Gross margin (CRM cost {fmt.money(a.crm_cost, currency)})")
    ax_c.set_xlabel(f"CRM cost (gross margin {fmt.percent(a.gross_margin, decimals=0)})")
    ax_m.set_ylabel("ROI (incremental: benefit / cost)")
    top = float(np.nanmax([by_margin.to_numpy().max(), by_cost.to_numpy().max()]))
    ax_m.set_ylim(min(-1.0, float(by_cost.to_numpy().min())), min(top, 4 * a.target_roi) * 1.05)
    ax_m.set_title("ROI vs gross margin")
    ax_c.set_title("ROI vs CRM cost")
    ax_c.legend(loc="upper right", frameon=False, fontsize=8)
    return fig


# ---------------------------------------------------------------------------
# slider panels and their static twins


_STYLE = {"description_width": "12em"}
_LAYOUT = {"width": "38em"}


def _slider(value: float, lo: float, hi: float, step: float, label: str, fmt_: str):
    return w.FloatSlider(
        value=value,
        min=lo,
        max=hi,
        step=step,
        description=label,
        readout_format=fmt_,
        style=_STYLE,
        layout=w.Layout(**_LAYOUT),
        continuous_update=False,
    )


def _html(df: pd.DataFrame) -> str:
    return df.to_html(index=False, escape=True, border=0)


def _b2b_outputs(a: B2BAssumptions, currency: str) -> tuple[str, Figure]:
    res = b2b_example(a)
    html = (
        "<h4>Benefits in money</h4>"
        + _html(b2b_benefit_lines(res, currency))
        + "<h4>ROI by each definition</h4>"
        + _html(b2b_table(res, currency))
    )
    fig = plots.cumulative_cash_flow(
        res.evaluation, currency=currency, title="B2B case: cumulative net cash flow"
    )
    return html, fig


def b2b_panel(a: B2BAssumptions | None = None, currency: str = "") -> w.Widget:
    """Sliders for the B2B baseline the article leaves out, with every ROI live.

    Parameters
    ----------
    a : B2BAssumptions, optional
        Starting values.
    currency : str

    Returns
    -------
    ipywidgets.Widget
        A VBox; ``panel.result`` holds the latest :class:`B2BResult`.
    """
    a = a or B2BAssumptions()
    top_rev = max(a.baseline_revenue * 4, 1_000_000.0)
    top_cost = max(a.crm_initial_cost * 4, a.crm_annual_cost * 4, 100_000.0)
    sliders = {
        "baseline_revenue": _slider(
            a.baseline_revenue, top_rev / 100, top_rev, top_rev / 400, "Baseline revenue", ",.0f"
        ),
        "gross_margin": _slider(a.gross_margin, 0.01, 1.0, 0.01, "Gross margin", ".0%"),
        "operating_cost": _slider(
            a.operating_cost, 0.0, top_rev, top_rev / 400, "Operating cost / year", ",.0f"
        ),
        "crm_initial_cost": _slider(
            a.crm_initial_cost, 0.0, top_cost, top_cost / 400, "CRM cost up front", ",.0f"
        ),
        "crm_annual_cost": _slider(
            a.crm_annual_cost, 0.0, top_cost, top_cost / 400, "CRM cost / year", ",.0f"
        ),
        "discount_rate": _slider(a.discount_rate, 0.0, 0.30, 0.005, "Discount rate", ".1%"),
    }
    years_s = w.IntSlider(
        value=a.years,
        min=1,
        max=10,
        description="Years",
        style=_STYLE,
        layout=w.Layout(**_LAYOUT),
        continuous_update=False,
    )
    table_out = w.HTML()
    fig_out = w.Output()
    panel = w.VBox([w.VBox([*sliders.values(), years_s]), table_out, fig_out])

    def update(_change=None) -> None:
        values = {k: s.value for k, s in sliders.items()}
        current = replace(a, years=years_s.value, **values)
        try:
            panel.result = b2b_example(current)
            html, fig = _b2b_outputs(current, currency)
        except FinanceInputError as exc:
            table_out.value = f"<p><b>Cannot compute:</b> {exc}</p>"
            return
        table_out.value = html
        fig_out.clear_output(wait=True)
        with fig_out:
            show_figure(fig)

    for s in (*sliders.values(), years_s):
        s.observe(update, names="value")
    update()
    return panel


def show_b2b(
    a: B2BAssumptions | None = None, *, currency: str = "", report_mode: bool = False
) -> None:
    """Display the B2B case in money: sliders, or static tables and a figure in reports.

    Parameters
    ----------
    a : B2BAssumptions, optional
    currency : str
    report_mode : bool
        True renders static HTML and a PNG (a report has no kernel behind it).
    """
    if not report_mode:
        display(b2b_panel(a, currency))
        return
    html, fig = _b2b_outputs(a or B2BAssumptions(), currency)
    display(HTML(html))
    show_figure(fig)


def _healthcare_outputs(a: HealthcareAssumptions, currency: str) -> tuple[str, Figure]:
    res = healthcare_example(a)
    html = (
        f"<p>Extra revenue: {fmt.money(a.baseline_revenue, currency)} x "
        f"{fmt.percent(res.revenue_growth)} = {fmt.money(res.revenue_gain, currency)}; "
        f"extra gross profit at {fmt.percent(a.gross_margin, decimals=0)}: "
        f"{fmt.money(res.profit_gain, currency)}.</p>"
        + _html(healthcare_table(res, currency))
        + f"<h4>ROI by gross margin (CRM cost {fmt.money(a.crm_cost, currency)})</h4>"
        + _html(sensitivity_table(a))
    )
    return html, sensitivity_figure(a, currency=currency)


def healthcare_panel(a: HealthcareAssumptions | None = None, currency: str = "") -> w.Widget:
    """Sliders for the healthcare baseline: which revenue, margin and cost give 250%.

    Parameters
    ----------
    a : HealthcareAssumptions, optional
    currency : str

    Returns
    -------
    ipywidgets.Widget
        A VBox; ``panel.result`` holds the latest :class:`HealthcareResult`.
    """
    a = a or HealthcareAssumptions()
    top_rev = max(a.baseline_revenue * 4, 1_000_000.0)
    top_cost = max(a.crm_cost * 5, 100_000.0)
    sliders = {
        "baseline_revenue": _slider(
            a.baseline_revenue, top_rev / 100, top_rev, top_rev / 400, "Baseline revenue", ",.0f"
        ),
        "gross_margin": _slider(a.gross_margin, 0.01, 1.0, 0.01, "Gross margin", ".0%"),
        "crm_cost": _slider(
            a.crm_cost, top_cost / 100, top_cost, top_cost / 500, "CRM cost", ",.0f"
        ),
        "discount_rate": _slider(a.discount_rate, 0.0, 0.30, 0.005, "Discount rate", ".1%"),
    }
    table_out = w.HTML()
    fig_out = w.Output()
    panel = w.VBox([w.VBox(list(sliders.values())), table_out, fig_out])

    def update(_change=None) -> None:
        current = replace(a, **{k: s.value for k, s in sliders.items()})
        try:
            panel.result = healthcare_example(current)
            html, fig = _healthcare_outputs(current, currency)
        except FinanceInputError as exc:
            table_out.value = f"<p><b>Cannot compute:</b> {exc}</p>"
            return
        table_out.value = html
        fig_out.clear_output(wait=True)
        with fig_out:
            show_figure(fig)

    for s in sliders.values():
        s.observe(update, names="value")
    update()
    return panel


def show_healthcare(
    a: HealthcareAssumptions | None = None, *, currency: str = "", report_mode: bool = False
) -> None:
    """Display the healthcare case: sliders, or static tables and a figure in reports.

    Parameters
    ----------
    a : HealthcareAssumptions, optional
    currency : str
    report_mode : bool
    """
    if not report_mode:
        display(healthcare_panel(a, currency))
        return
    html, fig = _healthcare_outputs(a or HealthcareAssumptions(), currency)
    display(HTML(html))
    show_figure(fig)


_CAVEAT = (
    "<p><b>Not comparable one to one.</b> Published averages come from other firms, "
    "periods, cost scopes and (often vendor-sponsored) samples; the articles' figures are "
    "illustrations, not measurements. Conversions below fix only the arithmetic of the "
    "definitions.</p>"
)


def references_panel(
    user_roi: float, definition: str = "simple", refs: pd.DataFrame | None = None
) -> w.Widget:
    """Your ROI (typed in, with its definition) beside each published reference point.

    Parameters
    ----------
    user_roi : float
        In the unit of ``definition`` (see :func:`roi_kit.money.references.compare_to_references`).
    definition : str
    refs : DataFrame, optional
        Default :func:`roi_kit.money.references.load_reference_points`.

    Returns
    -------
    ipywidgets.Widget
    """
    refs = references.load_reference_points() if refs is None else refs
    choices = [(d.label, d.code) for d in references.DEFINITIONS.values() if d.family != "none"]
    value_w = w.FloatText(value=user_roi, description="Your ROI", style=_STYLE)
    def_w = w.Dropdown(options=choices, value=definition, description="Definition", style=_STYLE)
    out = w.HTML()

    def update(_change=None) -> None:
        try:
            table = references.compare_to_references(value_w.value, def_w.value, refs)
        except FinanceInputError as exc:
            out.value = f"<p><b>Cannot compare:</b> {exc}</p>"
            return
        out.value = _CAVEAT + _html(table)

    value_w.observe(update, names="value")
    def_w.observe(update, names="value")
    update()
    return w.VBox([w.HBox([value_w, def_w]), out])


def show_references(
    user_roi: float,
    definition: str = "simple",
    refs: pd.DataFrame | None = None,
    *,
    report_mode: bool = False,
) -> None:
    """Display the reference comparison: live inputs, or a static table in reports.

    Parameters
    ----------
    user_roi : float
    definition : str
    refs : DataFrame, optional
    report_mode : bool
    """
    if not report_mode:
        display(references_panel(user_roi, definition, refs))
        return
    refs = references.load_reference_points() if refs is None else refs
    table = references.compare_to_references(user_roi, definition, refs)
    display(HTML(_CAVEAT + _html(table)))
