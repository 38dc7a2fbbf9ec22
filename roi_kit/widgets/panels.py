"""ipywidgets panels for the notebooks, and their static twins for report mode.

A panel recomputes through the same ``roi_kit`` functions the report uses; a shared
HTML report has no kernel behind it, so every panel has a ``report_mode`` twin that
renders plain tables and figures instead of sliders.
"""

from __future__ import annotations

import hashlib
import html
import re

import ipywidgets as w
import pandas as pd
from IPython.display import HTML, Image, display

import roi_kit.views.plots as plots
from roi_kit import formatting as fmt
from roi_kit.money import finance

__all__ = [
    "show_figure",
    "show_table",
    "table_html",
    "quick_roi_panel",
    "show_quick_roi",
    "roi_slider_specs",
    "roi_panel",
    "show_roi",
]


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
        :class:`~roi_kit.money.finance.QuickEstimate`.
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


_NUMBER = re.compile(r"^[+\-−]?(?:[A-Z]{3} )?[0-9][0-9,]*(?:\.[0-9]+)?%?$")


def table_html(table: pd.DataFrame, *, index: bool = False) -> str:
    """The table as HTML: text columns left-aligned, number columns right-aligned.

    Notebook and report styles right-align every cell, which makes long text hard to
    read; a small style block scoped to this table's own class fixes that.
    """
    numeric = [
        k
        for k, col in enumerate(table.columns)
        if any(str(v) for v in table[col])
        and all(_NUMBER.match(str(v)) for v in table[col] if str(v) != "")
    ]
    key = "|".join(map(str, table.columns)) + f"|{index}"
    cls = "mv-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]
    first = 2 if index else 1  # nth-child is 1-based; the index is a leading <th>
    # "table.dataframe.<cls>" outranks JupyterLab's
    # ":not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon td" (right-aligns every cell).
    sel = f"table.dataframe.{cls}"
    rules = [
        f"{sel} td, {sel} th {{text-align: left; vertical-align: top;}}",
        *(
            f"{sel} td:nth-child({k + first}) {{text-align: right; white-space: nowrap;}} "
            f"{sel} thead th:nth-child({k + first}) {{text-align: right;}}"
            for k in numeric
        ),
    ]
    # escape=True: cost items and case names are user text and must not become markup.
    body = table.to_html(index=index, escape=True, border=0, na_rep="", classes=cls)
    return "<style>" + " ".join(rules) + "</style>\n" + body


def show_table(table: pd.DataFrame, *, index: bool = False) -> None:
    """Display a table as escaped HTML (works in JupyterLab and in a report page).

    Parameters
    ----------
    table : DataFrame
    index : bool
        Show the index (for tables whose index carries the row labels).
    """
    display(HTML(table_html(table, index=index)))


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
    """The sliders the ROI panel offers for these parameters (name -> min, max, step, fmt)."""
    out = {}
    for name, (lo, hi, step, readout) in _SLIDERS.items():
        if name in params:
            value = float(params[name])
            out[name] = (min(lo, value), max(hi, value), step, readout)
    return out


def _roi_outputs(case, result) -> tuple[str, str, object]:
    """HTML headline, HTML tables, and the cash-flow figure for one model result."""
    from roi_kit.study import model

    ev = result.evaluation
    cur = case.currency
    safe_cur = html.escape(cur)  # user text going into raw HTML
    kind = "projected" if result.inputs.projected else "measured"
    headline = (
        f'<div class="roi-headline"><b class="roi-npv">NPV: {fmt.money(ev.npv, safe_cur)}</b>'
        f" &nbsp;·&nbsp; <b>TEI ROI: {fmt.percent(ev.roi)}</b>"
        f" &nbsp;·&nbsp; IRR: {fmt.percent(ev.irr) if ev.irr is not None else 'none'}"
        f" &nbsp;·&nbsp; payback: {fmt.months(ev.payback_months)}"
        f" &nbsp;<i>({kind} benefits, risk-adjusted)</i></div>"
    )
    defs = model.definitions_table(result, cur)
    tables = defs.to_html(index=False, escape=True, border=0)
    tei = ev.table.map(lambda v: fmt.money(v, "") if v == v else "")
    tables += "<h4>Cash flows (TEI layout, risk-adjusted, " + fmt_currency(cur) + ")</h4>"
    tables += tei.to_html(escape=True, border=0)
    fig = plots.cumulative_cash_flow(ev, currency=cur)
    return headline, tables, fig


def fmt_currency(currency: str) -> str:
    """The currency code, HTML-escaped (it comes from the user's case.yml)."""
    return html.escape(currency or "currency")


def roi_panel(case, *, inputs=None) -> w.Widget:
    """Sliders for every assumption of the ROI model; NPV, ROI and charts update live.

    Parameters
    ----------
    case : roi_kit.case.config.Case
    inputs : roi_kit.study.model.Inputs, optional
        Precomputed measurements (saves re-measuring).

    Returns
    -------
    ipywidgets.Widget
        ``panel.result`` holds the latest :class:`roi_kit.study.model.CaseResult`.
    """
    from roi_kit.study import model

    inputs = inputs if inputs is not None else model.model_inputs(case)
    base = model.base_params(case, inputs)
    style = {"description_width": "14em"}
    layout = w.Layout(width="36em")
    sliders = {}
    for name, (lo, hi, step, readout) in roi_slider_specs(base).items():
        sliders[name] = w.FloatSlider(
            value=base[name],
            min=lo,
            max=hi,
            step=step,
            readout_format=readout,
            description=model.PARAM_LABELS.get(name, name),
            style=style,
            layout=layout,
            continuous_update=False,
        )
    headline = w.HTML()
    tables = w.HTML()
    fig_out = w.Output()
    panel = w.VBox([w.VBox(list(sliders.values())), headline, fig_out, tables])

    def update(_change=None) -> None:
        params = {k: s.value for k, s in sliders.items()}
        result = model.evaluate_case(case, params, inputs=inputs)
        panel.result = result
        head, tab, fig = _roi_outputs(case, result)
        headline.value = head
        tables.value = tab
        fig_out.clear_output(wait=True)
        with fig_out:
            show_figure(fig)

    for s in sliders.values():
        s.observe(update, names="value")
    update()
    return panel


def show_roi(case, *, inputs=None, report_mode: bool = False) -> None:
    """The ROI step: live sliders, or the static headline, tables and chart in report mode."""
    if not report_mode:
        display(roi_panel(case, inputs=inputs))
        return
    from roi_kit.study import model

    result = model.evaluate_case(case, inputs=inputs)
    head, tab, fig = _roi_outputs(case, result)
    display(HTML(head))
    show_figure(fig)
    display(HTML(tab))
