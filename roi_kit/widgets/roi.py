"""The ROI step (notebook 07): a slider for every assumption, NPV, ROI and cash flow live.

Recomputes through :func:`roi_kit.study.model.evaluate_case`, the model the report uses.
"""

from __future__ import annotations

import ipywidgets as w

from roi_kit.case import Case
from roi_kit.study import model
from roi_kit.views.roi import cumulative_cash_flow, roi_headline_html, roi_tables_html
from roi_kit.widgets.display import show
from roi_kit.widgets.panel import slider, slider_panel

__all__ = ["roi_slider_specs", "roi_panel", "show_roi"]

# name -> (min, max, step, readout format) for the ROI sliders; ranges wide enough to
# cover any case's low..high while keeping the slider usable.
_SLIDERS: dict[str, tuple[float, float, float, str]] = {
    "gross_margin": (0.0, 1.0, 0.01, ".0%"),
    "attribution_share": (0.0, 1.0, 0.05, ".0%"),
    "recapture_factor": (0.0, 1.0, 0.05, ".0%"),
    "hours_saved_per_user_week": (0.0, 10.0, 0.25, ".2f"),
    "loaded_hourly_rate": (0.0, 300.0, 5.0, ",.0f"),
    "cost_overrun": (0.0, 1.0, 0.05, ".0%"),
    "discount_rate": (0.0, 0.30, 0.005, ".1%"),
    "risk_benefits": (0.0, 0.5, 0.05, ".0%"),
    "risk_costs": (0.0, 0.5, 0.05, ".0%"),
}


def roi_slider_specs(params: dict) -> dict[str, tuple[float, float, float, str]]:
    """The sliders the ROI panel offers for these parameters (name -> min, max, step, fmt).

    A range is widened to hold the case's own value, so the slider starts where the case is.
    """
    out = {}
    for name, (lo, hi, step, readout) in _SLIDERS.items():
        if name in params:
            value = float(params[name])
            out[name] = (min(lo, value), max(hi, value), step, readout)
    return out


def roi_panel(case: Case, *, inputs: model.Inputs | None = None) -> w.Widget:
    """Sliders for every assumption of the ROI model; NPV, ROI and charts update live.

    Parameters
    ----------
    case : Case
    inputs : roi_kit.study.model.Inputs, optional
        Precomputed measurements (saves re-measuring).

    Returns
    -------
    ipywidgets.Widget
        ``panel.children[0]`` holds the sliders, ``panel.children[1]`` the headline,
        ``panel.children[2]`` the tables (HTML widgets); ``panel.result`` the latest
        :class:`roi_kit.study.model.CaseResult`.
    """
    inputs = inputs if inputs is not None else model.model_inputs(case)
    base = model.base_params(case, inputs)
    controls = {
        name: slider(base[name], lo, hi, step, model.PARAM_LABELS.get(name, name), readout)
        for name, (lo, hi, step, readout) in roi_slider_specs(base).items()
    }
    headline, tables = w.HTML(), w.HTML()

    def render(**params: float):
        result = model.evaluate_case(case, params, inputs=inputs)
        headline.value = roi_headline_html(result, case.currency)
        tables.value = roi_tables_html(result, case.currency)
        return result, [cumulative_cash_flow(result.evaluation, currency=case.currency)]

    return slider_panel(controls, render, header=[headline, tables])


def show_roi(case: Case, *, inputs: model.Inputs | None = None, report_mode: bool = False) -> None:
    """The ROI step: live sliders, or the static headline, chart and tables in report mode."""
    if not report_mode:
        show([], report_mode=False, widget=roi_panel(case, inputs=inputs))
        return
    result = model.evaluate_case(case, inputs=inputs)
    parts = [
        roi_headline_html(result, case.currency),
        cumulative_cash_flow(result.evaluation, currency=case.currency),
        roi_tables_html(result, case.currency),
    ]
    show(parts, report_mode=True)
