"""What the ROI hinges on: the tornado chart and the Monte Carlo histograms.

Both take the results of :mod:`roi_kit.study.uncertainty` and draw into ``ax`` when given.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from roi_kit import formatting as fmt
from roi_kit.study.caveats import tornado_moves
from roi_kit.views.roi import axes_pair, nothing_to_show
from roi_kit.views.style import PALETTE, money_axis, new_figure, plain

__all__ = ["tornado", "monte_carlo_histogram"]


def tornado(
    table: pd.DataFrame,
    *,
    currency: str = "",
    output: str = "NPV",
    labels: dict[str, str] | None = None,
    ax=None,
) -> Figure:
    """Tornado chart: the output at each assumption's low and high value.

    Parameters
    ----------
    table : DataFrame
        From :func:`roi_kit.study.uncertainty.tornado` (sorted by swing, largest first;
        ``base``, ``output_at_low`` and ``output_at_high`` in currency).
    currency : str
    output : str
        Name of the output on the axis.
    labels : dict, optional
        Readable names of the assumptions.
    ax : matplotlib.axes.Axes, optional
        Default: a new figure, 0.55 in per assumption tall.

    Returns
    -------
    Figure
        When no assumption has a range, or none moves the output (every swing 0), a
        figure that says so in words instead of an empty chart.
    """
    if not len(table):
        return nothing_to_show(
            f"No assumption has a range (low/high in case.yml), so nothing is tested: "
            f"{output} does not hinge on any assumption here.",
            ax=ax,
        )
    if not tornado_moves(table):
        return nothing_to_show(
            f"No assumption's range moves {output}: every swing is 0 (for example, the "
            "assumptions with a range feed only lines that are not counted).",
            ax=ax,
        )
    names = labels or {}
    rows = table.iloc[::-1]  # largest swing at the top
    fig, ax = new_figure(ax, figsize=(7.5, 0.55 * len(rows) + 1.6))
    base = float(table["base"].iloc[0]) if len(table) else 0.0
    y = np.arange(len(rows))
    lo = rows["output_at_low"].to_numpy(dtype=float)
    hi = rows["output_at_high"].to_numpy(dtype=float)
    bad, good = PALETTE["bad"], PALETTE["good"]
    ax.barh(y, lo - base, left=base, color=bad, alpha=0.75, label="assumption at its low value")
    ax.barh(y, hi - base, left=base, color=good, alpha=0.75, label="assumption at its high value")
    ax.axvline(base, color="black", linewidth=1)
    ax.axvline(0, color="grey", linewidth=0.8, linestyle=":")
    ticks = [
        plain(f"{names.get(name, name)}\n({fmt.number(lv)} .. {fmt.number(hv)})")
        for name, lv, hv in zip(
            rows["assumption"], rows["low_value"], rows["high_value"], strict=True
        )
    ]
    ax.set_yticks(y, ticks, fontsize=8)
    money_axis(ax, currency, axis="x")
    ax.set_xlabel(plain(f"{output} ({currency})" if currency else output))
    ax.set_title(
        plain(
            f"What {output} hinges on (others at their likely values; base "
            f"{fmt.axis_money(base, currency)})"
        )
    )
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    ax.grid(axis="x", alpha=0.3)
    return fig


def _histogram(ax, values: np.ndarray, marks, texts, label: str) -> None:
    """One histogram with P5/P50/P95 lines; ``texts`` are the marks' formatted values."""
    ax.hist(values, bins=60, color=PALETTE["treated"], alpha=0.7)
    ax.axvline(0, color="black", linewidth=1)
    for q, text, name in zip(marks, texts, ("P5", "P50", "P95"), strict=True):
        ax.axvline(q, color=PALETTE["bad"] if q < 0 else PALETTE["good"], linestyle="--", lw=1)
        ax.annotate(
            f"{name} {text}",
            xy=(q, 1),
            xycoords=("data", "axes fraction"),
            rotation=90,
            va="top",
            ha="right",
            fontsize=8,
        )
    ax.set_xlabel(plain(label))
    ax.set_yticks([])


def monte_carlo_histogram(mc, *, currency: str = "", ax=None) -> Figure:
    """Histograms of TEI ROI and NPV over the Monte Carlo draws, P5/P50/P95 marked.

    Parameters
    ----------
    mc : roi_kit.study.uncertainty.MonteCarloResult
        ROI as fractions (drawn in percent), NPV in currency.
    currency : str
    ax : (Axes, Axes), optional
        The ROI and NPV axes; default a new 9 x 3.6 in figure.

    Returns
    -------
    Figure
        When no input varies, a figure that says so instead of a one-value histogram.
    """
    if not getattr(mc, "has_spread", True):
        return nothing_to_show(
            f"Nothing is uncertain: no input varies across the {mc.n:,} draws, so every "
            f"draw gives ROI {fmt.percent(mc.roi_p50)}. This is not an interval; give the "
            "assumptions low/high ranges in case.yml to see how sure the answer is.",
            ax=ax[0] if isinstance(ax, tuple | list) else ax,
        )
    fig, (ax_roi, ax_npv) = axes_pair(ax, figsize=(9, 3.6))
    roi_marks = (mc.roi_p5, mc.roi_p50, mc.roi_p95)
    npv_marks = (mc.npv_p5, mc.npv_p50, mc.npv_p95)
    _histogram(
        ax_roi,
        np.asarray(mc.roi) * 100,
        [q * 100 for q in roi_marks],
        [fmt.percent(q, decimals=0) for q in roi_marks],
        "TEI ROI (%)",
    )
    _histogram(
        ax_npv,
        np.asarray(mc.npv),
        npv_marks,
        [fmt.money(q) for q in npv_marks],
        f"NPV ({currency})" if currency else "NPV",
    )
    money_axis(ax_npv, axis="x")
    fig.suptitle(
        f"Monte Carlo, {mc.n:,} draws (seed {mc.seed}): P(ROI > 0) = {mc.prob_roi_positive:.0%}"
    )
    return fig
