"""What the baseline supports, and how far the goals got: the numbers behind notebooks 01-04.

- Baseline facts live in :mod:`roi_kit.measure.baseline` (re-exported here).
- Goals against their baseline (:func:`goals_table`) and against a measured effect
  (:func:`goal_progress`), and the check against a generated case's known truth
  (:func:`true_effect_check`).
- The lines a tracking chart compares the CRM group with (:func:`tracking_lines`): the
  baseline mean, the fitted counterfactual with its band, and the control group plus the
  baseline gap. Views draw them; they never fit a model themselves.

Results are frozen dataclasses or DataFrames of display strings (KPI labels are user text;
views escape them).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from roi_kit.case import (
    Goal,
    Kpi,
    get_kpi,
)
from roi_kit.case import goals as case_goals
from roi_kit.errors import RoiKitError
from roi_kit.measure.adoption import kpi_series
from roi_kit.measure.baseline import (  # noqa: F401  (re-exported: progress.baseline_*)
    BaselineFacts,
    _in_baseline,
    baseline_facts,
    baseline_headline,
    baseline_means,
    baseline_statement,
)
from roi_kit.measure.compare import Comparison, counterfactual

if TYPE_CHECKING:
    from roi_kit.case import Case

__all__ = [
    "goals_table",
    "goal_status",
    "goal_progress",
    "true_effect_check",
    "TrackingLines",
    "tracking_lines",
]


# --------------------------------------------------------------------------------------
# Goals
# --------------------------------------------------------------------------------------


def goals_table(case: Case, goals: Sequence[Goal] | None = None) -> pd.DataFrame:
    """The goals as a display table.

    Parameters
    ----------
    case : roi_kit.case.Case
    goals : sequence of Goal, optional
        Default: the case's goals.

    Returns
    -------
    pandas.DataFrame
        Columns ``KPI, label, objective, better, target, baseline level, what meeting it
        means`` (display strings); the baseline level is the treated group's baseline mean.
    """
    goals = case.goals if goals is None else goals
    means = baseline_means(case)
    rows = []
    for goal in goals:
        kpi = get_kpi(goal.kpi, case.custom_kpis)
        base = means.get(goal.kpi, math.nan)
        rows.append(
            {
                "KPI": goal.kpi,
                "label": kpi.label,
                "objective": case_goals.objective_of(goal.kpi),
                "better": goal.direction,
                "target": (
                    f"{case_goals.format_target(goal, kpi, case.currency)} ({goal.target_kind})"
                ),
                "baseline level": case_goals.format_level(base, kpi, case.currency),
                "what meeting it means": case_goals.goal_meaning(goal, kpi, base, case.currency),
            }
        )
    columns = [
        "KPI",
        "label",
        "objective",
        "better",
        "target",
        "baseline level",
        "what meeting it means",
    ]
    return pd.DataFrame(rows, columns=columns)


def goal_status(change: float, low: float, high: float, want: float) -> tuple[str, str]:
    """A goal's status and share of target, from a measured change and its interval.

    Parameters
    ----------
    change, low, high : float
        The measured effect and its 95% interval, in KPI units.
    want : float
        The target as a change in KPI units.

    Returns
    -------
    (str, str)
        Status ("met", "met by the estimate only", "not yet met", "no evidence of a change
        yet", "moved the wrong way" or "not measured") and the share of the target.

    Examples
    --------
    >>> goal_status(0.5, 0.35, 0.65, 0.3)
    ('met (the whole interval reaches the target)', '167%')
    """
    if not np.isfinite(change) or not np.isfinite(want):
        return "not measured", "n/a"
    share = f"{change / want:.0%}" if want != 0 else "n/a"
    # The interval end nearer to zero must reach the target for "met".
    near = low if want >= 0 else high
    sign = 1.0 if want >= 0 else -1.0
    if low <= 0 <= high:
        status = "no evidence of a change yet (the interval includes zero)"
    elif sign * (near - want) >= 0:
        status = "met (the whole interval reaches the target)"
    elif sign * (change - want) >= 0:
        status = "met by the estimate only; the interval does not rule out falling short"
    elif (change > 0) != (want > 0) and want != 0:
        status = "moved the wrong way"
    else:
        status = "not yet met"
    return status, share


def _method_row(frame: pd.DataFrame, kpi: str, method: str) -> pd.Series | None:
    match = frame[(frame["kpi"] == kpi) & (frame["method"] == method)]
    return match.iloc[0] if len(match) else None


def _progress_row(case: Case, goal: Goal, r: pd.Series | None) -> dict[str, str]:
    kpi = get_kpi(goal.kpi, case.custom_kpis)
    base = float(r["baseline"]) if r is not None else math.nan
    want = case_goals.target_change(goal, base)
    change, low, high = (
        (float(r["change"]), float(r["low"]), float(r["high"]))
        if r is not None
        else (math.nan, math.nan, math.nan)
    )
    status, share = goal_status(change, low, high, want)
    fmt_change = case_goals.format_change
    return {
        "KPI": kpi.label,
        "target": f"{case_goals.format_target(goal, kpi, case.currency)} ({goal.target_kind})",
        "target as change": fmt_change(want, kpi, case.currency),
        "measured effect": fmt_change(change, kpi, case.currency),
        "95% interval": (
            f"{fmt_change(low, kpi, case.currency)} to {fmt_change(high, kpi, case.currency)}"
        ),
        "share of target": share,
        "status": status,
    }


def goal_progress(case: Case, frame: pd.DataFrame, method: str = "counterfactual") -> pd.DataFrame:
    """Each goal against the effect one method measured.

    Parameters
    ----------
    case : roi_kit.case.Case
    frame : pandas.DataFrame
        From ``compare_all(case)``.
    method : {"counterfactual", "did", "naive"}

    Returns
    -------
    pandas.DataFrame
        Columns ``KPI, target, target as change, measured effect, 95% interval, share of
        target, status``. A relative target becomes a change in KPI units through the
        baseline mean. Status: see :func:`goal_status`.
    """
    rows = [_progress_row(case, g, _method_row(frame, g.kpi, method)) for g in case.goals]
    columns = [
        "KPI",
        "target",
        "target as change",
        "measured effect",
        "95% interval",
        "share of target",
        "status",
    ]
    return pd.DataFrame(rows, columns=columns)


def true_effect_check(
    frame: pd.DataFrame,
    case: Case,
    true_effects: Mapping[str, float] | None,
    *,
    kpis: Sequence[str] = ("win_rate", "sales_cycle_days"),
    methods: Sequence[str] = ("counterfactual", "did"),
    bias_kpi: str = "revenue",
) -> str:
    """Whether the intervals contain the known true effect, and whether the naive is biased.

    Parameters
    ----------
    frame : pandas.DataFrame
        From ``compare_all(case)``.
    case : roi_kit.case.Case
    true_effects : mapping or None
        From :func:`roi_kit.case.facts.load_true_effects`; None gives a one-line explanation.
    kpis : sequence of str
        KPIs whose intervals are checked.
    methods : sequence of str
        Methods whose intervals are checked.
    bias_kpi : str
        KPI whose naive estimate is set against its true effect.

    Returns
    -------
    str
        Per KPI a line with its true effect and an indented "yes"/"no" line per method,
        then the naive line.
    """
    if not true_effects:
        return "no known true effects: only a generated case (the sample) has true_effects.yml"
    short = {"counterfactual": "counterfactual", "did": "DiD", "naive": "naive"}
    lines = []
    for name in kpis:
        kpi = get_kpi(name, case.custom_kpis)
        truth = true_effects[name]
        lines.append(
            f"{name}: true average effect {case_goals.format_change(truth, kpi, case.currency)}"
        )
        for method in methods:
            row = frame[(frame["kpi"] == name) & (frame["method"] == method)]
            inside = bool(len(row)) and bool(row["low"].iloc[0] <= truth <= row["high"].iloc[0])
            lines.append(
                f"  inside the {short.get(method, method)} 95% interval: "
                + ("yes" if inside else "no")
            )
    row = frame[(frame["kpi"] == bias_kpi) & (frame["method"] == "naive")]
    exceeds = bool(len(row)) and bool(row["change"].iloc[0] > true_effects[bias_kpi])
    lines.append(
        f"{bias_kpi}: naive estimate exceeds the true effect (trend bias): "
        + ("yes" if exceeds else "no")
    )
    return "\n".join(lines)


# --------------------------------------------------------------------------------------
# Tracking
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrackingLines:
    """One KPI's actual months and what each method compares them against.

    Attributes
    ----------
    kpi : Kpi
        The KPI (label, unit, direction).
    treated : pandas.Series
        The CRM group's KPI by month (``PeriodIndex``), in KPI units.
    after : (pandas.Period, pandas.Period)
        The after window (the case's, else go-live to the last month).
    baseline_mean : float or None
        ``"naive"``: the treated baseline mean (None when not asked for or no month).
    fit : Comparison or None
        ``"counterfactual"``: the fitted trend-and-season projection with its band (None
        when not asked for or when the fit was refused).
    control : pandas.Series or None
        ``"did"``: the control group by month.
    did_line : pandas.Series or None
        ``"did"``: the control over the after months plus the mean baseline gap (the CRM
        group without the CRM, as DiD assumes).
    """

    kpi: Kpi
    treated: pd.Series
    after: tuple[pd.Period, pd.Period]
    baseline_mean: float | None = None
    fit: Comparison | None = None
    control: pd.Series | None = None
    did_line: pd.Series | None = None


def _fit_counterfactual(
    case: Case, name: str, treated: pd.Series, after: tuple[pd.Period, pd.Period], kpi: Kpi
) -> Comparison | None:
    try:
        return counterfactual(
            treated,
            case.go_live,
            baseline=case.baseline,
            after=after,
            direction=kpi.direction,
            kpi=name,
        )
    except RoiKitError:
        # Too few months for a fit: the chart simply has no projection.
        return None


def _did_lines(
    case: Case, name: str, treated: pd.Series, after: tuple[pd.Period, pd.Period]
) -> tuple[pd.Series, pd.Series | None]:
    control = kpi_series(case, name, "control")
    base_gap = _in_baseline((treated - control).dropna(), case).mean()
    a0, a1 = after
    after_ctl = control[(control.index >= a0) & (control.index <= a1)]
    if len(after_ctl) and np.isfinite(base_gap):
        return control, after_ctl + base_gap
    return control, None


def tracking_lines(
    case: Case, kpi_name: str, *, methods: Sequence[str] = ("counterfactual", "did")
) -> TrackingLines:
    """What a tracking chart draws for one KPI: actual months and each method's reference.

    Parameters
    ----------
    case : roi_kit.case.Case
        A review case.
    kpi_name : str
    methods : sequence of {"naive", "counterfactual", "did"}
        The references to compute (``"did"`` needs a control group).

    Returns
    -------
    TrackingLines
    """
    kpi = get_kpi(kpi_name, case.custom_kpis)
    treated = kpi_series(case, kpi_name)
    after = case.after if case.after is not None else (case.go_live, treated.index.max())
    before = _in_baseline(treated, case)
    mean = float(before.mean()) if "naive" in methods and len(before) else None
    fit = (
        _fit_counterfactual(case, kpi_name, treated, after, kpi)
        if "counterfactual" in methods
        else None
    )
    control = did_line = None
    if "did" in methods and case.groups is not None:
        control, did_line = _did_lines(case, kpi_name, treated, after)
    return TrackingLines(kpi, treated, after, mean, fit, control, did_line)
