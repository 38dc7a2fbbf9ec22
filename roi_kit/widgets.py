"""ipywidgets panels for the notebooks, and their static twins for report mode.

A panel recomputes through the same ``roi_kit`` functions the report uses; a shared
HTML report has no kernel behind it, so every panel has a ``report_mode`` twin that
renders plain tables and figures instead of sliders.
"""

from __future__ import annotations

import ipywidgets as w
from IPython.display import HTML, Image, display

from roi_kit import finance, plots

__all__ = ["show_figure", "quick_roi_panel", "show_quick_roi"]


def show_figure(fig) -> None:
    """Display a matplotlib ``Figure`` as an embedded PNG (works in reports too)."""
    display(Image(data=plots.to_png(fig)))


def _quick_outputs(q: finance.QuickEstimate, currency: str) -> tuple[str, object]:
    table = finance.quick_table(q, currency).to_html(index=False, escape=True, border=0)
    fig = plots.cumulative_cash_flow(q.evaluation, currency=currency)
    return table, fig


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
        A VBox; ``panel.children[0]`` holds the sliders, ``panel.result`` the latest
        :class:`~roi_kit.finance.QuickEstimate`.
    """
    top = max(gain, cost) * 5 or 100_000.0
    style = {"description_width": "9em"}
    layout = w.Layout(width="34em")
    gain_s = w.FloatSlider(
        value=gain,
        min=0,
        max=top,
        step=top / 1000,
        description="Gain (total)",
        readout_format=",.0f",
        style=style,
        layout=layout,
        continuous_update=False,
    )
    cost_s = w.FloatSlider(
        value=cost,
        min=top / 1000,
        max=top,
        step=top / 1000,
        description="Cost (up front)",
        readout_format=",.0f",
        style=style,
        layout=layout,
        continuous_update=False,
    )
    rate_s = w.FloatSlider(
        value=discount_rate,
        min=0.0,
        max=0.30,
        step=0.005,
        description="Discount rate",
        readout_format=".1%",
        style=style,
        layout=layout,
        continuous_update=False,
    )
    years_s = w.IntSlider(
        value=years,
        min=1,
        max=10,
        description="Years",
        style=style,
        layout=layout,
        continuous_update=False,
    )
    table_out = w.HTML()
    fig_out = w.Output()
    panel = w.VBox([w.VBox([gain_s, cost_s, rate_s, years_s]), table_out, fig_out])

    def update(_change=None) -> None:
        q = finance.quick_estimate(
            gain_s.value, cost_s.value, years=years_s.value, discount_rate=rate_s.value
        )
        panel.result = q
        table, fig = _quick_outputs(q, currency)
        table_out.value = table
        fig_out.clear_output(wait=True)
        with fig_out:
            show_figure(fig)

    for s in (gain_s, cost_s, rate_s, years_s):
        s.observe(update, names="value")
    update()
    return panel


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
        display(
            quick_roi_panel(gain, cost, discount_rate=discount_rate, years=years, currency=currency)
        )
        return
    q = finance.quick_estimate(gain, cost, years=years, discount_rate=discount_rate)
    table, fig = _quick_outputs(q, currency)
    display(HTML(table))
    show_figure(fig)
