"""The worked examples' sliders (notebook 09): the baselines the articles leave out.

Each panel recomputes through :mod:`roi_kit.study.worked_examples`; in report mode the same
tables and figure are shown statically for the notebook's parameters.
"""

from __future__ import annotations

from dataclasses import replace

import ipywidgets as w
import pandas as pd

from roi_kit.errors import FinanceInputError
from roi_kit.money import references
from roi_kit.study.worked_examples import (
    B2BAssumptions,
    HealthcareAssumptions,
    b2b_example,
    healthcare_example,
    healthcare_sensitivity,
)
from roi_kit.views.references import references_html
from roi_kit.views.worked_examples import (
    b2b_cash_flow_figure,
    b2b_html,
    healthcare_html,
    sensitivity_figure,
)
from roi_kit.widgets.display import Part, show
from roi_kit.widgets.panel import int_slider, slider, slider_panel

__all__ = [
    "b2b_panel",
    "show_b2b",
    "healthcare_panel",
    "show_healthcare",
    "references_panel",
    "show_references",
]

_SIZE = {"width": "38em", "label_width": "12em"}
_STYLE = {"description_width": "12em"}


def _cannot(exc: FinanceInputError, what: str = "compute") -> str:
    # The message names the input and the rule (FinanceInputError); no traceback in a widget.
    return f"<p><b>Cannot {what}:</b> {exc}</p>"


def _example_panel(controls: dict, a, parts, currency: str) -> w.Widget:
    """A worked example's slider panel: ``parts(a', currency) -> (result, tables html, figure)``
    recomputed with the sliders' values in ``a``; a slider value the example refuses shows why
    in place of the tables (``panel.result`` is then None)."""
    tables = w.HTML()

    def render(**values):
        try:
            res, tables.value, fig = parts(replace(a, **values), currency)
        except FinanceInputError as exc:
            tables.value = _cannot(exc)
            return None, []
        return res, [fig]

    return slider_panel(controls, render, header=[tables])


def _b2b_parts(a: B2BAssumptions, currency: str):
    res = b2b_example(a)
    return res, b2b_html(res, currency), b2b_cash_flow_figure(res, currency)


def b2b_panel(a: B2BAssumptions | None = None, currency: str = "") -> w.Widget:
    """Sliders for the B2B baseline the article leaves out, with every ROI live.

    Parameters
    ----------
    a : B2BAssumptions, optional
        Starting values.
    currency : str

    Returns
    -------
    ipywidgets.Widget
        A VBox; ``panel.children[0]`` holds the sliders, ``panel.children[1]`` the tables
        (an HTML widget); ``panel.result`` the latest :class:`B2BResult` (None while the
        sliders give no valid case).
    """
    a = a or B2BAssumptions()
    top_rev = max(a.baseline_revenue * 4, 1_000_000.0)
    top_cost = max(a.crm_initial_cost * 4, a.crm_annual_cost * 4, 100_000.0)
    controls = {
        "baseline_revenue": slider(
            a.baseline_revenue,
            top_rev / 100,
            top_rev,
            top_rev / 400,
            "Baseline revenue",
            ",.0f",
            **_SIZE,
        ),
        "gross_margin": slider(a.gross_margin, 0.01, 1.0, 0.01, "Gross margin", ".0%", **_SIZE),
        "operating_cost": slider(
            a.operating_cost, 0.0, top_rev, top_rev / 400, "Operating cost / year", ",.0f", **_SIZE
        ),
        "crm_initial_cost": slider(
            a.crm_initial_cost, 0.0, top_cost, top_cost / 400, "CRM cost up front", ",.0f", **_SIZE
        ),
        "crm_annual_cost": slider(
            a.crm_annual_cost, 0.0, top_cost, top_cost / 400, "CRM cost / year", ",.0f", **_SIZE
        ),
        "discount_rate": slider(a.discount_rate, 0.0, 0.30, 0.005, "Discount rate", ".1%", **_SIZE),
        "years": int_slider(a.years, 1, 10, "Years", **_SIZE),
    }
    return _example_panel(controls, a, _b2b_parts, currency)


def show_b2b(
    a: B2BAssumptions | None = None, *, currency: str = "", report_mode: bool = False
) -> None:
    """Display the B2B case in money: sliders, or static tables and a figure in reports.

    Parameters
    ----------
    a : B2BAssumptions, optional
    currency : str
    report_mode : bool
        True renders static HTML and a PNG (a report has no kernel behind it).
    """
    if not report_mode:
        show([], report_mode=False, widget=b2b_panel(a, currency))
        return
    _res, html, fig = _b2b_parts(a or B2BAssumptions(), currency)
    show([html, fig], report_mode=True)


def _healthcare_parts(a: HealthcareAssumptions, currency: str):
    res = healthcare_example(a)
    by_margin, by_cost = healthcare_sensitivity(a)
    fig = sensitivity_figure(by_margin, by_cost, a, currency=currency)
    return res, healthcare_html(res, currency), fig


def healthcare_panel(a: HealthcareAssumptions | None = None, currency: str = "") -> w.Widget:
    """Sliders for the healthcare baseline: which revenue, margin and cost give 250%.

    Parameters
    ----------
    a : HealthcareAssumptions, optional
    currency : str

    Returns
    -------
    ipywidgets.Widget
        A VBox; ``panel.children[0]`` holds the sliders, ``panel.children[1]`` the tables;
        ``panel.result`` the latest :class:`HealthcareResult` (None while invalid).
    """
    a = a or HealthcareAssumptions()
    top_rev = max(a.baseline_revenue * 4, 1_000_000.0)
    top_cost = max(a.crm_cost * 5, 100_000.0)
    controls = {
        "baseline_revenue": slider(
            a.baseline_revenue,
            top_rev / 100,
            top_rev,
            top_rev / 400,
            "Baseline revenue",
            ",.0f",
            **_SIZE,
        ),
        "gross_margin": slider(a.gross_margin, 0.01, 1.0, 0.01, "Gross margin", ".0%", **_SIZE),
        "crm_cost": slider(
            a.crm_cost, top_cost / 100, top_cost, top_cost / 500, "CRM cost", ",.0f", **_SIZE
        ),
        "discount_rate": slider(a.discount_rate, 0.0, 0.30, 0.005, "Discount rate", ".1%", **_SIZE),
    }
    return _example_panel(controls, a, _healthcare_parts, currency)


def show_healthcare(
    a: HealthcareAssumptions | None = None, *, currency: str = "", report_mode: bool = False
) -> None:
    """Display the healthcare case: sliders, or static tables and a figure in reports.

    Parameters
    ----------
    a : HealthcareAssumptions, optional
    currency : str
    report_mode : bool
    """
    if not report_mode:
        show([], report_mode=False, widget=healthcare_panel(a, currency))
        return
    _res, html, fig = _healthcare_parts(a or HealthcareAssumptions(), currency)
    show([html, fig], report_mode=True)


def references_panel(
    user_roi: float, definition: str = "simple", refs: pd.DataFrame | None = None
) -> w.Widget:
    """Your ROI (typed in, with its definition) beside each published reference point.

    Parameters
    ----------
    user_roi : float
        In the unit of ``definition`` (see :func:`roi_kit.money.references.compare_to_references`).
    definition : str
    refs : DataFrame, optional
        Default :func:`roi_kit.money.references.load_reference_points`.

    Returns
    -------
    ipywidgets.Widget
        ``panel.children[0]`` holds the two inputs, ``panel.children[1]`` the comparison
        (an HTML widget); ``panel.result`` the latest comparison table.
    """
    refs = references.load_reference_points() if refs is None else refs
    choices = [(d.label, d.code) for d in references.DEFINITIONS.values() if d.family != "none"]
    controls = {
        "user_roi": w.FloatText(value=user_roi, description="Your ROI", style=_STYLE),
        "code": w.Dropdown(
            options=choices, value=definition, description="Definition", style=_STYLE
        ),
    }
    out = w.HTML()

    def render(user_roi: float, code: str) -> tuple[object, list[Part]]:
        try:
            table = references.compare_to_references(user_roi, code, refs)
        except FinanceInputError as exc:
            out.value = _cannot(exc, "compare")
            return None, []
        out.value = references_html(table)
        return table, []

    return slider_panel(controls, render, header=[out])


def show_references(
    user_roi: float,
    definition: str = "simple",
    refs: pd.DataFrame | None = None,
    *,
    report_mode: bool = False,
) -> None:
    """Display the reference comparison: live inputs, or a static table in reports.

    Parameters
    ----------
    user_roi : float
    definition : str
    refs : DataFrame, optional
    report_mode : bool
    """
    if not report_mode:
        show([], report_mode=False, widget=references_panel(user_roi, definition, refs))
        return
    refs = references.load_reference_points() if refs is None else refs
    table = references.compare_to_references(user_roi, definition, refs)
    show([references_html(table)], report_mode=True)
