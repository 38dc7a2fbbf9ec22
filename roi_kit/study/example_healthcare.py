"""Article 3's worked example: the healthcare company's "ROI of about 250%".

The article reports deals +20%, average order +15%, sales cycle -25% and retention +10%,
and claims about 250% with no baseline, margin or cost. This module states the missing
baseline (:class:`HealthcareAssumptions`), turns the two growths into revenue growth (they
multiply), and tests the claim under every definition of
:data:`~roi_kit.study.example_definitions.HEALTHCARE_DEFINITIONS`: the ROI now, the CRM cost
and the gross margin that would make it true, and how the ROI moves with either.

References
----------
.. [1] The kit's source articles (``shared/source-articles.zh.txt``): article 3,
   "case study".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from roi_kit import formatting as fmt
from roi_kit.money import checks as _checks
from roi_kit.study import example_checks as check
from roi_kit.study.example_definitions import (
    HEALTHCARE_DEFINITIONS,
    _roi,
    roi_for_definition,
    solve_crm_cost,
    solve_gross_margin,
)

__all__ = [
    "revenue_growth",
    "revenue_growth_text",
    "HealthcareAssumptions",
    "HealthcareRow",
    "HealthcareResult",
    "healthcare_example",
    "healthcare_table",
    "target_text",
    "healthcare_sensitivity",
    "sensitivity_table",
]


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
    d = check.growth(deals_growth, "deals_growth")
    o = check.growth(order_value_growth, "order_value_growth")
    return (1.0 + d) * (1.0 + o) - 1.0


def revenue_growth_text(deals_growth: float, order_value_growth: float) -> str:
    """``"+38.0% revenue"`` for article 3's +20% deals and +15% average order."""
    g = revenue_growth(deals_growth, order_value_growth)
    return f"{fmt.percent(g, signed=True)} revenue"


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
    revenue = check.positive(a.baseline_revenue, "baseline_revenue")
    margin = check.margin(a.gross_margin)
    cost = check.positive(a.crm_cost, "crm_cost")
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
    gain = check.positive(a.baseline_revenue, "baseline_revenue") * revenue_growth(
        a.deals_growth, a.order_value_growth
    )
    ms = np.round(np.arange(0.05, 1.0001, 0.01), 4) if margins is None else np.asarray(margins)
    cs = np.linspace(0.25, 3.0, 56) * a.crm_cost if costs is None else np.asarray(costs)
    # The grids are some 600 ROIs: check every input once here (what roi_for_definition
    # checks per call), then evaluate unchecked.
    gain = check.nonneg(gain, "revenue_gain")
    grid_margins = _checks.numbers(ms, "margins", lo=0.0, hi=1.0)
    grid_costs = _checks.numbers(cs, "costs", lo=0.0, lo_open=True)
    cost = check.positive(a.crm_cost, "crm_cost")
    margin = check.margin(a.gross_margin, allow_zero=True)
    rate = check.rate(a.discount_rate)
    by_margin = pd.DataFrame(
        {
            code: [_roi(code, gain, m, cost, rate) for m in grid_margins]
            for code in HEALTHCARE_DEFINITIONS
        },
        index=pd.Index(ms, name="gross_margin"),
    )
    by_cost = pd.DataFrame(
        {
            code: [_roi(code, gain, margin, c, rate) for c in grid_costs]
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
