"""Views of the money: benefit lines and the cost of ownership (notebooks 05 and 06).

Tables, figures and slider panels for the two money notebooks. Nothing here computes a
benefit or a cost of its own: every number comes from the one model
(:func:`roi_kit.study.model.benefit_lines`, :func:`roi_kit.money.benefits.total_benefits`,
:func:`roi_kit.money.costs.cost_schedule`, :func:`roi_kit.money.finance.evaluate`); this module
arranges, labels and draws what those functions return.

Each panel has two modes. Interactive (``report_mode=False``): ipywidgets sliders with
``continuous_update=False`` that recompute through the model. Report
(``report_mode=True``): static HTML tables and PNG figures, because a shared HTML report
has no kernel behind its sliders.

References
----------
.. [1] Forrester Research, "The Total Economic Impact (TEI) methodology": Initial column,
   years 1..N, benefits risk-adjusted down and costs up.
.. [2] Nucleus Research, ROI methodology: "time saved is not time worked".
.. [3] The source articles (``shared/source-articles.zh.txt``): revenue counted as gain;
   the cost list (software, hardware, implementation, training, support, subscriptions,
   internal staff; one-time and recurring).
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import ipywidgets as w
import numpy as np
import pandas as pd
from IPython.display import HTML, display
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from roi_kit.case import Case
from roi_kit.errors import FinanceInputError
from roi_kit.formatting import money, percent
from roi_kit.money import benefits as bn
from roi_kit.money import costs as cs
from roi_kit.money import finance
from roi_kit.study import model
from roi_kit.views.tables import table_html as _html
from roi_kit.widgets.display import show_figure, show_table

__all__ = [
    "CATEGORY_COLORS",
    "SLIDER_ASSUMPTIONS",
    "show_table",
    "WaterfallStep",
    "BenefitView",
    "benefit_view",
    "benefit_lines_table",
    "revenue_views_table",
    "revenue_views_figure",
    "benefit_waterfall",
    "benefit_check_text",
    "slider_sensitivity_table",
    "show_benefit_lines",
    "show_revenue_views",
    "show_waterfall",
    "benefits_panel",
    "show_benefits_panel",
    "CostView",
    "cost_view",
    "ledger_table",
    "tco_display_table",
    "cost_split_table",
    "proration_table",
    "internal_staff_table",
    "costs_by_year_figure",
    "one_time_recurring_figure",
    "tco_check_text",
    "overrun_grid_table",
    "show_costs_overview",
    "costs_panel",
    "show_costs_panel",
]

#: One colour per cost category (Tableau 10), the same in every cost chart, so a
#: reader who learnt "red = internal staff" in one chart can read the next.
CATEGORY_COLORS: Mapping[str, str] = {
    "software": "#4E79A7",
    "hardware": "#9C755F",
    "implementation": "#F28E2B",
    "data_migration": "#EDC948",
    "integration": "#B07AA1",
    "training": "#59A14F",
    "support": "#76B7B2",
    "subscription": "#FF9DA7",
    "internal_staff": "#E15759",
    "other": "#BAB0AC",
}

#: The model parameters the benefits sliders move: name -> (label, min, max, step, format).
SLIDER_ASSUMPTIONS: Mapping[str, tuple[str, float, float, float, str]] = {
    "gross_margin": ("Gross margin", 0.0, 1.0, 0.01, ".0%"),
    "attribution_share": ("Attribution share", 0.0, 1.0, 0.01, ".0%"),
    "recapture_factor": ("Recapture factor", 0.0, 1.0, 0.05, ".0%"),
    "hours_saved_per_user_week": ("Hours saved / user-week", 0.0, 10.0, 0.1, ".1f"),
    "risk_benefits": ("Benefit risk", 0.0, 0.5, 0.01, ".0%"),
}

# Benefit-line input names -> the case.yml assumption they come from. model.benefit_lines
# tags inputs with the benefit functions' default sources (hours saved as "measured",
# recapture as "benchmark"); the case declares each assumption's real source.

_BLUE = "#1f4e79"
_GREEN = "#2e7d32"
_RED = "#c62828"
_GREY = "#9e9e9e"
_STYLE = {"description_width": "12em"}
_LAYOUT = {"width": "36em"}


# --------------------------------------------------------------------------------------
# Shared helpers
# --------------------------------------------------------------------------------------


def _money_axis(ax, currency: str, axis: Literal["x", "y"] = "y") -> None:
    """Currency with thousands separators on one axis.

    The y axis reads "EUR 150,000"; on the x axis the currency moves to the axis label
    and the ticks are thinned, because wide labels side by side would overlap.
    """
    if axis == "y":
        prefix = f"{currency} " if currency else ""
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{prefix}{v:,.0f}"))
        return
    ax.xaxis.set_major_locator(MaxNLocator(nbins=6))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))
    ax.set_xlabel(f"{currency} per year" if currency else "per year")


def _signed(value: float, currency: str) -> str:
    text = money(abs(value), currency)
    return f"+{text}" if value >= 0 else f"−{text}"


def _mean(value: object) -> float:
    return float(np.mean(np.asarray(value, dtype=float)))


# --------------------------------------------------------------------------------------
# Benefits (notebook 05)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WaterfallStep:
    """One bar of the benefit waterfall.

    Attributes
    ----------
    label : str
    value : float, currency/year
        For ``kind`` "start", "subtotal", "total": the level; for "delta": the change.
    kind : {"start", "delta", "subtotal", "total"}
    """

    label: str
    value: float
    kind: str


@dataclass(frozen=True)
class BenefitView:
    """The benefit lines for one set of parameters, with the waterfall steps.

    Attributes
    ----------
    params : dict
        Every model parameter used (:func:`roi_kit.study.model.base_params` plus overrides).
    lines : tuple of BenefitLine
        From :func:`roi_kit.study.model.benefit_lines`, sources labelled from the case.
    annual_benefit : float, currency/year
        Counted lines summed (:func:`roi_kit.money.benefits.total_benefits`), before risk.
    risk_adjusted : float, currency/year
        ``annual_benefit`` lowered by the TEI benefit risk.
    steps : tuple of WaterfallStep
        From the measured revenue change to ``risk_adjusted``.
    currency : str
    projected : bool
    """

    params: dict[str, float]
    lines: tuple[bn.BenefitLine, ...]
    annual_benefit: float
    risk_adjusted: float
    steps: tuple[WaterfallStep, ...]
    currency: str
    projected: bool


def _line_of(lines: Sequence[bn.BenefitLine], kind: str) -> bn.BenefitLine | None:
    return next((ln for ln in lines if ln.kind == kind), None)


def _waterfall_steps(
    inputs: model.Inputs,
    params: Mapping[str, float],
    lines: Sequence[bn.BenefitLine],
    annual: float,
    risk_adjusted: float,
) -> tuple[WaterfallStep, ...]:
    """Waterfall bars; the intermediate revenue levels come from the model itself.

    The model is run a second time with attribution switched off (1.0), which gives the
    revenue change before any factor (the revenue view) and after the margin only; the
    attribution step is the difference to the real margin line. No formula is copied here.
    """
    steps: list[WaterfallStep] = []
    word = "projected" if inputs.projected else "measured"
    margin_line = _line_of(lines, "revenue_margin")
    if margin_line is not None and margin_line.counted:
        plain = model.benefit_lines(inputs, {**params, "attribution_share": 1.0})
        revenue = _mean(_line_of(plain, "revenue_as_gain").annual_value)
        margin_only = _mean(_line_of(plain, "revenue_margin").annual_value)
        realised = _mean(margin_line.annual_value)
        steps += [
            WaterfallStep(f"{word.capitalize()} revenue change × 12", revenue, "start"),
            WaterfallStep(
                f"× gross margin {percent(params['gross_margin'], decimals=0)}",
                margin_only - revenue,
                "delta",
            ),
            WaterfallStep(
                f"× attribution {percent(params['attribution_share'], decimals=0)}",
                realised - margin_only,
                "delta",
            ),
        ]
    for line in lines:
        if line.counted and line.kind != "revenue_margin":
            steps.append(WaterfallStep(f"+ {line.name}", _mean(line.annual_value), "delta"))
    steps.append(WaterfallStep("= Annual benefit (counted)", annual, "subtotal"))
    steps.append(
        WaterfallStep(
            f"× (1 − benefit risk {percent(params['risk_benefits'], decimals=0)})",
            risk_adjusted - annual,
            "delta",
        )
    )
    steps.append(WaterfallStep("= Risk-adjusted annual benefit", risk_adjusted, "total"))
    return tuple(steps)


def benefit_view(
    case: Case, inputs: model.Inputs, overrides: Mapping[str, float] | None = None
) -> BenefitView:
    """Run the benefit model for the case's assumptions, optionally overridden.

    Parameters
    ----------
    case : Case
    inputs : Inputs
        From :func:`roi_kit.study.model.model_inputs` (measured once, reused per slider move).
    overrides : mapping, optional
        Parameter name -> value (fractions as fractions: ``gross_margin=0.4``), any key
        of :func:`roi_kit.study.model.base_params`.

    Returns
    -------
    BenefitView

    Raises
    ------
    FinanceInputError
        An override names an unknown parameter.
    """
    params = model.base_params(case, inputs)
    unknown = set(overrides or {}) - set(params)
    if unknown:
        raise FinanceInputError(
            f"unknown model parameter(s) {sorted(unknown)}; known: {sorted(params)}"
        )
    params.update({k: float(v) for k, v in (overrides or {}).items()})
    lines = model.benefit_lines(inputs, params)
    annual = float(bn.total_benefits(lines))
    # TEI risk adjustment of benefits: value x (1 - risk), through the kit's realise().
    risk_adjusted = float(bn.realise(annual, risk=params["risk_benefits"]))
    return BenefitView(
        params=params,
        lines=tuple(lines),
        annual_benefit=annual,
        risk_adjusted=risk_adjusted,
        steps=_waterfall_steps(inputs, params, lines, annual, risk_adjusted),
        currency=inputs.currency,
        projected=inputs.projected,
    )


def benefit_lines_table(view: BenefitView) -> pd.DataFrame:
    """Every benefit line, counted or not, with formula, inputs and sources.

    Parameters
    ----------
    view : BenefitView

    Returns
    -------
    DataFrame
        Display strings: ``Benefit line``, ``Formula``, ``Inputs (source)``,
        ``Annual value (<cur>/year)``, ``Counted``, ``Why / note``; then two total rows
        (counted total before risk, risk-adjusted).
    """
    cur = view.currency
    raw = bn.benefit_table(view.lines, cur)
    value_col = f"Annual value ({cur}/year)" if cur else "Annual value (per year)"
    rows = [
        {
            "Benefit line": r["name"],
            "Formula": f"{r['formula']}: {r['formula_words']}",
            "Inputs (source)": r["inputs"],
            value_col: money(r["annual_value"], cur),
            "Counted": "yes" if r["counted"] else "no",
            "Why / note": r["note"],
        }
        for _, r in raw.iterrows()
    ]
    rows.append(
        {
            "Benefit line": "Total of counted lines (before risk)",
            value_col: money(view.annual_benefit, cur),
            "Counted": "",
            "Why / note": "lines marked 'no' are shown, not added",
        }
    )
    rows.append(
        {
            "Benefit line": "Risk-adjusted annual benefit",
            "Formula": "total × (1 − benefit risk)",
            "Inputs (source)": f"benefit risk = {percent(view.params['risk_benefits'])} "
            "(assumed, TEI)",
            value_col: money(view.risk_adjusted, cur),
            "Counted": "",
            "Why / note": "what the ROI notebook discounts, year by year",
        }
    )
    return pd.DataFrame(rows).fillna("")


def revenue_views_table(view: BenefitView) -> pd.DataFrame:
    """The articles' revenue view beside the kit's margin view of the same change.

    Parameters
    ----------
    view : BenefitView

    Returns
    -------
    DataFrame
        One row per view (empty when the case has no revenue KPI): ``View``,
        ``What it counts``, ``Annual value``, ``In the total``.
    """
    cur = view.currency
    rows = []
    gain = _line_of(view.lines, "revenue_as_gain")
    margin = _line_of(view.lines, "revenue_margin")
    att = percent(view.params["attribution_share"], decimals=0)
    if gain is not None:
        rows.append(
            {
                "View": "Revenue view (the source articles)",
                "What it counts": f"all extra revenue as gain, after attribution {att}: "
                "revenue is not profit, so this overstates the benefit",
                "Annual value": money(_mean(gain.annual_value), cur),
                "In the total": "no (shown for comparison)",
            }
        )
    if margin is not None:
        counted = "yes" if margin.counted else "no: " + margin.note.removeprefix("not counted: ")
        rows.append(
            {
                "View": "Margin view (this kit)",
                "What it counts": "extra revenue × gross margin "
                f"{percent(view.params['gross_margin'], decimals=0)}, after attribution {att}",
                "Annual value": money(_mean(margin.annual_value), cur),
                "In the total": counted,
            }
        )
    return pd.DataFrame(rows, columns=["View", "What it counts", "Annual value", "In the total"])


def revenue_views_figure(view: BenefitView) -> Figure:
    """Two bars: the revenue change as the articles count it, and through the margin.

    Parameters
    ----------
    view : BenefitView

    Returns
    -------
    Figure
    """
    fig = Figure(figsize=(8.0, 2.4), layout="constrained")
    ax = fig.add_subplot()
    gain = _line_of(view.lines, "revenue_as_gain")
    margin = _line_of(view.lines, "revenue_margin")
    if gain is None or margin is None:
        ax.text(0.5, 0.5, "no revenue KPI in this case", ha="center", va="center")
        ax.set_axis_off()
        return fig
    values = [_mean(margin.annual_value), _mean(gain.annual_value)]
    labels = [
        "Margin view (this kit)\n" + ("counted" if margin.counted else "not counted"),
        "Revenue view (articles)\nrevenue is not profit: not counted",
    ]
    bars = ax.barh([0, 1], values, color=[_GREEN, "white"], edgecolor=[_GREEN, _GREY])
    bars[1].set_hatch("//")
    span = max(abs(v) for v in values) or 1.0
    for y, v in enumerate(values):
        ax.text(v + span * 0.01, y, money(v, view.currency), va="center", fontsize=9)
    ax.set_yticks([0, 1], labels)
    ax.set_xlim(min(0.0, min(values) * 1.25), span * 1.25)
    _money_axis(ax, view.currency, "x")
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_title("The same revenue change, two ways to count it (per year)", fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    return fig


def benefit_waterfall(view: BenefitView) -> Figure:
    """Waterfall from the measured revenue change to the risk-adjusted annual benefit.

    Parameters
    ----------
    view : BenefitView

    Returns
    -------
    Figure
        Horizontal bars, top to bottom; each labelled with its value. Lines that are
        not counted are listed under the chart, not drawn in the total.
    """
    steps = view.steps
    cur = view.currency
    n = len(steps)
    fig = Figure(figsize=(9.0, 0.55 * n + 2.0), layout="constrained")
    ax = fig.add_subplot()
    running = 0.0
    spans = []
    for step in steps:
        if step.kind == "delta":
            left, right = running, running + step.value
            running = right
        else:
            left, right = 0.0, step.value
            running = step.value
        spans.append((left, right))
    extent = max([abs(v) for s in spans for v in s] + [1.0])
    for y, (step, (left, right)) in enumerate(zip(steps, spans)):
        if step.kind == "delta":
            color = _GREEN if step.value >= 0 else _RED
            text = _signed(step.value, cur)
        else:
            color = _BLUE if step.kind != "total" else "#1b5e20"
            text = money(step.value, cur)
        ax.barh(y, right - left, left=left, color=color, alpha=0.9 if step.kind != "delta" else 0.7)
        ax.text(max(left, right) + extent * 0.01, y, text, va="center", fontsize=9)
        if y + 1 < n:  # connector to the next bar's starting level
            level = right
            ax.plot([level, level], [y + 0.4, y + 0.6], color="black", linewidth=0.6)
    ax.set_yticks(range(n), [s.label for s in steps])
    ax.invert_yaxis()
    lo = min([0.0] + [min(s) for s in spans])
    ax.set_xlim(lo * 1.1 if lo < 0 else 0.0, extent * 1.22)
    ax.axvline(0, color="black", linewidth=0.8)
    _money_axis(ax, cur, "x")
    ax.grid(axis="x", alpha=0.3)
    word = "projected" if view.projected else "measured"
    ax.set_title(f"From the {word} change to the risk-adjusted annual benefit", fontsize=11)
    left_out = [ln for ln in view.lines if not ln.counted]
    if left_out:
        parts = [f"{ln.name} {money(_mean(ln.annual_value), cur)}" for ln in left_out]
        note = "Not in the total (see the table for why): " + "; ".join(parts) + "."
        fig.text(0.01, 0.0, textwrap.fill(note, 130), fontsize=8, color="#555555", va="bottom")
        fig.get_layout_engine().set(rect=(0, 0.08, 1, 0.92))
    return fig


def benefit_check_text(view: BenefitView, inputs: model.Inputs) -> str:
    """The headline the notebook checks: the productivity line and the counted lines.

    Parameters
    ----------
    view : BenefitView
    inputs : Inputs

    Returns
    -------
    str
        Whole currency units and counts, deterministic for a given case.
    """
    cur = view.currency
    prod = _line_of(view.lines, "productivity")
    counted = [ln.name for ln in view.lines if ln.counted]
    out = [f"Active users (mean over the after period): {inputs.active_users:,.1f}"]
    if prod is not None:
        out.append(f"Productivity (time saved): {money(_mean(prod.annual_value), cur)} a year")
    out.append(f"Counted benefit lines: {len(counted)} of {len(view.lines)}")
    out += [f"  - {name}" for name in counted]
    return "\n".join(out)


def _alternatives(
    case: Case, name: str, likely: float, hi_limit: float
) -> tuple[float, float, str]:
    """Low and high values for one slider: the case's range, else likely ±50%."""
    spec = case.assumptions.get(name)
    if spec is not None and spec.high > spec.low:
        return float(spec.low), float(spec.high), "range in case.yml"
    return likely * 0.5, min(likely * 1.5, hi_limit), "likely ±50% (no range in case.yml)"


def slider_sensitivity_table(case: Case, inputs: model.Inputs) -> pd.DataFrame:
    """What the sliders move, for a report: one assumption at a time at low and high.

    Parameters
    ----------
    case : Case
    inputs : Inputs

    Returns
    -------
    DataFrame
        One row per slider parameter: its low, likely and high value, where the range
        comes from, and the risk-adjusted annual benefit at each value (others at likely).
    """
    base = benefit_view(case, inputs)
    cur = base.currency
    rows = []
    for name, (label, _lo, hi_limit, _step, fmt) in SLIDER_ASSUMPTIONS.items():
        likely = base.params[name]
        low, high, origin = _alternatives(case, name, likely, hi_limit)
        if name == "risk_benefits":
            high = min(high, 0.99)
        values = [benefit_view(case, inputs, {name: v}).risk_adjusted for v in (low, high)]
        shown = [
            percent(v, decimals=0) if "%" in fmt else f"{v:{fmt}}" for v in (low, likely, high)
        ]
        rows.append(
            {
                "Assumption": label,
                "Low / likely / high": " / ".join(shown),
                "Range from": origin,
                "Benefit at low": money(values[0], cur),
                "Benefit at likely": money(base.risk_adjusted, cur),
                "Benefit at high": money(values[1], cur),
            }
        )
    return pd.DataFrame(rows)


def show_benefit_lines(view: BenefitView) -> None:
    """Display the benefit-lines table (static: the same in both modes)."""
    display(HTML(_html(benefit_lines_table(view))))


def show_revenue_views(view: BenefitView) -> None:
    """Display the revenue view beside the margin view: table and figure."""
    display(HTML(_html(revenue_views_table(view))))
    show_figure(revenue_views_figure(view))


def show_waterfall(view: BenefitView) -> None:
    """Display the benefit waterfall."""
    show_figure(benefit_waterfall(view))


def _headline_html(view: BenefitView) -> str:
    cur = view.currency
    return (
        f"<p><b>Annual benefit (counted): {money(view.annual_benefit, cur)}</b> &nbsp;·&nbsp; "
        f"<b>risk-adjusted: {money(view.risk_adjusted, cur)}</b> a year</p>"
    )


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
    sliders: dict[str, w.FloatSlider] = {}
    for name, (label, lo, hi, step, fmt) in SLIDER_ASSUMPTIONS.items():
        value = float(np.clip(base.get(name, lo), lo, hi))
        sliders[name] = w.FloatSlider(
            value=value,
            min=lo,
            max=hi,
            step=step,
            description=label,
            readout_format=fmt,
            style=_STYLE,
            layout=w.Layout(**_LAYOUT),
            continuous_update=False,
        )
    headline = w.HTML()
    table_out = w.HTML()
    views_out = w.Output()
    fig_out = w.Output()
    panel = w.VBox([w.VBox(list(sliders.values())), headline, fig_out, views_out, table_out])
    panel.sliders = sliders

    def update(_change=None) -> None:
        view = benefit_view(case, inputs, {k: s.value for k, s in sliders.items()})
        panel.result = view
        headline.value = _headline_html(view)
        table_out.value = _html(benefit_lines_table(view))
        fig_out.clear_output(wait=True)
        with fig_out:
            show_waterfall(view)
        views_out.clear_output(wait=True)
        with views_out:
            show_revenue_views(view)

    for s in sliders.values():
        s.observe(update, names="value")
    update()
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
        display(benefits_panel(case, inputs))
        return
    display(HTML(_html(slider_sensitivity_table(case, inputs))))


# --------------------------------------------------------------------------------------
# Costs (notebook 06)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CostView:
    """The cost schedule for one overrun and cost risk, with its TEI totals.

    Attributes
    ----------
    schedule : CostSchedule
        With ``overrun`` applied to every line.
    overrun : float, fraction
        Expected overrun on the ledger (0.2 = 20% more).
    risk_costs : float, fraction
        TEI cost risk adjustment.
    discount_rate : float, fraction per year
    tco : float, currency
        Initial + Years 1..N, overrun included, before risk.
    risk_adjusted_years : ndarray, currency
        ``[Initial, Year 1..N]`` after the cost risk (from :func:`roi_kit.money.finance.evaluate`).
    risk_adjusted_tco : float, currency
    pv_costs : float, currency
        Present value of the risk-adjusted costs at ``discount_rate``.
    currency : str
    """

    schedule: cs.CostSchedule
    overrun: float
    risk_costs: float
    discount_rate: float
    tco: float
    risk_adjusted_years: np.ndarray
    risk_adjusted_tco: float
    pv_costs: float
    currency: str


def cost_view(
    case: Case,
    *,
    overrun: float | None = None,
    risk_costs: float | None = None,
    annual: Literal["prorated", "anniversary"] = "prorated",
) -> CostView:
    """Schedule the case's ledger and risk-adjust it as the ROI model does.

    Parameters
    ----------
    case : Case
    overrun : float, fraction > -1, optional
        Default: the case's ``cost_overrun`` assumption (likely value).
    risk_costs : float, fraction [0, 10), optional
        Default: ``case.risk_costs``.
    annual : {"prorated", "anniversary"}
        How annual lines are charged (see :mod:`roi_kit.money.costs`).

    Returns
    -------
    CostView
    """
    if overrun is None:
        spec = case.assumptions.get("cost_overrun")
        overrun = float(spec.likely) if spec is not None else 0.0
    risk = float(case.risk_costs if risk_costs is None else risk_costs)
    schedule = cs.cost_schedule(
        case.costs,
        go_live=case.go_live,
        horizon_years=case.horizon_years,
        overrun=float(overrun),
        annual=annual,
    )
    flows = cs.yearly_cash_flows(schedule)
    # finance.evaluate applies the TEI cost risk (x (1 + risk)) to the costs not yet paid
    # at the end of the data (a review's past costs are actuals) and discounts, exactly as
    # the ROI notebook does; benefits are zero here because only costs are shown.
    ev = finance.evaluate(
        np.zeros_like(flows),
        flows,
        discount_rate=case.discount_rate,
        risk_costs=risk * model.cost_future_share(case, schedule),
    )
    return CostView(
        schedule=schedule,
        overrun=float(overrun),
        risk_costs=risk,
        discount_rate=float(case.discount_rate),
        tco=float(schedule.tco),
        risk_adjusted_years=ev.costs,
        risk_adjusted_tco=float(ev.costs.sum()),
        pv_costs=float(ev.pv_costs),
        currency=case.currency,
    )


def _category_label(cat: str) -> str:
    return cat.replace("_", " ").capitalize()


def _month(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def ledger_table(case: Case, schedule: cs.CostSchedule | None = None) -> pd.DataFrame:
    """The cost ledger as loaded, with what each line costs over the horizon.

    Parameters
    ----------
    case : Case
    schedule : CostSchedule, optional
        Default: :func:`cost_view` of the case (no overrun).

    Returns
    -------
    DataFrame
        Display strings, one row per ledger line in file order: ``Row`` (as a spreadsheet
        shows it), ``Item``, ``Category``, ``Type``, ``Amount`` (as in the file),
        ``Hours × rate``, ``Frequency``, ``Start``, ``End``, ``In the horizon``.
    """
    schedule = schedule if schedule is not None else cost_view(case).schedule
    cur = case.currency
    ledger = case.costs.reset_index()
    rows = []
    for (_, r), (_, s) in zip(ledger.iterrows(), schedule.lines.iterrows()):
        hours, rate = r.get("hours"), r.get("hourly_rate")
        has_hours = hours is not None and not pd.isna(hours) and not pd.isna(rate)
        rows.append(
            {
                "Row": int(r["row"]) if "row" in r else "",
                "Item": str(r["item"]),
                "Category": _category_label(str(r["category"])),
                "Type": str(r["type"]).replace("_", "-"),
                "Amount": "" if pd.isna(r["amount"]) else money(r["amount"], cur, decimals=2),
                "Hours × rate": f"{hours:,.0f} h × {money(rate, cur, decimals=2)} = "
                f"{money(hours * rate, cur)}"
                if has_hours
                else "",
                "Frequency": str(r["frequency"]),
                "Start": _month(r["start"]),
                "End": "" if r["frequency"] == "once" else _month(r["end"]) or "(horizon end)",
                "In the horizon": money(s["total"], cur),
            }
        )
    return pd.DataFrame(rows)


def tco_display_table(view: CostView) -> pd.DataFrame:
    """The TCO by category and year (:func:`roi_kit.money.costs.tco_table`), formatted.

    Parameters
    ----------
    view : CostView

    Returns
    -------
    DataFrame
        Index: categories, ``Total``, ``of which one-time``, ``of which recurring``, then
        ``Risk-adjusted total``; columns ``Initial``, ``Year 1`` .. ``Total``; money text.
    """
    table = cs.tco_table(view.schedule, view.currency)
    risk_row = list(view.risk_adjusted_years) + [view.risk_adjusted_tco]
    label = f"Risk-adjusted total (+{percent(view.risk_costs, decimals=0)})"
    table.loc[label] = risk_row
    return table.map(lambda v: money(v, view.currency))


def cost_split_table(view: CostView) -> pd.DataFrame:
    """One-time against recurring, with each one's share of the TCO.

    Parameters
    ----------
    view : CostView

    Returns
    -------
    DataFrame
        Rows ``One-time``, ``Recurring``, ``TCO``; columns ``Cost``, ``Share``.
    """
    s = view.schedule
    tco = s.tco or 1.0
    rows = [
        ("One-time", s.one_time_total),
        ("Recurring", s.recurring_total),
        (f"TCO (Initial + {s.horizon_years} years)", s.tco),
    ]
    return pd.DataFrame(
        {
            "": [r[0] for r in rows],
            "Cost": [money(r[1], view.currency) for r in rows],
            "Share": [percent(r[1] / tco) for r in rows],
        }
    )


def proration_table(case: Case) -> pd.DataFrame:
    """Annual lines: what the kit charges (prorated) against the invoices (anniversary).

    Parameters
    ----------
    case : Case

    Returns
    -------
    DataFrame
        One row per ``annual`` ledger line: price per year, first and last month, months
        charged inside the horizon, prorated total, invoiced total, difference. Empty when
        the ledger has no annual line.
    """
    cur = case.currency
    pro = cost_view(case, overrun=0.0).schedule.lines
    inv = cost_view(case, overrun=0.0, annual="anniversary").schedule.lines
    rows = []
    for (_, p), (_, a) in zip(pro.iterrows(), inv.iterrows()):
        if p["frequency"] != "annual":
            continue
        per_month = p["amount"] / 12.0
        rows.append(
            {
                "Item": str(p["item"]),
                "Price per year": money(p["amount"], cur),
                "Runs": f"{_month(p['start'])} to {_month(p['end']) or '(horizon end)'}",
                "Months charged": f"{p['total'] / per_month:.0f}" if per_month else "0",
                "Prorated (kit)": money(p["total"], cur),
                "Invoiced (anniversary)": money(a["total"], cur),
                "Difference": _signed(p["total"] - a["total"], cur),
            }
        )
    columns = [
        "Item",
        "Price per year",
        "Runs",
        "Months charged",
        "Prorated (kit)",
        "Invoiced (anniversary)",
        "Difference",
    ]
    return pd.DataFrame(rows, columns=columns)


def internal_staff_table(case: Case, view: CostView | None = None) -> pd.DataFrame:
    """Internal staff lines: hours × loaded rate, occurrences and share of the TCO.

    Parameters
    ----------
    case : Case
    view : CostView, optional
        Default: :func:`cost_view` of the case.

    Returns
    -------
    DataFrame
        One row per ``internal_staff`` line, then a total row.
    """
    view = view if view is not None else cost_view(case)
    cur = case.currency
    ledger = case.costs.reset_index(drop=True)
    lines = view.schedule.lines
    tco = view.tco or 1.0
    rows = []
    total = 0.0
    for (_, r), (_, s) in zip(ledger.iterrows(), lines.iterrows()):
        if s["category"] != "internal_staff":
            continue
        hours, rate = r.get("hours"), r.get("hourly_rate")
        basis = (
            f"{hours:,.0f} h × {money(rate, cur, decimals=2)}"
            if hours is not None and not pd.isna(hours) and not pd.isna(rate)
            else "amount given"
        )
        per = s["amount"] * (1.0 + s["overrun"])
        rows.append(
            {
                "Item": str(s["item"]),
                "Per occurrence": f"{basis} = {money(s['amount'], cur)}",
                "Frequency": str(s["frequency"]),
                "Occurrences in horizon": f"{s['total'] / per:.0f}" if per else "0",
                "In the horizon": money(s["total"], cur),
                "Share of TCO": percent(s["total"] / tco),
            }
        )
        total += float(s["total"])
    if rows:
        rows.append(
            {
                "Item": "Internal staff, total",
                "In the horizon": money(total, cur),
                "Share of TCO": percent(total / tco),
            }
        )
    return pd.DataFrame(rows).fillna("")


def costs_by_year_figure(view: CostView) -> Figure:
    """Stacked bars: cost by category in Initial and each year, risk-adjusted total marked.

    Parameters
    ----------
    view : CostView

    Returns
    -------
    Figure
    """
    s = view.schedule
    columns = ["Initial", *s.year_labels]
    data = s.yearly.drop(index="Total")[columns]
    fig = Figure(figsize=(9.0, 4.2), layout="constrained")
    ax = fig.add_subplot()
    x = np.arange(len(columns))
    bottom = np.zeros(len(columns))
    for cat, row in data.iterrows():
        values = row.to_numpy(dtype=float)
        ax.bar(
            x,
            values,
            bottom=bottom,
            color=CATEGORY_COLORS.get(cat, _GREY),
            label=_category_label(cat),
            width=0.6,
        )
        bottom += values
    risk = view.risk_adjusted_years
    # The TEI cost risk as a hatched segment on top of each stack: visible, but plainly
    # not a cost category of the ledger.
    ax.bar(
        x,
        risk - bottom,
        bottom=bottom,
        width=0.6,
        color="white",
        edgecolor="#555555",
        hatch="///",
        linewidth=0.6,
        label=f"Cost risk (+{percent(view.risk_costs, decimals=0)}, TEI)",
    )
    top = max(float(np.max(risk)), float(np.max(bottom)), 1.0)
    for xi, total, adjusted in zip(x, bottom, risk):
        text = money(total, view.currency)
        if adjusted != total:
            text += f"\nrisk-adj. {money(adjusted, view.currency)}"
        ax.text(xi, max(total, adjusted) + top * 0.02, text, ha="center", fontsize=8.5)
    ax.set_ylim(0, top * 1.2)
    ax.set_xticks(x, columns)
    _money_axis(ax, view.currency)
    ax.set_ylabel(f"Cost ({view.currency})" if view.currency else "Cost")
    over = f", overrun {percent(view.overrun, decimals=0)}" if view.overrun else ""
    ax.set_title(
        f"Cost by category and year (TEI layout{over})",
        fontsize=11,
    )
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
    ax.grid(axis="y", alpha=0.3)
    return fig


def one_time_recurring_figure(view: CostView) -> Figure:
    """Two stacked horizontal bars: one-time and recurring TCO, by category.

    Parameters
    ----------
    view : CostView

    Returns
    -------
    Figure
        Category colours as in :func:`costs_by_year_figure`.
    """
    lines = view.schedule.lines
    by = lines.groupby(["type", "category"])["total"].sum()
    types = [("one_time", "One-time"), ("recurring", "Recurring")]
    cats = [c for c in cs.CATEGORIES if c in set(lines["category"])]
    fig = Figure(figsize=(9.0, 2.8), layout="constrained")
    ax = fig.add_subplot()
    left = np.zeros(len(types))
    for cat in cats:
        values = np.array([float(by.get((t, cat), 0.0)) for t, _ in types])
        if not values.any():
            continue
        ax.barh(
            range(len(types)),
            values,
            left=left,
            color=CATEGORY_COLORS.get(cat, _GREY),
            label=_category_label(cat),
            height=0.55,
        )
        left += values
    extent = max(float(left.max()), 1.0)
    for y, total in enumerate(left):
        ax.text(total + extent * 0.01, y, money(total, view.currency), va="center", fontsize=9)
    ax.set_xlim(0, extent * 1.2)
    ax.set_yticks(range(len(types)), [label for _, label in types])
    ax.invert_yaxis()
    _money_axis(ax, view.currency, "x")
    ax.set_xlabel(f"{view.currency} over the horizon" if view.currency else "over the horizon")
    ax.set_title(
        f"One-time against recurring, {view.schedule.horizon_years}-year TCO (before risk)",
        fontsize=11,
    )
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
    ax.grid(axis="x", alpha=0.3)
    return fig


def tco_check_text(view: CostView) -> str:
    """The headline the notebook checks: TCO by period, split and risk-adjusted.

    Parameters
    ----------
    view : CostView

    Returns
    -------
    str
        Whole currency units.
    """
    s = view.schedule
    cur = view.currency
    total = s.yearly.loc["Total"]
    out = [f"Initial: {money(total['Initial'], cur)}"]
    out += [f"{y}: {money(total[y], cur)}" for y in s.year_labels]
    out += [
        f"TCO (Initial + {s.horizon_years} years): {money(s.tco, cur)}",
        f"One-time: {money(s.one_time_total, cur)}",
        f"Recurring: {money(s.recurring_total, cur)}",
        f"Risk-adjusted TCO (+{percent(view.risk_costs, decimals=0)} on costs not yet paid): "
        f"{money(view.risk_adjusted_tco, cur)}",
    ]
    return "\n".join(out)


def overrun_grid_table(
    case: Case,
    overruns: Sequence[float] = (0.0, 0.1, 0.25, 0.5),
    risks: Sequence[float] | None = None,
) -> pd.DataFrame:
    """Risk-adjusted TCO for a grid of overrun and cost risk (the sliders, for a report).

    Parameters
    ----------
    case : Case
    overruns : sequence of float, fractions
        The case's own ``cost_overrun`` is added when missing.
    risks : sequence of float, fractions, optional
        Default: 0, the case's ``risk_costs`` and 20%.

    Returns
    -------
    DataFrame
        Index: overrun; columns: cost risk; values: risk-adjusted TCO (money text).
    """
    base = cost_view(case)
    over = sorted({*map(float, overruns), base.overrun})
    risk = sorted({*map(float, risks)} if risks is not None else {0.0, base.risk_costs, 0.2})
    body = {
        f"cost risk {percent(r, decimals=0)}": [
            money(cost_view(case, overrun=o, risk_costs=r).risk_adjusted_tco, case.currency)
            for o in over
        ]
        for r in risk
    }
    table = pd.DataFrame(body, index=[f"overrun {percent(o, decimals=0)}" for o in over])
    table.index.name = "Risk-adjusted TCO"
    return table


def show_costs_overview(view: CostView) -> None:
    """Display the TCO table and the two cost charts (static: the same in both modes)."""
    display(HTML(_html(tco_display_table(view), index=True)))
    show_figure(costs_by_year_figure(view))
    display(HTML(_html(cost_split_table(view))))
    show_figure(one_time_recurring_figure(view))


def _cost_headline_html(view: CostView) -> str:
    cur = view.currency
    over = percent(view.overrun, decimals=0)
    return (
        f"<p><b>TCO: {money(view.tco, cur)}</b> (overrun {over} included) &nbsp;·&nbsp; "
        f"<b>risk-adjusted TCO: {money(view.risk_adjusted_tco, cur)}</b> "
        f"(+{percent(view.risk_costs, decimals=0)}) &nbsp;·&nbsp; present value at "
        f"{percent(view.discount_rate, decimals=0)}: {money(view.pv_costs, cur)}</p>"
    )


def costs_panel(case: Case) -> w.Widget:
    """Sliders for the uncertain costs (overrun, cost risk) with the TCO updating.

    Parameters
    ----------
    case : Case

    Returns
    -------
    ipywidgets.Widget
        A VBox; ``panel.children[0]`` holds the two sliders, ``panel.result`` the latest
        :class:`CostView`.
    """
    base = cost_view(case)
    overrun_s = w.FloatSlider(
        value=float(np.clip(base.overrun, 0.0, 1.0)),
        min=0.0,
        max=1.0,
        step=0.01,
        description="Cost overrun",
        readout_format=".0%",
        style=_STYLE,
        layout=w.Layout(**_LAYOUT),
        continuous_update=False,
    )
    risk_s = w.FloatSlider(
        value=float(np.clip(base.risk_costs, 0.0, 0.5)),
        min=0.0,
        max=0.5,
        step=0.01,
        description="Cost risk (TEI)",
        readout_format=".0%",
        style=_STYLE,
        layout=w.Layout(**_LAYOUT),
        continuous_update=False,
    )
    headline = w.HTML()
    table_out = w.HTML()
    fig_out = w.Output()
    panel = w.VBox([w.VBox([overrun_s, risk_s]), headline, fig_out, table_out])

    def update(_change=None) -> None:
        view = cost_view(case, overrun=overrun_s.value, risk_costs=risk_s.value)
        panel.result = view
        headline.value = _cost_headline_html(view)
        table_out.value = _html(tco_display_table(view), index=True)
        fig_out.clear_output(wait=True)
        with fig_out:
            show_figure(costs_by_year_figure(view))

    overrun_s.observe(update, names="value")
    risk_s.observe(update, names="value")
    update()
    return panel


def show_costs_panel(case: Case, *, report_mode: bool = False) -> None:
    """Display the cost sliders, or in report mode a grid of their effect.

    Parameters
    ----------
    case : Case
    report_mode : bool
        True: the risk-adjusted TCO for a grid of overrun and cost risk values.
    """
    if not report_mode:
        display(costs_panel(case))
        return
    display(HTML(_cost_headline_html(cost_view(case))))
    display(HTML(_html(overrun_grid_table(case), index=True)))
