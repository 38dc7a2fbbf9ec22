"""Each benefit line of the kit's model as an Excel expression of named inputs.

The expressions are those of :mod:`roi_kit.study.lines` and the benefit functions of
:mod:`roi_kit.money` (the measured change is per month, the line per year; attribution
scales the measured lines; the TEI benefit risk is applied later, on the cash flows):

========================  =====================================================
line                      Excel expression
========================  =====================================================
revenue (margin view)     revenue_change*12*gross_margin*attribution_share
revenue (revenue view)    revenue_change*12*attribution_share (shown, never counted)
retention                 -churn_change*12*customer_annual_margin*attribution_share
shorter sales cycle       annual_revenue*gross_margin*(-cycle_days_change/365)
                          *cost_of_capital*attribution_share
operating cost            -opex_change*12*attribution_share
productivity              hours_saved_per_user_week*users*weeks_per_year
                          *loaded_hourly_rate*recapture_factor (Nucleus Research)
========================  =====================================================

:func:`line_term` fills one in with any references (the defined names for the base case,
a scenario's or a tornado row's cells otherwise), so the base, the scenarios and the
tornado evaluate one model.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from roi_kit.errors import RoiKitError
from roi_kit.money import benefits as bn

__all__ = ["LINE_TERMS", "PARAMS", "line_term", "counted_expression"]

#: Benefit-line kind -> its Excel expression, with ``{name}`` placeholders.
LINE_TERMS: Mapping[str, str] = {
    "revenue_margin": "{revenue_change}*12*{gross_margin}*{attribution_share}",
    "revenue_as_gain": "{revenue_change}*12*{attribution_share}",
    "retention_annual": "-{churn_change}*12*{customer_annual_margin}*{attribution_share}",
    "cycle_time": "{annual_revenue}*{gross_margin}*(-{cycle_days_change}/365)"
    "*{cost_of_capital}*{attribution_share}",
    "cost_saving": "-{opex_change}*12*{attribution_share}",
    "productivity": "{hours_saved_per_user_week}*{users}*{weeks_per_year}"
    "*{loaded_hourly_rate}*{recapture_factor}",
}

#: Every name an expression may use (each is a defined name of the workbook).
PARAMS = (
    "revenue_change",
    "churn_change",
    "cycle_days_change",
    "opex_change",
    "gross_margin",
    "attribution_share",
    "customer_annual_margin",
    "annual_revenue",
    "cost_of_capital",
    "hours_saved_per_user_week",
    "users",
    "weeks_per_year",
    "loaded_hourly_rate",
    "recapture_factor",
)


def line_term(kind: str, refs: Mapping[str, str]) -> str:
    """The Excel expression of one benefit line, in currency per year.

    Parameters
    ----------
    kind : str
        :attr:`~roi_kit.money.benefits.BenefitLine.kind`.
    refs : mapping of str to str
        Reference (or name) for each of :data:`PARAMS`; missing ones use the name itself.

    Returns
    -------
    str
        Without the leading ``=``.

    Examples
    --------
    >>> line_term("revenue_margin", {"gross_margin": "C5"})
    'revenue_change*12*C5*attribution_share'
    """
    if kind not in LINE_TERMS:
        raise RoiKitError(
            f"the workbook has no Excel formula for the benefit line kind {kind!r}. "
            "Fix: add it to roi_kit.workbook.terms.LINE_TERMS"
        )
    return LINE_TERMS[kind].format(**{p: refs.get(p, p) for p in PARAMS})


def counted_expression(lines: Iterable[bn.BenefitLine], refs: Mapping[str, str]) -> str:
    """The counted annual benefit as one expression (``0`` when nothing is counted).

    Parameters
    ----------
    lines : iterable of BenefitLine
        The kit's lines; only those with ``counted`` enter the sum.
    refs : mapping of str to str

    Returns
    -------
    str
        Without the leading ``=``.
    """
    terms = [f"({line_term(ln.kind, refs)})" for ln in lines if ln.counted]
    return "+".join(terms) if terms else "0"
