"""Notebook 04's panel: per-KPI tracking charts, the method table and progress against goals.

Interactive: a KPI selector and a method selector redraw the chart, the KPI's rows of the
method table and the readings; the goal progress follows the chosen method. Report mode:
the goal KPIs plus revenue (every KPI when there are no goals), each with its chart and
readings, then the full method table and goal progress by the counterfactual and by DiD.
The counterfactual fits happen in :func:`roi_kit.measure.progress.tracking_lines`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import ipywidgets as w
import pandas as pd

from roi_kit.case import get_kpi, kpi_columns
from roi_kit.measure import compare_all, progress
from roi_kit.views import tracking as tracking_view
from roi_kit.views.tables import table_html
from roi_kit.widgets.display import Part, show
from roi_kit.widgets.panel import slider_panel

if TYPE_CHECKING:
    from roi_kit.case import Case

__all__ = ["available_methods", "report_kpis", "tracking_widget", "tracking_panel"]


def available_methods(case: Case) -> list[str]:
    """The methods a case supports: naive and counterfactual, DiD with a control group."""
    return ["naive", "counterfactual"] + (["did"] if case.groups is not None else [])


def report_kpis(case: Case) -> list[str]:
    """The KPIs a report shows: the goal KPIs plus revenue, or every KPI without goals."""
    names = kpi_columns(case)
    wanted = [g.kpi for g in case.goals]
    if wanted and "revenue" in names and "revenue" not in wanted:
        wanted.append("revenue")
    return [n for n in wanted if n in names] or names


def _lines(case: Case, names: Sequence[str], methods: Sequence[str]):
    return {n: progress.tracking_lines(case, n, methods=methods) for n in names}


def _report_parts(case: Case, frame: pd.DataFrame) -> list[Part]:
    methods = available_methods(case)
    parts = tracking_view.kpi_parts(case, frame, _lines(case, report_kpis(case), methods), methods)
    parts.append("<h4>Every KPI by every method</h4>")
    parts.append(table_html(tracking_view.method_table(frame, case)))
    for method in ("counterfactual", "did"):
        if method in methods:
            parts += tracking_view.progress_parts(case, frame, method)
    return parts


def tracking_widget(case: Case, frame: pd.DataFrame) -> w.VBox:
    """A KPI selector and a method selector over one KPI's chart, table rows and progress.

    Parameters
    ----------
    case : roi_kit.case.Case
    frame : pandas.DataFrame
        ``compare_all(case)``.

    Returns
    -------
    ipywidgets.VBox
        ``panel.kpi_selector``, ``panel.method_selector``; ``panel.result`` is the
        :class:`~roi_kit.measure.progress.TrackingLines` of the chosen KPI.
    """
    names = kpi_columns(case)
    available = available_methods(case)
    pick = w.Dropdown(
        options=[(get_kpi(n, case.custom_kpis).label, n) for n in names],
        value=case.goals[0].kpi if case.goals and case.goals[0].kpi in names else names[0],
        description="KPI",
    )
    method = w.SelectMultiple(
        options=[(tracking_view.METHOD_NAMES[m], m) for m in available],
        value=tuple(m for m in available if m != "naive"),
        description="methods",
        rows=len(available),
        layout=w.Layout(width="30em"),
    )

    def render(kpi: str, methods: Sequence[str]):
        chosen = list(methods) or ["counterfactual"]
        lines = _lines(case, [kpi], chosen)
        parts = tracking_view.kpi_parts(case, frame, lines, chosen)
        table = tracking_view.method_table(frame, case, kpis=[kpi], methods=chosen)
        parts.append(table_html(table))
        primary = "counterfactual" if "counterfactual" in chosen else chosen[0]
        parts += tracking_view.progress_parts(case, frame, primary)
        return lines[kpi], parts

    panel = slider_panel({"kpi": pick, "methods": method}, render)
    panel.kpi_selector = pick
    panel.method_selector = method
    return panel


def tracking_panel(
    case: Case, *, report_mode: bool = False, frame: pd.DataFrame | None = None
) -> None:
    """Show notebook 04's tracking step (the live panel, or the static report parts).

    Parameters
    ----------
    case : roi_kit.case.Case
        A review case.
    report_mode : bool
    frame : pandas.DataFrame, optional
        ``compare_all(case)``, computed when not given.
    """
    frame = compare_all(case) if frame is None else frame
    if report_mode:
        show(_report_parts(case, frame), report_mode=True)
    else:
        show((), report_mode=False, widget=tracking_widget(case, frame))
