"""The benefit lines added up (never two views of the same money) and tabulated.

:func:`total_benefits` sums the counted lines and refuses double counting: two counted views
of the revenue change, retention counted per year and over the lifetime, or a counted revenue
line beside a counted retention line (booked revenue already holds what retained customers
bought) unless the caller says the revenue change excludes them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from roi_kit.errors import FinanceInputError
from roi_kit.money.benefit_lines import BenefitLine, Number
from roi_kit.money.checks import broadcastable, plain

__all__ = [
    "total_benefits",
    "benefit_table",
]


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
    broadcastable(*values, names=[ln.name for ln in lines if ln.counted])
    return plain(sum(values[1:], values[0]))


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
