"""Goals of a case: the three CRM objectives, goal text, and saving goals to a new case file.

The articles' first step is to decide what the CRM is for. A goal (:class:`Goal` of
``case.yml``) is one KPI, a target change and the better direction; this module says which
objective a KPI serves, writes targets and changes in the KPI's own unit, and saves a new
goal list beside the case without touching the original file. Levels (baseline means) come
from :mod:`roi_kit.measure.progress`, which needs the measurement layer.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from roi_kit import formatting as fmt
from roi_kit.case import Goal, save_case_config
from roi_kit.case.kpis import Kpi, format_value
from roi_kit.errors import RoiKitError

if TYPE_CHECKING:
    from roi_kit.case import Case

__all__ = [
    "Objective",
    "OBJECTIVES",
    "objective_of",
    "format_change",
    "format_target",
    "format_level",
    "target_change",
    "goal_meaning",
    "goal_records",
    "goals_headline",
    "save_goals",
]


@dataclass(frozen=True)
class Objective:
    """One of the source articles' three CRM objectives and the KPIs that measure it.

    Attributes
    ----------
    name : str
        Identifier, e.g. ``"sales_growth"``.
    label : str
        Words for tables ("Sales growth").
    source : str
        The articles' phrase (Chinese) with a translation.
    kpis : tuple of str
        Catalogue KPI names that measure it.
    """

    name: str
    label: str
    source: str
    kpis: tuple[str, ...]


#: The articles' first step: "raise sales, raise customer satisfaction or optimise
#: operational efficiency?" (提高销售额、提高客户满意度还是优化运营效率), each mapped to the
#: catalogue KPIs that measure it.
OBJECTIVES: tuple[Objective, ...] = (
    Objective(
        "sales_growth",
        "Sales growth",
        "提高销售额 (raise sales)",
        ("revenue", "deals_won", "avg_deal_size", "win_rate", "lead_conversion"),
    ),
    Objective(
        "customer_satisfaction",
        "Customer satisfaction",
        "提高客户满意度 (raise customer satisfaction)",
        ("csat", "churned_customers", "customers"),
    ),
    Objective(
        "operational_efficiency",
        "Operational efficiency",
        "优化运营效率 (optimise operational efficiency)",
        ("sales_cycle_days", "operating_cost", "acquisition_cost"),
    ),
)


def objective_of(kpi: str) -> str:
    """The objective label a KPI belongs to, or ``"Other"`` for a custom KPI.

    Examples
    --------
    >>> objective_of("win_rate"), objective_of("my_custom_kpi")
    ('Sales growth', 'Other')
    """
    for objective in OBJECTIVES:
        if kpi in objective.kpis:
            return objective.label
    return "Other"


def format_change(value: float | None, kpi: Kpi, currency: str = "") -> str:
    """A signed KPI change in the KPI's unit: fractions in percentage points.

    Parameters
    ----------
    value : float or None
        Change in KPI units (a fraction KPI's 0.05 reads "+5.0 points").
    kpi : Kpi
        The KPI, whose unit decides the format.
    currency : str
        Currency code for currency KPIs ("" for none).

    Returns
    -------
    str
        ``"+5.0 points"``, ``"-EUR 1,234"``, ``"+EUR 1,234"``, ``"-5.5 days"``, ``"+0.21"``;
        ``"n/a"`` for a missing value. The sign rules are :func:`roi_kit.formatting.signed`'s.

    Examples
    --------
    >>> from roi_kit.case.kpis import get_kpi
    >>> format_change(0.05, get_kpi("win_rate")), format_change(-1234.0, get_kpi("revenue"), "EUR")
    ('+5.0 points', '-EUR 1,234')
    """
    if value is None or not math.isfinite(value):
        return "n/a"
    if kpi.unit == "fraction":
        return fmt.points(value, signed=True)
    if kpi.unit == "score":
        text = f"{value:.2f}"
    elif kpi.unit == "count":
        # A small count change keeps a decimal ("+0.6 churned a month", not "+1").
        text = f"{value:,.1f}" if abs(value) < 100 else f"{value:,.0f}"
    else:
        text = format_value(value, kpi, currency)
    return fmt.signed(text, value)


def format_target(goal: Goal, kpi: Kpi, currency: str = "") -> str:
    """A goal's target in words: ``"+5.0 points"`` (absolute) or ``"-20%"`` (relative).

    Examples
    --------
    >>> from roi_kit.case.kpis import get_kpi
    >>> format_target(Goal("sales_cycle_days", -0.2, "relative", "lower"),
    ...               get_kpi("sales_cycle_days"))
    '-20%'
    """
    if goal.target_kind == "relative":
        return fmt.percent(goal.target, decimals=0, signed=True)
    return format_change(goal.target, kpi, currency)


def format_level(value: float, kpi: Kpi, currency: str = "") -> str:
    """A KPI level for tables; a mean count keeps one decimal (14.4 churned a month).

    Examples
    --------
    >>> from roi_kit.case.kpis import get_kpi
    >>> format_level(14.44, get_kpi("churned_customers")), format_level(0.312, get_kpi("win_rate"))
    ('14.4', '31.2%')
    """
    if kpi.unit == "count" and math.isfinite(value) and abs(value) < 1000:
        return f"{value:,.1f}"
    return format_value(value, kpi, currency)


def target_change(goal: Goal, base: float) -> float:
    """The target as a change in KPI units (a relative target times the baseline mean).

    Parameters
    ----------
    goal : Goal
    base : float
        Baseline mean of the KPI, in KPI units (only used for a relative target).

    Examples
    --------
    >>> target_change(Goal("csat", -0.1, "relative", "lower"), 10.0)
    -1.0
    """
    return goal.target * base if goal.target_kind == "relative" else goal.target


def goal_meaning(goal: Goal, kpi: Kpi, base: float, currency: str = "") -> str:
    """What meeting a goal means, as a level against the baseline mean, in one sentence.

    Parameters
    ----------
    goal : Goal
    kpi : Kpi
    base : float
        Baseline mean of the KPI (the treated group's), in KPI units.
    currency : str

    Returns
    -------
    str
        The level to reach, or why the target cannot be read (a sign slip, a zero target).
    """
    wrong = (goal.target > 0 and goal.direction == "lower") or (
        goal.target < 0 and goal.direction == "higher"
    )
    if wrong:
        return (
            f"the target points against the better direction ({goal.direction} is better): "
            "a sign slip, which the case file refuses"
        )
    if goal.target == 0:
        return "a target of zero: any improvement meets it"
    change = target_change(goal, base)
    reach = base + change
    bound = "at least" if goal.target > 0 else "at most"
    return (
        f"{kpi.label} {bound} {format_level(reach, kpi, currency)} a month on average "
        f"(baseline {format_level(base, kpi, currency)}, change "
        f"{format_change(change, kpi, currency)}) beyond trend and season"
    )


def goal_records(goals: Sequence[Goal]) -> list[dict[str, Any]]:
    """Goals as ``case.yml`` entries (``{kpi, target, target_kind}``) for saving.

    ``direction`` is left out: the KPI's own direction applies when the case loads.

    Examples
    --------
    >>> goal_records([Goal("csat", 0.3, "absolute", "higher")])
    [{'kpi': 'csat', 'target': 0.3, 'target_kind': 'absolute'}]
    """
    return [{"kpi": g.kpi, "target": float(g.target), "target_kind": g.target_kind} for g in goals]


def goals_headline(case: Case) -> str:
    """The case's goals as stable text: their count, then ``kpi: target (kind)`` lines."""
    lines = [f"goals: {len(case.goals)}"]
    lines += [f"{g.kpi}: {g.target:+g} ({g.target_kind})" for g in case.goals]
    return "\n".join(lines)


def save_goals(case: Case, new_path: str | Path, goals: Sequence[Goal]) -> tuple[bool, str]:
    """Write the case's ``case.yml`` with new goals to a new file; never raises on bad input.

    Parameters
    ----------
    case : roi_kit.case.Case
    new_path : str or Path
        The new ``.yml`` file (relative paths are relative to the working directory, which
        is ``notebooks/`` in a notebook). :func:`roi_kit.case.save_case_config` refuses an
        existing file and any file in the sample case.
    goals : sequence of Goal

    Returns
    -------
    (bool, str)
        Whether it was saved, and a message for the user (the path written, or the reason
        it was not). A panel shows the message, so a refusal is an answer, not an exception.
    """
    text = str(new_path).strip()
    if not text:
        return False, "Type a file name first, e.g. ../my_case/case_v2.yml"
    try:
        written = save_case_config(case, text, updates={"goals": goal_records(goals)})
    except (RoiKitError, OSError) as exc:
        return False, f"Not saved: {exc}"
    return True, (
        f"Saved {len(goals)} goal(s) to {written}. Keep it in a folder with the case's tables "
        "(kpis.csv, costs.csv, adoption.csv) and load it with load_case"
    )
