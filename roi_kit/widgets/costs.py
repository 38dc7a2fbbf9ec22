"""The costs step's sliders (notebook 06): cost overrun and TEI cost risk, the TCO live.

Every move reruns :func:`roi_kit.views.costs.cost_view`; in report mode a grid of the
risk-adjusted TCO over both stands in for the sliders.
"""

from __future__ import annotations

import ipywidgets as w

from roi_kit.case import Case
from roi_kit.views.costs import (
    CostView,
    cost_headline_html,
    cost_split_table,
    cost_view,
    costs_by_year_figure,
    one_time_recurring_figure,
    overrun_grid_table,
    tco_display_table,
)
from roi_kit.views.tables import table_html
from roi_kit.widgets.display import show
from roi_kit.widgets.panel import slider, slider_panel

__all__ = ["show_costs_overview", "costs_panel", "show_costs_panel"]

_SIZE = {"width": "36em", "label_width": "12em"}


def show_costs_overview(view: CostView) -> None:
    """Display the TCO table and the two cost charts (static: the same in both modes)."""
    parts = [
        table_html(tco_display_table(view), index=True),
        costs_by_year_figure(view),
        table_html(cost_split_table(view)),
        one_time_recurring_figure(view),
    ]
    show(parts, report_mode=True)


def costs_panel(case: Case) -> w.Widget:
    """Sliders for the uncertain costs (overrun, cost risk) with the TCO updating.

    Parameters
    ----------
    case : Case

    Returns
    -------
    ipywidgets.Widget
        A VBox; ``panel.children[0]`` holds the two sliders, ``panel.result`` the latest
        :class:`~roi_kit.views.costs.CostView`.
    """
    base = cost_view(case)
    controls = {
        "overrun": slider(base.overrun, 0.0, 1.0, 0.01, "Cost overrun", ".0%", **_SIZE),
        "risk_costs": slider(base.risk_costs, 0.0, 0.5, 0.01, "Cost risk (TEI)", ".0%", **_SIZE),
    }

    def render(overrun: float, risk_costs: float):
        view = cost_view(case, overrun=overrun, risk_costs=risk_costs)
        parts = [
            cost_headline_html(view),
            costs_by_year_figure(view),
            table_html(tco_display_table(view), index=True),
        ]
        return view, parts

    return slider_panel(controls, render)


def show_costs_panel(case: Case, *, report_mode: bool = False) -> None:
    """Display the cost sliders, or in report mode a grid of their effect.

    Parameters
    ----------
    case : Case
    report_mode : bool
        True: the risk-adjusted TCO for a grid of overrun and cost risk values.
    """
    if not report_mode:
        show([], report_mode=False, widget=costs_panel(case))
        return
    parts = [cost_headline_html(cost_view(case)), table_html(overrun_grid_table(case), index=True)]
    show(parts, report_mode=True)
