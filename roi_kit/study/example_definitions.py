"""The ROI definitions article 3's "about 250%" is read against, and their solvers.

One year's ROI of a revenue gain by four definitions (revenue counted as gain, simple ROI
on gross profit, article 3's incremental ratio, discounted TEI), all through
:mod:`roi_kit.money.finance`, and Brent's-method solvers for the CRM cost or the gross
margin at which a definition reaches a target. :mod:`roi_kit.study.example_healthcare`
builds the healthcare example on them.

References
----------
.. [1] The kit's source articles (``shared/source-articles.zh.txt``): article 3,
   "case study".
.. [2] Forrester Research, "Total Economic Impact (TEI) methodology".
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq

from roi_kit.errors import FinanceInputError
from roi_kit.money import finance
from roi_kit.study import example_checks as check

__all__ = [
    "HEALTHCARE_DEFINITIONS",
    "roi_for_definition",
    "solve_crm_cost",
    "solve_gross_margin",
]

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

    Examples
    --------
    760,000 of extra revenue at a 35% margin is 266,000 of gross profit; against a cost
    of 100,000 the simple ROI is (266,000 - 100,000) / 100,000 = 1.66 and the
    benefit-cost ratio 2.66.

    >>> round(roi_for_definition("simple", 760_000, 0.35, 100_000), 10)
    1.66
    >>> round(roi_for_definition("incremental", 760_000, 0.35, 100_000), 10)
    2.66
    """
    code = _check_code(definition)
    gain = check.nonneg(revenue_gain, "revenue_gain")
    m = check.margin(gross_margin, allow_zero=True)
    cost = check.positive(crm_cost, "crm_cost")
    return _roi(code, gain, m, cost, _checked_rate(code, discount_rate))


def _checked_rate(code: str, discount_rate: float) -> float:
    # Only the TEI definition discounts, so only it checks the rate (a bad rate beside
    # another definition is unused, and has never been refused).
    return check.rate(discount_rate) if code == "tei" else discount_rate


def _roi(code: str, gain: float, margin: float, cost: float, rate: float) -> float:
    """:func:`roi_for_definition` on inputs already checked (by the caller, once).

    The solvers and the sensitivity grids evaluate hundreds of ROIs on inputs they
    checked once; checking each again would double their run time for nothing.
    """
    if code == "revenue_simple":
        return float(finance.roi(gain, cost))
    profit = gain * margin
    if code == "simple":
        return float(finance.roi(profit, cost))
    if code == "incremental":
        return float(finance.incremental_roi(profit, 0.0, cost))
    # TEI with one year: the cost in the Initial column, the profit at the end of year 1;
    # (PV benefits - PV costs) / PV costs is the simple ROI of the present values.
    pv_benefit = finance.npv(rate, [0.0, profit])
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

    Examples
    --------
    266,000 of gross profit reaches a simple ROI of 2.5 at a cost of 266,000 / 3.5:

    >>> round(solve_crm_cost("simple", 760_000, 0.35, target=2.5), 2)
    76000.0
    """
    code = _check_code(definition)
    gain = check.positive(revenue_gain, "revenue_gain")
    m = check.margin(gross_margin)
    floor = 0.0 if code == "incremental" else -1.0
    if not np.isfinite(target) or target <= floor:
        raise FinanceInputError(
            f"no CRM cost gives {target!r} by {HEALTHCARE_DEFINITIONS[code][0]}: "
            f"the target must be above {floor:g}"
        )
    rate = _checked_rate(code, discount_rate)

    def gap(cost: float) -> float:
        # brentq keeps the cost inside [lo, hi], all positive: the checks above cover it.
        return _roi(code, gain, m, cost, rate) - target

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
    gain = check.positive(revenue_gain, "revenue_gain")
    cost = check.positive(crm_cost, "crm_cost")
    rate = _checked_rate(code, discount_rate)

    def gap(margin: float) -> float:
        # brentq keeps the margin inside [0, 1]: the checks above cover the rest.
        return _roi(code, gain, margin, cost, rate) - target

    if gap(0.0) > 0:
        raise FinanceInputError(f"the target {target:g} is below the ROI of a zero margin")
    if gap(1.0) < 0:
        return None
    return float(brentq(gap, 0.0, 1.0, xtol=1e-12, rtol=1e-12, maxiter=500))
