"""The ROI and finance core: every common ROI definition, NPV, IRR, payback.

All ratio and discounting functions accept scalars or numpy arrays and broadcast, so
a slider (one value) and a Monte Carlo run (100,000 draws) use the same code. Cash
flows run along the last axis: ``cash_flows[..., t]`` is the flow at the end of
period ``t``, and index 0 is the undiscounted "Initial" column (time 0).

Conventions
-----------
- Costs and benefits are both given as positive amounts; the net cash flow is
  ``benefits - costs``.
- Discounting follows numpy-financial and Forrester's Total Economic Impact (TEI):
  the flow at index 0 is not discounted, the flow at index ``t`` is divided by
  ``(1 + rate) ** t``.
- A period rate is derived from an annual rate as ``(1 + annual) ** (1 / n) - 1``
  (an effective, compounding conversion), so that twelve monthly periods discount
  exactly as one year does.

References
----------
.. [1] Forrester Research, "Total Economic Impact (TEI) methodology": an Initial
   column at time 0, years discounted at year end (10% by default), risk-adjusted
   benefits and costs, ROI = (PV benefits - PV costs) / PV costs.
.. [2] Nucleus Research, "ROI methodology": ROI = average annual benefit over the
   analysis period / initial cost; productivity benefits corrected because time
   saved is not time worked.
.. [3] The kit's three source articles (``shared/source-articles.zh.txt``): simple
   ROI (gain - cost) / cost, the same as a percentage, and incremental ROI
   (benefit after - benefit before) / CRM cost.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import numpy_financial as npf
import pandas as pd

from roi_kit import formatting as fmt
from roi_kit.errors import FinanceInputError
from roi_kit.money.checks import numbers, plain

__all__ = [
    "roi",
    "roi_percent",
    "incremental_roi",
    "nucleus_roi",
    "period_rate",
    "discount_factors",
    "npv",
    "IrrResult",
    "irr_result",
    "irr",
    "payback_period",
    "discounted_payback_period",
    "Evaluation",
    "evaluate",
    "QuickEstimate",
    "quick_estimate",
    "quick_table",
]

ArrayLike = float | int | npt.ArrayLike


# ---------------------------------------------------------------------------
# input checks (the shared ones are in roi_kit.money.checks)


def _positive_cost(cost: ArrayLike, name: str = "cost") -> np.ndarray:
    arr = numbers(cost, name)
    if (arr <= 0).any():
        raise FinanceInputError(
            f"{name} must be greater than zero for a ratio such as ROI "
            f"(found {arr.min():g}); a free CRM has no ROI to compute"
        )
    return arr


def _cash_flows(values: ArrayLike, name: str) -> np.ndarray:
    arr = numbers(values, name)
    if arr.ndim == 0 or arr.shape[-1] == 0:
        raise FinanceInputError(
            f"{name} must be a sequence of at least one cash flow (index 0 = Initial)"
        )
    return arr


# ---------------------------------------------------------------------------
# the source articles' three definitions


def roi(gain: ArrayLike, cost: ArrayLike) -> float | np.ndarray:
    """Simple ROI: ``(gain - cost) / cost``, as a fraction.

    The source articles' first definition. ``gain`` is the total return credited to
    the CRM over the period and ``cost`` the total CRM cost over the same period.

    Parameters
    ----------
    gain : float or ndarray, currency
        Total gain attributed to the CRM.
    cost : float or ndarray, currency, > 0
        Total cost of the CRM over the same period.

    Returns
    -------
    float or ndarray, fraction
        4.0 means each unit of currency spent came back plus four more (400%).

    Raises
    ------
    FinanceInputError
        A cost that is zero or negative, NaN or infinite input.

    Examples
    --------
    The articles' worked example: a gain of 100,000 for a cost of 20,000.

    >>> roi(100_000, 20_000)
    4.0
    """
    g = numbers(gain, "gain")
    c = _positive_cost(cost)
    return plain((g - c) / c)


def roi_percent(gain: ArrayLike, cost: ArrayLike) -> float | np.ndarray:
    """Simple ROI as a percentage: ``(gain - cost) / cost x 100``.

    Parameters
    ----------
    gain : float or ndarray, currency
        Total gain attributed to the CRM.
    cost : float or ndarray, currency, > 0
        Total cost of the CRM.

    Returns
    -------
    float or ndarray, percent

    Examples
    --------
    >>> roi_percent(100_000, 20_000)
    400.0
    """
    return plain(np.asarray(roi(gain, cost)) * 100.0)


def incremental_roi(
    benefit_after: ArrayLike, benefit_before: ArrayLike, cost: ArrayLike
) -> float | np.ndarray:
    """Incremental ROI: ``(benefit after - benefit before) / CRM cost``.

    The source articles' third definition. It is a benefit-cost ratio: it does not
    subtract the cost, so for the same money it is one more than :func:`roi`
    (an incremental ROI of 1.0 means the CRM only paid for itself).

    Parameters
    ----------
    benefit_after : float or ndarray, currency
        Benefit (for example profit) in the period after go-live.
    benefit_before : float or ndarray, currency
        Benefit in a comparable period before go-live.
    cost : float or ndarray, currency, > 0
        CRM cost over the after period.

    Returns
    -------
    float or ndarray, ratio

    Examples
    --------
    >>> incremental_roi(300_000, 200_000, 20_000)
    5.0
    """
    a = numbers(benefit_after, "benefit_after")
    b = numbers(benefit_before, "benefit_before")
    c = _positive_cost(cost)
    return plain((a - b) / c)


def nucleus_roi(
    benefits: ArrayLike, initial_cost: ArrayLike, years: ArrayLike
) -> float | np.ndarray:
    """Nucleus Research ROI: average annual benefit / initial cost.

    Nucleus Research reports ROI as the average annual benefit over the analysis
    period divided by the initial cost [2]_. It is not comparable one to one with the
    TEI ROI (which subtracts the cost and discounts); the kit shows both, named.

    Parameters
    ----------
    benefits : float or ndarray, currency
        Total benefit over the whole analysis period (for example 3 years).
    initial_cost : float or ndarray, currency, > 0
        The initial (up-front) cost of the project.
    years : float or ndarray, years, > 0
        Length of the analysis period.

    Returns
    -------
    float or ndarray, fraction per year

    Examples
    --------
    Benefits of 300,000 over 3 years on an initial cost of 50,000:
    100,000 a year / 50,000 = 2.0 (200% a year).

    >>> nucleus_roi(300_000, 50_000, 3)
    2.0
    """
    b = numbers(benefits, "benefits")
    c = _positive_cost(initial_cost, "initial_cost")
    y = _positive_cost(years, "years")
    return plain(b / y / c)


# ---------------------------------------------------------------------------
# discounting


def period_rate(annual_rate: ArrayLike, periods_per_year: int = 1) -> float | np.ndarray:
    """Convert an annual discount rate into a rate per period (effective).

    Parameters
    ----------
    annual_rate : float or ndarray, fraction per year, > -1
    periods_per_year : int
        1 for yearly, 4 for quarterly, 12 for monthly cash flows.

    Returns
    -------
    float or ndarray, fraction per period

    Examples
    --------
    >>> round(period_rate(0.10, 12), 6)
    0.007974
    """
    r = numbers(annual_rate, "discount rate")
    if (r <= -1).any():
        raise FinanceInputError("the discount rate must be greater than -100%")
    if int(periods_per_year) != periods_per_year or periods_per_year < 1:
        raise FinanceInputError(
            f"periods_per_year must be a whole number >= 1 (found {periods_per_year!r})"
        )
    return plain((1.0 + r) ** (1.0 / periods_per_year) - 1.0)


def discount_factors(rate: ArrayLike, n_flows: int) -> np.ndarray:
    """Discount factors ``1 / (1 + rate) ** t`` for ``t = 0 .. n_flows - 1``.

    Parameters
    ----------
    rate : float or ndarray, fraction per period, > -1
        With an array of shape ``(m,)`` the result has shape ``(m, n_flows)``.
    n_flows : int
        Number of flows, including the Initial one at t = 0.

    Returns
    -------
    ndarray
    """
    r = numbers(rate, "discount rate")
    if (r <= -1).any():
        raise FinanceInputError("the discount rate must be greater than -100%")
    t = np.arange(n_flows, dtype=float)
    return 1.0 / (1.0 + r[..., np.newaxis]) ** t


def npv(rate: ArrayLike, cash_flows: ArrayLike) -> float | np.ndarray:
    """Net present value, the first flow at t = 0 and not discounted.

    This is numpy-financial's and Forrester TEI's convention. Excel's ``NPV``
    function differs: it discounts its *first* value by one full period, so
    ``=NPV(r, A1:A4)`` equals ``npv(r, [0, A1, A2, A3, A4])`` here; in Excel an
    up-front investment must be added outside the function (``=A0 + NPV(r, A1:A4)``).

    Parameters
    ----------
    rate : float or ndarray, fraction per period, > -1
        Broadcasts against the leading axes of ``cash_flows``.
    cash_flows : array_like, currency
        Flows along the last axis; index 0 is time 0.

    Returns
    -------
    float or ndarray, currency

    Examples
    --------
    >>> round(npv(0.10, [-100, 60, 60]), 2)
    4.13
    """
    cf = _cash_flows(cash_flows, "cash_flows")
    r = numbers(rate, "discount rate")
    factors = discount_factors(r, cf.shape[-1])
    return plain(np.sum(cf * factors, axis=-1))


@dataclass(frozen=True)
class IrrResult:
    """An internal rate of return, or why there is none.

    Attributes
    ----------
    rate : float or None
        IRR per period, as a fraction; None when it does not exist.
    reason : str
        Why there is no IRR, or a caution (several sign changes); empty when clean.
    """

    rate: float | None
    reason: str = ""


def irr_result(cash_flows: ArrayLike) -> IrrResult:
    """Internal rate of return of one cash-flow series, with the reason when none.

    Parameters
    ----------
    cash_flows : array_like, 1-D, currency
        Net flows, index 0 at t = 0.

    Returns
    -------
    IrrResult

    Notes
    -----
    The root is found by numpy-financial's ``irr``. With no sign change in the
    flows there is no rate that makes NPV zero. With several sign changes there may
    be several IRRs; numpy-financial returns the one closest to zero and the result
    says so.
    """
    cf = _cash_flows(cash_flows, "cash_flows")
    if cf.ndim != 1:
        raise FinanceInputError("irr takes one cash-flow series (a 1-D sequence)")
    # IRR does not depend on the scale of the flows; normalising, and treating flows
    # below 1e-12 of the largest as zero, keeps the polynomial root finder away from
    # overflow on denormal or huge inputs.
    scale = np.max(np.abs(cf))
    if scale > 0:
        cf = cf / scale
        cf = np.where(np.abs(cf) < 1e-12, 0.0, cf)
    nonzero = cf[cf != 0]
    if nonzero.size == 0:
        return IrrResult(None, "all cash flows are zero")
    signs = np.sign(nonzero)
    changes = int(np.count_nonzero(np.diff(signs)))
    if changes == 0:
        kind = "positive" if signs[0] > 0 else "negative"
        return IrrResult(
            None, f"no sign change: every cash flow is {kind}, so no rate gives NPV = 0"
        )
    try:
        with np.errstate(all="ignore"):
            value = float(npf.irr(cf))
    except np.linalg.LinAlgError:
        value = float("nan")
    if not np.isfinite(value):
        return IrrResult(None, "no real rate above -100% gives NPV = 0")
    reason = ""
    if changes > 1:
        reason = (
            f"the flows change sign {changes} times, so several IRRs may exist; "
            "this is the one closest to zero; prefer NPV"
        )
    return IrrResult(value, reason)


def irr(cash_flows: ArrayLike) -> float | None:
    """Internal rate of return per period, or None when it does not exist.

    See :func:`irr_result` for the reason when it is None.

    Examples
    --------
    >>> round(irr([-100, 39, 59, 55, 20]), 5)
    0.28095
    >>> irr([100, 50]) is None
    True
    """
    return irr_result(cash_flows).rate


def _payback(cf: np.ndarray) -> np.ndarray:
    """Vectorised payback in periods from t = 0; NaN where never recovered.

    Payback is the first time, after the cumulative flow has gone negative (the
    investment), that it is back at or above zero; it is counted from t = 0 (TEI). A
    series whose cumulative flow is never negative pays back at once (0). A later dip
    below zero (a re-investment) does not undo it: payback is the *first* recovery.
    """
    cum = np.cumsum(cf, axis=-1)
    idx = np.arange(cf.shape[-1])
    negative = cum < 0
    invested = negative.any(axis=-1)
    first_neg = np.argmax(negative, axis=-1)[..., np.newaxis]
    covered = (cum >= 0) & (idx > first_neg)
    found = covered.any(axis=-1)
    first = np.argmax(covered, axis=-1)
    first_idx = first[..., np.newaxis]
    cum_at = np.take_along_axis(cum, first_idx, axis=-1)[..., 0]
    flow_at = np.take_along_axis(cf, first_idx, axis=-1)[..., 0]
    # Linear interpolation inside period `first`: the flow arrives evenly over it,
    # so the fraction of it still needed at its start is -cum[first-1] / cf[first].
    # Where the series was invested and then covered, cum[first - 1] < 0 <= cum[first],
    # so cf[first] > 0 and the division is safe; elsewhere the value is not used.
    usable = found & invested
    safe_flow = np.where(usable, flow_at, 1.0)
    frac = -(cum_at - flow_at) / safe_flow
    result = np.where(found, first - 1 + frac, np.nan)
    return np.where(invested, result, 0.0)


def payback_period(cash_flows: ArrayLike) -> float | None | np.ndarray:
    """Payback period in periods, interpolated linearly inside the period.

    The first time the cumulative net cash flow turns non-negative. Inside that
    period the flow is assumed to arrive evenly, so ``[-100, 60, 60]`` pays back
    after 1 + 40/60 = 1.67 periods.

    Parameters
    ----------
    cash_flows : array_like, currency
        Net flows along the last axis, index 0 at t = 0. A 2-D array gives one
        payback per row.

    Returns
    -------
    float or None, periods
        None if the cumulative flow never turns non-negative. For array input, an
        array with NaN for "never".

    Examples
    --------
    >>> round(payback_period([-100, 60, 60]), 4)
    1.6667
    >>> payback_period([-100, 10, 10]) is None
    True
    """
    cf = _cash_flows(cash_flows, "cash_flows")
    result = _payback(cf)
    if result.ndim == 0:
        return None if np.isnan(result) else float(result)
    return result


def discounted_payback_period(rate: ArrayLike, cash_flows: ArrayLike) -> float | None | np.ndarray:
    """Payback period of the discounted flows, in periods.

    Parameters
    ----------
    rate : float or ndarray, fraction per period
    cash_flows : array_like, currency
        Net flows along the last axis, index 0 at t = 0.

    Returns
    -------
    float or None, periods (array with NaN for "never" on array input)
    """
    cf = _cash_flows(cash_flows, "cash_flows")
    discounted = cf * discount_factors(rate, cf.shape[-1])
    return payback_period(discounted)


# ---------------------------------------------------------------------------
# the TEI-style evaluation


@dataclass(frozen=True)
class Evaluation:
    """The result of :func:`evaluate`: every headline figure and the cash-flow table.

    Attributes
    ----------
    pv_benefits, pv_costs : float, currency
        Present values of the risk-adjusted benefits and costs.
    npv : float, currency
        ``pv_benefits - pv_costs``.
    roi : float, fraction
        TEI ROI, ``npv / pv_costs``.
    bcr : float, ratio
        Benefit-cost ratio ``pv_benefits / pv_costs`` (= roi + 1).
    irr : float or None, fraction per year
        Annualised IRR of the net flows; None when none exists (see ``irr_reason``).
    irr_reason : str
    payback_months : float or None, months
        First time the cumulative (undiscounted, risk-adjusted) net flow covers the
        investment; None if not within the horizon.
    discounted_payback_months : float or None, months
    discount_rate : float, fraction per year
    periods_per_year : int
    risk_benefits : float, fraction
    risk_costs : float or ndarray, fraction (one per period when given so)
    benefits, costs, net : ndarray, currency
        Risk-adjusted flows per period, index 0 = Initial.
    table : DataFrame
        TEI layout: columns Initial, Year 1..N (or Month/Quarter/Period), Total,
        Present value; rows Benefits, Costs, Net cash flow, Cumulative net.
    """

    pv_benefits: float
    pv_costs: float
    npv: float
    roi: float
    bcr: float
    irr: float | None
    irr_reason: str
    payback_months: float | None
    discounted_payback_months: float | None
    discount_rate: float
    periods_per_year: int
    risk_benefits: float
    risk_costs: float | np.ndarray
    benefits: np.ndarray
    costs: np.ndarray
    net: np.ndarray
    table: pd.DataFrame

    def headline(self) -> dict[str, Any]:
        """The headline figures as plain Python values (for JSON and reports)."""
        return {
            "pv_benefits": self.pv_benefits,
            "pv_costs": self.pv_costs,
            "npv": self.npv,
            "roi": self.roi,
            "bcr": self.bcr,
            "irr": self.irr,
            "payback_months": self.payback_months,
            "discounted_payback_months": self.discounted_payback_months,
        }


_PERIOD_NAMES = {1: "Year", 4: "Quarter", 12: "Month"}


def _risk_costs(value: ArrayLike, n: int) -> float | np.ndarray:
    """One cost risk fraction, or one per period (e.g. none on costs already paid)."""
    arr = numbers(value, "risk_costs")
    if arr.ndim == 0:
        return _risk_fraction(float(arr), "risk_costs", 10.0)
    if arr.shape != (n,):
        raise FinanceInputError(
            f"risk_costs per period must have one value per period ({n}), found {arr.shape}"
        )
    if ((arr < 0) | (arr >= 10.0)).any():
        raise FinanceInputError("risk_costs must be fractions in [0, 10)")
    return arr


def _risk_fraction(value: float, name: str, upper: float) -> float:
    v = float(numbers(value, name))
    if not 0.0 <= v < upper:
        raise FinanceInputError(f"{name} must be a fraction in [0, {upper:g}) (found {v:g})")
    return v


def evaluate(
    benefits: ArrayLike,
    costs: ArrayLike,
    discount_rate: float = 0.10,
    periods_per_year: int = 1,
    risk_benefits: float = 0.0,
    risk_costs: float = 0.0,
) -> Evaluation:
    """Evaluate a CRM investment the way Forrester's TEI lays it out.

    Parameters
    ----------
    benefits : array_like, 1-D, currency
        Benefits per period, index 0 = the undiscounted "Initial" column, then one
        value a period (a negative value is a loss, e.g. a KPI that got worse).
    costs : array_like, 1-D, currency
        Costs per period, same layout, positive amounts.
    discount_rate : float, fraction per year
        Annual discount rate (TEI default 10%); converted to a period rate with
        :func:`period_rate`.
    periods_per_year : int
        1 for yearly flows, 12 for monthly flows.
    risk_benefits : float, fraction [0, 1)
        TEI risk adjustment: every benefit is multiplied by ``1 - risk_benefits``.
    risk_costs : float or array_like, fraction [0, 10)
        TEI risk adjustment: every cost is multiplied by ``1 + risk_costs``; an array
        gives one fraction per period (a review puts 0 on costs already paid).

    Returns
    -------
    Evaluation

    Raises
    ------
    FinanceInputError
        Mismatched lengths, NaN, negative costs, zero total cost, a bad rate.

    Examples
    --------
    >>> ev = evaluate([0, 60, 60], [100, 0, 0], discount_rate=0.10)
    >>> round(ev.npv, 2), round(ev.roi, 4), round(ev.payback_months, 1)
    (4.13, 0.0413, 20.0)
    """
    b = _cash_flows(benefits, "benefits")
    c = _cash_flows(costs, "costs")
    if b.ndim != 1 or c.ndim != 1:
        raise FinanceInputError("evaluate takes 1-D benefit and cost sequences")
    if b.shape != c.shape:
        raise FinanceInputError(
            f"benefits and costs must have the same length (found {b.size} and {c.size}); "
            "index 0 is the Initial column in both"
        )
    if (c < 0).any():
        raise FinanceInputError(
            "costs are positive amounts (a negative cost would flip its sign); "
            "put savings on the benefit side"
        )
    rb = _risk_fraction(risk_benefits, "risk_benefits", 1.0)
    rc = _risk_costs(risk_costs, c.size)
    rate = period_rate(discount_rate, periods_per_year)

    b_adj = b * (1.0 - rb)
    c_adj = c * (1.0 + rc)
    net = b_adj - c_adj
    pv_b = float(npv(rate, b_adj))
    pv_c = float(npv(rate, c_adj))
    if pv_c <= 0:
        raise FinanceInputError("the costs are all zero; ROI needs a cost to divide by")
    value = pv_b - pv_c

    irr_res = irr_result(net)
    irr_annual = None
    if irr_res.rate is not None:
        irr_annual = float((1.0 + irr_res.rate) ** periods_per_year - 1.0)
    months_per_period = 12.0 / periods_per_year
    pb = payback_period(net)
    dpb = discounted_payback_period(rate, net)

    table = _tei_table(b_adj, c_adj, rate, periods_per_year)
    return Evaluation(
        pv_benefits=pv_b,
        pv_costs=pv_c,
        npv=value,
        roi=value / pv_c,
        bcr=pv_b / pv_c,
        irr=irr_annual,
        irr_reason=irr_res.reason,
        payback_months=None if pb is None else pb * months_per_period,
        discounted_payback_months=None if dpb is None else dpb * months_per_period,
        discount_rate=float(discount_rate),
        periods_per_year=int(periods_per_year),
        risk_benefits=rb,
        risk_costs=rc,
        benefits=b_adj,
        costs=c_adj,
        net=net,
        table=table,
    )


def _tei_table(b: np.ndarray, c: np.ndarray, rate: float, periods_per_year: int) -> pd.DataFrame:
    name = _PERIOD_NAMES.get(periods_per_year, "Period")
    columns = ["Initial"] + [f"{name} {i}" for i in range(1, b.size)]
    net = b - c
    rows = {
        "Benefits": b,
        "Costs": c,
        "Net cash flow": net,
        "Cumulative net": np.cumsum(net),
    }
    table = pd.DataFrame.from_dict(rows, orient="index", columns=columns)
    table["Total"] = [b.sum(), c.sum(), net.sum(), np.nan]
    table["Present value"] = [npv(rate, b), npv(rate, c), npv(rate, net), np.nan]
    return table


# ---------------------------------------------------------------------------
# the one-minute calculator


@dataclass(frozen=True)
class QuickEstimate:
    """Every ROI definition for one gain and one cost (the quick calculator).

    Attributes
    ----------
    gain : float, currency
        Total gain over ``years``, arriving in equal parts at each year end.
    cost : float, currency
        Paid up front (the TEI Initial column).
    years : int
    discount_rate : float, fraction per year
    roi, roi_percent, incremental_roi, nucleus_roi : float
        The articles' three definitions (incremental with nothing before) and
        Nucleus Research's annual ROI.
    evaluation : Evaluation
        NPV, TEI ROI, IRR, payback and the cash-flow table.
    """

    gain: float
    cost: float
    years: int
    discount_rate: float
    roi: float
    roi_percent: float
    incremental_roi: float
    nucleus_roi: float
    evaluation: Evaluation


def quick_estimate(
    gain: float, cost: float, *, years: int = 3, discount_rate: float = 0.10
) -> QuickEstimate:
    """The one-minute calculator: one gain, one up-front cost, every definition.

    Parameters
    ----------
    gain : float, currency
        Total gain credited to the CRM over ``years`` (received evenly, at year ends).
    cost : float, currency, > 0
        Total cost, paid up front.
    years : int, years, >= 1
        Length of the period the gain is spread over.
    discount_rate : float, fraction per year

    Returns
    -------
    QuickEstimate

    Examples
    --------
    >>> q = quick_estimate(100_000, 20_000, years=3)
    >>> q.roi, q.roi_percent, q.incremental_roi
    (4.0, 400.0, 5.0)
    """
    if int(years) != years or years < 1:
        raise FinanceInputError(f"years must be a whole number >= 1 (found {years!r})")
    years = int(years)
    gain_f = float(numbers(gain, "gain"))
    cost_f = float(_positive_cost(cost))
    if gain_f < 0:
        raise FinanceInputError("the quick calculator takes a gain of zero or more")
    benefits = np.r_[0.0, np.full(years, gain_f / years)]
    costs = np.r_[cost_f, np.zeros(years)]
    return QuickEstimate(
        gain=gain_f,
        cost=cost_f,
        years=years,
        discount_rate=float(discount_rate),
        roi=float(roi(gain_f, cost_f)),
        roi_percent=float(roi_percent(gain_f, cost_f)),
        incremental_roi=float(incremental_roi(gain_f, 0.0, cost_f)),
        nucleus_roi=float(nucleus_roi(gain_f, cost_f, years)),
        evaluation=evaluate(benefits, costs, discount_rate=discount_rate),
    )


def quick_table(q: QuickEstimate, currency: str = "") -> pd.DataFrame:
    """The quick calculator's results as a table: measure, formula, value.

    Parameters
    ----------
    q : QuickEstimate
    currency : str
        Written before amounts.

    Returns
    -------
    DataFrame
        Columns ``Measure``, ``Formula``, ``Value`` (formatted text).
    """
    ev = q.evaluation
    rate = fmt.percent(q.discount_rate, decimals=0)
    irr_text = fmt.percent(ev.irr) if ev.irr is not None else f"none ({ev.irr_reason})"
    rows = [
        ("Simple ROI", "(gain - cost) / cost", f"{fmt.ratio(q.roi)} ({fmt.percent(q.roi)})"),
        ("ROI %", "(gain - cost) / cost x 100%", fmt.percent(q.roi)),
        ("Incremental ROI", "(benefit after - before) / cost", fmt.ratio(q.incremental_roi)),
        ("Nucleus annual ROI", "average annual gain / initial cost", fmt.percent(q.nucleus_roi)),
        (f"NPV at {rate}", "PV gains - PV costs", fmt.money(ev.npv, currency)),
        ("TEI ROI", "(PV gains - PV costs) / PV costs", fmt.percent(ev.roi)),
        ("IRR", "rate at which NPV = 0", irr_text),
        ("Payback", "cumulative net flow turns positive", fmt.months(ev.payback_months)),
    ]
    return pd.DataFrame(rows, columns=["Measure", "Formula", "Value"])
