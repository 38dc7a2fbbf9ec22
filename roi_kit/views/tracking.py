"""Notebook 04's views: tracking charts, the method table, readings and goal progress.

A tracking chart draws the lines :func:`roi_kit.measure.progress.tracking_lines` computed
(the fitted counterfactual with its band, the control group plus the baseline gap, the
baseline mean); the tables render :func:`roi_kit.measure.compare_all`'s frame and
:func:`roi_kit.measure.progress.goal_progress`. Nothing here fits a model.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from roi_kit import formatting as fmt
from roi_kit.case import get_kpi
from roi_kit.case import goals as case_goals
from roi_kit.measure import progress
from roi_kit.views.baseline import go_live_line, month_positions, value_axis
from roi_kit.views.style import PALETTE, new_figure, plain
from roi_kit.views.tables import table_html

if TYPE_CHECKING:
    from roi_kit.case import Case

__all__ = [
    "METHOD_NAMES",
    "kpi_range",
    "clipped_band",
    "tracking_figure",
    "method_table",
    "readings_html",
    "kpi_parts",
    "progress_parts",
]

#: Display names of the comparison methods of :func:`roi_kit.measure.compare.compare_all`.
METHOD_NAMES: Mapping[str, str] = {
    "naive": "Naive before/after",
    "counterfactual": "Counterfactual (trend + season)",
    "placebo-counterfactual": "Placebo check of the counterfactual",
    "state-space": "State-space counterfactual",
    "did": "Difference-in-differences",
    "did-trend": "Difference-in-differences with group trends",
    "panel-did": "Panel difference-in-differences",
    "staggered-did": "Staggered DiD (two-stage, by unit)",
    "placebo-did": "Placebo check of DiD",
}

# The range a KPI's values can take, by its kind in the data contract (data/README.md):
# amounts and counts are never negative, fractions lie in 0-100%.
_RANGES: Mapping[str, tuple[float, float]] = {
    "money": (0.0, np.inf),
    "count": (0.0, np.inf),
    "nonneg": (0.0, np.inf),
    "fraction": (0.0, 1.0),
}


def kpi_range(kpi) -> tuple[float, float]:
    """(lowest, highest) value a KPI can take: from its kind; unbounded for ``number``."""
    return _RANGES.get(getattr(kpi, "kind", "number"), (-np.inf, np.inf))


def clipped_band(kpi, low: np.ndarray, high: np.ndarray) -> tuple[np.ndarray, np.ndarray, str]:
    """A prediction band cut to the KPI's range, and what was cut in words ("" when none).

    A normal band around a small revenue runs below zero, and one around a win rate past
    100%: values the KPI cannot take. The drawn band is clipped there and the legend says
    so (the interval of the estimate itself is not changed).

    Examples
    --------
    >>> from roi_kit.case import get_kpi
    >>> lo, hi, note = clipped_band(get_kpi("win_rate"), np.array([-0.1, 0.2]),
    ...                             np.array([0.5, 1.2]))
    >>> lo.tolist(), hi.tolist(), note
    ([0.0, 0.2], [0.5, 1.0], 'clipped to 0-100%')
    """
    floor, ceiling = kpi_range(kpi)
    low = np.asarray(low, dtype=float)
    high = np.asarray(high, dtype=float)
    cut_low = bool(np.any(low < floor))
    cut_high = bool(np.any(high > ceiling))
    if not (cut_low or cut_high):
        return low, high, ""
    note = "clipped to 0-100%" if ceiling == 1.0 else "clipped at 0 (the KPI cannot be negative)"
    return np.clip(low, floor, ceiling), np.clip(high, floor, ceiling), note


def _draw_counterfactual(ax, fit, kpi) -> None:
    xs = month_positions(fit.projected.index)
    low, high, cut = clipped_band(kpi, fit.band_low.to_numpy(), fit.band_high.to_numpy())
    ax.fill_between(
        xs,
        low,
        high,
        color=PALETTE["projected"],
        alpha=0.18,
        lw=0,
        label="95% prediction band (no CRM)" + (f", {cut}" if cut else ""),
    )
    trend_only = "trend-only" in str(getattr(fit, "note", ""))
    model = "trend only (too few months for season)" if trend_only else "trend + season"
    ax.plot(
        xs,
        np.clip(fit.projected.to_numpy(), *kpi_range(kpi)),
        color=PALETTE["projected"],
        ls="--",
        lw=1.6,
        label=f"counterfactual: {model}, no CRM",
    )


def _draw_did(ax, lines: progress.TrackingLines, control: str, name: str) -> None:
    ax.plot(
        month_positions(lines.control.index),
        lines.control.to_numpy(),
        color=PALETTE["control"],
        ls="-.",
        lw=1.2,
        label=plain(f"{control} (control, no CRM)"),
    )
    if lines.did_line is not None:
        ax.plot(
            month_positions(lines.did_line.index),
            lines.did_line.to_numpy(),
            color=PALETTE["did"],
            ls="--",
            lw=1.4,
            label=plain(f"{control} + baseline gap (DiD: {name} without CRM)"),
        )


def tracking_figure(case: Case, lines: progress.TrackingLines, *, ax=None) -> Figure:
    """One KPI before and after go-live, with what each method compares it against.

    - treated group's actual values (solid);
    - naive (``lines.baseline_mean``): the baseline mean carried into the after period
      (what a before/after compares with);
    - counterfactual (``lines.fit``): the trend-and-season projection over the after months
      and its 95% prediction band (where a month would fall with no CRM);
    - DiD (``lines.control``): the control group, and the control plus the mean baseline gap
      (the treated group without the CRM, as DiD assumes).

    Parameters
    ----------
    case : roi_kit.case.Case
        A review case (group names, go-live, currency).
    lines : TrackingLines
        From :func:`roi_kit.measure.progress.tracking_lines`, which fits the counterfactual.
    ax : matplotlib Axes, optional
        Draw into it; default a new figure.

    Returns
    -------
    Figure
        The legend sits below the plot, clear of the data.
    """
    fig, ax = new_figure(ax, figsize=(8.5, 4.4))
    kpi = lines.kpi
    treated = lines.treated
    name = case.groups.treated if case.groups else "CRM group"
    a0, a1 = lines.after
    ax.plot(
        month_positions(treated.index),
        treated.to_numpy(),
        color=PALETTE["treated"],
        lw=1.8,
        label=plain(f"{name}, actual"),
    )
    if lines.baseline_mean is not None:
        ax.hlines(
            lines.baseline_mean,
            a0.to_timestamp(),
            (a1 + 1).to_timestamp(),
            color=PALETTE["bad"],
            ls=":",
            lw=1.6,
            label="baseline mean (naive comparison)",
        )
    if lines.fit is not None:
        _draw_counterfactual(ax, lines.fit, kpi)
    if lines.control is not None and case.groups is not None:
        _draw_did(ax, lines, case.groups.control, name)
    go_live_line(ax, case)
    value_axis(ax, kpi, case.currency)
    ax.set_xlabel("month")
    ax.set_title(plain(f"{kpi.label}: before and after go-live ({kpi.direction} is better)"))
    ax.grid(axis="y", alpha=0.3)
    fig.legend(loc="outside lower center", ncols=2, fontsize=8, frameon=False)
    return fig


def _method_row(r, case: Case) -> dict[str, str]:
    kpi = get_kpi(r.kpi, case.custom_kpis)
    measured = np.isfinite(r.change)

    def change(value: float) -> str:
        return case_goals.format_change(value, kpi, case.currency)

    method = METHOD_NAMES.get(r.method, r.method)
    if r.method == "counterfactual" and "trend-only" in str(r.note):
        method = "Counterfactual (trend only: too few months for season)"
    reading = r.reading
    if not bool(getattr(r, "valid", True)) and measured:
        # Said beside the estimate: an invalid method is shown but never counted as money.
        reading = f"{reading} Not valid here, never counted: {getattr(r, 'validity', '')}"
    return {
        "KPI": kpi.label,
        "method": method,
        "change": change(r.change),
        "relative": fmt.percent(r.pct_change, signed=True),
        "95% interval": f"{change(r.low)} to {change(r.high)}" if measured else "n/a",
        "excludes zero": (
            ("yes" if r.excludes_zero else "no: includes zero") if measured else "n/a"
        ),
        "reading": reading,
    }


def method_table(
    frame: pd.DataFrame,
    case: Case,
    *,
    kpis: Sequence[str] | None = None,
    methods: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The comparison table of :func:`roi_kit.measure.compare.compare_all` for people.

    Parameters
    ----------
    frame : pandas.DataFrame
        From ``compare_all(case)``.
    case : roi_kit.case.Case
    kpis, methods : sequence of str, optional
        Keep only these KPIs / method names (a method keeps its placebo rows too).

    Returns
    -------
    pandas.DataFrame
        Columns ``KPI, method, change, relative, 95% interval, excludes zero, reading``.
    """
    rows = frame
    if kpis is not None:
        rows = rows[rows["kpi"].isin(list(kpis))]
    if methods is not None:
        keep = set(methods) | {f"placebo-{m}" for m in methods}
        rows = rows[rows["method"].isin(keep)]
    out = [_method_row(r, case) for r in rows.itertuples(index=False)]
    columns = ["KPI", "method", "change", "relative", "95% interval", "excludes zero", "reading"]
    return pd.DataFrame(out, columns=columns)


def readings_html(frame: pd.DataFrame, kpi: str, methods: Sequence[str]) -> str:
    """The readings of one KPI's rows by these methods, as an escaped bulleted list."""
    rows = frame[(frame["kpi"] == kpi) & (frame["method"].isin(list(methods)))]
    readings = "".join(f"<li>{html.escape(_reading(r))}</li>" for _, r in rows.iterrows())
    return f"<ul>{readings}</ul>"


def _reading(r: pd.Series) -> str:
    """A row's reading; an invalid method says so beside its estimate (never money)."""
    text = str(r["reading"]).rstrip()
    why = str(r.get("validity", "") or "").removeprefix("not valid: ")
    if bool(r.get("valid", True)) or not np.isfinite(float(r["change"])) or why in text:
        return text  # valid, not computed (its reading says why), or already said
    end = "" if text.endswith(".") else "."
    return f"{text}{end} Not valid here, never counted as money: {why}"


def kpi_parts(
    case: Case,
    frame: pd.DataFrame,
    lines: Mapping[str, progress.TrackingLines],
    methods: Sequence[str],
) -> list[str | Figure]:
    """Per KPI: a heading, its description, its tracking chart and the readings of ``methods``.

    The description is the catalogue's sentence or ``custom_kpis[].description`` from
    case.yml (user text, escaped); a KPI without one gets none.

    Parameters
    ----------
    case : roi_kit.case.Case
    frame : pandas.DataFrame
        From ``compare_all(case)``.
    lines : mapping of str to TrackingLines
        KPI -> :func:`roi_kit.measure.progress.tracking_lines` (in display order).
    methods : sequence of str
        The methods whose readings are listed.
    """
    parts: list[str | Figure] = []
    for name, one in lines.items():
        parts.append(f"<h4>{html.escape(one.kpi.label)}</h4>")
        if one.kpi.description:
            parts.append(f"<p><i>{html.escape(one.kpi.description)}</i></p>")
        parts.append(tracking_figure(case, one))
        parts.append(readings_html(frame, name, methods))
    return parts


def progress_parts(case: Case, frame: pd.DataFrame, method: str) -> list[str]:
    """A heading and the goal-progress table by one method (nothing without goals)."""
    if not case.goals:
        return []
    return [
        f"<h4>Progress against the goals: {METHOD_NAMES[method]}</h4>",
        table_html(progress.goal_progress(case, frame, method)),
    ]
