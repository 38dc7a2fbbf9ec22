"""The ROI step's views: cumulative cash flow, scenarios, ROI to date, the live headline.

Each figure takes results (an :class:`~roi_kit.money.finance.Evaluation`, a scenario table,
an ROI-to-date table) and draws into ``ax`` when given, else into a new pyplot-free figure
(:func:`roi_kit.views.style.new_figure`), so notebooks, widgets and reports can place them
side by side and close them deterministically.
"""

from __future__ import annotations

import html
import textwrap

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from roi_kit import formatting as fmt
from roi_kit.money import Evaluation
from roi_kit.study import Study, assumptions_table, model
from roi_kit.views.style import PALETTE, money_axis, new_figure, plain
from roi_kit.views.tables import table_html

__all__ = [
    "nothing_to_show",
    "cumulative_cash_flow",
    "scenario_bars",
    "roi_to_date",
    "roi_headline_html",
    "roi_tables_html",
    "assumptions_notes_table",
    "assumptions_html",
]

_GOOD, _BAD, _MAIN = PALETTE["good"], PALETTE["bad"], PALETTE["treated"]


def nothing_to_show(text: str, *, ax=None, figsize: tuple[float, float] = (7.5, 1.4)) -> Figure:
    """A figure that says in words why there is nothing to plot, instead of empty axes.

    Parameters
    ----------
    text : str
        The reason (wrapped at 90 characters; user text is escaped).
    ax : matplotlib.axes.Axes, optional
    figsize : (float, float), inches

    Returns
    -------
    Figure
    """
    fig, ax = new_figure(ax, figsize=figsize)
    ax.set_axis_off()
    ax.text(
        0.5,
        0.5,
        plain(textwrap.fill(text, 90)),
        ha="center",
        va="center",
        fontsize=10,
        color=PALETTE["text"],
        transform=ax.transAxes,
    )
    return fig


def axes_pair(ax, *, figsize: tuple[float, float], sharey: bool = False):
    """The figure and two side-by-side axes to draw on: ``ax``'s own pair, or a new figure.

    Parameters
    ----------
    ax : (Axes, Axes), optional
        Draw into these two axes (subplots of the caller's figure).
    figsize : (float, float), inches
        Size of a new figure.
    sharey : bool
        A new figure's two axes share the y axis.

    Returns
    -------
    (Figure, (Axes, Axes))
    """
    if ax is not None:
        first, second = ax
        return first.figure, (first, second)
    fig = Figure(figsize=figsize, layout="constrained")
    first, second = fig.subplots(1, 2, sharey=sharey)
    return fig, (first, second)


def _mark_payback(ax, ev: Evaluation) -> None:
    if ev.payback_months is not None:
        x = ev.payback_months * ev.periods_per_year / 12.0
        ax.axvline(x, color=_GOOD, linestyle="--", linewidth=1)
        ax.annotate(
            f"payback {ev.payback_months:.1f} months",
            xy=(x, 0),
            xytext=(6, 12),
            textcoords="offset points",
            color=_GOOD,
        )
        return
    ax.text(
        0.02, 0.95, "no payback within the horizon", transform=ax.transAxes, color=_BAD, va="top"
    )


def cumulative_cash_flow(
    ev: Evaluation, *, currency: str = "", title: str | None = None, ax=None
) -> Figure:
    """Net cash flow by period (bars) and its running total (line), the payback marked.

    Parameters
    ----------
    ev : Evaluation
        From :func:`roi_kit.money.finance.evaluate`.
    currency : str
        Written before the amounts on the axis ("" for none).
    title : str, optional
        Default: "Cumulative net cash flow" with its basis (risk-adjusted or not).
    ax : matplotlib.axes.Axes, optional
        Draw into this axes; default a new 7.5 x 3.8 in figure.

    Returns
    -------
    Figure
    """
    fig, ax = new_figure(ax, figsize=(7.5, 3.8))
    cum = np.cumsum(ev.net)
    periods = np.arange(cum.size)
    colors = [_GOOD if v >= 0 else _BAD for v in ev.net]
    ax.bar(periods, ev.net, color=colors, alpha=0.35, label="Net cash flow")
    ax.plot(periods, cum, marker="o", color=_MAIN, label="Cumulative net cash flow")
    ax.axhline(0, color="black", linewidth=0.8)
    _mark_payback(ax, ev)
    unit = {1: "year", 4: "quarter", 12: "month"}.get(ev.periods_per_year, "period")
    labels = ["Initial"] + [f"{unit.title()} {i}" for i in range(1, cum.size)]
    step = max(1, cum.size // 12)  # at most about a dozen tick labels
    ax.set_xticks(periods[::step], labels[::step])
    money_axis(ax, currency)
    ax.set_ylabel(plain(f"Cash flow ({currency})") if currency else "Cash flow")
    adjusted = ev.risk_benefits > 0 or ev.risk_costs > 0
    basis = "risk-adjusted, undiscounted" if adjusted else "undiscounted"
    ax.set_title(plain(title) if title else f"Cumulative net cash flow ({basis})")
    ax.legend(loc="lower right", frameon=False)
    ax.grid(axis="y", alpha=0.3)
    return fig


def scenario_bars(table: pd.DataFrame, *, currency: str = "", ax=None) -> Figure:
    """NPV and TEI ROI of each scenario, side by side.

    Parameters
    ----------
    table : DataFrame
        From :func:`roi_kit.study.model.evaluate_scenarios` (``scenario``, ``npv`` in
        currency, ``roi`` as a fraction).
    currency : str
    ax : (Axes, Axes), optional
        The NPV and ROI axes; default a new 8 x 3.2 in figure.

    Returns
    -------
    Figure
    """
    if not len(table):
        return nothing_to_show("No scenario to compare: the base case could not be evaluated.")
    fig, (ax_npv, ax_roi) = axes_pair(ax, figsize=(8, 3.2))
    # Bars at positions, names as tick labels: a categorical axis would draw the scenario
    # names (user text from case.yml) unescaped, and "$x^$" would fail the figure.
    # Wrapped at 16 characters: long names would run into each other under the bars.
    names = [plain(textwrap.fill(str(name), 16) or str(name)) for name in table["scenario"]]
    x = np.arange(len(names))
    npv = table["npv"].to_numpy(dtype=float)
    roi = table["roi"].to_numpy(dtype=float)
    colors = [_GOOD if v >= 0 else _BAD for v in npv]
    ax_npv.bar(x, npv, color=colors)
    ax_roi.bar(x, roi * 100, color=colors)
    for ax_, heights, texts in (
        (ax_npv, npv, [fmt.money(v) for v in npv]),
        (ax_roi, roi * 100, [fmt.percent(v, decimals=0) for v in roi]),
    ):
        ax_.axhline(0, color="black", linewidth=0.8)
        ax_.set_xticks(x, names)
        for xi, (v, text) in enumerate(zip(heights, texts, strict=True)):
            ax_.annotate(
                text, xy=(xi, v), ha="center", va="bottom" if v >= 0 else "top", fontsize=8
            )
    money_axis(ax_npv)
    ax_npv.set_title(plain(f"NPV ({currency})") if currency else "NPV")
    ax_roi.set_title("TEI ROI (%)")
    if len(table) == 1:
        fig.suptitle("Only the base case: case.yml names no scenarios", fontsize=9)
    return fig


def roi_to_date(table: pd.DataFrame, *, ax=None) -> Figure:
    """ROI to date at each quarter end since go-live.

    Parameters
    ----------
    table : DataFrame
        From :func:`roi_kit.study.model.roi_to_date` (``quarter``, ``roi_to_date`` as a
        fraction).
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    Figure
    """
    if not len(table):
        return nothing_to_show(
            "No quarter since go-live is complete yet: there is no ROI to date to show.", ax=ax
        )
    fig, ax = new_figure(ax, figsize=(7, 3))
    roi = table["roi_to_date"].to_numpy(dtype=float)
    ax.plot(table["quarter"], roi * 100, marker="o", color=_MAIN)
    ax.axhline(0, color="black", linewidth=0.8)
    for x, v in enumerate(roi):
        ax.annotate(
            fmt.percent(v, decimals=0),
            xy=(x, v * 100),
            xytext=(0, 6),
            textcoords="offset points",
            ha="center",
            fontsize=8,
        )
    ax.set_ylabel("ROI to date (%)")
    ax.set_title("ROI to date since go-live (cumulative, risk-adjusted)")
    ax.grid(axis="y", alpha=0.3)
    return fig


def roi_headline_html(result: model.CaseResult, currency: str = "") -> str:
    """The ROI step's headline: NPV (class ``roi-npv``), TEI ROI, IRR and payback.

    Parameters
    ----------
    result : CaseResult
        From :func:`roi_kit.study.model.evaluate_case`.
    currency : str
        The case's currency (user text: escaped here).

    Returns
    -------
    str
        One escaped ``<div class="roi-headline">``.
    """
    ev = result.evaluation
    safe_cur = html.escape(currency)  # user text going into raw HTML
    kind = "projected" if result.inputs.projected else "measured"
    return (
        f'<div class="roi-headline"><b class="roi-npv">NPV: {fmt.money(ev.npv, safe_cur)}</b>'
        f" &nbsp;·&nbsp; <b>TEI ROI: {fmt.percent(ev.roi)}</b>"
        f" &nbsp;·&nbsp; IRR: {fmt.percent(ev.irr) if ev.irr is not None else 'none'}"
        f" &nbsp;·&nbsp; payback: {fmt.months(ev.payback_months)}"
        f" &nbsp;<i>({kind} benefits, risk-adjusted)</i></div>"
    )


def roi_tables_html(result: model.CaseResult, currency: str = "") -> str:
    """Every ROI definition, then the TEI cash-flow table, as escaped HTML.

    Parameters
    ----------
    result : CaseResult
    currency : str

    Returns
    -------
    str
        :func:`roi_kit.study.model.definitions_table` and the evaluation's TEI table
        (whole currency units).
    """
    ev = result.evaluation
    tei = ev.table.map(lambda v: fmt.money(v, "") if v == v else "")  # v != v: NaN cell
    label = html.escape(currency or "currency")  # the code comes from the user's case.yml
    return (
        table_html(model.definitions_table(result, currency))
        + f"<h4>Cash flows (TEI layout, risk-adjusted, {label})</h4>"
        + table_html(tei, index=True)
    )


def assumptions_notes_table(study: Study) -> pd.DataFrame:
    """Every model parameter (:func:`roi_kit.study.assumptions_table`) with its note.

    Parameters
    ----------
    study : Study
        From :func:`roi_kit.study.run_study`.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`~roi_kit.study.assumptions_table` (``Parameter``,
        ``Value used``, ``Range``, ``Source``) and ``Note``: ``assumptions.<name>.note``
        from case.yml ("kit default" for a default the kit filled in), empty for a
        parameter that is not a case assumption (a measured change, the risk).
    """
    table = assumptions_table(study)
    # Rows are matched by their label, not by position, so a reordered table keeps its notes.
    by_label = {model.PARAM_LABELS.get(n, n): n for n in study.result.params}
    specs = study.case.assumptions
    notes = [
        getattr(specs.get(by_label.get(label, "")), "note", "") for label in table["Parameter"]
    ]
    return table.assign(Note=notes)


def assumptions_html(study: Study) -> str:
    """The assumptions table with its notes, as escaped HTML (notes are user text)."""
    return table_html(assumptions_notes_table(study))
