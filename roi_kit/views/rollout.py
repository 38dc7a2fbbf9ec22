"""Notebook 03's views: adoption over time, the adoption warning, KPI gap against adoption.

The adoption numbers come from :mod:`roi_kit.measure.adoption` (summary, warning, the
gap-against-adoption fit); this module turns them into tables, sentences and figures.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from roi_kit import formatting as fmt
from roi_kit.case import get_kpi
from roi_kit.case import goals as case_goals
from roi_kit.measure import adoption as adopt
from roi_kit.study.inputs import NO_USERS, productivity_reason
from roi_kit.views.baseline import go_live_line, month_positions, unit_text
from roi_kit.views.style import PALETTE, money_axis, new_figure, plain
from roi_kit.views.tables import note_html, table_html

if TYPE_CHECKING:
    from roi_kit.case import Case

__all__ = [
    "adoption_summary_table",
    "adoption_headline",
    "adoption_figure",
    "uplift_adoption_figure",
    "uplift_words",
    "adoption_verdict_html",
    "rollout_parts",
    "has_adoption",
    "no_adoption_text",
    "no_adoption_html",
]


def _reached(summary: adopt.AdoptionSummary, never: str) -> str:
    first = summary.first_month_at_threshold
    if first is None:
        return never
    return f"{first} ({summary.months_to_threshold} months after go-live)"


def adoption_summary_table(summary: adopt.AdoptionSummary) -> pd.DataFrame:
    """The adoption summary as ``measure, value`` rows of display text."""
    start, end = summary.period
    coverage = (
        "no trained_users column"
        if summary.training_coverage is None
        else fmt.percent(summary.training_coverage, decimals=0)
    )
    rows = [
        ("Mean adoption rate", f"{fmt.percent(summary.mean_rate)} ({start} to {end})"),
        (
            "Latest adoption rate",
            f"{fmt.percent(summary.last_rate)} in {summary.last_month} "
            f"({summary.active_last:,.0f} of {summary.licensed_last:,.0f} seats)",
        ),
        (
            f"First month at {fmt.percent(summary.threshold, decimals=0)} or more",
            _reached(summary, "not reached"),
        ),
        (
            f"Months below {fmt.percent(adopt.DEFAULT_WARNING_THRESHOLD, decimals=0)}",
            f"{summary.months_below_warning} of the measured months",
        ),
        ("Training coverage (latest month)", coverage),
    ]
    return pd.DataFrame(rows, columns=["measure", "value"])


def has_adoption(case: Case) -> bool:
    """Whether the case has an adoption table with at least one row."""
    return case.adoption is not None and len(case.adoption) > 0


def _goal_labels(case: Case) -> str:
    labels = [get_kpi(g.kpi, case.custom_kpis).label for g in case.goals]
    return ", ".join(labels) if labels else "the goal KPIs (none are set yet)"


def no_adoption_text(case: Case) -> list[str]:
    """What a case without ``adoption.csv`` is missing, and what the table would add.

    Every fact comes from ``case`` (its period, goals and assumptions).

    Parameters
    ----------
    case : roi_kit.case.Case

    Returns
    -------
    list of str
        Plain sentences: what is missing, what the table would add, what it means for
        the productivity line.
    """
    if case.after is not None:
        start, end = case.after
        months = f"the after period {start} to {end}"
    else:
        months = f"the planned months from go-live ({case.go_live})"
    out = [
        f"Missing: this case has no adoption table (adoption.csv), so the rollout step "
        f"cannot show how many of the paid seats were used in {months}.",
        "What it would add: one row per month with licensed_users and active_users "
        "(trained_users optional) gives the adoption rate against the seats, the month it "
        "reached the target level, the warning when use is too low to expect the benefit, "
        f"and the check whether the gaps of {_goal_labels(case)} grow with use.",
    ]
    stated = case.assumptions.get("active_users")
    if productivity_reason(case) == NO_USERS:
        out.append(
            "Productivity (time saved) is not counted: it needs the number of active users, "
            "from adoption.csv or assumptions.active_users in case.yml."
        )
    elif stated is not None:
        out.append(
            f"Productivity (time saved) uses the {stated.likely:,.0f} active users set as "
            "assumptions.active_users in case.yml (an assumption, not a measurement)."
        )
    return out


def no_adoption_html(case: Case) -> str:
    """:func:`no_adoption_text` as a warning note box (escaped HTML)."""
    return note_html("<br>".join(html.escape(t) for t in no_adoption_text(case)), warn=True)


def adoption_headline(
    case: Case,
    *,
    target: float = adopt.DEFAULT_TARGET_RATE,
    warning_threshold: float = adopt.DEFAULT_WARNING_THRESHOLD,
) -> str:
    """Mean adoption, first month at ``target``, training coverage, warning: stable text.

    Parameters
    ----------
    case : roi_kit.case.Case
    target : float, fraction
        Adoption rate whose first month is reported.
    warning_threshold : float, fraction
        Level below which :func:`roi_kit.measure.adoption.adoption_warning` warns.
    """
    if not has_adoption(case):
        return "\n".join(no_adoption_text(case))
    summary = adopt.adoption_summary(case, threshold=target)
    start, end = summary.period
    coverage = (
        "n/a"
        if summary.training_coverage is None
        else fmt.percent(summary.training_coverage, decimals=0)
    )
    warning = adopt.adoption_warning(summary, threshold=warning_threshold)
    return "\n".join(
        [
            f"mean adoption rate {start} to {end}: {fmt.percent(summary.mean_rate)}",
            f"first month at {fmt.percent(target, decimals=0)} or more: "
            + _reached(summary, "never"),
            f"training coverage in the last month: {coverage}",
            f"adoption warning (below {fmt.percent(warning_threshold, decimals=0)}): "
            + ("none" if warning is None else "yes"),
        ]
    )


def _users_panel(ax, x: np.ndarray, table: pd.DataFrame) -> None:
    ax.step(x, table["licensed_users"], where="mid", color="black", lw=1.2, label="licensed")
    if table["trained_users"].notna().any():
        ax.plot(
            x, table["trained_users"], color=PALETTE["good"], ls="--", label="trained (cumulative)"
        )
    ax.plot(
        x, table["active_users"], color=PALETTE["treated"], lw=2, marker="o", ms=3, label="active"
    )
    ax.set_ylabel("users")
    ax.set_ylim(bottom=0)
    ax.set_title("Seats, training and active users by month", fontsize=10)
    ax.legend(loc="lower right", fontsize=8, frameon=False)


def _rate_panel(
    ax, x: np.ndarray, table: pd.DataFrame, warning_threshold: float, target: float
) -> None:
    ax.plot(x, table["adoption_rate"], color=PALETTE["treated"], lw=2, marker="o", ms=3)
    ax.axhline(
        warning_threshold,
        color=PALETTE["bad"],
        ls="--",
        lw=1,
        label=f"warning level {fmt.percent(warning_threshold, decimals=0)}",
    )
    ax.axhline(
        target,
        color=PALETTE["good"],
        ls=":",
        lw=1.2,
        label=f"target {fmt.percent(target, decimals=0)}",
    )
    ax.set_ylim(0, 1.05)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_ylabel("active / licensed")
    ax.set_title("Adoption rate", fontsize=10)
    ax.legend(loc="lower right", fontsize=8, frameon=False)


def adoption_figure(
    case: Case,
    *,
    warning_threshold: float = adopt.DEFAULT_WARNING_THRESHOLD,
    target: float = adopt.DEFAULT_TARGET_RATE,
    ax=None,
) -> Figure:
    """Users over time (licensed, trained, active) and the adoption rate with its levels.

    Parameters
    ----------
    case : roi_kit.case.Case
    warning_threshold, target : float, fraction
        Levels drawn on the adoption-rate panel.
    ax : (Axes, Axes), optional
        The two axes to draw into (users, then rate; the caller shares their month axis);
        default a new figure.

    Returns
    -------
    Figure
        Two panels sharing the month axis.
    """
    table = adopt.adoption_table(case)
    x = month_positions(pd.PeriodIndex(table["month"], freq="M"))
    if ax is None:
        fig = Figure(figsize=(8, 5.6), layout="constrained")
        top, bottom = fig.subplots(2, 1, sharex=True)
    else:
        top, bottom = ax
        fig = top.figure
    _users_panel(top, x, table)
    _rate_panel(bottom, x, table, warning_threshold, target)
    for one in (top, bottom):
        one.grid(axis="y", alpha=0.3)
        if table["month"].min() <= case.go_live <= table["month"].max():
            go_live_line(one, case, label=one is top)
    return fig


def _gap_axis(ax, kpi, currency: str) -> None:
    if kpi.unit == "fraction":
        # Gaps in points with a sign; a tick that rounds to zero reads "0", not "+0.0".
        ax.yaxis.set_major_formatter(
            FuncFormatter(lambda v, _: f"{v * 100:+.1f}" if round(v * 100, 1) else "0")
        )
        ax.set_ylabel(plain(f"{kpi.label} gap, points"))
        return
    if kpi.unit == "currency":
        money_axis(ax, currency)
    ax.set_ylabel(plain(f"{kpi.label} gap ({unit_text(kpi, currency)})"))


def uplift_adoption_figure(case: Case, uplift: adopt.AdoptionUplift, *, ax=None) -> Figure:
    """Scatter of each after month's KPI gap against its adoption rate, with the fitted line.

    Parameters
    ----------
    case : roi_kit.case.Case
    uplift : AdoptionUplift
        From :func:`roi_kit.measure.adoption.uplift_vs_adoption`.
    ax : matplotlib Axes, optional
        Draw into it; default a new figure.

    Returns
    -------
    Figure
        The legend sits below the axes (on a new figure) or inside them (a given ``ax``).
    """
    own = ax is None
    fig, ax = new_figure(ax, figsize=(6.4, 3.8))
    kpi = get_kpi(uplift.kpi, case.custom_kpis)
    x, y = uplift.table["adoption_rate"], uplift.table["gap"]
    ax.scatter(x, y, color=PALETTE["treated"], s=22, zorder=3, label="after months")
    grid = np.linspace(0, 1, 11)
    ax.plot(
        grid,
        uplift.intercept + uplift.slope * grid,
        color=PALETTE["projected"],
        label="fitted line",
    )
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xlim(0, 1.02)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel("adoption rate that month (active / licensed)")
    how = "vs counterfactual" if uplift.method == "counterfactual" else "vs control (DiD)"
    _gap_axis(ax, kpi, case.currency)
    ax.set_title(plain(f"{kpi.label}: monthly gap {how} against adoption"), fontsize=10)
    ax.grid(alpha=0.3)
    if own:
        # Below the axes: points can sit anywhere in the plot, a legend inside would hide some.
        fig.legend(loc="outside lower center", ncols=2, fontsize=8, frameon=False)
    else:
        ax.legend(fontsize=8, frameon=False)
    return fig


def uplift_words(case: Case, uplift: adopt.AdoptionUplift) -> str:
    """The gap-against-adoption fit in plain words: slope, interval and how to read it."""
    kpi = get_kpi(uplift.kpi, case.custom_kpis)

    def change(value: float) -> str:
        return case_goals.format_change(value, kpi, case.currency)

    text = (
        f"{kpi.label}: the fitted line gives {change(uplift.slope)} from no "
        f"use to full use (95% interval {change(uplift.slope_low)} to "
        f"{change(uplift.slope_high)}; correlation {uplift.correlation:.2f}, "
        f"{len(uplift.table)} months)."
    )
    if uplift.slope_low <= 0 <= uplift.slope_high:
        text += " The interval includes zero: these months do not show the gap growing with use."
    else:
        grows = (uplift.slope > 0) == (kpi.direction == "higher")
        text += (
            " The gap grows with use in the better direction, as it should if the CRM causes it."
            if grows
            else " The gap moves the wrong way as use grows: look for another cause."
        )
    text += (
        " The interval allows for autocorrelated months and for the trend error that every"
        " after month shares, so it is wide when months are few."
    )
    return text


def adoption_verdict_html(
    summary: adopt.AdoptionSummary, warning: str | None, warning_threshold: float
) -> str:
    """The adoption warning in a warning box, or a note saying there is none."""
    if warning:
        return note_html(html.escape(warning), warn=True)
    return note_html(
        html.escape(
            f"No adoption warning: mean and latest adoption rates and training coverage are "
            f"at or above {fmt.percent(warning_threshold, decimals=0)}. The first "
            f"{summary.months_below_warning} measured month(s) were below it, so expect a "
            "smaller effect early on."
        )
    )


def rollout_parts(
    case: Case,
    summary: adopt.AdoptionSummary,
    warning: str | None,
    uplifts: Mapping[str, adopt.AdoptionUplift | Exception],
    *,
    warning_threshold: float = adopt.DEFAULT_WARNING_THRESHOLD,
    target: float = adopt.DEFAULT_TARGET_RATE,
) -> list[str | Figure]:
    """Notebook 03's section: summary table, verdict, adoption chart, gap charts per KPI.

    Parameters
    ----------
    case : roi_kit.case.Case
    summary : AdoptionSummary
        From :func:`roi_kit.measure.adoption.adoption_summary` at ``target``.
    warning : str or None
        From :func:`roi_kit.measure.adoption.adoption_warning` at ``warning_threshold``.
    uplifts : mapping of str to AdoptionUplift or Exception
        KPI -> its gap-against-adoption fit, or the error that refused it.
    warning_threshold, target : float, fraction

    Returns
    -------
    list of str or Figure
    """
    parts: list[str | Figure] = [
        table_html(adoption_summary_table(summary)),
        adoption_verdict_html(summary, warning, warning_threshold),
        adoption_figure(case, warning_threshold=warning_threshold, target=target),
    ]
    for name, uplift in uplifts.items():
        if isinstance(uplift, Exception):
            parts.append(note_html(html.escape(f"{name}: not computed ({uplift})"), warn=True))
            continue
        parts += [
            uplift_adoption_figure(case, uplift),
            note_html(html.escape(uplift_words(case, uplift))),
        ]
    return parts
