"""The worked examples' views (notebook 09): the B2B and healthcare tables and figures.

The calculations are :mod:`roi_kit.study.worked_examples`; these functions take its results
and arrange them as escaped HTML and figures. The sliders are
:mod:`roi_kit.widgets.worked_examples`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from roi_kit import formatting as fmt
from roi_kit.study.worked_examples import (
    HEALTHCARE_DEFINITIONS,
    B2BResult,
    HealthcareAssumptions,
    HealthcareResult,
    b2b_benefit_lines,
    b2b_table,
    healthcare_table,
    sensitivity_table,
)
from roi_kit.views.roi import axes_pair, cumulative_cash_flow
from roi_kit.views.style import PALETTE, money_axis, plain
from roi_kit.views.tables import table_html

__all__ = [
    "b2b_html",
    "b2b_cash_flow_figure",
    "healthcare_html",
    "sensitivity_figure",
]

#: Line colour and style per ROI definition: the revenue view dashed grey (not profit).
_STYLES = {
    "revenue_simple": (PALETTE["muted"], "--"),
    "simple": (PALETTE["treated"], "-"),
    "incremental": (PALETTE["good"], "-"),
    "tei": (PALETTE["bad"], "-"),
}


def b2b_html(res: B2BResult, currency: str = "") -> str:
    """The B2B case's benefits in money and its ROI by each definition, as escaped HTML."""
    return (
        "<h4>Benefits in money</h4>"
        + table_html(b2b_benefit_lines(res, currency))
        + "<h4>ROI by each definition</h4>"
        + table_html(b2b_table(res, currency))
    )


def b2b_cash_flow_figure(res: B2BResult, currency: str = "", *, ax=None) -> Figure:
    """The B2B case's cumulative net cash flow (:func:`roi_kit.views.roi.cumulative_cash_flow`)."""
    return cumulative_cash_flow(
        res.evaluation, currency=currency, title="B2B case: cumulative net cash flow", ax=ax
    )


def healthcare_html(res: HealthcareResult, currency: str = "") -> str:
    """The healthcare case: the extra revenue and profit, ROI by definition and by margin.

    Parameters
    ----------
    res : HealthcareResult
    currency : str

    Returns
    -------
    str
        Escaped HTML: a sentence, :func:`~roi_kit.study.worked_examples.healthcare_table` and
        :func:`~roi_kit.study.worked_examples.sensitivity_table`.
    """
    a = res.assumptions
    return (
        f"<p>Extra revenue: {fmt.money(a.baseline_revenue, currency)} x "
        f"{fmt.percent(res.revenue_growth)} = {fmt.money(res.revenue_gain, currency)}; "
        f"extra gross profit at {fmt.percent(a.gross_margin, decimals=0)}: "
        f"{fmt.money(res.profit_gain, currency)}.</p>"
        + table_html(healthcare_table(res, currency))
        + f"<h4>ROI by gross margin (CRM cost {fmt.money(a.crm_cost, currency)})</h4>"
        + table_html(sensitivity_table(a))
    )


def sensitivity_figure(
    by_margin: pd.DataFrame,
    by_cost: pd.DataFrame,
    a: HealthcareAssumptions | None = None,
    *,
    currency: str = "",
    ax=None,
) -> Figure:
    """Two panels: ROI vs gross margin, and ROI vs CRM cost, with the target's line.

    Parameters
    ----------
    by_margin, by_cost : DataFrame
        From :func:`roi_kit.study.worked_examples.healthcare_sensitivity` (ROI as
        fractions; index margin as a fraction, cost in currency).
    a : HealthcareAssumptions, optional
        The assumptions they were computed at (marked), and the target ROI.
    currency : str
    ax : (Axes, Axes), optional
        The margin and cost axes (sharing y); default a new 10 x 4.2 in figure.

    Returns
    -------
    Figure
    """
    a = a or HealthcareAssumptions()
    fig, (ax_m, ax_c) = axes_pair(ax, figsize=(10, 4.2), sharey=True)
    for code, (label, _) in HEALTHCARE_DEFINITIONS.items():
        color, ls = _STYLES[code]
        ax_m.plot(by_margin.index, by_margin[code], color=color, linestyle=ls, label=label)
        ax_c.plot(by_cost.index, by_cost[code], color=color, linestyle=ls, label=label)
    for ax_ in (ax_m, ax_c):
        ax_.axhline(a.target_roi, color="black", linewidth=1, linestyle=":")
        ax_.grid(alpha=0.3)
        ax_.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
    ax_m.axvline(a.gross_margin, color=PALETTE["text"], linewidth=0.8)
    ax_c.axvline(a.crm_cost, color=PALETTE["text"], linewidth=0.8)
    target = fmt.percent(a.target_roi, decimals=0)
    ax_m.text(0.06, a.target_roi, f" article: about {target}", va="bottom")
    ax_m.xaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
    money_axis(ax_c, currency, axis="x")
    ax_m.set_xlabel(plain(f"Gross margin (CRM cost {fmt.money(a.crm_cost, currency)})"))
    ax_c.set_xlabel(f"CRM cost (gross margin {fmt.percent(a.gross_margin, decimals=0)})")
    ax_m.set_ylabel("ROI (incremental: benefit / cost)")
    top = float(np.nanmax([by_margin.to_numpy().max(), by_cost.to_numpy().max()]))
    # Cap the axis at 4x the target: the revenue view's line would flatten the others.
    ax_m.set_ylim(min(-1.0, float(by_cost.to_numpy().min())), min(top, 4 * a.target_roi) * 1.05)
    ax_m.set_title("ROI vs gross margin")
    ax_c.set_title("ROI vs CRM cost")
    ax_c.legend(loc="upper right", frameon=False, fontsize=8)
    return fig
