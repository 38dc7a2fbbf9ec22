"""The benefits step's sliders (notebook 05): the benefit assumptions, recomputed live.

Every move reruns :func:`roi_kit.views.benefits.benefit_view` (the one model); in report mode
a table of what the sliders move stands in for them.
"""

from __future__ import annotations

import ipywidgets as w

from roi_kit.case import Case
from roi_kit.study import model
from roi_kit.views.benefits import (
    SLIDER_ASSUMPTIONS,
    BenefitView,
    benefit_headline_html,
    benefit_lines_table,
    benefit_view,
    benefit_waterfall,
    revenue_views_figure,
    revenue_views_table,
    slider_sensitivity_table,
)
from roi_kit.views.tables import table_html
from roi_kit.widgets.display import Part, show
from roi_kit.widgets.panel import slider, slider_panel

__all__ = [
    "revenue_views_parts",
    "show_revenue_views",
    "benefits_panel",
    "show_benefits_panel",
]

_SIZE = {"width": "36em", "label_width": "12em"}


def revenue_views_parts(view: BenefitView) -> list[Part]:
    """The revenue view beside the margin view: the table and the figure."""
    return [table_html(revenue_views_table(view)), revenue_views_figure(view)]


def show_revenue_views(view: BenefitView) -> None:
    """Display the revenue view beside the margin view (static: the same in both modes)."""
    show(revenue_views_parts(view), report_mode=True)


def _render(view: BenefitView) -> list[Part]:
    return [
        benefit_headline_html(view),
        benefit_waterfall(view),
        *revenue_views_parts(view),
        table_html(benefit_lines_table(view)),
    ]


def benefits_panel(case: Case, inputs: model.Inputs) -> w.Widget:
    """Sliders for the benefit assumptions, recomputing through the model.

    Parameters
    ----------
    case : Case
    inputs : Inputs
        From :func:`roi_kit.study.model.model_inputs`.

    Returns
    -------
    ipywidgets.Widget
        A VBox; ``panel.children[0]`` holds the sliders (keyed by parameter name in
        ``panel.sliders``), ``panel.result`` the latest :class:`BenefitView`.
    """
    base = model.base_params(case, inputs)
    sliders = {
        name: slider(base.get(name, lo), lo, hi, step, label, fmt, **_SIZE)
        for name, (label, lo, hi, step, fmt) in SLIDER_ASSUMPTIONS.items()
    }

    def render(**overrides: float):
        view = benefit_view(case, inputs, overrides)
        return view, _render(view)

    panel = slider_panel(sliders, render)
    panel.sliders = sliders
    return panel


def show_benefits_panel(case: Case, inputs: model.Inputs, *, report_mode: bool = False) -> None:
    """Display the benefit sliders, or in report mode what they move (a static table).

    Parameters
    ----------
    case : Case
    inputs : Inputs
    report_mode : bool
        True: a table of the risk-adjusted benefit with each slider assumption at its
        low and high value (a shared report has no kernel to move sliders).
    """
    if not report_mode:
        show([], report_mode=False, widget=benefits_panel(case, inputs))
        return
    show([table_html(slider_sensitivity_table(case, inputs))], report_mode=True)
