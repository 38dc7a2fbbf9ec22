"""Notebook 02's panels: the data-quality report, the baseline KPIs, the baseline statement.

Interactive, the baseline panel has a KPI selector with one large chart; in report mode
every KPI's chart is shown as small multiples. Both modes go through
:func:`roi_kit.widgets.display.show`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import ipywidgets as w

from roi_kit.case import check_case, get_kpi, kpi_columns
from roi_kit.views import baseline as baseline_view
from roi_kit.views.tables import NOTE_STYLE, table_html
from roi_kit.widgets.display import Part, as_widget, show, show_html
from roi_kit.widgets.panel import slider_panel

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from roi_kit.case import Case

__all__ = [
    "quality_widget",
    "quality_panel",
    "baseline_widget",
    "baseline_panel",
    "display_lines",
]


def quality_widget(case: Case) -> w.Widget:
    """The data-quality report (score, rule, findings) as a static widget."""
    return as_widget(baseline_view.quality_parts(check_case(case)))


def quality_panel(case: Case, *, report_mode: bool = False) -> None:
    """Show the data-quality report: the same static content in both modes.

    There is nothing to adjust, so interactive mode shows the same parts as a widget.
    """
    show(baseline_view.quality_parts(check_case(case)), report_mode=report_mode)


def _history(case: Case, kpi: str) -> tuple[Figure, Sequence[Part]]:
    fig = baseline_view.kpi_history_figure(case, kpi)
    # One large chart: its own legend, inside (the small multiples share one on top).
    fig.axes[0].legend(loc="upper left", fontsize=8, frameon=False)
    return fig, [fig]


def baseline_widget(case: Case) -> w.VBox:
    """The baseline table and a KPI selector with one large chart.

    Returns
    -------
    ipywidgets.VBox
        ``panel.kpi_selector`` is the dropdown; ``panel.result`` the latest figure.
    """
    names = kpi_columns(case)
    labels = [(get_kpi(n, case.custom_kpis).label, n) for n in names]
    pick = w.Dropdown(options=labels, value=names[0], description="KPI")
    chart = slider_panel({"kpi": pick}, lambda kpi: _history(case, kpi))
    panel = w.VBox([w.HTML(NOTE_STYLE + table_html(baseline_view.baseline_table(case))), chart])
    panel.kpi_selector = pick
    panel.chart = chart
    return panel


def baseline_panel(case: Case, *, report_mode: bool = False) -> None:
    """Show the baseline KPIs: the table with units, and the monthly charts.

    Interactive: the table and a KPI selector with one large chart. Report mode: the table
    and every KPI's chart as small multiples.
    """
    if report_mode:
        show(baseline_view.baseline_parts(case), report_mode=True)
    else:
        show((), report_mode=False, widget=baseline_widget(case))


def display_lines(lines: Sequence[str]) -> None:
    """Display sentences as a bulleted list (HTML-escaped; the same in both modes)."""
    show_html(baseline_view.statement_html(lines))
