"""Notebook 02's views: the data-quality report, the baseline table and the KPI-by-month charts.

Also the month-axis helpers the other measurement views share (month positions, the go-live
line, a KPI's value axis), so every chart of notebooks 02-04 marks go-live the same way.
Views take a loaded case or results and return tables, HTML strings and figures; they never
fit a model and never build widgets.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from roi_kit.case import Kpi, QualityReport, format_value, get_kpi, kpi_columns
from roi_kit.case import goals as case_goals
from roi_kit.measure import kpi_series
from roi_kit.views.style import PALETTE, money_axis, new_figure, plain
from roi_kit.views.tables import table_html

if TYPE_CHECKING:
    from roi_kit.case import Case

__all__ = [
    "unit_text",
    "month_positions",
    "go_live_line",
    "value_axis",
    "quality_table",
    "quality_parts",
    "baseline_table",
    "kpi_history_figure",
    "baseline_figure",
    "statement_html",
    "baseline_parts",
]

# The baseline window's shading: lighter than PALETTE["muted"], so lines stay readable on it.
_BASELINE_SHADE = "#eeeeee"


def unit_text(kpi: Kpi, currency: str) -> str:
    """A KPI's unit for a table or an axis: the currency code, ``%`` or the unit name.

    Examples
    --------
    >>> from roi_kit.case import get_kpi
    >>> unit_text(get_kpi("revenue"), "EUR"), unit_text(get_kpi("win_rate"), "EUR")
    ('EUR', '%')
    """
    if kpi.unit == "currency":
        return currency or "currency"
    if kpi.unit == "fraction":
        return "%"
    return kpi.unit


def month_positions(index: pd.PeriodIndex) -> np.ndarray:
    """Month positions for plotting: the first day of each month as datetimes."""
    return index.to_timestamp().to_numpy()


def go_live_line(ax, case: Case, *, label: bool = True) -> None:
    """A dashed vertical line at go-live, labelled ``go-live <month>`` at the top."""
    x = pd.Period(case.go_live, "M").to_timestamp()
    ax.axvline(x, color="black", linestyle="--", linewidth=1)
    if label:
        ax.annotate(
            plain(f"go-live {case.go_live}"),
            xy=(x, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(3, -12),
            textcoords="offset points",
            fontsize=8,
            # A light box keeps the label readable where a line runs under it.
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
        )


def value_axis(ax, kpi: Kpi, currency: str) -> None:
    """Tick labels and axis title in the KPI's unit (percent, money or the unit's name)."""
    if kpi.unit == "fraction":
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.set_ylabel(plain(f"{kpi.label} (%)"))
    elif kpi.unit == "currency":
        money_axis(ax, currency)
        ax.set_ylabel(plain(f"{kpi.label} ({currency or 'currency'})"))
    else:
        ax.set_ylabel(plain(f"{kpi.label} ({kpi.unit})"))


# --------------------------------------------------------------------------------------
# Data quality
# --------------------------------------------------------------------------------------


def quality_table(report: QualityReport) -> pd.DataFrame:
    """The findings as a display table (``severity, check, where, rows, message``)."""
    rows = []
    for f in report.findings:
        shown = ", ".join(str(r) for r in f.rows[:10]) + (" ..." if len(f.rows) > 10 else "")
        where = ".".join(p for p in (f.table, f.column) if p)
        rows.append([f.severity, f.check, where, shown, f.message])
    return pd.DataFrame(rows, columns=["severity", "check", "where", "rows", "message"])


def quality_parts(report: QualityReport) -> list[str]:
    """The data-quality report as HTML: the score with its rule, then the findings table.

    Parameters
    ----------
    report : QualityReport
        From :func:`roi_kit.case.check_case`.

    Returns
    -------
    list of str
        Escaped HTML: the score paragraph, then the table (or a "no problems" line).
    """
    head = (
        f"<p><b>Data-quality score: {report.score}/100</b> ({report.count('error')} error(s), "
        f"{report.count('warning')} warning(s), {report.count('info')} note(s)).<br>"
        f"<small>Rule: {html.escape(report.rule)}.</small></p>"
    )
    body = (
        table_html(quality_table(report))
        if report.findings
        else "<p>No problems found: no gaps, duplicates, impossible or missing values, no "
        "outliers.</p>"
    )
    return [head, body]


# --------------------------------------------------------------------------------------
# Baseline table and charts
# --------------------------------------------------------------------------------------


def _baseline_part(series: pd.Series, case: Case) -> pd.Series:
    b0, b1 = case.baseline
    return series[(series.index >= b0) & (series.index <= b1)]


def baseline_table(case: Case) -> pd.DataFrame:
    """Baseline level of every KPI, per group, formatted with units.

    Returns
    -------
    pandas.DataFrame
        Columns ``KPI, unit, better, <treated> mean, <treated> range, [<control> mean],
        months, description`` (display strings; range = lowest to highest baseline month;
        description = the catalogue's sentence, or ``custom_kpis[].description`` from
        case.yml for a custom KPI: user text, escaped by :func:`table_html`).
    """
    treated = case.groups.treated if case.groups else "all rows"
    control = case.groups.control if case.groups else None
    rows = []
    for name in kpi_columns(case):
        kpi = get_kpi(name, case.custom_kpis)
        inside = _baseline_part(kpi_series(case, name), case)
        row = {
            "KPI": kpi.label,
            "unit": unit_text(kpi, case.currency),
            "better": kpi.direction,
            f"{treated} mean": case_goals.format_level(inside.mean(), kpi, case.currency),
            f"{treated} range": (
                f"{format_value(inside.min(), kpi, case.currency)} to "
                f"{format_value(inside.max(), kpi, case.currency)}"
            ),
        }
        if control is not None:
            other = _baseline_part(kpi_series(case, name, "control"), case)
            row[f"{control} mean"] = case_goals.format_level(other.mean(), kpi, case.currency)
        row["months"] = str(len(inside))
        row["description"] = kpi.description
        rows.append(row)
    return pd.DataFrame(rows)


def kpi_history_figure(case: Case, kpi_name: str, *, ax=None) -> Figure:
    """One KPI by month for the treated and control groups, baseline shaded, go-live marked.

    Parameters
    ----------
    case : roi_kit.case.Case
    kpi_name : str
    ax : matplotlib Axes, optional
        Draw into it (for a grid); default a new figure.

    Returns
    -------
    Figure
    """
    fig, ax = new_figure(ax, figsize=(8, 3.6))
    kpi = get_kpi(kpi_name, case.custom_kpis)
    treated = kpi_series(case, kpi_name)
    name = case.groups.treated if case.groups else "CRM group"
    ax.plot(
        month_positions(treated.index),
        treated.to_numpy(),
        color=PALETTE["treated"],
        lw=1.6,
        label=plain(f"{name} (CRM)"),
    )
    if case.groups is not None:
        control = kpi_series(case, kpi_name, "control")
        ax.plot(
            month_positions(control.index),
            control.to_numpy(),
            color=PALETTE["control"],
            lw=1.3,
            ls="-.",
            label=plain(f"{case.groups.control} (control, no CRM)"),
        )
    b0, b1 = case.baseline
    ax.axvspan(
        b0.to_timestamp(),
        (b1 + 1).to_timestamp(),
        color=_BASELINE_SHADE,
        zorder=0,
        label="baseline",
    )
    go_live_line(ax, case)
    value_axis(ax, kpi, case.currency)
    ax.set_title(plain(kpi.label), fontsize=10)
    ax.grid(axis="y", alpha=0.3)
    ax.tick_params(labelsize=8)
    return fig


def baseline_figure(
    case: Case, kpis: Sequence[str] | None = None, *, ncols: int = 2, ax=None
) -> Figure:
    """Small multiples: every KPI by month, both groups, baseline shaded, go-live marked.

    Parameters
    ----------
    case : roi_kit.case.Case
    kpis : sequence of str, optional
        Default: every KPI column of the case.
    ncols : int
        Columns of the grid of a new figure.
    ax : sequence of matplotlib Axes, optional
        One axes per KPI to draw into (the caller's grid); default a new figure. The shared
        legend goes on the figure of the first axes.

    Returns
    -------
    Figure
    """
    names = list(kpis) if kpis is not None else kpi_columns(case)
    if ax is None:
        nrows = max(1, math.ceil(len(names) / ncols))
        fig = Figure(figsize=(5.2 * ncols, 2.6 * nrows + 0.6), layout="constrained")
        axes = list(fig.subplots(nrows, ncols, squeeze=False).flat)
    else:
        axes = list(ax)
        fig = axes[0].figure
    for one, name in zip(axes, names, strict=False):
        kpi_history_figure(case, name, ax=one)
        one.set_ylabel(plain(unit_text(get_kpi(name, case.custom_kpis), case.currency)), fontsize=8)
    for one in axes[len(names) :]:
        one.set_visible(False)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside upper center", ncols=len(labels), frameon=False)
    return fig


def statement_html(lines: Sequence[str]) -> str:
    """Sentences as a bulleted HTML list (each escaped).

    Examples
    --------
    >>> statement_html(["a < b", "c"])
    '<ul><li>a &lt; b</li><li>c</li></ul>'
    """
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    return f"<ul>{items}</ul>"


def baseline_parts(case: Case) -> list[str | Figure]:
    """Notebook 02's static baseline section: the table, then every KPI's chart."""
    return [table_html(baseline_table(case)), baseline_figure(case)]
