"""Matplotlib figures: each function takes results and returns a ``Figure``.

Figures are built with the object-oriented API (no pyplot state), so notebooks,
widgets and reports can draw them side by side and close them deterministically.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from roi_kit.money import Evaluation

__all__ = [
    "cumulative_cash_flow",
    "tornado",
    "monte_carlo_histogram",
    "scenario_bars",
    "roi_to_date",
    "to_png",
]

_GREEN = "#2e7d32"
_RED = "#c62828"
_BLUE = "#1f4e79"


def _money_text(v: float, currency: str = "") -> str:
    """Axis money: sign before the currency, thousands as k beyond 10,000."""
    sign = "-" if v < 0 else ""
    prefix = f"{currency} " if currency else ""
    a = abs(v)
    body = f"{a / 1000:,.0f}k" if a >= 10_000 else f"{a:,.0f}"
    return f"{sign}{prefix}{body}"


def _money_axis(ax, currency: str, axis: str = "y") -> None:
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(FuncFormatter(lambda v, _: _money_text(v, currency)))
    target.set_major_locator(MaxNLocator(6))


def cumulative_cash_flow(ev: Evaluation, *, currency: str = "", title: str | None = None) -> Figure:
    """Cumulative net cash flow by period, with the payback point marked.

    Parameters
    ----------
    ev : Evaluation
        From :func:`roi_kit.money.finance.evaluate`.
    currency : str
        Label for the amount axis.
    title : str, optional

    Returns
    -------
    Figure
    """
    fig = Figure(figsize=(7.5, 3.8), layout="constrained")
    ax = fig.add_subplot()
    cum = np.cumsum(ev.net)
    periods = np.arange(cum.size)
    colors = [_GREEN if v >= 0 else _RED for v in ev.net]
    ax.bar(periods, ev.net, color=colors, alpha=0.35, label="Net cash flow")
    ax.plot(periods, cum, marker="o", color=_BLUE, label="Cumulative net cash flow")
    ax.axhline(0, color="black", linewidth=0.8)
    unit = {1: "year", 4: "quarter", 12: "month"}.get(ev.periods_per_year, "period")
    if ev.payback_months is not None:
        x = ev.payback_months * ev.periods_per_year / 12.0
        ax.axvline(x, color=_GREEN, linestyle="--", linewidth=1)
        ax.annotate(
            f"payback {ev.payback_months:.1f} months",
            xy=(x, 0),
            xytext=(6, 12),
            textcoords="offset points",
            color=_GREEN,
        )
    else:
        ax.text(
            0.02,
            0.95,
            "no payback within the horizon",
            transform=ax.transAxes,
            color=_RED,
            va="top",
        )
    labels = ["Initial"] + [f"{unit.title()} {i}" for i in range(1, cum.size)]
    step = max(1, cum.size // 12)
    ax.set_xticks(periods[::step], labels[::step])
    _money_axis(ax, currency)
    ax.set_ylabel(f"Cash flow ({currency})" if currency else "Cash flow")
    adjusted = ev.risk_benefits > 0 or ev.risk_costs > 0
    basis = "risk-adjusted, undiscounted" if adjusted else "undiscounted"
    ax.set_title(title or f"Cumulative net cash flow ({basis})")
    ax.legend(loc="lower right", frameon=False)
    ax.grid(axis="y", alpha=0.3)
    return fig


def to_png(fig: Figure, *, dpi: int = 110) -> bytes:
    """Render a figure to PNG bytes.

    Figures are built without pyplot, so IPython has no display hook for them;
    notebooks and widgets show the PNG instead, which also embeds in HTML reports.
    """
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def tornado(
    table: pd.DataFrame,
    *,
    currency: str = "",
    output: str = "NPV",
    labels: dict[str, str] | None = None,
) -> Figure:
    """Tornado chart: the output at each assumption's low and high value.

    Parameters
    ----------
    table : DataFrame
        From :func:`roi_kit.study.uncertainty.tornado` (sorted by swing, largest first).
    currency : str
    output : str
        Name of the output on the axis.
    labels : dict, optional
        Readable names of the assumptions.
    """
    labels = labels or {}
    rows = table.iloc[::-1]  # largest swing at the top
    fig = Figure(figsize=(7.5, 0.55 * len(rows) + 1.6), layout="constrained")
    ax = fig.add_subplot()
    base = float(table["base"].iloc[0]) if len(table) else 0.0
    y = np.arange(len(rows))
    lo = rows["output_at_low"].to_numpy(dtype=float)
    hi = rows["output_at_high"].to_numpy(dtype=float)
    ax.barh(y, lo - base, left=base, color=_RED, alpha=0.75, label="assumption at its low value")
    ax.barh(y, hi - base, left=base, color=_GREEN, alpha=0.75, label="assumption at its high value")
    ax.axvline(base, color="black", linewidth=1)
    ax.axvline(0, color="grey", linewidth=0.8, linestyle=":")
    labels = [
        f"{labels.get(name, name)}\n({_short(lv)} .. {_short(hv)})"
        for name, lv, hv in zip(
            rows["assumption"], rows["low_value"], rows["high_value"], strict=True
        )
    ]
    ax.set_yticks(y, labels, fontsize=8)
    _money_axis(ax, currency, axis="x")
    ax.set_xlabel(f"{output} ({currency})" if currency else output)
    ax.set_title(
        f"What {output} hinges on (others at their likely values; base "
        f"{_money_text(base, currency)})"
    )
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    ax.grid(axis="x", alpha=0.3)
    return fig


def _short(value: float) -> str:
    v = float(value)
    if abs(v) < 1 and v != 0:
        return f"{v:.2f}"
    return f"{v:,.1f}" if abs(v) < 100 else f"{v:,.0f}"


def monte_carlo_histogram(mc, *, currency: str = "") -> Figure:
    """Histograms of ROI and NPV over the Monte Carlo draws, P5/P50/P95 marked.

    Parameters
    ----------
    mc : roi_kit.study.uncertainty.MonteCarloResult
    currency : str
    """
    fig = Figure(figsize=(9, 3.6), layout="constrained")
    ax_roi, ax_npv = fig.subplots(1, 2)
    for ax, values, marks, fmt, label in (
        (
            ax_roi,
            np.asarray(mc.roi) * 100,
            (mc.roi_p5, mc.roi_p50, mc.roi_p95),
            "{:.0f}%",
            "TEI ROI (%)",
        ),
        (
            ax_npv,
            np.asarray(mc.npv),
            (mc.npv_p5, mc.npv_p50, mc.npv_p95),
            "{:,.0f}",
            f"NPV ({currency})" if currency else "NPV",
        ),
    ):
        scale = 100 if ax is ax_roi else 1
        ax.hist(values, bins=60, color=_BLUE, alpha=0.7)
        ax.axvline(0, color="black", linewidth=1)
        for q, name in zip(marks, ("P5", "P50", "P95"), strict=True):
            ax.axvline(q * scale, color=_RED if q < 0 else _GREEN, linestyle="--", linewidth=1)
            ax.annotate(
                f"{name} {fmt.format(q * scale)}",
                xy=(q * scale, 1),
                xycoords=("data", "axes fraction"),
                rotation=90,
                va="top",
                ha="right",
                fontsize=8,
            )
        ax.set_xlabel(label)
        ax.set_yticks([])
    _money_axis(ax_npv, "", axis="x")
    fig.suptitle(
        f"Monte Carlo, {mc.n:,} draws (seed {mc.seed}): P(ROI > 0) = {mc.prob_roi_positive:.0%}"
    )
    return fig


def scenario_bars(table: pd.DataFrame, *, currency: str = "") -> Figure:
    """NPV and TEI ROI of each scenario side by side.

    Parameters
    ----------
    table : DataFrame
        From :func:`roi_kit.study.model.evaluate_scenarios`.
    currency : str
    """
    fig = Figure(figsize=(8, 3.2), layout="constrained")
    ax_npv, ax_roi = fig.subplots(1, 2)
    names = list(table["scenario"])
    npv = table["npv"].to_numpy(dtype=float)
    roi = table["roi"].to_numpy(dtype=float) * 100
    colors = [_GREEN if v >= 0 else _RED for v in npv]
    ax_npv.bar(names, npv, color=colors)
    ax_roi.bar(names, roi, color=colors)
    for ax, vals, fmt in ((ax_npv, npv, "{:,.0f}"), (ax_roi, roi, "{:.0f}%")):
        ax.axhline(0, color="black", linewidth=0.8)
        for x, v in enumerate(vals):
            ax.annotate(
                fmt.format(v), xy=(x, v), ha="center", va="bottom" if v >= 0 else "top", fontsize=8
            )
    _money_axis(ax_npv, "")
    ax_npv.set_title(f"NPV ({currency})" if currency else "NPV")
    ax_roi.set_title("TEI ROI (%)")
    return fig


def roi_to_date(table: pd.DataFrame) -> Figure:
    """ROI to date at each quarter end since go-live.

    Parameters
    ----------
    table : DataFrame
        From :func:`roi_kit.study.model.roi_to_date`.
    """
    fig = Figure(figsize=(7, 3), layout="constrained")
    ax = fig.add_subplot()
    vals = table["roi_to_date"].to_numpy(dtype=float) * 100
    ax.plot(table["quarter"], vals, marker="o", color=_BLUE)
    ax.axhline(0, color="black", linewidth=0.8)
    for x, v in enumerate(vals):
        ax.annotate(
            f"{v:.0f}%",
            xy=(x, v),
            xytext=(0, 6),
            textcoords="offset points",
            ha="center",
            fontsize=8,
        )
    ax.set_ylabel("ROI to date (%)")
    ax.set_title("ROI to date since go-live (cumulative, risk-adjusted)")
    ax.grid(axis="y", alpha=0.3)
    return fig
