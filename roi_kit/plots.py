"""Matplotlib figures: each function takes results and returns a ``Figure``.

Figures are built with the object-oriented API (no pyplot state), so notebooks,
widgets and reports can draw them side by side and close them deterministically.
"""

from __future__ import annotations

import io

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from roi_kit.finance import Evaluation

__all__ = ["cumulative_cash_flow", "to_png"]

_GREEN = "#2e7d32"
_RED = "#c62828"
_BLUE = "#1f4e79"


def _money_axis(ax, currency: str) -> None:
    prefix = f"{currency} " if currency else ""
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{prefix}{v:,.0f}"))


def cumulative_cash_flow(ev: Evaluation, *, currency: str = "", title: str | None = None) -> Figure:
    """Cumulative net cash flow by period, with the payback point marked.

    Parameters
    ----------
    ev : Evaluation
        From :func:`roi_kit.finance.evaluate`.
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
    ax.set_title(title or "Cumulative net cash flow (risk-adjusted, undiscounted)")
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
