"""Tables, figures and panels of the measurement notebooks (01 goals .. 04 tracking).

Each ``*_panel`` function serves one notebook section in both modes: interactive
(``report_mode=False``) it returns an ipywidgets panel whose controls recompute through the
same functions; in report mode it displays static HTML tables and PNG figures (a shared HTML
report has no kernel) and returns None. The table and figure builders below them are plain
functions of a loaded case, so tests and other notebooks can use them directly.

Figures are matplotlib ``Figure`` objects built without pyplot; tables are DataFrames of
display strings, rendered with ``to_html(escape=True)`` because KPI labels, the case name
and goals are user text.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as w
import numpy as np
import pandas as pd
import yaml
from IPython.display import HTML, display
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from roi_kit.case import (
    MIN_BASELINE_MONTHS,
    Goal,
    Kpi,
    QualityReport,
    check_case,
    format_value,
    get_kpi,
    kpi_columns,
    save_case_config,
)
from roi_kit.errors import RoiKitError
from roi_kit.measure import MIN_SEASONAL_MONTHS, compare_all, counterfactual
from roi_kit.measure import adoption as adopt
from roi_kit.widgets.display import show_figure

if TYPE_CHECKING:
    from roi_kit.case import Case

__all__ = [
    "Objective",
    "OBJECTIVES",
    "METHOD_NAMES",
    "BaselineFacts",
    "objective_of",
    "format_change",
    "format_target",
    "baseline_means",
    "goals_table",
    "goal_records",
    "goals_headline",
    "save_goals",
    "goals_panel",
    "display_lines",
    "quality_table",
    "quality_panel",
    "baseline_facts",
    "baseline_statement",
    "baseline_table",
    "kpi_history_figure",
    "baseline_figure",
    "baseline_panel",
    "baseline_headline",
    "adoption_summary_table",
    "adoption_figure",
    "uplift_adoption_figure",
    "rollout_panel",
    "adoption_headline",
    "tracking_figure",
    "method_table",
    "goal_progress",
    "load_true_effects",
    "true_effect_check",
    "tracking_panel",
]

# Colours shared by every figure of the step notebooks (colour-blind safe pairs).
_TREATED = "#1f4e79"
_CONTROL = "#7f7f7f"
_PROJECTED = "#d95f02"
_DID = "#7570b3"
_GOOD = "#2e7d32"
_BAD = "#c62828"

_TABLE_STYLE = (
    "<style>.roi-table td, .roi-table th {text-align: left !important; "
    "vertical-align: top !important; padding: 2px 8px !important;}"
    " .roi-table {border-collapse: collapse; margin-bottom: 0.8em;}"
    " .roi-note {padding: 6px 10px; border-left: 4px solid #1f4e79; background: #f3f6fa;"
    " margin: 6px 0;} .roi-warn {padding: 6px 10px; border-left: 4px solid #c62828;"
    " background: #fdf0f0; margin: 6px 0;}</style>"
)


# --------------------------------------------------------------------------------------
# Objectives, goals, formatting
# --------------------------------------------------------------------------------------


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

#: Display names of the comparison methods of :func:`roi_kit.measure.compare.compare_all`.
METHOD_NAMES: Mapping[str, str] = {
    "naive": "Naive before/after",
    "counterfactual": "Counterfactual (trend + season)",
    "placebo-counterfactual": "Placebo check of the counterfactual",
    "did": "Difference-in-differences",
    "placebo-did": "Placebo check of DiD",
}


def objective_of(kpi: str) -> str:
    """The objective label a KPI belongs to, or ``"Other"`` for a custom KPI."""
    for objective in OBJECTIVES:
        if kpi in objective.kpis:
            return objective.label
    return "Other"


def format_change(value: float, kpi: Kpi, currency: str = "") -> str:
    """A signed KPI change in the KPI's unit: fractions in percentage points.

    Parameters
    ----------
    value : float
        Change in KPI units (a fraction KPI's 0.05 reads "+5.0 points").
    kpi : Kpi
    currency : str

    Returns
    -------
    str
        ``"+5.0 points"``, ``"-EUR 1,234"``, ``"+EUR 1,234"``, ``"-5.5 days"``, ``"+0.21"``.
    """
    if value is None or not np.isfinite(value):
        return "n/a"
    if kpi.unit == "fraction":
        return f"{value * 100:+.1f} points"
    if kpi.unit == "score":
        return f"{value:+.2f}"
    if kpi.unit == "count":
        return f"{value:+,.1f}" if abs(value) < 100 else f"{value:+,.0f}"
    text = format_value(value, kpi, currency)
    return text if text.startswith("-") else "+" + text


def format_target(goal: Goal, kpi: Kpi, currency: str = "") -> str:
    """A goal's target in words: ``"+5.0 points"`` (absolute) or ``"-20%"`` (relative)."""
    if goal.target_kind == "relative":
        return f"{goal.target * 100:+.0f}%"
    return format_change(goal.target, kpi, currency)


def baseline_means(case: Case, group: str = "treated") -> dict[str, float]:
    """Mean of every KPI over the baseline months, for one group.

    Parameters
    ----------
    case : roi_kit.case.config.Case
    group : {"treated", "control"}

    Returns
    -------
    dict of str to float
        KPI name -> mean in KPI units (NaN when no baseline month has a value).
    """
    out: dict[str, float] = {}
    b0, b1 = case.baseline
    for name in kpi_columns(case):
        series = adopt.kpi_series(case, name, group)
        inside = series[(series.index >= b0) & (series.index <= b1)]
        out[name] = float(inside.mean()) if len(inside) else math.nan
    return out


def _level(value: float, kpi: Kpi, currency: str) -> str:
    """A KPI level for tables; a mean count keeps one decimal (14.4 churned a month)."""
    if kpi.unit == "count" and np.isfinite(value) and abs(value) < 1000:
        return f"{value:,.1f}"
    return format_value(value, kpi, currency)


def _target_change(goal: Goal, base: float) -> float:
    """The target as a change in KPI units (a relative target times the baseline mean)."""
    return goal.target * base if goal.target_kind == "relative" else goal.target


def _goal_meaning(goal: Goal, kpi: Kpi, base: float, currency: str) -> str:
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
    change = _target_change(goal, base)
    reach = base + change
    bound = "at least" if goal.target > 0 else "at most"
    return (
        f"{kpi.label} {bound} {_level(reach, kpi, currency)} a month on average "
        f"(baseline {_level(base, kpi, currency)}, change "
        f"{format_change(change, kpi, currency)}) beyond trend and season"
    )


def goals_table(case: Case, goals: Sequence[Goal] | None = None) -> pd.DataFrame:
    """The goals as a display table.

    Parameters
    ----------
    case : roi_kit.case.config.Case
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
                "objective": objective_of(goal.kpi),
                "better": goal.direction,
                "target": f"{format_target(goal, kpi, case.currency)} ({goal.target_kind})",
                "baseline level": _level(base, kpi, case.currency),
                "what meeting it means": _goal_meaning(goal, kpi, base, case.currency),
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


def goal_records(goals: Sequence[Goal]) -> list[dict[str, Any]]:
    """Goals as ``case.yml`` entries (``{kpi, target, target_kind}``) for saving.

    ``direction`` is left out: the KPI's own direction applies when the case loads.
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
    case : roi_kit.case.config.Case
    new_path : str or Path
        The new ``.yml`` file (relative paths are relative to the working directory, which
        is ``notebooks/`` in a notebook). :func:`roi_kit.case.config.save_case_config` refuses an
        existing file and any file in the sample case.
    goals : sequence of Goal

    Returns
    -------
    (bool, str)
        Whether it was saved, and a message for the user (the path written, or the reason
        it was not).
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


def _html_table(frame: pd.DataFrame) -> str:
    return frame.to_html(index=False, escape=True, border=0, classes="roi-table")


def _note(text: str, *, warn: bool = False) -> str:
    cls = "roi-warn" if warn else "roi-note"
    return f'<div class="{cls}">{html.escape(text)}</div>'


def display_lines(lines: Sequence[str]) -> None:
    """Display sentences as a bulleted list (HTML-escaped; the same in both modes)."""
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    display(HTML(f"<ul>{items}</ul>"))


def _emit(parts: Sequence[str | Figure], report_mode: bool) -> w.Widget | None:
    """Show HTML strings and figures: displayed (report) or as a widget (interactive)."""
    if report_mode:
        display(HTML(_TABLE_STYLE))
        for part in parts:
            if isinstance(part, Figure):
                show_figure(part)
            else:
                display(HTML(part))
        return None
    children: list[w.Widget] = [w.HTML(_TABLE_STYLE)]
    for part in parts:
        if isinstance(part, Figure):
            out = w.Output()
            with out:
                show_figure(part)
            children.append(out)
        else:
            children.append(w.HTML(part))
    return w.VBox(children)


def goals_panel(case: Case, *, report_mode: bool = False) -> w.Widget | None:
    """Choose objectives and KPIs, set targets, and save them to a new case file.

    Interactive: one row per KPI of the case's data, grouped by objective (tick it, type the
    target, choose absolute or relative); a live preview of the goals table; a path box and a
    "Save to a new case file" button calling :func:`save_goals` (its message, success or
    refusal, is shown in the panel). Report mode: the case's goals table.

    Parameters
    ----------
    case : roi_kit.case.config.Case
    report_mode : bool

    Returns
    -------
    ipywidgets.Widget or None
        The panel (interactive; attributes ``rows`` (kpi -> (checkbox, target, kind)),
        ``path_text``, ``save_button``, ``status``, ``current_goals()``), or None after
        displaying the static table.
    """
    if report_mode:
        table = goals_table(case)
        if table.empty:
            return _emit([_note("This case sets no goals yet (goals: in case.yml).")], True)
        return _emit([_html_table(table)], True)

    present = set(kpi_columns(case))
    current = {g.kpi: g for g in case.goals}
    groups: list[tuple[str, list[str]]] = [
        (f"{o.label} - {o.source}", [k for k in o.kpis if k in present]) for o in OBJECTIVES
    ]
    custom = [k.name for k in case.custom_kpis if k.name in present]
    if custom:
        groups.append(("Other (custom KPIs)", custom))
    rows: dict[str, tuple[w.Checkbox, w.FloatText, w.Dropdown]] = {}
    boxes: list[w.Widget] = []
    for title, names in groups:
        if not names:
            continue
        boxes.append(w.HTML(f"<b>{html.escape(title)}</b>"))
        for name in names:
            kpi = get_kpi(name, case.custom_kpis)
            goal = current.get(name)
            # An unticked KPI starts at a 10% improvement, a common first target.
            default = 0.10 if kpi.direction == "higher" else -0.10
            tick = w.Checkbox(
                value=goal is not None,
                description=f"{kpi.label} ({kpi.direction} is better)",
                indent=False,
                layout=w.Layout(width="22em"),
            )
            target = w.FloatText(
                value=goal.target if goal else default,
                step=0.01,
                description="target",
                layout=w.Layout(width="13em"),
                style={"description_width": "4em"},
            )
            kind = w.Dropdown(
                options=["absolute", "relative"],
                value=goal.target_kind if goal else "relative",
                layout=w.Layout(width="9em"),
            )
            rows[name] = (tick, target, kind)
            boxes.append(w.HBox([tick, target, kind]))
    help_text = w.HTML(
        "<i>absolute</i>: change in the KPI's unit (win rate 0.05 = five points); "
        "<i>relative</i>: fraction of the baseline (-0.20 = 20% lower)."
    )
    preview = w.HTML()
    path_text = w.Text(
        placeholder="e.g. ../my_case/case_v2.yml",
        description="new file",
        layout=w.Layout(width="34em"),
    )
    save_button = w.Button(description="Save to a new case file", icon="save")
    save_button.layout.width = "16em"
    status = w.HTML()

    def current_goals() -> list[Goal]:
        out = []
        for name, (tick, target, kind) in rows.items():
            if tick.value:
                kpi = get_kpi(name, case.custom_kpis)
                out.append(Goal(name, float(target.value), kind.value, kpi.direction))
        return out

    def refresh(_change=None) -> None:
        table = goals_table(case, current_goals())
        preview.value = (
            _TABLE_STYLE + _html_table(table) if not table.empty else _note("No KPI ticked.")
        )

    def save(_button=None) -> None:
        ok, message = save_goals(case, path_text.value, current_goals())
        status.value = _note(message, warn=not ok)

    for tick, target, kind in rows.values():
        for control in (tick, target, kind):
            control.observe(refresh, names="value")
    save_button.on_click(save)
    refresh()
    panel = w.VBox(
        [
            w.VBox(boxes),
            help_text,
            w.HTML("<b>Goals as chosen</b>"),
            preview,
            w.HBox([path_text, save_button]),
            status,
        ]
    )
    panel.rows = rows
    panel.path_text = path_text
    panel.save_button = save_button
    panel.status = status
    panel.current_goals = current_goals
    return panel


# --------------------------------------------------------------------------------------
# Baseline and quality
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BaselineFacts:
    """What the baseline holds, for the plain statement of what it can support.

    Attributes
    ----------
    start, end : pandas.Period
        The baseline window of ``case.yml``.
    months : int
        Baseline months with a row for the treated group.
    calendar_months : int
        Distinct calendar months (1-12) among them.
    seasonal : bool
        Enough months for the seasonal counterfactual (``MIN_SEASONAL_MONTHS``, all twelve
        calendar months).
    has_control : bool
        A control group is declared.
    control : str
        Its name ("" without one).
    control_months : int
        Baseline months with a control row.
    quality_score : int
        0-100 from :func:`roi_kit.case.quality.check_case`.
    errors, warnings : int
        Counts of quality findings.
    """

    start: pd.Period
    end: pd.Period
    months: int
    calendar_months: int
    seasonal: bool
    has_control: bool
    control: str
    control_months: int
    quality_score: int
    errors: int
    warnings: int


def _group_months(case: Case, group: str) -> pd.PeriodIndex:
    rows = case.kpis
    if case.groups is not None:
        value = case.groups.treated if group == "treated" else case.groups.control
        rows = rows[rows[case.groups.column].astype(str) == value]
    months = pd.PeriodIndex(rows["month"], freq="M").unique()
    b0, b1 = case.baseline
    return months[(months >= b0) & (months <= b1)]


def baseline_facts(case: Case, report: QualityReport | None = None) -> BaselineFacts:
    """Count what the baseline holds.

    Parameters
    ----------
    case : roi_kit.case.config.Case
    report : QualityReport, optional
        Default: :func:`roi_kit.case.quality.check_case` of the case.

    Returns
    -------
    BaselineFacts
    """
    report = report or check_case(case)
    treated = _group_months(case, "treated")
    control = _group_months(case, "control") if case.groups is not None else treated[:0]
    calendar = len(set(treated.month.tolist()))
    return BaselineFacts(
        start=case.baseline[0],
        end=case.baseline[1],
        months=len(treated),
        calendar_months=calendar,
        seasonal=len(treated) >= MIN_SEASONAL_MONTHS and calendar == 12,
        has_control=case.groups is not None,
        control="" if case.groups is None else case.groups.control,
        control_months=len(control),
        quality_score=report.score,
        errors=report.count("error"),
        warnings=report.count("warning"),
    )


def baseline_statement(facts: BaselineFacts) -> list[str]:
    """What the baseline can and cannot support, one plain sentence per point."""
    lines = [
        f"The baseline holds {facts.months} months ({facts.start} to {facts.end}) covering "
        f"{facts.calendar_months} of the 12 calendar months."
    ]
    if facts.months < MIN_BASELINE_MONTHS:
        lines.append(
            f"That is under the {MIN_BASELINE_MONTHS} months needed to see one full year: a "
            "seasonal high or low cannot be told apart from the CRM's effect."
        )
    else:
        lines.append(
            f"That is at least the {MIN_BASELINE_MONTHS} months needed to see a full year of "
            "seasons once."
        )
    if facts.seasonal:
        lines.append(
            f"It reaches the {MIN_SEASONAL_MONTHS} months the seasonal counterfactual needs "
            "(a level, a trend and 11 month-of-year effects, with noise left to measure), so "
            "notebook 04 can remove both trend and season."
        )
    else:
        lines.append(
            f"It falls short of the {MIN_SEASONAL_MONTHS} months the seasonal counterfactual "
            "needs: notebook 04 will fit a trend only, and seasonal swings stay in the result."
        )
    if facts.has_control:
        lines.append(
            f"A control group ({facts.control}, without the CRM) has {facts.control_months} "
            "baseline months: difference-in-differences can subtract what moved both groups "
            "(market, season, prices), if the two moved in parallel before go-live."
        )
    else:
        lines.append(
            "There is no control group: market-wide changes after go-live cannot be separated "
            "from the CRM's effect; only the trend-and-season counterfactual is available."
        )
    if facts.errors:
        lines.append(
            f"The data-quality report has {facts.errors} error(s): fix them first, results "
            "built on these data would be wrong."
        )
    elif facts.warnings:
        lines.append(
            f"The data-quality report has {facts.warnings} warning(s): read them before "
            "trusting the results."
        )
    else:
        lines.append(
            f"The data-quality score is {facts.quality_score}/100 with no errors or warnings."
        )
    lines.append(
        "What it cannot support: any claim about causes. A baseline is a description of the "
        "past; whether a later change is the CRM's doing is judged in notebook 04 against a "
        "counterfactual and a control group, and only for the KPIs measured here."
    )
    return lines


def baseline_headline(case: Case) -> str:
    """Quality score, baseline months, seasonal fit possible, control group: stable text."""
    facts = baseline_facts(case)
    return "\n".join(
        [
            f"data-quality score: {facts.quality_score}/100 ({facts.errors} error(s), "
            f"{facts.warnings} warning(s))",
            f"baseline months: {facts.months} ({facts.start} to {facts.end})",
            f"enough months for the seasonal counterfactual ({MIN_SEASONAL_MONTHS}): "
            + ("yes" if facts.seasonal else "no"),
            f"control group: {facts.control or 'none'}",
        ]
    )


def quality_table(report: QualityReport) -> pd.DataFrame:
    """The findings as a display table (``severity, check, where, rows, message``)."""
    rows = []
    for f in report.findings:
        shown = ", ".join(str(r) for r in f.rows[:10]) + (" ..." if len(f.rows) > 10 else "")
        where = ".".join(p for p in (f.table, f.column) if p)
        rows.append([f.severity, f.check, where, shown, f.message])
    return pd.DataFrame(rows, columns=["severity", "check", "where", "rows", "message"])


def quality_panel(case: Case, *, report_mode: bool = False) -> w.Widget | None:
    """The data-quality report: score with its rule, then the findings table.

    The same static content in both modes (there is nothing to adjust); interactive mode
    returns it as a widget.
    """
    report = check_case(case)
    head = (
        f"<p><b>Data-quality score: {report.score}/100</b> ({report.count('error')} error(s), "
        f"{report.count('warning')} warning(s), {report.count('info')} note(s)).<br>"
        f"<small>Rule: {html.escape(report.rule)}.</small></p>"
    )
    body = (
        _html_table(quality_table(report))
        if report.findings
        else "<p>No problems found: no gaps, duplicates, impossible or missing values, no "
        "outliers.</p>"
    )
    return _emit([head, body], report_mode)


def _unit_text(kpi: Kpi, currency: str) -> str:
    if kpi.unit == "currency":
        return currency or "currency"
    if kpi.unit == "fraction":
        return "%"
    return kpi.unit


def baseline_table(case: Case) -> pd.DataFrame:
    """Baseline level of every KPI, per group, formatted with units.

    Returns
    -------
    pandas.DataFrame
        Columns ``KPI, unit, better, <treated> mean, <treated> range, [<control> mean],
        months`` (display strings; range = lowest to highest baseline month).
    """
    b0, b1 = case.baseline
    treated = case.groups.treated if case.groups else "all rows"
    control = case.groups.control if case.groups else None
    rows = []
    for name in kpi_columns(case):
        kpi = get_kpi(name, case.custom_kpis)
        series = adopt.kpi_series(case, name)
        inside = series[(series.index >= b0) & (series.index <= b1)]
        row = {
            "KPI": kpi.label,
            "unit": _unit_text(kpi, case.currency),
            "better": kpi.direction,
            f"{treated} mean": _level(inside.mean(), kpi, case.currency),
            f"{treated} range": (
                f"{format_value(inside.min(), kpi, case.currency)} to "
                f"{format_value(inside.max(), kpi, case.currency)}"
            ),
        }
        if control is not None:
            other = adopt.kpi_series(case, name, "control")
            other = other[(other.index >= b0) & (other.index <= b1)]
            row[f"{control} mean"] = _level(other.mean(), kpi, case.currency)
        row["months"] = str(len(inside))
        rows.append(row)
    return pd.DataFrame(rows)


def _value_axis(ax, kpi: Kpi, currency: str) -> None:
    """Tick labels and axis title in the KPI's unit."""
    if kpi.unit == "fraction":
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.set_ylabel(f"{kpi.label} (%)")
    elif kpi.unit == "currency":
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ax.set_ylabel(f"{kpi.label} ({currency or 'currency'})")
    else:
        ax.set_ylabel(f"{kpi.label} ({kpi.unit})")


def _x(index: pd.PeriodIndex) -> np.ndarray:
    """Month positions for plotting: the first day of each month as datetimes."""
    return index.to_timestamp().to_numpy()


def _go_live_line(ax, case: Case, *, label: bool = True) -> None:
    x = pd.Period(case.go_live, "M").to_timestamp()
    ax.axvline(x, color="black", linestyle="--", linewidth=1)
    if label:
        ax.annotate(
            f"go-live {case.go_live}",
            xy=(x, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(3, -12),
            textcoords="offset points",
            fontsize=8,
            # A light box keeps the label readable where a line runs under it.
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
        )


def kpi_history_figure(case: Case, kpi_name: str, *, ax=None) -> Figure:
    """One KPI by month for the treated and control groups, baseline shaded, go-live marked.

    Parameters
    ----------
    case : roi_kit.case.config.Case
    kpi_name : str
    ax : matplotlib Axes, optional
        Draw into it (for a grid); default a new figure.

    Returns
    -------
    Figure
    """
    if ax is None:
        fig = Figure(figsize=(8, 3.6), layout="constrained")
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    kpi = get_kpi(kpi_name, case.custom_kpis)
    treated = adopt.kpi_series(case, kpi_name)
    name = case.groups.treated if case.groups else "CRM group"
    ax.plot(_x(treated.index), treated.to_numpy(), color=_TREATED, lw=1.6, label=f"{name} (CRM)")
    if case.groups is not None:
        control = adopt.kpi_series(case, kpi_name, "control")
        ax.plot(
            _x(control.index),
            control.to_numpy(),
            color=_CONTROL,
            lw=1.3,
            ls="-.",
            label=f"{case.groups.control} (control, no CRM)",
        )
    b0, b1 = case.baseline
    ax.axvspan(
        b0.to_timestamp(), (b1 + 1).to_timestamp(), color="#eeeeee", zorder=0, label="baseline"
    )
    _go_live_line(ax, case)
    _value_axis(ax, kpi, case.currency)
    ax.set_title(kpi.label, fontsize=10)
    ax.grid(axis="y", alpha=0.3)
    ax.tick_params(labelsize=8)
    return fig


def baseline_figure(case: Case, kpis: Sequence[str] | None = None, *, ncols: int = 2) -> Figure:
    """Small multiples: every KPI by month, both groups, baseline shaded, go-live marked.

    Parameters
    ----------
    case : roi_kit.case.config.Case
    kpis : sequence of str, optional
        Default: every KPI column of the case.
    ncols : int

    Returns
    -------
    Figure
    """
    names = list(kpis) if kpis is not None else kpi_columns(case)
    nrows = max(1, math.ceil(len(names) / ncols))
    fig = Figure(figsize=(5.2 * ncols, 2.6 * nrows + 0.6), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False)
    for ax, name in zip(axes.flat, names, strict=False):
        kpi_history_figure(case, name, ax=ax)
        ax.set_ylabel(_unit_text(get_kpi(name, case.custom_kpis), case.currency), fontsize=8)
    for ax in list(axes.flat)[len(names) :]:
        ax.set_visible(False)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside upper center", ncols=len(labels), frameon=False)
    return fig


def baseline_panel(case: Case, *, report_mode: bool = False) -> w.Widget | None:
    """Baseline KPIs: the table with units, and the monthly charts.

    Interactive: the table and a KPI selector with one large chart. Report mode: the table
    and every KPI's chart as small multiples.
    """
    table = _html_table(baseline_table(case))
    if report_mode:
        return _emit([table, baseline_figure(case)], True)
    names = kpi_columns(case)
    labels = [(get_kpi(n, case.custom_kpis).label, n) for n in names]
    pick = w.Dropdown(options=labels, value=names[0], description="KPI")
    out = w.Output()

    def draw(_change=None) -> None:
        fig = kpi_history_figure(case, pick.value)
        fig.axes[0].legend(loc="upper left", fontsize=8, frameon=False)
        out.clear_output(wait=True)
        with out:
            show_figure(fig)

    pick.observe(draw, names="value")
    draw()
    return w.VBox([w.HTML(_TABLE_STYLE + table), pick, out])


# --------------------------------------------------------------------------------------
# Rollout and adoption
# --------------------------------------------------------------------------------------


def adoption_summary_table(summary: adopt.AdoptionSummary) -> pd.DataFrame:
    """The adoption summary as ``measure, value`` rows of display text."""
    start, end = summary.period
    first = summary.first_month_at_threshold
    reached = (
        "not reached"
        if first is None
        else f"{first} ({summary.months_to_threshold} months after go-live)"
    )
    coverage = (
        "no trained_users column"
        if summary.training_coverage is None
        else f"{summary.training_coverage:.0%}"
    )
    rows = [
        ("Mean adoption rate", f"{summary.mean_rate:.1%} ({start} to {end})"),
        (
            "Latest adoption rate",
            f"{summary.last_rate:.1%} in {summary.last_month} "
            f"({summary.active_last:,.0f} of {summary.licensed_last:,.0f} seats)",
        ),
        (f"First month at {summary.threshold:.0%} or more", reached),
        (
            f"Months below {adopt.DEFAULT_WARNING_THRESHOLD:.0%}",
            f"{summary.months_below_warning} of the measured months",
        ),
        ("Training coverage (latest month)", coverage),
    ]
    return pd.DataFrame(rows, columns=["measure", "value"])


def adoption_headline(
    case: Case,
    *,
    target: float = adopt.DEFAULT_TARGET_RATE,
    warning_threshold: float = adopt.DEFAULT_WARNING_THRESHOLD,
) -> str:
    """Mean adoption, first month at ``target``, training coverage, warning: stable text."""
    summary = adopt.adoption_summary(case, threshold=target)
    start, end = summary.period
    first = summary.first_month_at_threshold
    reached = (
        "never"
        if first is None
        else f"{first} ({summary.months_to_threshold} months after go-live)"
    )
    coverage = "n/a" if summary.training_coverage is None else f"{summary.training_coverage:.0%}"
    warning = adopt.adoption_warning(summary, threshold=warning_threshold)
    return "\n".join(
        [
            f"mean adoption rate {start} to {end}: {summary.mean_rate:.1%}",
            f"first month at {target:.0%} or more: {reached}",
            f"training coverage in the last month: {coverage}",
            f"adoption warning (below {warning_threshold:.0%}): "
            + ("none" if warning is None else "yes"),
        ]
    )


def adoption_figure(
    case: Case,
    *,
    warning_threshold: float = adopt.DEFAULT_WARNING_THRESHOLD,
    target: float = adopt.DEFAULT_TARGET_RATE,
) -> Figure:
    """Users over time (licensed, trained, active) and the adoption rate with its levels.

    Returns
    -------
    Figure
        Two panels sharing the month axis.
    """
    table = adopt.adoption_table(case)
    x = _x(pd.PeriodIndex(table["month"], freq="M"))
    fig = Figure(figsize=(8, 5.6), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True)
    top.step(x, table["licensed_users"], where="mid", color="black", lw=1.2, label="licensed")
    if table["trained_users"].notna().any():
        top.plot(x, table["trained_users"], color=_GOOD, ls="--", label="trained (cumulative)")
    top.plot(x, table["active_users"], color=_TREATED, lw=2, marker="o", ms=3, label="active")
    top.set_ylabel("users")
    top.set_ylim(bottom=0)
    top.set_title("Seats, training and active users by month", fontsize=10)
    top.legend(loc="lower right", fontsize=8, frameon=False)
    bottom.plot(x, table["adoption_rate"], color=_TREATED, lw=2, marker="o", ms=3)
    bottom.axhline(
        warning_threshold,
        color=_BAD,
        ls="--",
        lw=1,
        label=f"warning level {warning_threshold:.0%}",
    )
    bottom.axhline(target, color=_GOOD, ls=":", lw=1.2, label=f"target {target:.0%}")
    bottom.set_ylim(0, 1.05)
    bottom.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    bottom.set_ylabel("active / licensed")
    bottom.set_title("Adoption rate", fontsize=10)
    bottom.legend(loc="lower right", fontsize=8, frameon=False)
    for ax in (top, bottom):
        ax.grid(axis="y", alpha=0.3)
        if table["month"].min() <= case.go_live <= table["month"].max():
            _go_live_line(ax, case, label=ax is top)
    return fig


def uplift_adoption_figure(case: Case, uplift: adopt.AdoptionUplift) -> Figure:
    """Scatter of each after month's KPI gap against its adoption rate, with the fitted line."""
    kpi = get_kpi(uplift.kpi, case.custom_kpis)
    fig = Figure(figsize=(6.4, 3.8), layout="constrained")
    ax = fig.add_subplot()
    x, y = uplift.table["adoption_rate"], uplift.table["gap"]
    ax.scatter(x, y, color=_TREATED, s=22, zorder=3, label="after months")
    grid = np.linspace(0, 1, 11)
    ax.plot(
        grid,
        uplift.intercept + uplift.slope * grid,
        color=_PROJECTED,
        label="fitted line",
    )
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xlim(0, 1.02)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel("adoption rate that month (active / licensed)")
    how = "vs counterfactual" if uplift.method == "counterfactual" else "vs control (DiD)"
    if kpi.unit == "fraction":
        ax.yaxis.set_major_formatter(
            FuncFormatter(lambda v, _: f"{v * 100:+.1f}" if round(v * 100, 1) else "0")
        )
        ax.set_ylabel(f"{kpi.label} gap, points")
    else:
        ax.set_ylabel(f"{kpi.label} gap ({_unit_text(kpi, case.currency)})")
    ax.set_title(f"{kpi.label}: monthly gap {how} against adoption", fontsize=10)
    ax.grid(alpha=0.3)
    # Below the axes: points can sit anywhere in the plot, a legend inside would hide some.
    fig.legend(loc="outside lower center", ncols=2, fontsize=8, frameon=False)
    return fig


def _uplift_words(case: Case, uplift: adopt.AdoptionUplift) -> str:
    kpi = get_kpi(uplift.kpi, case.custom_kpis)
    fmt = format_change
    text = (
        f"{kpi.label}: the fitted line gives {fmt(uplift.slope, kpi, case.currency)} from no "
        f"use to full use (95% interval {fmt(uplift.slope_low, kpi, case.currency)} to "
        f"{fmt(uplift.slope_high, kpi, case.currency)}; correlation {uplift.correlation:.2f}, "
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
    text += " Months are few and autocorrelated: read the interval as indicative."
    return text


def _rollout_parts(
    case: Case, warning_threshold: float, target: float, kpis: Sequence[str], method: str
) -> list[str | Figure]:
    summary = adopt.adoption_summary(case, threshold=target)
    warning = adopt.adoption_warning(summary, threshold=warning_threshold)
    verdict = (
        _note(warning, warn=True)
        if warning
        else _note(
            f"No adoption warning: mean and latest adoption rates and training coverage are "
            f"at or above {warning_threshold:.0%}. The first {summary.months_below_warning} "
            "measured month(s) were below it, so expect a smaller effect early on."
        )
    )
    parts: list[str | Figure] = [
        _html_table(adoption_summary_table(summary)),
        verdict,
        adoption_figure(case, warning_threshold=warning_threshold, target=target),
    ]
    for name in kpis:
        try:
            uplift = adopt.uplift_vs_adoption(case, name, method=method)
        except RoiKitError as exc:
            parts.append(_note(f"{name}: not computed ({exc})", warn=True))
            continue
        parts += [uplift_adoption_figure(case, uplift), _note(_uplift_words(case, uplift))]
    return parts


def rollout_panel(case: Case, *, report_mode: bool = False) -> w.Widget | None:
    """Adoption over time, the adoption warning, and KPI gap against adoption.

    Interactive: sliders for the warning level and the target rate, selectors for the KPI
    and the gap method. Report mode: the defaults (warning 60%, target 80%, counterfactual
    gap) for every goal KPI (win rate when the case has no goals).
    """
    goal_kpis = [g.kpi for g in case.goals] or ["win_rate"]
    if report_mode:
        parts = _rollout_parts(
            case,
            adopt.DEFAULT_WARNING_THRESHOLD,
            adopt.DEFAULT_TARGET_RATE,
            goal_kpis,
            "counterfactual",
        )
        return _emit(parts, True)
    style = {"description_width": "11em"}
    warn_s = w.FloatSlider(
        value=adopt.DEFAULT_WARNING_THRESHOLD,
        min=0.2,
        max=0.95,
        step=0.05,
        description="warning below",
        readout_format=".0%",
        continuous_update=False,
        style=style,
    )
    target_s = w.FloatSlider(
        value=adopt.DEFAULT_TARGET_RATE,
        min=0.3,
        max=1.0,
        step=0.05,
        description="target adoption rate",
        readout_format=".0%",
        continuous_update=False,
        style=style,
    )
    names = kpi_columns(case)
    pick = w.Dropdown(
        options=[(get_kpi(n, case.custom_kpis).label, n) for n in names],
        value=goal_kpis[0] if goal_kpis[0] in names else names[0],
        description="KPI",
        style=style,
    )
    methods = [("against the counterfactual", "counterfactual")]
    if case.groups is not None:
        methods.append(("against the control group (DiD)", "did"))
    method = w.Dropdown(options=methods, value="counterfactual", description="gap", style=style)
    out = w.VBox()

    def update(_change=None) -> None:
        parts = _rollout_parts(case, warn_s.value, target_s.value, [pick.value], method.value)
        out.children = _emit(parts, False).children

    for control in (warn_s, target_s, pick, method):
        control.observe(update, names="value")
    update()
    return w.VBox([w.HBox([w.VBox([warn_s, target_s]), w.VBox([pick, method])]), out])


# --------------------------------------------------------------------------------------
# Tracking
# --------------------------------------------------------------------------------------


def tracking_figure(
    case: Case, kpi_name: str, *, methods: Sequence[str] = ("counterfactual", "did")
) -> Figure:
    """One KPI before and after go-live, with what each method compares it against.

    - treated group's actual values (solid);
    - ``"naive"``: the baseline mean carried into the after period (what a before/after
      compares with);
    - ``"counterfactual"``: the trend-and-season projection over the after months and its
      95% prediction band (where a month would fall with no CRM);
    - ``"did"``: the control group, and the control plus the mean baseline gap (the
      treated group without the CRM, as DiD assumes).

    Parameters
    ----------
    case : roi_kit.case.config.Case
        A review case.
    kpi_name : str
    methods : sequence of {"naive", "counterfactual", "did"}

    Returns
    -------
    Figure
        The legend sits below the plot, clear of the data.
    """
    kpi = get_kpi(kpi_name, case.custom_kpis)
    treated = adopt.kpi_series(case, kpi_name)
    fig = Figure(figsize=(8.5, 4.4), layout="constrained")
    ax = fig.add_subplot()
    name = case.groups.treated if case.groups else "CRM group"
    b0, b1 = case.baseline
    a0, a1 = case.after if case.after is not None else (case.go_live, treated.index.max())
    before = treated[(treated.index >= b0) & (treated.index <= b1)]
    ax.plot(_x(treated.index), treated.to_numpy(), color=_TREATED, lw=1.8, label=f"{name}, actual")
    if "naive" in methods and len(before):
        ax.hlines(
            before.mean(),
            a0.to_timestamp(),
            (a1 + 1).to_timestamp(),
            color=_BAD,
            ls=":",
            lw=1.6,
            label="baseline mean (naive comparison)",
        )
    if "counterfactual" in methods:
        try:
            cf = counterfactual(
                treated,
                case.go_live,
                baseline=case.baseline,
                after=(a0, a1),
                direction=kpi.direction,
                kpi=kpi_name,
            )
        except RoiKitError:
            cf = None
        if cf is not None:
            xs = _x(cf.projected.index)
            ax.fill_between(
                xs,
                cf.band_low.to_numpy(),
                cf.band_high.to_numpy(),
                color=_PROJECTED,
                alpha=0.18,
                lw=0,
                label="95% prediction band (no CRM)",
            )
            ax.plot(
                xs,
                cf.projected.to_numpy(),
                color=_PROJECTED,
                ls="--",
                lw=1.6,
                label="counterfactual: trend + season, no CRM",
            )
    if "did" in methods and case.groups is not None:
        control = adopt.kpi_series(case, kpi_name, "control")
        ax.plot(
            _x(control.index),
            control.to_numpy(),
            color=_CONTROL,
            ls="-.",
            lw=1.2,
            label=f"{case.groups.control} (control, no CRM)",
        )
        gap = (treated - control).dropna()
        base_gap = gap[(gap.index >= b0) & (gap.index <= b1)].mean()
        after_ctl = control[(control.index >= a0) & (control.index <= a1)]
        if len(after_ctl) and np.isfinite(base_gap):
            ax.plot(
                _x(after_ctl.index),
                (after_ctl + base_gap).to_numpy(),
                color=_DID,
                ls="--",
                lw=1.4,
                label=f"{case.groups.control} + baseline gap (DiD: {name} without CRM)",
            )
    _go_live_line(ax, case)
    _value_axis(ax, kpi, case.currency)
    ax.set_xlabel("month")
    ax.set_title(f"{kpi.label}: before and after go-live ({kpi.direction} is better)")
    ax.grid(axis="y", alpha=0.3)
    fig.legend(loc="outside lower center", ncols=2, fontsize=8, frameon=False)
    return fig


def _kpi_of(case: Case, name: str) -> Kpi:
    return get_kpi(name, case.custom_kpis)


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
    case : roi_kit.case.config.Case
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
    out = []
    for r in rows.itertuples(index=False):
        kpi = _kpi_of(case, r.kpi)
        measured = np.isfinite(r.change)
        out.append(
            {
                "KPI": kpi.label,
                "method": METHOD_NAMES.get(r.method, r.method),
                "change": format_change(r.change, kpi, case.currency),
                "relative": f"{r.pct_change:+.1%}" if np.isfinite(r.pct_change) else "n/a",
                "95% interval": (
                    f"{format_change(r.low, kpi, case.currency)} to "
                    f"{format_change(r.high, kpi, case.currency)}"
                    if measured
                    else "n/a"
                ),
                "excludes zero": (
                    ("yes" if r.excludes_zero else "no: includes zero") if measured else "n/a"
                ),
                "reading": r.reading,
            }
        )
    columns = ["KPI", "method", "change", "relative", "95% interval", "excludes zero", "reading"]
    return pd.DataFrame(out, columns=columns)


def goal_progress(case: Case, frame: pd.DataFrame, method: str = "counterfactual") -> pd.DataFrame:
    """Each goal against the effect one method measured.

    Parameters
    ----------
    case : roi_kit.case.config.Case
    frame : pandas.DataFrame
        From ``compare_all(case)``.
    method : {"counterfactual", "did", "naive"}

    Returns
    -------
    pandas.DataFrame
        Columns ``KPI, target, target as change, measured effect, 95% interval, share of
        target, status``. A relative target becomes a change in KPI units through the
        baseline mean. Status: "met" (the whole interval is at or beyond the target), "met by
        the estimate only", "not yet met", "no evidence of a change yet" (the interval
        includes zero), "moved the wrong way" or "not measured".
    """
    rows = []
    for goal in case.goals:
        kpi = _kpi_of(case, goal.kpi)
        match = frame[(frame["kpi"] == goal.kpi) & (frame["method"] == method)]
        r = match.iloc[0] if len(match) else None
        base = float(r["baseline"]) if r is not None else math.nan
        want = _target_change(goal, base)
        change = float(r["change"]) if r is not None else math.nan
        low = float(r["low"]) if r is not None else math.nan
        high = float(r["high"]) if r is not None else math.nan
        if not np.isfinite(change) or not np.isfinite(want):
            status, share = "not measured", "n/a"
        else:
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
        rows.append(
            {
                "KPI": kpi.label,
                "target": f"{format_target(goal, kpi, case.currency)} ({goal.target_kind})",
                "target as change": format_change(want, kpi, case.currency),
                "measured effect": format_change(change, kpi, case.currency),
                "95% interval": (
                    f"{format_change(low, kpi, case.currency)} to "
                    f"{format_change(high, kpi, case.currency)}"
                ),
                "share of target": share,
                "status": status,
            }
        )
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


def load_true_effects(case: Case) -> dict[str, float] | None:
    """The known true average effects of a generated case (``true_effects.yml``), or None.

    Only a generated case (the sample) knows its true effects; a real case has none, and
    this returns None.

    Returns
    -------
    dict of str to float or None
        KPI -> true average effect over the after period, in KPI units.
    """
    path = Path(case.path) / "true_effects.yml"
    if not path.is_file():
        return None
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    effects = data.get("effects") or {}
    return {k: float(v["average_effect"]) for k, v in effects.items() if "average_effect" in v}


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
    case : roi_kit.case.config.Case
    true_effects : mapping or None
        From :func:`load_true_effects`; None gives a one-line explanation.
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
        kpi = _kpi_of(case, name)
        truth = true_effects[name]
        lines.append(f"{name}: true average effect {format_change(truth, kpi, case.currency)}")
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


def _tracking_parts(
    case: Case, frame: pd.DataFrame, names: Sequence[str], methods: Sequence[str]
) -> list[str | Figure]:
    parts: list[str | Figure] = []
    for name in names:
        kpi = _kpi_of(case, name)
        parts.append(f"<h4>{html.escape(kpi.label)}</h4>")
        parts.append(tracking_figure(case, name, methods=methods))
        rows = frame[(frame["kpi"] == name) & (frame["method"].isin(list(methods)))]
        readings = "".join(f"<li>{html.escape(t)}</li>" for t in rows["reading"])
        parts.append(f"<ul>{readings}</ul>")
    return parts


def tracking_panel(
    case: Case, *, report_mode: bool = False, frame: pd.DataFrame | None = None
) -> w.Widget | None:
    """Per-KPI tracking charts, the method comparison table and progress against goals.

    Interactive: a KPI selector and a method selector redraw the chart, the KPI's rows of
    the method table and the readings; the goal progress follows the chosen method.
    Report mode: the goal KPIs plus revenue (every KPI when there are no goals), each with
    its chart and readings, then the full method table and goal progress by the
    counterfactual and by DiD.

    Parameters
    ----------
    case : roi_kit.case.config.Case
        A review case.
    report_mode : bool
    frame : pandas.DataFrame, optional
        ``compare_all(case)``, computed when not given.
    """
    frame = compare_all(case) if frame is None else frame
    names = kpi_columns(case)
    available = ["naive", "counterfactual"] + (["did"] if case.groups is not None else [])
    if report_mode:
        wanted = [g.kpi for g in case.goals]
        if wanted and "revenue" in names and "revenue" not in wanted:
            wanted.append("revenue")
        shown = [n for n in wanted if n in names] or names
        parts = _tracking_parts(case, frame, shown, available)
        parts.append("<h4>Every KPI by every method</h4>")
        parts.append(_html_table(method_table(frame, case)))
        if case.goals:
            for method in ("counterfactual", "did"):
                if method in available:
                    parts.append(f"<h4>Progress against the goals: {METHOD_NAMES[method]}</h4>")
                    parts.append(_html_table(goal_progress(case, frame, method)))
        return _emit(parts, True)
    pick = w.Dropdown(
        options=[(_kpi_of(case, n).label, n) for n in names],
        value=case.goals[0].kpi if case.goals and case.goals[0].kpi in names else names[0],
        description="KPI",
    )
    method = w.SelectMultiple(
        options=[(METHOD_NAMES[m], m) for m in available],
        value=tuple(m for m in available if m != "naive"),
        description="methods",
        rows=len(available),
        layout=w.Layout(width="30em"),
    )
    out = w.VBox()

    def update(_change=None) -> None:
        chosen = list(method.value) or ["counterfactual"]
        parts = _tracking_parts(case, frame, [pick.value], chosen)
        parts.append(_html_table(method_table(frame, case, kpis=[pick.value], methods=chosen)))
        if case.goals:
            primary = "counterfactual" if "counterfactual" in chosen else chosen[0]
            parts.append(f"<h4>Progress against the goals: {METHOD_NAMES[primary]}</h4>")
            parts.append(_html_table(goal_progress(case, frame, primary)))
        out.children = _emit(parts, False).children

    pick.observe(update, names="value")
    method.observe(update, names="value")
    update()
    panel = w.VBox([w.HBox([pick, method]), out])
    panel.kpi_selector = pick
    panel.method_selector = method
    return panel
