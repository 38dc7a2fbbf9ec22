"""Every ROI definition of one evaluation, computed and written out for reading.

:func:`roi_definitions` puts the articles' simple, percent and incremental ROI beside the
TEI ROI, NPV, benefit-cost ratio, IRR, payback, the Nucleus annual ROI and the
revenue-as-gain view, each with its formula; :func:`definitions_table` formats them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from roi_kit import formatting as fmt
from roi_kit.money import benefits as bn
from roi_kit.money import finance

if TYPE_CHECKING:  # annotations only: evaluation imports this module at run time
    from roi_kit.study.evaluation import CaseResult

__all__ = ["roi_definitions", "definitions_table"]


def roi_definitions(
    ev: finance.Evaluation,
    years: int,
    annual: float,
    revenue_view: bn.BenefitLine | None,
) -> pd.DataFrame:
    """Every ROI definition for the same case, named, with its formula and value.

    Parameters
    ----------
    ev : finance.Evaluation
        The risk-adjusted evaluation (flows in currency per year, [Initial, Year 1..N]).
    years : int
        The horizon, years (for the Nucleus annual ROI).
    annual : float, currency/year
        Counted benefits per year before risk adjustment (the basis of ``ev.benefits``).
    revenue_view : BenefitLine or None
        The articles' revenue-as-gain line, when the case has revenue.

    Returns
    -------
    DataFrame
        Columns ``definition``, ``formula``, ``value`` and ``unit`` (``"ratio"``,
        ``"percent"`` (already x 100), ``"fraction"``, ``"money"`` (currency) or
        ``"months"``).
    """
    total_b = float(ev.benefits.sum())
    total_c = float(ev.costs.sum())
    initial = float(ev.costs[0])
    rows = [
        (
            "Simple ROI (articles)",
            "(total benefit - total cost) / total cost",
            finance.roi(total_b, total_c),
            "ratio",
        ),
        ("ROI % (articles)", "simple ROI x 100%", finance.roi_percent(total_b, total_c), "percent"),
        (
            "Incremental ROI (articles)",
            "(benefit after - benefit before) / CRM cost",
            finance.incremental_roi(total_b, 0.0, total_c),
            "ratio",
        ),
        (
            "TEI ROI (Forrester)",
            "(PV benefits - PV costs) / PV costs, risk-adjusted",
            ev.roi,
            "fraction",
        ),
        ("NPV", "PV benefits - PV costs", ev.npv, "money"),
        ("Benefit-cost ratio", "PV benefits / PV costs", ev.bcr, "ratio"),
        ("IRR", "rate at which NPV = 0", ev.irr, "fraction"),
        (
            "Payback",
            "months until cumulative net flow covers the investment",
            ev.payback_months,
            "months",
        ),
    ]
    if initial > 0:
        rows.append(
            (
                "Nucleus annual ROI",
                "average annual benefit / initial cost",
                finance.nucleus_roi(total_b, initial, years),
                "fraction",
            )
        )
    if revenue_view is not None:
        # On the same basis as the counted benefits: year-1 ramp and risk adjustment.
        shape = ev.benefits.sum() / annual if annual else (len(ev.benefits) - 1)
        revenue_total = float(np.mean(revenue_view.annual_value)) * shape
        rows.append(
            (
                "Simple ROI, revenue counted as gain",
                "(revenue increase - cost) / cost; "
                "the articles' view, overstates: revenue is not profit",
                finance.roi(revenue_total, total_c),
                "ratio",
            )
        )
    return pd.DataFrame(rows, columns=["definition", "formula", "value", "unit"])


def definitions_table(result: CaseResult, currency: str = "") -> pd.DataFrame:
    """Every ROI definition as display text: definition, formula, value.

    Parameters
    ----------
    result : CaseResult
        Its ``definitions`` are :func:`roi_definitions`.
    currency : str
        Written before amounts ("" for none).

    Returns
    -------
    DataFrame
        Columns ``Definition``, ``Formula``, ``Value`` (text).
    """

    def show(value: float | None, unit: str) -> str:
        if unit == "money":
            return fmt.money(value, currency)
        if unit == "months":
            return fmt.months(value)
        if unit == "ratio":
            return fmt.ratio(value)
        if unit == "percent":
            # Already x 100 (the articles' "ROI %"): fmt.percent takes a fraction, and
            # dividing by 100 first could move a rounding edge.
            return "n/a" if value is None else f"{value:,.1f}%"
        if value is None:
            return "none"
        return fmt.percent(value)

    d = result.definitions
    return pd.DataFrame(
        {
            "Definition": d["definition"],
            "Formula": d["formula"],
            "Value": [show(v, u) for v, u in zip(d["value"], d["unit"], strict=True)],
        }
    )
