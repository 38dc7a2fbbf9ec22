"""KPI changes turned into money, one explained line at a time.

Every benefit is a :class:`BenefitLine`: its name, its formula in words and in symbols, the
inputs it was computed from (each tagged measured / assumed / benchmark / projected), its
annual value and, when given a monthly profile, its month-by-month values. The functions are
pure and vectorised: every numeric argument may be a scalar or a numpy array, so a slider
(one value) and a Monte Carlo run (100,000 draws) use the same code and get the same numbers.

Sign conventions, used everywhere in this module:

- an argument named ``delta_*`` is a change **after minus before**, as ``roi_kit.measure.compare``
  reports it; a fall in a cost is therefore negative, and the functions turn it into a
  positive saving themselves;
- an argument named ``*_saved`` or ``*_avoided`` is already "positive is good".

Which lines the total counts (never two views of the same money):

- revenue: the **margin view** ``ΔR × m`` is counted. The source articles' view, the whole
  revenue increase counted as gain, is built by :func:`revenue_as_gain` for comparison and is
  not counted. The deals × deal-size decomposition explains the same revenue change and is
  not counted either (counting it *instead* of the margin view is allowed);
- retention: the **annual margin view** (customers kept × yearly margin) is counted; the
  customer-lifetime-value view is shown beside it and not counted;
- revenue and retention together: booked revenue already includes what the retained
  customers bought, so :func:`total_benefits` refuses to add a counted retention line to a
  counted revenue line unless the caller states the revenue change excludes them.

References
----------
.. [1] Forrester Research, "The Total Economic Impact (TEI) methodology": benefits are
   risk-adjusted downwards line by line; productivity gains are multiplied by a
   "productivity recapture" share (commonly 50%).
.. [2] Nucleus Research, ROI methodology: productivity benefits carry a correction factor
   because "time saved is not time worked".
.. [3] S. Gupta and D. R. Lehmann, "Customers as assets", Journal of Interactive Marketing
   17(1), 9-24, 2003.
.. [4] V. D. Richards and E. J. Laughlin, "A cash conversion cycle approach to liquidity
   analysis", Financial Management 9(1), 32-38, 1980.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from roi_kit.errors import FinanceInputError

__all__ = [
    "SOURCES",
    "Input",
    "BenefitLine",
    "Projected",
    "RevenueDecomposition",
    "projected",
    "revenue_uplift",
    "revenue_as_gain",
    "decompose_revenue_change",
    "decomposition_benefits",
    "retention_benefit",
    "customer_lifetime_value",
    "retention_benefit_clv",
    "cycle_time_benefit",
    "productivity_benefit",
    "cost_saving",
    "acquisition_cost_saving",
    "realise",
    "realise_line",
    "monthly_profile",
    "with_monthly",
    "total_benefits",
    "benefit_table",
]

#: Where an input's value comes from.
SOURCES = ("measured", "assumed", "benchmark", "projected")

Number = float | np.ndarray

# Line kinds that describe the same revenue change; at most one *view* may be counted.
_REVENUE_VIEWS = {
    "revenue_margin": "revenue uplift (margin view)",
    "revenue_as_gain": "revenue uplift (revenue view)",
    "revenue_volume": "deals x deal size decomposition",
    "revenue_size": "deals x deal size decomposition",
    "revenue_interaction": "deals x deal size decomposition",
}
_RETENTION_VIEWS = {
    "retention_annual": "retention (annual margin view)",
    "retention_clv": "retention (lifetime value view)",
}


# --------------------------------------------------------------------------------------
# Data classes
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Input:
    """One input of a benefit line, with its unit and where it comes from.

    Parameters
    ----------
    name : str
        The argument name (``"gross_margin"``); stable, used as a key.
    value : float or ndarray
        The value used (an array for Monte Carlo draws).
    unit : str
        ``"fraction"`` (shown as a percent), ``"currency"``, ``"currency/year"``,
        ``"days"``, ``"hours/week"`` ... ``currency`` is replaced by the case currency
        when shown.
    source : str
        One of :data:`SOURCES`: ``"measured"``, ``"assumed"``, ``"benchmark"``,
        ``"projected"``.
    symbol : str, optional
        The symbol used in the line's formula (``"m"``); the name is shown when empty.
    """

    name: str
    value: Number
    unit: str
    source: str
    symbol: str = ""

    def __post_init__(self) -> None:
        if self.source not in SOURCES:
            raise FinanceInputError(
                f"input {self.name!r}: source must be one of {', '.join(SOURCES)}; "
                f"found {self.source!r}"
            )

    def text(self, currency: str | None = None) -> str:
        """The input as one line of text, e.g. ``"m = 32% (assumed)"``.

        Parameters
        ----------
        currency : str, optional
            ISO 4217 code replacing the word ``currency`` in the unit.

        Returns
        -------
        str
        """
        label = self.symbol or self.name
        return f"{label} = {_format_value(self.value, self.unit, currency)} ({self.source})"


@dataclass(frozen=True)
class BenefitLine:
    """A benefit in money, with everything needed to explain it.

    Parameters
    ----------
    name : str
        What the benefit is ("Revenue uplift (margin view)").
    formula_words : str
        The formula in words.
    formula_symbols : str
        The formula in symbols ("ΔR × m"); each symbol is an input's ``symbol``.
    inputs : tuple of Input
        The inputs, each with value, unit and source.
    annual_value : float or ndarray
        Steady-state benefit per year, in currency. An array when inputs are arrays.
    monthly : ndarray or None
        Month-by-month values over the horizon (shape ``(..., months)``), in currency,
        when built with :func:`with_monthly`; ``None`` otherwise.
    counted : bool
        Whether :func:`total_benefits` adds this line.
    note : str
        Caveats in words; starts with ``"projected"`` for a projection.
    kind : str
        What money the line measures (``"revenue_margin"``, ``"retention_annual"`` ...);
        :func:`total_benefits` uses it to refuse double counting. ``"custom"`` for a
        user-built line.
    """

    name: str
    formula_words: str
    formula_symbols: str
    inputs: tuple[Input, ...]
    annual_value: Number
    monthly: np.ndarray | None = None
    counted: bool = True
    note: str = ""
    kind: str = "custom"

    @property
    def is_projected(self) -> bool:
        """True when every input is a projection (no measured after-period data)."""
        return bool(self.inputs) and all(i.source == "projected" for i in self.inputs)


@dataclass(frozen=True)
class Projected:
    """A projected input: low / likely / high, tagged ``"projected"``.

    Built by :func:`projected`. Benefit functions accept it anywhere they accept a number;
    they use :attr:`value` (the ``likely`` value unless :meth:`at` chose another) and tag
    every input of the line ``"projected"``.
    """

    low: Number
    likely: Number
    high: Number
    use: Literal["low", "likely", "high"] = "likely"

    @property
    def value(self) -> Number:
        """The value the benefit functions use."""
        return getattr(self, self.use)

    def at(self, which: Literal["low", "likely", "high"]) -> Projected:
        """The same projection, using its ``which`` value.

        Parameters
        ----------
        which : {"low", "likely", "high"}

        Returns
        -------
        Projected
        """
        if which not in ("low", "likely", "high"):
            raise FinanceInputError(f"which must be 'low', 'likely' or 'high'; found {which!r}")
        return dataclasses.replace(self, use=which)


@dataclass(frozen=True)
class RevenueDecomposition:
    """A revenue change split into volume, deal-size and interaction effects.

    ``volume + size + interaction == total`` (exactly, up to float rounding).

    Attributes
    ----------
    volume : float or ndarray
        ``(D1 - D0) × S0``: more (or fewer) deals at the old deal size, currency/year.
    size : float or ndarray
        ``D0 × (S1 - S0)``: the old number of deals at the new size, currency/year.
    interaction : float or ndarray
        ``(D1 - D0) × (S1 - S0)``: the extra deals' extra size, currency/year.
    total : float or ndarray
        ``D1 × S1 - D0 × S0``, currency/year.
    deals_before, size_before, deals_after, size_after : float or ndarray
        The inputs (deals per year, currency per deal).
    is_projected : bool
        True when any input was a :class:`Projected` value.
    """

    volume: Number
    size: Number
    interaction: Number
    total: Number
    deals_before: Number
    size_before: Number
    deals_after: Number
    size_after: Number
    is_projected: bool = False


# --------------------------------------------------------------------------------------
# Validation and formatting helpers (private)
# --------------------------------------------------------------------------------------


def _unwrap(value: object) -> tuple[object, bool]:
    if isinstance(value, Projected):
        return value.value, True
    return value, False


def _arr(
    value: object,
    name: str,
    *,
    lo: float | None = None,
    hi: float | None = None,
    lo_open: bool = False,
    hi_open: bool = False,
) -> np.ndarray:
    """``value`` as a float array, refusing non-numbers, NaN, infinity and out-of-range."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise FinanceInputError(
            f"{name} must be a number or an array of numbers; found {value!r}"
        ) from exc
    if not np.all(np.isfinite(arr)):
        raise FinanceInputError(f"{name} must be finite numbers; found NaN or infinity")
    if lo is not None:
        bad = arr <= lo if lo_open else arr < lo
        if np.any(bad):
            op = ">" if lo_open else ">="
            raise FinanceInputError(f"{name} must be {op} {lo}; found {np.min(arr)!r}")
    if hi is not None:
        bad = arr >= hi if hi_open else arr > hi
        if np.any(bad):
            op = "<" if hi_open else "<="
            raise FinanceInputError(f"{name} must be {op} {hi}; found {np.max(arr)!r}")
    return arr


def _broadcast(*arrays: np.ndarray, names: Sequence[str]) -> None:
    try:
        np.broadcast_shapes(*(a.shape for a in arrays))
    except ValueError as exc:
        shapes = ", ".join(f"{n} {a.shape}" for n, a in zip(names, arrays))
        raise FinanceInputError(
            f"inputs have shapes that do not broadcast together: {shapes}; pass scalars or "
            "arrays of the same length"
        ) from exc


def _out(arr: np.ndarray) -> Number:
    """A 0-d result as a plain float, an n-d one as an array."""
    return float(arr) if np.ndim(arr) == 0 else arr


def _format_value(value: Number, unit: str, currency: str | None) -> str:
    arr = np.asarray(value, dtype=float)
    suffix = ""
    if arr.ndim > 0:
        # Monte Carlo draws: show their mean, say so.
        suffix = f" (mean of {arr.size})"
        v = float(np.mean(arr))
    else:
        v = float(arr)
    if unit == "fraction":
        text = f"{v * 100:.4g}%"
    else:
        if v == int(v) and abs(v) < 1e15:
            num = f"{v:,.0f}"
        elif abs(v) >= 1000:
            num = f"{v:,.2f}"
        else:
            num = f"{v:.4g}"
        shown_unit = unit.replace("currency", currency) if currency else unit
        text = f"{num} {shown_unit}".rstrip()
    return text + suffix


def _check_sources(sources: Mapping[str, str] | None, allowed: Iterable[str]) -> dict[str, str]:
    sources = dict(sources or {})
    allowed = set(allowed)
    unknown = set(sources) - allowed
    if unknown:
        raise FinanceInputError(
            f"sources names unknown inputs {sorted(unknown)}; the inputs are {sorted(allowed)}"
        )
    return sources


def _line(
    *,
    name: str,
    kind: str,
    formula_words: str,
    formula_symbols: str,
    inputs: Sequence[tuple[str, str, np.ndarray, str, str]],
    annual_value: np.ndarray,
    counted: bool,
    note: str,
    sources: Mapping[str, str] | None,
    projected_any: bool,
) -> BenefitLine:
    """Build a line; ``inputs`` rows are (name, symbol, value, unit, default source)."""
    chosen = _check_sources(sources, (row[0] for row in inputs))
    built = []
    for arg, symbol, value, unit, default in inputs:
        # A projection has no measured after-period data: every input is then projected.
        source = "projected" if projected_any else chosen.get(arg, default)
        built.append(Input(arg, _out(value), unit, source, symbol))
    if projected_any:
        note = "projected: no after-period data; " + note if note else "projected"
    return BenefitLine(
        name=name,
        formula_words=formula_words,
        formula_symbols=formula_symbols,
        inputs=tuple(built),
        annual_value=_out(annual_value),
        monthly=None,
        counted=counted,
        note=note,
        kind=kind,
    )


# --------------------------------------------------------------------------------------
# Projection
# --------------------------------------------------------------------------------------


def projected(low: Number, likely: Number, high: Number) -> Projected:
    """Tag a low / likely / high assumption as projected.

    Use for a projection case (before purchase), where the KPI changes are assumptions,
    not measurements. Any benefit built from a :class:`Projected` argument tags all of its
    inputs ``"projected"`` and its note says ``"projected"``.

    Parameters
    ----------
    low, likely, high : float or ndarray
        The three values, ``low <= likely <= high``, in the unit of the argument they
        will be passed as.

    Returns
    -------
    Projected

    Examples
    --------
    >>> line = revenue_uplift(projected(50_000, 100_000, 150_000), 0.3)
    >>> line.annual_value, line.inputs[0].source
    (30000.0, 'projected')
    """
    lo = _arr(low, "low")
    li = _arr(likely, "likely")
    hi = _arr(high, "high")
    _broadcast(lo, li, hi, names=("low", "likely", "high"))
    if np.any(lo > li) or np.any(li > hi):
        raise FinanceInputError(
            f"projected values must satisfy low <= likely <= high; found low={low!r}, "
            f"likely={likely!r}, high={high!r}"
        )
    return Projected(_out(lo), _out(li), _out(hi))


# --------------------------------------------------------------------------------------
# Revenue
# --------------------------------------------------------------------------------------


def revenue_uplift(
    delta_revenue_annual: Number | Projected,
    gross_margin: Number | Projected,
    *,
    counted: bool = True,
    sources: Mapping[str, str] | None = None,
) -> BenefitLine:
    """Revenue uplift turned into profit: ``ΔR × m`` (the margin view; counted).

    Revenue is not profit: an extra euro of sales brings only its margin, since the goods,
    services and commissions behind it cost money too.

    Parameters
    ----------
    delta_revenue_annual : float or ndarray or Projected, currency/year
        Revenue change per year, after minus before (default source "measured").
    gross_margin : float or ndarray or Projected, fraction [0-1]
        Gross (or operating) margin on the extra revenue (default source "assumed").
    counted : bool, default True
        Whether :func:`total_benefits` adds the line.
    sources : mapping, optional
        Override an input's source, e.g. ``{"gross_margin": "measured"}``.

    Returns
    -------
    BenefitLine
        ``annual_value`` in currency/year.

    Examples
    --------
    >>> revenue_uplift(100_000, 0.32).annual_value
    32000.0
    """
    (dr, p1), (m, p2) = _unwrap(delta_revenue_annual), _unwrap(gross_margin)
    dr = _arr(dr, "delta_revenue_annual")
    m = _arr(m, "gross_margin", lo=0.0, hi=1.0)
    _broadcast(dr, m, names=("delta_revenue_annual", "gross_margin"))
    return _line(
        name="Revenue uplift (margin view)",
        kind="revenue_margin",
        formula_words="annual revenue change times gross margin",
        formula_symbols="ΔR × m",
        inputs=[
            ("delta_revenue_annual", "ΔR", dr, "currency/year", "measured"),
            ("gross_margin", "m", m, "fraction", "assumed"),
        ],
        annual_value=dr * m,
        counted=counted,
        note="margin view: revenue becomes profit only through the margin",
        sources=sources,
        projected_any=p1 or p2,
    )


def revenue_as_gain(
    delta_revenue_annual: Number | Projected,
    *,
    counted: bool = False,
    sources: Mapping[str, str] | None = None,
) -> BenefitLine:
    """The whole revenue increase counted as gain: ``ΔR`` (the source articles' view).

    Shown beside :func:`revenue_uplift` so readers can compare with the articles' worked
    examples; not counted by default, since it counts revenue as if it were profit.

    Parameters
    ----------
    delta_revenue_annual : float or ndarray or Projected, currency/year
        Revenue change per year, after minus before (default source "measured").
    counted : bool, default False
        Whether :func:`total_benefits` adds the line (it refuses this together with any
        other counted revenue line).
    sources : mapping, optional
        Override an input's source.

    Returns
    -------
    BenefitLine

    Examples
    --------
    >>> revenue_as_gain(100_000).annual_value
    100000.0
    """
    dr, p = _unwrap(delta_revenue_annual)
    dr = _arr(dr, "delta_revenue_annual")
    return _line(
        name="Revenue uplift (revenue view)",
        kind="revenue_as_gain",
        formula_words="annual revenue change, all of it",
        formula_symbols="ΔR",
        inputs=[("delta_revenue_annual", "ΔR", dr, "currency/year", "measured")],
        annual_value=dr,
        counted=counted,
        note="revenue view: counts revenue as if it were profit; the articles' convention",
        sources=sources,
        projected_any=p,
    )


def decompose_revenue_change(
    deals_before: Number,
    size_before: Number,
    deals_after: Number,
    size_after: Number,
) -> RevenueDecomposition:
    """Split a revenue change into more deals, bigger deals, and both.

    With ``D`` deals per year and ``S`` average deal size, ``R = D × S`` and::

        D1 S1 - D0 S0 = (D1 - D0) S0  +  D0 (S1 - S0)  +  (D1 - D0)(S1 - S0)
                        volume          size            interaction

    (expand the right side: every cross term cancels).

    Parameters
    ----------
    deals_before, deals_after : float or ndarray or Projected, deals/year, >= 0
    size_before, size_after : float or ndarray or Projected, currency/deal, >= 0

    Returns
    -------
    RevenueDecomposition
        All effects in currency/year.

    Examples
    --------
    >>> d = decompose_revenue_change(100, 1_000, 120, 1_100)
    >>> d.volume, d.size, d.interaction, d.total
    (20000.0, 10000.0, 2000.0, 32000.0)
    """
    unwrapped = [_unwrap(x) for x in (deals_before, size_before, deals_after, size_after)]
    d0 = _arr(unwrapped[0][0], "deals_before", lo=0.0)
    s0 = _arr(unwrapped[1][0], "size_before", lo=0.0)
    d1 = _arr(unwrapped[2][0], "deals_after", lo=0.0)
    s1 = _arr(unwrapped[3][0], "size_after", lo=0.0)
    _broadcast(d0, s0, d1, s1, names=("deals_before", "size_before", "deals_after", "size_after"))
    dd, ds = d1 - d0, s1 - s0
    return RevenueDecomposition(
        volume=_out(dd * s0),
        size=_out(d0 * ds),
        interaction=_out(dd * ds),
        total=_out(d1 * s1 - d0 * s0),
        deals_before=_out(d0),
        size_before=_out(s0),
        deals_after=_out(d1),
        size_after=_out(s1),
        is_projected=any(p for _, p in unwrapped),
    )


def decomposition_benefits(
    decomposition: RevenueDecomposition,
    gross_margin: Number | Projected,
    *,
    counted: bool = False,
    sources: Mapping[str, str] | None = None,
) -> tuple[BenefitLine, BenefitLine, BenefitLine]:
    """The deals × deal-size decomposition as three margin-view benefit lines.

    The three lines add up to ``revenue_uplift(total, m)``: they explain the same money,
    so by default they are not counted; :func:`total_benefits` refuses them counted
    together with the revenue uplift.

    Parameters
    ----------
    decomposition : RevenueDecomposition
        From :func:`decompose_revenue_change`.
    gross_margin : float or ndarray or Projected, fraction [0-1]
    counted : bool, default False
    sources : mapping, optional
        Sources of ``deals_before``, ``size_before``, ``deals_after``, ``size_after``
        (default "measured") and ``gross_margin`` (default "assumed").

    Returns
    -------
    tuple of BenefitLine
        Volume, size and interaction lines, currency/year.
    """
    if not isinstance(decomposition, RevenueDecomposition):
        raise FinanceInputError(
            "decomposition must come from decompose_revenue_change(); "
            f"found {type(decomposition).__name__}"
        )
    m_raw, p = _unwrap(gross_margin)
    m = _arr(m_raw, "gross_margin", lo=0.0, hi=1.0)
    dec = decomposition
    base_inputs = [
        ("deals_before", "D₀", np.asarray(dec.deals_before), "deals/year", "measured"),
        ("size_before", "S₀", np.asarray(dec.size_before), "currency/deal", "measured"),
        ("deals_after", "D₁", np.asarray(dec.deals_after), "deals/year", "measured"),
        ("size_after", "S₁", np.asarray(dec.size_after), "currency/deal", "measured"),
        ("gross_margin", "m", m, "fraction", "assumed"),
    ]
    _broadcast(np.asarray(dec.total), m, names=("decomposition", "gross_margin"))
    specs = [
        (
            "Revenue from more deals",
            "revenue_volume",
            "extra deals at the old deal size, times margin",
            "(D₁ − D₀) × S₀ × m",
            dec.volume,
        ),
        (
            "Revenue from bigger deals",
            "revenue_size",
            "old number of deals at the extra deal size, times margin",
            "D₀ × (S₁ − S₀) × m",
            dec.size,
        ),
        (
            "Revenue from more and bigger deals",
            "revenue_interaction",
            "extra deals' extra size, times margin",
            "(D₁ − D₀) × (S₁ − S₀) × m",
            dec.interaction,
        ),
    ]
    return tuple(
        _line(
            name=name,
            kind=kind,
            formula_words=words,
            formula_symbols=symbols,
            inputs=base_inputs,
            annual_value=np.asarray(effect) * m,
            counted=counted,
            note="part of the deals x deal size decomposition of the revenue change; "
            "the three parts add up to the revenue uplift",
            sources=sources,
            projected_any=p or dec.is_projected,
        )
        for name, kind, words, symbols, effect in specs
    )  # type: ignore[return-value]


# --------------------------------------------------------------------------------------
# Retention
# --------------------------------------------------------------------------------------


def retention_benefit(
    churned_avoided_per_year: Number | Projected,
    annual_margin_per_customer: Number | Projected,
    *,
    counted: bool = True,
    sources: Mapping[str, str] | None = None,
) -> BenefitLine:
    """Customers kept, valued at one year of margin each (the annual view; counted).

    Parameters
    ----------
    churned_avoided_per_year : float or ndarray or Projected, customers/year
        Fewer customers lost per year than before (positive is good; default "measured").
    annual_margin_per_customer : float or ndarray or Projected, currency/customer/year, >= 0
        Margin (not revenue) a customer brings in a year (default "assumed").
    counted : bool, default True
    sources : mapping, optional

    Returns
    -------
    BenefitLine

    Notes
    -----
    This is the view the total counts: a yearly flow that fits a yearly cash-flow table.
    The lifetime-value view (:func:`retention_benefit_clv`) values the same customers as
    a stock of future margins; adding both would count the same customers twice.

    Examples
    --------
    >>> retention_benefit(20, 1_000).annual_value
    20000.0
    """
    (n, p1), (mc, p2) = _unwrap(churned_avoided_per_year), _unwrap(annual_margin_per_customer)
    n = _arr(n, "churned_avoided_per_year")
    mc = _arr(mc, "annual_margin_per_customer", lo=0.0)
    _broadcast(n, mc, names=("churned_avoided_per_year", "annual_margin_per_customer"))
    return _line(
        name="Retention (annual margin view)",
        kind="retention_annual",
        formula_words="customers kept per year times yearly margin per customer",
        formula_symbols="N × m_c",
        inputs=[
            ("churned_avoided_per_year", "N", n, "customers/year", "measured"),
            ("annual_margin_per_customer", "m_c", mc, "currency/customer/year", "assumed"),
        ],
        annual_value=n * mc,
        counted=counted,
        note="annual margin view: the one the total counts (not added to the lifetime-value view)",
        sources=sources,
        projected_any=p1 or p2,
    )


def customer_lifetime_value(
    margin: Number, retention_rate: Number, discount_rate: Number
) -> Number:
    """Customer lifetime value, ``m × r / (1 + d - r)`` (Gupta & Lehmann 2003).

    The present value of a customer's future margins when each year the customer stays
    with probability ``r`` and money is discounted at ``d``:
    ``sum_{t>=1} m r^t / (1 + d)^t = m r / (1 + d - r)``. The current year's margin is not
    included (it is in the year's accounts already).

    Parameters
    ----------
    margin : float or ndarray, currency/customer/year, >= 0
        Yearly margin per customer.
    retention_rate : float or ndarray, fraction [0-1)
        Share of customers who stay each year.
    discount_rate : float or ndarray, fraction per year, >= 0
        Discount rate (cost of capital).

    Returns
    -------
    float or ndarray
        Currency per customer.

    References
    ----------
    .. [1] S. Gupta and D. R. Lehmann, "Customers as assets", Journal of Interactive
       Marketing 17(1), 9-24, 2003.

    Examples
    --------
    >>> round(customer_lifetime_value(1_000, 0.8, 0.1), 2)
    2666.67
    """
    m = _arr(_unwrap(margin)[0], "margin", lo=0.0)
    r = _arr(_unwrap(retention_rate)[0], "retention_rate", lo=0.0, hi=1.0, hi_open=True)
    d = _arr(_unwrap(discount_rate)[0], "discount_rate", lo=0.0)
    _broadcast(m, r, d, names=("margin", "retention_rate", "discount_rate"))
    # r < 1 and d >= 0 make 1 + d - r > 0, so the division is always defined.
    return _out(m * r / (1.0 + d - r))


def retention_benefit_clv(
    churned_avoided_per_year: Number | Projected,
    annual_margin_per_customer: Number | Projected,
    retention_rate: Number | Projected,
    discount_rate: Number | Projected,
    *,
    counted: bool = False,
    sources: Mapping[str, str] | None = None,
) -> BenefitLine:
    """Customers kept each year, valued at their lifetime value (shown, not counted).

    ``N × m r / (1 + d - r)``: each year's cohort of kept customers is worth its future
    margins (:func:`customer_lifetime_value`). A stock value, not a yearly flow: putting it
    in every year of a cash-flow table overstates the benefit, so the total counts the
    annual view (:func:`retention_benefit`) and refuses both counted together.

    Parameters
    ----------
    churned_avoided_per_year : float or ndarray or Projected, customers/year
    annual_margin_per_customer : float or ndarray or Projected, currency/customer/year
    retention_rate : float or ndarray or Projected, fraction [0-1)
    discount_rate : float or ndarray or Projected, fraction per year, >= 0
    counted : bool, default False
    sources : mapping, optional

    Returns
    -------
    BenefitLine

    References
    ----------
    .. [1] S. Gupta and D. R. Lehmann, "Customers as assets", Journal of Interactive
       Marketing 17(1), 9-24, 2003.
    """
    n, p1 = _unwrap(churned_avoided_per_year)
    mc, p2 = _unwrap(annual_margin_per_customer)
    r, p3 = _unwrap(retention_rate)
    d, p4 = _unwrap(discount_rate)
    n = _arr(n, "churned_avoided_per_year")
    mc = _arr(mc, "annual_margin_per_customer", lo=0.0)
    r = _arr(r, "retention_rate", lo=0.0, hi=1.0, hi_open=True)
    d = _arr(d, "discount_rate", lo=0.0)
    _broadcast(
        n,
        mc,
        r,
        d,
        names=(
            "churned_avoided_per_year",
            "annual_margin_per_customer",
            "retention_rate",
            "discount_rate",
        ),
    )
    clv = np.asarray(customer_lifetime_value(mc, r, d))
    return _line(
        name="Retention (lifetime value view)",
        kind="retention_clv",
        formula_words="customers kept per year times customer lifetime value "
        "(Gupta & Lehmann 2003)",
        formula_symbols="N × m_c × r / (1 + d − r)",
        inputs=[
            ("churned_avoided_per_year", "N", n, "customers/year", "measured"),
            ("annual_margin_per_customer", "m_c", mc, "currency/customer/year", "assumed"),
            ("retention_rate", "r", r, "fraction", "measured"),
            ("discount_rate", "d", d, "fraction", "assumed"),
        ],
        annual_value=n * clv,
        counted=counted,
        note="lifetime value view: a stock of future margins, shown beside the annual view; "
        "never counted together with it",
        sources=sources,
        projected_any=p1 or p2 or p3 or p4,
    )


# --------------------------------------------------------------------------------------
# Sales cycle, productivity, costs
# --------------------------------------------------------------------------------------


def cycle_time_benefit(
    annual_revenue: Number | Projected,
    gross_margin: Number | Projected,
    cycle_days_saved: Number | Projected,
    cost_of_capital: Number | Projected,
    *,
    counted: bool = True,
    sources: Mapping[str, str] | None = None,
) -> BenefitLine:
    """A shorter sales cycle valued as profit received earlier: ``R × m × (Δd/365) × k``.

    When deals close ``Δd`` days sooner, each year's profit ``R × m`` arrives ``Δd/365`` of
    a year earlier. Its worth is the time value of that money at the cost of capital
    ``k``: ``R × m × (Δd/365) × k`` per year - equivalently, the yearly carrying value of
    the one-off working capital ``R × m × Δd/365`` the shorter cycle releases (the cash
    conversion cycle view of [1]_).

    Parameters
    ----------
    annual_revenue : float or ndarray or Projected, currency/year, >= 0
        Revenue per year flowing through the sales cycle (default "measured").
    gross_margin : float or ndarray or Projected, fraction [0-1]
        Margin on that revenue (default "assumed").
    cycle_days_saved : float or ndarray or Projected, days
        Days the cycle got shorter: before minus after (positive is good; default
        "measured"). A longer cycle gives a negative benefit.
    cost_of_capital : float or ndarray or Projected, fraction per year [0-1]
        Yearly cost of capital (default "assumed"; the case's discount rate is a fair
        choice).
    counted : bool, default True
    sources : mapping, optional

    Returns
    -------
    BenefitLine

    Notes
    -----
    Small on purpose, and conservative: it values only *timing*. A faster cycle may also
    free sellers to close more deals, but those extra deals already show in the deals and
    revenue change (:func:`revenue_uplift`); valuing the freed capacity too would count
    them twice.

    References
    ----------
    .. [1] V. D. Richards and E. J. Laughlin, "A cash conversion cycle approach to
       liquidity analysis", Financial Management 9(1), 32-38, 1980.

    Examples
    --------
    >>> cycle_time_benefit(3_650_000, 0.3, 10, 0.1).annual_value
    3000.0
    """
    r, p1 = _unwrap(annual_revenue)
    m, p2 = _unwrap(gross_margin)
    dd, p3 = _unwrap(cycle_days_saved)
    k, p4 = _unwrap(cost_of_capital)
    r = _arr(r, "annual_revenue", lo=0.0)
    m = _arr(m, "gross_margin", lo=0.0, hi=1.0)
    dd = _arr(dd, "cycle_days_saved", lo=-365.0, hi=365.0)
    k = _arr(k, "cost_of_capital", lo=0.0, hi=1.0)
    _broadcast(
        r, m, dd, k, names=("annual_revenue", "gross_margin", "cycle_days_saved", "cost_of_capital")
    )
    return _line(
        name="Shorter sales cycle (profit received earlier)",
        kind="cycle_time",
        formula_words="yearly profit, received days-saved/365 of a year earlier, valued at "
        "the cost of capital",
        formula_symbols="R × m × (Δd / 365) × k",
        inputs=[
            ("annual_revenue", "R", r, "currency/year", "measured"),
            ("gross_margin", "m", m, "fraction", "assumed"),
            ("cycle_days_saved", "Δd", dd, "days", "measured"),
            ("cost_of_capital", "k", k, "fraction", "assumed"),
        ],
        annual_value=r * m * (dd / 365.0) * k,
        counted=counted,
        note="timing only (conservative); capacity freed is not counted because the extra "
        "deals it brings are already in the revenue change",
        sources=sources,
        projected_any=p1 or p2 or p3 or p4,
    )


def productivity_benefit(
    hours_saved_per_user_week: Number | Projected,
    users: Number | Projected,
    loaded_hourly_rate: Number | Projected,
    recapture_factor: Number | Projected = 0.5,
    weeks_per_year: Number | Projected = 48,
    *,
    counted: bool = True,
    sources: Mapping[str, str] | None = None,
) -> BenefitLine:
    """Time saved, valued at the loaded hourly cost and corrected for recapture.

    ``h × U × W × c × ρ``: hours saved per user per week, times users, working weeks,
    loaded hourly cost and the share of saved time that turns into productive work.

    Parameters
    ----------
    hours_saved_per_user_week : float or ndarray or Projected, hours/user/week, >= 0
        (default "measured").
    users : float or ndarray or Projected, users, >= 0
        Active users (default "measured").
    loaded_hourly_rate : float or ndarray or Projected, currency/hour, >= 0
        Salary plus employer costs per hour (default "assumed").
    recapture_factor : float or ndarray or Projected, fraction [0-1], default 0.5
        Share of time saved that is spent on productive work (default source
        "benchmark"). "Time saved is not time worked" (Nucleus Research): a saved
        10 minutes often goes to a coffee, not a sale. Forrester TEI studies commonly use
        50%, the default here.
    weeks_per_year : float or ndarray or Projected, weeks/year, (0, 53], default 48
        Working weeks (52 less holidays and leave; default "assumed").
    counted : bool, default True
    sources : mapping, optional

    Returns
    -------
    BenefitLine

    References
    ----------
    .. [1] Nucleus Research, ROI methodology ("time saved is not time worked").
    .. [2] Forrester Research, Total Economic Impact methodology (productivity recapture).

    Examples
    --------
    >>> productivity_benefit(2, 10, 60, 0.5).annual_value
    28800.0
    """
    h, p1 = _unwrap(hours_saved_per_user_week)
    u, p2 = _unwrap(users)
    c, p3 = _unwrap(loaded_hourly_rate)
    rho, p4 = _unwrap(recapture_factor)
    w, p5 = _unwrap(weeks_per_year)
    h = _arr(h, "hours_saved_per_user_week", lo=0.0, hi=168.0)
    u = _arr(u, "users", lo=0.0)
    c = _arr(c, "loaded_hourly_rate", lo=0.0)
    rho = _arr(rho, "recapture_factor", lo=0.0, hi=1.0)
    w = _arr(w, "weeks_per_year", lo=0.0, lo_open=True, hi=53.0)
    _broadcast(
        h,
        u,
        c,
        rho,
        w,
        names=(
            "hours_saved_per_user_week",
            "users",
            "loaded_hourly_rate",
            "recapture_factor",
            "weeks_per_year",
        ),
    )
    return _line(
        name="Productivity (time saved)",
        kind="productivity",
        formula_words="hours saved per user per week times users, weeks, loaded hourly "
        "cost and recapture share",
        formula_symbols="h × U × W × c × ρ",
        inputs=[
            ("hours_saved_per_user_week", "h", h, "hours/user/week", "measured"),
            ("users", "U", u, "users", "measured"),
            ("weeks_per_year", "W", w, "weeks/year", "assumed"),
            ("loaded_hourly_rate", "c", c, "currency/hour", "assumed"),
            ("recapture_factor", "ρ", rho, "fraction", "benchmark"),
        ],
        annual_value=h * u * w * c * rho,
        counted=counted,
        note="time saved is not time worked: only the recaptured share is counted",
        sources=sources,
        projected_any=p1 or p2 or p3 or p4 or p5,
    )


def cost_saving(
    delta_cost_annual: Number | Projected,
    *,
    name: str = "Operating cost saving",
    counted: bool = True,
    sources: Mapping[str, str] | None = None,
) -> BenefitLine:
    """A fall in a cost as a benefit: ``−ΔC``.

    Parameters
    ----------
    delta_cost_annual : float or ndarray or Projected, currency/year
        Cost change per year, **after minus before** (default "measured"). A reduction is
        negative and becomes a positive benefit; a rise becomes a negative benefit.
    name : str, default "Operating cost saving"
    counted : bool, default True
    sources : mapping, optional

    Returns
    -------
    BenefitLine

    Examples
    --------
    >>> cost_saving(-50_000).annual_value  # cost fell by 50,000 a year
    50000.0
    """
    dc, p = _unwrap(delta_cost_annual)
    dc = _arr(dc, "delta_cost_annual")
    return _line(
        name=name,
        kind="cost_saving",
        formula_words="cost before minus cost after, per year",
        formula_symbols="−ΔC",
        inputs=[("delta_cost_annual", "ΔC", dc, "currency/year", "measured")],
        annual_value=-dc,
        counted=counted,
        note="ΔC is after minus before: a reduction is a positive benefit",
        sources=sources,
        projected_any=p,
    )


def acquisition_cost_saving(
    delta_cac: Number | Projected,
    new_customers_per_year: Number | Projected,
    *,
    counted: bool = True,
    sources: Mapping[str, str] | None = None,
) -> BenefitLine:
    """Cheaper customer acquisition: ``−ΔCAC × N_new``.

    Parameters
    ----------
    delta_cac : float or ndarray or Projected, currency/customer
        Change in the cost to acquire one customer, **after minus before** (default
        "measured"); cheaper is negative and becomes a positive benefit.
    new_customers_per_year : float or ndarray or Projected, customers/year, >= 0
        (default "measured").
    counted : bool, default True
    sources : mapping, optional

    Returns
    -------
    BenefitLine

    Notes
    -----
    If ``operating_cost`` already contains the acquisition spend, counting this line and
    :func:`cost_saving` on operating cost both would count the saving twice.

    Examples
    --------
    >>> acquisition_cost_saving(-100, 200).annual_value
    20000.0
    """
    (dcac, p1), (n, p2) = _unwrap(delta_cac), _unwrap(new_customers_per_year)
    dcac = _arr(dcac, "delta_cac")
    n = _arr(n, "new_customers_per_year", lo=0.0)
    _broadcast(dcac, n, names=("delta_cac", "new_customers_per_year"))
    return _line(
        name="Customer acquisition cost saving",
        kind="acquisition_cost",
        formula_words="fall in cost per new customer times new customers per year",
        formula_symbols="−ΔCAC × N_new",
        inputs=[
            ("delta_cac", "ΔCAC", dcac, "currency/customer", "measured"),
            ("new_customers_per_year", "N_new", n, "customers/year", "measured"),
        ],
        annual_value=-dcac * n,
        counted=counted,
        note="ΔCAC is after minus before: cheaper acquisition is a positive benefit",
        sources=sources,
        projected_any=p1 or p2,
    )


# --------------------------------------------------------------------------------------
# Realisation and monthly profile
# --------------------------------------------------------------------------------------


def realise(
    annual_value: Number,
    *,
    adoption: Number = 1.0,
    attribution: Number = 1.0,
    risk: Number = 0.0,
) -> Number:
    """The share of a benefit that is realised and due to the CRM.

    ``value × adoption × attribution × (1 − risk)``.

    Parameters
    ----------
    annual_value : float or ndarray, currency/year
    adoption : float or ndarray, fraction [0-1], default 1
        Share of the potential users actually using the CRM (active / licensed).
    attribution : float or ndarray, fraction [0-1], default 1
        Share of the change due to the CRM rather than other causes.
    risk : float or ndarray, fraction [0-1), default 0
        Forrester TEI risk adjustment: benefits are lowered by this share to reflect the
        chance they are overestimated. (Costs are raised by theirs in
        :func:`roi_kit.money.costs.cost_schedule`.)

    Returns
    -------
    float or ndarray

    References
    ----------
    .. [1] Forrester Research, Total Economic Impact methodology (risk adjustment).

    Examples
    --------
    >>> realise(100_000, adoption=0.8, attribution=0.5, risk=0.1)
    36000.0
    """
    v = _arr(annual_value, "annual_value")
    a = _arr(adoption, "adoption", lo=0.0, hi=1.0)
    at = _arr(attribution, "attribution", lo=0.0, hi=1.0)
    r = _arr(risk, "risk", lo=0.0, hi=1.0, hi_open=True)
    _broadcast(v, a, at, r, names=("annual_value", "adoption", "attribution", "risk"))
    return _out(v * a * at * (1.0 - r))


def realise_line(
    line: BenefitLine,
    *,
    adoption: Number | Projected = 1.0,
    attribution: Number | Projected = 1.0,
    risk: Number | Projected = 0.0,
    sources: Mapping[str, str] | None = None,
) -> BenefitLine:
    """A benefit line realised (:func:`realise`), with the factors added to its inputs.

    Parameters
    ----------
    line : BenefitLine
    adoption, attribution : float or ndarray or Projected, fraction [0-1]
        Default sources "measured" and "assumed".
    risk : float or ndarray or Projected, fraction [0-1)
        Default source "assumed".
    sources : mapping, optional

    Returns
    -------
    BenefitLine
        Same line with ``annual_value`` (and ``monthly``, if present) scaled; the formula
        gains ``× a × α × (1 − ρ_risk)``.
    """
    (a, p1), (at, p2), (r, p3) = _unwrap(adoption), _unwrap(attribution), _unwrap(risk)
    a = _arr(a, "adoption", lo=0.0, hi=1.0)
    at = _arr(at, "attribution", lo=0.0, hi=1.0)
    r = _arr(r, "risk", lo=0.0, hi=1.0, hi_open=True)
    factor = np.asarray(realise(1.0, adoption=a, attribution=at, risk=r))
    value = np.asarray(line.annual_value) * factor
    chosen = _check_sources(sources, ("adoption", "attribution", "risk"))
    proj = p1 or p2 or p3 or line.is_projected
    extra = [
        Input(
            "adoption",
            _out(a),
            "fraction",
            "projected" if proj else chosen.get("adoption", "measured"),
            "a",
        ),
        Input(
            "attribution",
            _out(at),
            "fraction",
            "projected" if proj else chosen.get("attribution", "assumed"),
            "α",
        ),
        Input(
            "risk",
            _out(r),
            "fraction",
            "projected" if proj else chosen.get("risk", "assumed"),
            "ρ_risk",
        ),
    ]
    inputs = line.inputs
    if proj:
        inputs = tuple(dataclasses.replace(i, source="projected") for i in inputs)
    monthly = None
    if line.monthly is not None:
        monthly = np.asarray(line.monthly) * factor[..., np.newaxis]
    note = line.note
    if proj and not note.startswith("projected"):
        note = "projected: no after-period data; " + note if note else "projected"
    return dataclasses.replace(
        line,
        formula_words=f"({line.formula_words}) times adoption, attribution and (1 - risk)",
        formula_symbols=f"({line.formula_symbols}) × a × α × (1 − ρ_risk)",
        inputs=inputs + tuple(extra),
        annual_value=_out(value),
        monthly=monthly,
        note=note,
    )


def monthly_profile(
    annual_value: Number,
    months: int,
    *,
    ramp_up_months: int = 3,
    adoption_curve: np.ndarray | None = None,
) -> np.ndarray:
    """Spread a steady-state annual benefit over months, with a ramp-up.

    Month ``i`` (1-based) gets ``annual / 12 × min(i / ramp_up_months, 1) × adoption[i]``:
    benefits grow linearly to full strength at month ``ramp_up_months``, as users learn the
    system, instead of arriving in full on go-live day.

    Parameters
    ----------
    annual_value : float or ndarray, currency/year
        Steady-state annual benefit; an array of shape ``S`` gives shape ``S + (months,)``.
    months : int, > 0
        Months from go-live (e.g. ``12 × horizon_years``).
    ramp_up_months : int, >= 0, default 3
        Months to reach full benefit; 0 means full from the first month. Set 0 when the
        adoption curve already describes the ramp-up.
    adoption_curve : ndarray, optional, fraction [0-1]
        Share of the benefit realised in each month, shape ``(months,)`` or anything
        broadcasting to ``(..., months)`` (e.g. active / licensed users by month). Do not
        also pass ``adoption`` to :func:`realise` for the same line.

    Returns
    -------
    ndarray
        Shape ``(..., months)``, currency per month.

    Examples
    --------
    >>> monthly_profile(12_000, 4, ramp_up_months=2)
    array([ 500., 1000., 1000., 1000.])
    """
    if isinstance(months, bool) or not isinstance(months, int | np.integer) or months <= 0:
        raise FinanceInputError(f"months must be a positive whole number; found {months!r}")
    if (
        isinstance(ramp_up_months, bool)
        or not isinstance(ramp_up_months, int | np.integer)
        or ramp_up_months < 0
    ):
        raise FinanceInputError(
            f"ramp_up_months must be a whole number >= 0; found {ramp_up_months!r}"
        )
    v = _arr(annual_value, "annual_value")
    i = np.arange(1, months + 1, dtype=float)
    ramp = np.ones(months) if ramp_up_months == 0 else np.minimum(i / ramp_up_months, 1.0)
    weights = ramp
    if adoption_curve is not None:
        curve = _arr(adoption_curve, "adoption_curve", lo=0.0, hi=1.0)
        if curve.ndim == 0 or curve.shape[-1] != months:
            raise FinanceInputError(
                f"adoption_curve must have {months} values in its last axis (one a month); "
                f"found shape {curve.shape}"
            )
        weights = ramp * curve
    _broadcast(v[..., np.newaxis], weights, names=("annual_value", "adoption_curve"))
    return v[..., np.newaxis] / 12.0 * weights


def with_monthly(
    line: BenefitLine,
    months: int,
    *,
    ramp_up_months: int = 3,
    adoption_curve: np.ndarray | None = None,
) -> BenefitLine:
    """The line with its month-by-month values filled in (:func:`monthly_profile`).

    Parameters
    ----------
    line : BenefitLine
    months : int
    ramp_up_months : int, default 3
    adoption_curve : ndarray, optional

    Returns
    -------
    BenefitLine
    """
    if adoption_curve is not None:
        for inp in line.inputs:
            if inp.name == "adoption" and np.any(np.asarray(inp.value) != 1.0):
                raise FinanceInputError(
                    f"line {line.name!r} is already scaled by adoption "
                    "(realise_line); passing an adoption curve too would count adoption "
                    "twice. Use one or the other."
                )
    monthly = monthly_profile(
        line.annual_value, months, ramp_up_months=ramp_up_months, adoption_curve=adoption_curve
    )
    return dataclasses.replace(line, monthly=monthly)


# --------------------------------------------------------------------------------------
# Totals and table
# --------------------------------------------------------------------------------------


def _check_double_counting(
    lines: Sequence[BenefitLine], allow_revenue_with_retention: bool
) -> None:
    counted = [ln for ln in lines if ln.counted]
    revenue_views = {_REVENUE_VIEWS[ln.kind] for ln in counted if ln.kind in _REVENUE_VIEWS}
    if len(revenue_views) > 1:
        raise FinanceInputError(
            "double counting: these lines measure the same revenue change and are all "
            f"counted: {', '.join(sorted(revenue_views))}. Count one (the margin view by "
            "default) and set counted=False on the others."
        )
    retention_views = {_RETENTION_VIEWS[ln.kind] for ln in counted if ln.kind in _RETENTION_VIEWS}
    if len(retention_views) > 1:
        raise FinanceInputError(
            "double counting: retention is counted in both the annual margin view and the "
            "lifetime value view; they value the same customers. Count one (the annual "
            "view by default) and set counted=False on the other."
        )
    if revenue_views and retention_views and not allow_revenue_with_retention:
        raise FinanceInputError(
            "double counting: a revenue line and a retention line are both counted, but "
            "booked revenue already includes what the retained customers bought. Count one, "
            "or pass allow_revenue_with_retention=True if the revenue change was measured "
            "without the retained customers (e.g. new-customer revenue only)."
        )


def total_benefits(
    lines: Iterable[BenefitLine], *, allow_revenue_with_retention: bool = False
) -> Number:
    """Sum of the counted lines' annual values, refusing double counting.

    Refused (:class:`~roi_kit.errors.FinanceInputError`): more than one counted view of
    the revenue change (margin view, revenue view, deals × size decomposition); retention
    counted in both the annual and the lifetime-value view; a counted revenue line plus a
    counted retention line, unless ``allow_revenue_with_retention``.

    Parameters
    ----------
    lines : iterable of BenefitLine
    allow_revenue_with_retention : bool, default False
        Set when the revenue change excludes the retained customers' revenue.

    Returns
    -------
    float or ndarray
        Currency/year; an array when any counted line holds draws.
    """
    lines = list(lines)
    for ln in lines:
        if not isinstance(ln, BenefitLine):
            raise FinanceInputError(f"lines must be BenefitLine objects; found {type(ln).__name__}")
    _check_double_counting(lines, allow_revenue_with_retention)
    values = [np.asarray(ln.annual_value, dtype=float) for ln in lines if ln.counted]
    if not values:
        return 0.0
    _broadcast(*values, names=[ln.name for ln in lines if ln.counted])
    return _out(sum(values[1:], values[0]))


def benefit_table(lines: Iterable[BenefitLine], currency: str) -> pd.DataFrame:
    """The benefit lines as a table for display and reports.

    Parameters
    ----------
    lines : iterable of BenefitLine
    currency : str
        ISO 4217 code, shown in the inputs' units.

    Returns
    -------
    pandas.DataFrame
        Columns ``name``, ``formula`` (symbols), ``formula_words``, ``inputs`` (text such as
        ``"ΔR = 100,000 EUR/year (measured); m = 32% (assumed)"``), ``source`` (the inputs'
        sources), ``annual_value`` (currency/year; the mean for Monte Carlo draws),
        ``currency``, ``counted``, ``note``.
    """
    rows = []
    for ln in lines:
        sources = list(dict.fromkeys(i.source for i in ln.inputs))
        rows.append(
            {
                "name": ln.name,
                "formula": ln.formula_symbols,
                "formula_words": ln.formula_words,
                "inputs": "; ".join(i.text(currency) for i in ln.inputs),
                "source": ", ".join(sources),
                "annual_value": float(np.mean(ln.annual_value)),
                "currency": currency,
                "counted": bool(ln.counted),
                "note": ln.note,
            }
        )
    columns = [
        "name",
        "formula",
        "formula_words",
        "inputs",
        "source",
        "annual_value",
        "currency",
        "counted",
        "note",
    ]
    return pd.DataFrame(rows, columns=columns)
