"""Notebook 01's panel: choose objectives and KPIs, set targets, save them to a new case file.

Interactive, one row per KPI of the case's data, grouped by objective (tick it, type the
target, choose absolute or relative), a live preview of the goals table, and a save box.
In report mode the case's goals table is shown statically through
:func:`roi_kit.widgets.display.show`.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import ipywidgets as w

from roi_kit.case import Goal, get_kpi, kpi_columns
from roi_kit.case import goals as case_goals
from roi_kit.views import goals as goals_view
from roi_kit.views.tables import NOTE_STYLE, note_html
from roi_kit.widgets.display import show

if TYPE_CHECKING:
    from roi_kit.case import Case, Kpi

__all__ = ["GoalRow", "goal_groups", "goals_widget", "goals_panel"]

#: One KPI's controls: tick box, target, and target kind ("absolute" or "relative").
GoalRow = tuple[w.Checkbox, w.FloatText, w.Dropdown]


def goal_groups(case: Case) -> list[tuple[str, list[str]]]:
    """The case's KPI columns grouped by objective, as ``(title, KPI names)``.

    Objectives with none of the case's KPIs are left out; custom KPIs form a last group.
    """
    present = set(kpi_columns(case))
    groups = [
        (f"{o.label} - {o.source}", [k for k in o.kpis if k in present])
        for o in case_goals.OBJECTIVES
    ]
    custom = [k.name for k in case.custom_kpis if k.name in present]
    if custom:
        groups.append(("Other (custom KPIs)", custom))
    return [(title, names) for title, names in groups if names]


def _goal_row(kpi: Kpi, goal: Goal | None) -> GoalRow:
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
    return tick, target, kind


def _goal_rows(case: Case) -> tuple[dict[str, GoalRow], list[w.Widget]]:
    """The controls per KPI, and the boxes to show them in (group titles between)."""
    current = {g.kpi: g for g in case.goals}
    rows: dict[str, GoalRow] = {}
    boxes: list[w.Widget] = []
    for title, names in goal_groups(case):
        boxes.append(w.HTML(f"<b>{html.escape(title)}</b>"))
        for name in names:
            rows[name] = _goal_row(get_kpi(name, case.custom_kpis), current.get(name))
            boxes.append(w.HBox(list(rows[name])))
    return rows, boxes


def _chosen_goals(case: Case, rows: dict[str, GoalRow]) -> list[Goal]:
    out = []
    for name, (tick, target, kind) in rows.items():
        if tick.value:
            kpi = get_kpi(name, case.custom_kpis)
            out.append(Goal(name, float(target.value), kind.value, kpi.direction))
    return out


def goals_widget(case: Case) -> w.VBox:
    """The goal editor: KPI rows by objective, a live goals table and a save box.

    Parameters
    ----------
    case : roi_kit.case.Case

    Returns
    -------
    ipywidgets.VBox
        Attributes ``rows`` (kpi -> (checkbox, target, kind)), ``path_text``,
        ``save_button``, ``status`` and ``current_goals()`` (the goals as ticked). The
        button calls :func:`roi_kit.case.goals.save_goals`; its message, success or refusal,
        is shown in ``status``.
    """
    rows, boxes = _goal_rows(case)
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
        return _chosen_goals(case, rows)

    def refresh(_change=None) -> None:
        body = goals_view.goals_html(case, current_goals(), empty=goals_view.NO_KPI_TICKED)
        preview.value = NOTE_STYLE + body

    def save(_button=None) -> None:
        ok, message = case_goals.save_goals(case, path_text.value, current_goals())
        status.value = note_html(html.escape(message), warn=not ok)

    for row in rows.values():
        for control in row:
            control.observe(refresh, names="value")
    save_button.on_click(save)
    refresh()
    panel = w.VBox(
        [
            w.VBox(boxes),
            w.HTML(
                "<i>absolute</i>: change in the KPI's unit (win rate 0.05 = five points); "
                "<i>relative</i>: fraction of the baseline (-0.20 = 20% lower)."
            ),
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


def goals_panel(case: Case, *, report_mode: bool = False) -> None:
    """Show notebook 01's goals step: the editor, or (report mode) the goals table.

    Parameters
    ----------
    case : roi_kit.case.Case
    report_mode : bool
        True for a headless report: the case's goals as a static table.
    """
    if report_mode:
        show(goals_view.goals_parts(case), report_mode=True)
    else:
        show((), report_mode=False, widget=goals_widget(case))
