"""The event-study figure, the groups-and-units table and their sentences (notebooks 03, 04).

:func:`event_study_figure` draws :class:`roi_kit.measure.staggered.EventStudy`: the effect by
month since go-live with its interval, the months before go-live being the visual check of
parallel trends (they should scatter around zero). :func:`groups_table` lists the case's
groups, their role, go-live and number of units; :func:`groups_sentence` and
:func:`event_study_sentence` say the same in words, computed from the case (no fact about a
case is typed into a notebook).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from roi_kit.views.style import PALETTE, new_figure, plain

if TYPE_CHECKING:
    from roi_kit.measure.staggered import EventStudy

__all__ = ["event_study_figure", "groups_table", "groups_sentence", "event_study_sentence"]


def event_study_figure(
    study: EventStudy,
    *,
    label: str = "",
    unit_formatter: Callable[[float], str] | None = None,
    ax=None,
) -> Figure:
    """Effect by months since go-live, with intervals; pre-go-live months in grey.

    Parameters
    ----------
    study : EventStudy
        From :func:`roi_kit.measure.staggered.event_study` (or
        :func:`roi_kit.measure.panel_table.case_event_study`).
    label : str
        KPI label for the title and axis.
    unit_formatter : callable, optional
        Formats a tick value (e.g. money); default plain numbers.
    ax : matplotlib Axes, optional

    Returns
    -------
    Figure
        Points with interval bars; the reference month (fixed at zero) as an open circle;
        zero as a line; go-live as a dashed line between months -1 and 0.
    """
    fig, ax = new_figure(ax, figsize=(8.0, 3.8))
    table = study.table
    x = table["months_since"].to_numpy(dtype=float)
    est = table["estimate"].to_numpy(dtype=float)
    low = table["low"].to_numpy(dtype=float)
    high = table["high"].to_numpy(dtype=float)
    pre = x < 0
    has = np.isfinite(low) & np.isfinite(high)
    for mask, colour, name in (
        (pre & has, PALETTE["control"], "before go-live (should be near zero)"),
        (~pre & has, PALETTE["treated"], "after go-live: effect of the CRM"),
    ):
        ax.errorbar(
            x[mask],
            est[mask],
            yerr=[est[mask] - low[mask], high[mask] - est[mask]],
            fmt="o",
            color=colour,
            ms=4,
            capsize=2,
            label=plain(name),
        )
    ref = x == study.reference
    ax.plot(x[ref], est[ref], "o", mfc="white", color=PALETTE["control"], label="reference month")
    ax.axhline(0.0, color=PALETTE["muted"], lw=0.8)
    ax.axvline(-0.5, color=PALETTE["text"], ls="--", lw=0.8)
    ax.set_xlabel("months since go-live")
    ax.set_ylabel(plain(f"effect on {label}" if label else "effect"))
    if unit_formatter is not None:
        ax.yaxis.set_major_formatter(lambda v, _pos: plain(unit_formatter(v)))
    level = f"{study.level * 100:g}%"
    ax.set_title(plain(f"{label or study.kpi}: event study ({level} intervals, by unit)"))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=3, frameon=False, fontsize=8)
    return fig


def groups_table(case: Any) -> pd.DataFrame:
    """One row per group of the case: role, go-live and (with ``groups.unit``) units.

    Returns
    -------
    pandas.DataFrame
        ``group``, ``role`` (treated / control / not used), ``go-live`` (``YYYY-MM`` or
        ``-``) and ``units`` (distinct units, only with ``groups.unit``).
    """
    spec = case.groups
    if spec is None:
        return pd.DataFrame(columns=["group", "role", "go-live"])
    rows_from = case.unit_kpis if spec.unit is not None else case.kpis
    names = sorted(set(rows_from[spec.column].dropna().astype(str)))
    rows = []
    for name in names:
        treated = name in spec.treated_groups
        role = "treated" if treated else "control" if name in spec.control_groups else "not used"
        row = {
            "group": name,
            "role": role,
            "go-live": str(spec.go_lives.get(name, case.go_live)) if treated else "-",
        }
        if spec.unit is not None:
            part = rows_from[rows_from[spec.column].astype(str) == name]
            row["units"] = int(part[spec.unit].nunique())
        rows.append(row)
    return pd.DataFrame(rows)


def groups_sentence(case: Any) -> str:
    """The groups in one plain sentence, from the case (empty without groups).

    Plain text (escape it for HTML): group names are the case's own words.
    """
    spec = case.groups
    if spec is None:
        return ""
    text = (
        f"CRM group(s): {', '.join(spec.treated_groups)}; "
        f"control group(s): {', '.join(spec.control_groups)}."
    )
    if spec.staggered:
        dates = ", ".join(f"{g} {m}" for g, m in spec.go_lives.items())
        text += f" Each CRM group has its own go-live ({dates}): a staggered rollout."
    if spec.unit is not None:
        units = case.unit_kpis[spec.unit].nunique()
        text += (
            f" The KPIs are given per {spec.unit} ({units} units): the panel comparison uses "
            "every unit, with intervals clustered by unit."
        )
    return text


def event_study_sentence(study: EventStudy | None) -> str:
    """What the pre-go-live months say about parallel trends, in one sentence."""
    if study is None:
        return ""
    p = study.pretrend_p
    if not math.isfinite(p):
        return "There are too few months before go-live to test the pre-trends."
    if p < 0.05:
        return (
            f"Before go-live the CRM and control units already moved apart (joint test "
            f"p = {p:.3f}): the parallel-trends assumption is doubtful, so read the effects "
            "with caution."
        )
    return (
        f"Before go-live the effects scatter around zero (joint test p = {p:.2f}): no sign "
        "that the CRM and control units were already moving apart."
    )
