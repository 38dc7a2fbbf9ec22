"""The benefits step (notebook 05): benefit lines, the revenue views and the waterfall.

Nothing here computes a benefit of its own: every number comes from the one model
(:func:`roi_kit.study.model.benefit_lines`, :func:`roi_kit.money.benefits.total_benefits`);
:func:`benefit_view` runs it for a set of assumptions, and the tables and figures arrange,
label and draw the :class:`BenefitView` it returns. The sliders are in
:mod:`roi_kit.widgets.benefits`.

References
----------
.. [1] Forrester Research, "The Total Economic Impact (TEI) methodology": benefits
   risk-adjusted down.
.. [2] Nucleus Research, ROI methodology: "time saved is not time worked".
.. [3] The source articles (``shared/source-articles.zh.txt``): revenue counted as gain.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from roi_kit.case import Case
from roi_kit.errors import FinanceInputError
from roi_kit.formatting import money, percent
from roi_kit.money import benefits as bn
from roi_kit.study import model
from roi_kit.study.inputs import NO_USERS
from roi_kit.views.style import PALETTE, money_axis, new_figure, plain

__all__ = [
    "SLIDER_ASSUMPTIONS",
    "WaterfallStep",
    "BenefitView",
    "benefit_view",
    "benefit_lines_table",
    "revenue_views_table",
    "revenue_views_figure",
    "benefit_waterfall",
    "benefit_check_text",
    "benefit_headline_html",
    "slider_sensitivity_table",
]

#: The model parameters the benefits sliders move: name -> (label, min, max, step, format).
SLIDER_ASSUMPTIONS: Mapping[str, tuple[str, float, float, float, str]] = {
    "gross_margin": ("Gross margin", 0.0, 1.0, 0.01, ".0%"),
    "attribution_share": ("Attribution share", 0.0, 1.0, 0.01, ".0%"),
    "recapture_factor": ("Recapture factor", 0.0, 1.0, 0.05, ".0%"),
    "hours_saved_per_user_week": ("Hours saved / user-week", 0.0, 10.0, 0.1, ".1f"),
    "risk_benefits": ("Benefit risk", 0.0, 0.5, 0.01, ".0%"),
}

_GOOD, _BAD, _MAIN, _MUTED = PALETTE["good"], PALETTE["bad"], PALETTE["treated"], PALETTE["muted"]


def _mean(value: object) -> float:
    return float(np.mean(np.asarray(value, dtype=float)))


def _per_year_axis(ax, currency: str) -> None:
    """Money ticks on the x axis, the currency in the axis label (wide ticks would overlap)."""
    money_axis(ax, axis="x")
    ax.set_xlabel(plain(f"{currency} per year") if currency else "per year")


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


def revenue_views_figure(view: BenefitView, *, ax=None) -> Figure:
    """Two bars: the revenue change as the articles count it, and through the margin.

    Parameters
    ----------
    view : BenefitView
    ax : matplotlib.axes.Axes, optional
        Default: a new 8 x 2.4 in figure.

    Returns
    -------
    Figure
    """
    fig, ax = new_figure(ax, figsize=(8.0, 2.4))
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
    bars = ax.barh([0, 1], values, color=[_GOOD, "white"], edgecolor=[_GOOD, _MUTED])
    bars[1].set_hatch("//")
    span = max(abs(v) for v in values) or 1.0
    for y, v in enumerate(values):
        ax.text(v + span * 0.01, y, plain(money(v, view.currency)), va="center", fontsize=9)
    ax.set_yticks([0, 1], labels)
    ax.set_xlim(min(0.0, min(values) * 1.25), span * 1.25)
    _per_year_axis(ax, view.currency)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_title("The same revenue change, two ways to count it (per year)", fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    return fig


def benefit_waterfall(view: BenefitView, *, ax=None) -> Figure:
    """Waterfall from the measured revenue change to the risk-adjusted annual benefit.

    Parameters
    ----------
    view : BenefitView
    ax : matplotlib.axes.Axes, optional
        Default: a new figure, 0.55 in per step tall.

    Returns
    -------
    Figure
        Horizontal bars, top to bottom; each labelled with its value. Lines that are
        not counted are listed under the chart, not drawn in the total.
    """
    steps = view.steps
    cur = view.currency
    n = len(steps)
    new = ax is None
    fig, ax = new_figure(ax, figsize=(9.0, 0.55 * n + 2.0))
    spans = _waterfall_spans(steps)
    extent = max([abs(v) for s in spans for v in s] + [1.0])
    for y, (step, (left, right)) in enumerate(zip(steps, spans, strict=True)):
        if step.kind == "delta":
            color = _GOOD if step.value >= 0 else _BAD
            text = money(step.value, cur, signed=True)
        else:
            color = _MAIN if step.kind != "total" else _GOOD
            text = money(step.value, cur)
        ax.barh(y, right - left, left=left, color=color, alpha=0.9 if step.kind != "delta" else 0.7)
        ax.text(max(left, right) + extent * 0.01, y, plain(text), va="center", fontsize=9)
        if y + 1 < n:  # connector to the next bar's starting level
            ax.plot([right, right], [y + 0.4, y + 0.6], color="black", linewidth=0.6)
    ax.set_yticks(range(n), [plain(s.label) for s in steps])  # line names hold KPI labels
    ax.invert_yaxis()
    lo = min([0.0] + [min(s) for s in spans])
    ax.set_xlim(lo * 1.1 if lo < 0 else 0.0, extent * 1.22)
    ax.axvline(0, color="black", linewidth=0.8)
    _per_year_axis(ax, cur)
    ax.grid(axis="x", alpha=0.3)
    word = "projected" if view.projected else "measured"
    title = f"From the {word} change to the risk-adjusted annual benefit"
    if not any(ln.counted for ln in view.lines):
        title = "No benefit line is counted: the annual benefit is 0 (each line's reason is below)"
    ax.set_title(title, fontsize=11)
    left_out = [ln for ln in view.lines if not ln.counted]
    if left_out and new:  # the note goes under a figure of our own, not into the caller's
        parts = [f"{ln.name} {money(_mean(ln.annual_value), cur)}" for ln in left_out]
        note = "Not in the total (see the table for why): " + "; ".join(parts) + "."
        fig.text(
            0.01,
            0.0,
            plain(textwrap.fill(note, 130)),
            fontsize=8,
            color=PALETTE["text"],
            va="bottom",
        )
        fig.get_layout_engine().set(rect=(0, 0.08, 1, 0.92))
    return fig


def _waterfall_spans(steps: Sequence[WaterfallStep]) -> list[tuple[float, float]]:
    """Each bar's (left, right): a delta starts where the last bar ended, a level at 0."""
    running = 0.0
    spans = []
    for step in steps:
        if step.kind == "delta":
            left, right = running, running + step.value
        else:
            left, right = 0.0, step.value
        running = right
        spans.append((left, right))
    return spans


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
    if not inputs.users_from:
        # No users stated: a "0.0" would read as a measured count of nobody.
        out = [f"Active users: none stated ({NO_USERS})"]
    elif inputs.users_from != "adoption table":
        out = [f"Active users ({inputs.users_from}): {inputs.active_users:,.1f}"]
    else:
        out = [f"Active users (mean over the after period): {inputs.active_users:,.1f}"]
    if prod is not None and inputs.productivity_reason:
        out.append(f"Productivity (time saved): not counted: {inputs.productivity_reason}")
    elif prod is not None:
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


def benefit_headline_html(view: BenefitView) -> str:
    """The counted and the risk-adjusted annual benefit, as one escaped HTML line."""
    cur = view.currency
    return (
        f"<p><b>Annual benefit (counted): {money(view.annual_benefit, cur)}</b> &nbsp;·&nbsp; "
        f"<b>risk-adjusted: {money(view.risk_adjusted, cur)}</b> a year</p>"
    )
