"""The quick ROI calculator (notebook 00): gain, cost, rate and years on sliders.

Recomputes through :func:`roi_kit.money.finance.quick_estimate`, the same function the report
uses; in report mode the same table and chart are shown statically.
"""

from __future__ import annotations

import ipywidgets as w

from roi_kit.money import finance
from roi_kit.views.roi import cumulative_cash_flow
from roi_kit.views.tables import table_html
from roi_kit.widgets.display import Part, show
from roi_kit.widgets.panel import int_slider, slider, slider_panel

__all__ = ["quick_roi_panel", "show_quick_roi"]

_WIDTH, _LABEL = "34em", "9em"


def _parts(q: finance.QuickEstimate, currency: str) -> tuple[str, Part]:
    """The estimate's table (escaped HTML) and its cumulative cash-flow figure."""
    return table_html(finance.quick_table(q, currency)), cumulative_cash_flow(
        q.evaluation, currency=currency
    )


def quick_roi_panel(
    gain: float,
    cost: float,
    *,
    discount_rate: float = 0.10,
    years: int = 3,
    currency: str = "",
) -> w.Widget:
    """Sliders for gain, cost, discount rate and years with live ROI, NPV and payback.

    Parameters
    ----------
    gain : float, currency
        Starting total gain over the period.
    cost : float, currency
        Starting up-front cost.
    discount_rate : float, fraction per year
    years : int
    currency : str

    Returns
    -------
    ipywidgets.Widget
        A VBox; ``panel.children[0]`` holds the sliders, ``panel.children[1]`` the live
        table (an HTML widget), ``panel.result`` the latest
        :class:`~roi_kit.money.finance.QuickEstimate`.
    """
    top = max(gain, cost) * 5 or 100_000.0  # room to move either way from the start
    size = {"width": _WIDTH, "label_width": _LABEL}
    controls = {
        "gain": slider(gain, 0, top, top / 1000, "Gain (total)", ",.0f", **size),
        "cost": slider(cost, top / 1000, top, top / 1000, "Cost (up front)", ",.0f", **size),
        "discount_rate": slider(discount_rate, 0.0, 0.30, 0.005, "Discount rate", ".1%", **size),
        "years": int_slider(years, 1, 10, "Years", **size),
    }
    table = w.HTML()

    def render(gain: float, cost: float, discount_rate: float, years: int):
        q = finance.quick_estimate(gain, cost, years=years, discount_rate=discount_rate)
        # The table stays one HTML widget (updated in place), the figure goes below it.
        table.value, fig = _parts(q, currency)
        return q, [fig]

    return slider_panel(controls, render, header=[table])


def show_quick_roi(
    gain: float,
    cost: float,
    *,
    discount_rate: float = 0.10,
    years: int = 3,
    currency: str = "",
    report_mode: bool = False,
) -> None:
    """Display the quick calculator: live sliders, or static output in report mode.

    Parameters
    ----------
    gain, cost, discount_rate, years, currency
        As :func:`quick_roi_panel`.
    report_mode : bool
        True renders a static table and figure (for HTML reports with no kernel).
    """
    if not report_mode:
        panel = quick_roi_panel(
            gain, cost, discount_rate=discount_rate, years=years, currency=currency
        )
        show([], report_mode=False, widget=panel)
        return
    q = finance.quick_estimate(gain, cost, years=years, discount_rate=discount_rate)
    show(_parts(q, currency), report_mode=True)
