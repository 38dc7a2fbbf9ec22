"""A study's results written for people: formatted tables, the verdict, the headline block.

Each function takes a :class:`~roi_kit.study.run.Study` and returns text (a table of strings,
sentences or escaped HTML) formatted by :mod:`roi_kit.formatting`; the numbers themselves
are in the study and, for scripts, in :mod:`roi_kit.study.summary`'s JSON.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import pandas as pd

from roi_kit import formatting as fmt
from roi_kit.case import get_kpi
from roi_kit.case import goals as case_goals
from roi_kit.errors import RoiKitError
from roi_kit.study.break_even_search import break_even
from roi_kit.study.caveats import Caveat, caveats, caveats_html, relevant_kpis, tornado_moves
from roi_kit.study.evaluation import case_model
from roi_kit.study.inputs import MEASURED_KPIS
from roi_kit.study.params import PARAM_LABELS
from roi_kit.study.run import Study
from roi_kit.study.scenarios import roi_to_date
from roi_kit.study.selection import METHOD_WORDS, MeasuredChange

__all__ = [
    "break_even_table",
    "scenario_table",
    "tornado_table",
    "roi_to_date_table",
    "assumptions_table",
    "Verdict",
    "verdict_of",
    "detectable_sentence",
    "verdict",
    "method_table",
    "Caveat",
    "caveats",
    "caveats_html",
    "headline_html",
]


def break_even_table(study: Study) -> pd.DataFrame:
    """For each uncertain assumption, the value at which NPV = 0, in words.

    Returns
    -------
    DataFrame
        Columns Assumption, Break-even value, Within the assumed range, Reading.
    """
    fn = case_model(study.case, inputs=study.inputs)
    fractions = [n for n, d in study.specs.items() if d.is_fraction]
    rows = []
    for name in study.specs:
        be = break_even(fn, study.specs, name, fraction_names=fractions)
        rows.append(
            {
                "Assumption": PARAM_LABELS.get(name, name),
                "Break-even value": "none" if be.value is None else fmt.significant(be.value),
                "Within the assumed range": "yes" if be.inside_range else "no",
                "Reading": be.message,
            }
        )
    return pd.DataFrame(rows)


def scenario_table(study: Study) -> pd.DataFrame:
    """The scenarios side by side, formatted for reading."""
    cur = study.case.currency
    t = study.scenarios
    return pd.DataFrame(
        {
            "Scenario": t["scenario"],
            "Description": t["description"],
            "Annual benefit": [fmt.money(v, cur) for v in t["annual_benefit"]],
            "NPV": [fmt.money(v, cur) for v in t["npv"]],
            "TEI ROI": [fmt.percent(v) for v in t["roi"]],
            "IRR": [fmt.percent(v) if v == v and v is not None else "none" for v in t["irr"]],
            "Payback": [fmt.months(v) for v in t["payback_months"]],
        }
    )


def tornado_table(study: Study) -> pd.DataFrame:
    """The tornado as a table: NPV at each assumption's low and high value."""
    cur = study.case.currency
    t = study.tornado
    return pd.DataFrame(
        {
            "Assumption": [PARAM_LABELS.get(n, n) for n in t["assumption"]],
            "Low": [fmt.significant(v) for v in t["low_value"]],
            "High": [fmt.significant(v) for v in t["high_value"]],
            "NPV at low": [fmt.money(v, cur) for v in t["output_at_low"]],
            "NPV at high": [fmt.money(v, cur) for v in t["output_at_high"]],
            "Swing": [fmt.money(v, cur) for v in t["swing"]],
        }
    )


def roi_to_date_table(study: Study) -> pd.DataFrame:
    """ROI to date by quarter since go-live, formatted."""
    cur = study.case.currency
    t = roi_to_date(study.case, study.result)
    return pd.DataFrame(
        {
            "Quarter": t["quarter"],
            "Months live": t["months"],
            "Benefit to date": [fmt.money(v, cur) for v in t["cumulative_benefit"]],
            "Cost to date": [fmt.money(v, cur) for v in t["cumulative_cost"]],
            "ROI to date": [fmt.percent(v) for v in t["roi_to_date"]],
        }
    )


def assumptions_table(study: Study) -> pd.DataFrame:
    """Every model parameter: value used, range, distribution, source."""
    rows = []
    case = study.case
    for name, value in study.result.params.items():
        a = case.assumptions.get(name)
        spec = study.specs.get(name)
        if spec is not None:
            rng = f"{fmt.significant(spec.low)} .. {fmt.significant(spec.high)} ({spec.kind})"
        else:
            rng = "fixed"
        if a is not None:
            source = a.source
        elif name in MEASURED_KPIS.values():
            source = "projected" if study.inputs.projected else "measured"
        else:
            source = "case.yml"
        rows.append(
            {
                "Parameter": PARAM_LABELS.get(name, name),
                "Value used": fmt.significant(value),
                "Range": rng,
                "Source": source,
            }
        )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class Verdict:
    """The plain answer of a study, with its reasons.

    Attributes
    ----------
    code : {"pays", "does-not-pay", "no-measurable-effect", "projected"}
    label : str
        The answer in a few words ("Pays for itself", "No measurable effect", ...).
    reasons : tuple of str
        Why, in reading order (plain text): what was measured and counted, the minimum
        detectable effect per goal and money KPI when nothing could be told from noise,
        what rests on assumptions only.
    """

    code: str
    label: str
    reasons: tuple[str, ...]


# Measured changes whose benefit line is shown but never counted: fewer churned customers
# are already inside the revenue change (study.lines' retention line).
_SHOWN_ONLY = frozenset({"churned_customers"})


def _kpi_label(study: Study, kpi: str) -> str:
    try:
        return get_kpi(kpi, study.case.custom_kpis).label
    except RoiKitError:
        return kpi


def _relative(c: MeasuredChange) -> str:
    """The change and its interval relative to the baseline ("+5.2%, 95% interval ...")."""
    if not math.isfinite(c.pct_change):
        return "no baseline to compare with"
    return (
        f"{fmt.percent(c.pct_change, signed=True)}, 95% interval "
        f"{fmt.percent(c.pct_low, signed=True)} to {fmt.percent(c.pct_high, signed=True)}"
    )


def detectable_sentence(study: Study, kpi: str) -> str:
    """How large a change in ``kpi`` the data could have detected, in words.

    The minimum detectable effect (80% power, 5% two-sided) of the method the rule picked,
    relative to the baseline and in the KPI's unit: "the data could only have detected a
    change of +/-21% in Won revenue (+/-EUR 12,000 a month) by difference-in-differences".
    """
    c = study.inputs.selection[kpi]
    label = _kpi_label(study, kpi)
    if not c.valid:
        return f"{label}: the data cannot measure it ({_short_reason(c.reason)})"
    if not math.isfinite(c.mde):
        return f"{label}: the method gives no minimum detectable effect"
    try:
        unit = case_goals.format_change(
            c.mde, get_kpi(kpi, study.case.custom_kpis), study.case.currency
        ).lstrip("+")
    except RoiKitError:
        unit = fmt.significant(c.mde)
    rel = f"+/-{fmt.percent(c.mde_pct, decimals=0)} in {label} (+/-{unit})"
    if not math.isfinite(c.mde_pct):
        rel = f"+/-{unit} in {label}"
    words = METHOD_WORDS.get(c.method, c.method)
    return f"the data could only have detected a change of {rel}, by {words}"


def _short_reason(reason: str) -> str:
    """A method reason without the rule's preamble ("auto (...): no valid method, ...")."""
    marker = "not counted: "
    return reason.split(marker, 1)[1] if marker in reason else reason


def _detectable_sentences(study: Study, kpis: list[str]) -> list[str]:
    """One sentence per KPI; KPIs that fail for the same reason share one sentence."""
    grouped: dict[str, list[str]] = {}
    out: list[str] = []
    for k in kpis:
        c = study.inputs.selection[k]
        if c.valid:
            sentence = detectable_sentence(study, k)
            out.append(f"{sentence[:1].upper()}{sentence[1:]}.")
        else:
            grouped.setdefault(_short_reason(c.reason), []).append(_kpi_label(study, k))
    out += [f"{', '.join(labels)}: the data cannot measure it ({why})." for why, labels in
            grouped.items()]  # fmt: skip
    return out


def verdict_of(study: Study) -> Verdict:
    """The plain verdict: pays for itself / does not / no measurable effect / projected.

    - **Projected** for a projection case (nothing measured: the expected changes).
    - **No measurable effect** when no measured change of the goal KPIs and the KPIs that
      become money can be told from noise (no valid method's interval excludes zero); the
      reasons give the minimum detectable effect per goal and money KPI.
    - Otherwise **pays for itself** when the risk-adjusted NPV is positive, else **does not
      pay for itself**; the reasons say which measured changes count and what rests on
      assumptions only.

    Parameters
    ----------
    study : Study

    Returns
    -------
    Verdict
    """
    ev, inputs = study.result.evaluation, study.inputs
    worth = ev.npv > 0
    counted_lines = [ln.name for ln in study.result.lines if ln.counted]
    if inputs.projected:
        label = "Projected: pays for itself" if worth else "Projected: does not pay for itself"
        reasons = [
            "Nothing is measured yet: the benefits rest on the expected changes in case.yml.",
            f"Counted benefits: {', '.join(counted_lines) or 'none'}.",
        ]
        return Verdict("projected", label, tuple(reasons))
    kpis = relevant_kpis(study.case, inputs.selection)
    measurable = [k for k in kpis if inputs.selection[k].excludes_zero]
    money = [k for k, c in inputs.changes.items() if c.counted and k not in _SHOWN_ONLY]
    assumed = [ln.name for ln in study.result.lines if ln.counted and ln.kind == "productivity"]
    reasons: list[str] = []
    for k in money:
        c = inputs.changes[k]
        reasons.append(
            f"Measured and counted: {_kpi_label(study, k)} ({_relative(c)}, by "
            f"{METHOD_WORDS.get(c.method, c.method)})."
        )
    if not measurable:
        reasons.append(
            "No measured change can be told from noise: every interval includes zero "
            "or no method is valid."
        )
        reasons += _detectable_sentences(study, relevant_kpis(study.case, inputs.selection))
        if counted_lines:
            reasons.append(
                f"The NPV of {fmt.money(ev.npv, study.case.currency)} rests on assumptions "
                f"only: {', '.join(counted_lines)}."
            )
        return Verdict("no-measurable-effect", "No measurable effect", tuple(reasons))
    others = [k for k in measurable if k not in money]
    for k in others:
        c = inputs.selection[k]
        reasons.append(
            f"Measured, not money: {_kpi_label(study, k)} ({_relative(c)}, by "
            f"{METHOD_WORDS.get(c.method, c.method)})."
        )
    if assumed:
        reasons.append(f"Resting on assumptions, not measured: {', '.join(assumed)}.")
    if worth:
        return Verdict("pays", "Pays for itself", tuple(reasons))
    return Verdict("does-not-pay", "Does not pay for itself", tuple(reasons))


def _sure_sentence(study: Study) -> str:
    mc = study.monte_carlo
    if not mc.has_spread:
        return (
            "How sure: nothing in the model is uncertain (no counted measured change and no "
            "assumption with a range that moves the result), so there is no interval to "
            "give; the figures above hold only as far as their inputs do."
        )
    varied = ", ".join(PARAM_LABELS.get(n, n) for n in mc.varied)
    return (
        f"How sure: over {mc.n:,} Monte Carlo draws of the uncertain inputs ({varied}; "
        f"measured changes with their intervals, assumptions with their ranges; no TEI "
        f"haircut on top) the ROI is between {fmt.percent(mc.roi_p5)} and "
        f"{fmt.percent(mc.roi_p95)} (90% interval); P(ROI > 0) = "
        f"{fmt.percent(mc.prob_roi_positive, decimals=0)}."
    )


def _hinge_sentence(study: Study) -> str:
    if tornado_moves(study.tornado):
        top = study.tornado.iloc[0]
        return f"The answer hinges most on {PARAM_LABELS.get(top.assumption, top.assumption)}."
    if len(study.tornado):
        return "No assumption's range moves the NPV: nothing here hinges on one assumption."
    return "No assumption has a range, so the sensitivity of the answer is not tested."


def verdict(study: Study) -> list[str]:
    """The answer in plain sentences, honest about uncertainty.

    Returns
    -------
    list of str
        Sentences in reading order (plain text; escape before putting into HTML): the
        verdict (:func:`verdict_of`) and its reasons, the figures, how sure, what it
        hinges on, what is counted.
    """
    case, ev = study.case, study.result.evaluation
    cur = case.currency
    v = verdict_of(study)
    kind = "projected" if study.inputs.projected else "counted"
    worth = "pays for itself" if ev.npv > 0 else "does not pay for itself"
    rate = fmt.percent(case.discount_rate, decimals=0)
    out = [f"{v.label}.", *v.reasons]
    out.append(
        f"On the {kind} benefits and the full cost of ownership, the CRM {worth} over "
        f"{case.horizon_years} years: NPV {fmt.money(ev.npv, cur)} at a {rate} discount "
        f"rate, TEI ROI {fmt.percent(ev.roi)} (risk-adjusted), payback "
        f"{fmt.months(ev.payback_months)}."
    )
    out.append(_sure_sentence(study))
    mc = study.monte_carlo
    if mc.has_spread and mc.roi_p5 <= 0 <= mc.roi_p95:
        out.append("The 90% interval includes zero: a loss is possible on these assumptions.")
    out.append(_hinge_sentence(study))
    counted = [ln.name for ln in study.result.lines if ln.counted]
    out.append(f"Counted benefits: {', '.join(counted) if counted else 'none'}.")
    if study.inputs.productivity_reason:
        # Said on the front page: a reader would otherwise assume time saved was counted.
        out.append(f"Productivity (time saved) is not counted: {study.inputs.productivity_reason}.")
    return out


def method_table(study: Study) -> pd.DataFrame:
    """Per KPI that matters (goals, money): the method used for money and why.

    Returns
    -------
    DataFrame
        Columns KPI, Method for money, Change (relative, 95% interval), Counted, Why.
    """
    sel = study.inputs.selection
    rows = [
        {
            "KPI": _kpi_label(study, k),
            "Method for money": (
                METHOD_WORDS.get(sel[k].method, sel[k].method) if sel[k].valid else "none valid"
            ),
            "Change (relative, 95% interval)": _relative(sel[k]) if sel[k].valid else "n/a",
            "Counted": _counted_word(study, k),
            "Why this method": sel[k].reason,
        }
        for k in relevant_kpis(study.case, sel)
    ]
    return pd.DataFrame(
        rows,
        columns=["KPI", "Method for money", "Change (relative, 95% interval)", "Counted",
                 "Why this method"],
    )  # fmt: skip


def _counted_word(study: Study, kpi: str) -> str:
    """Whether a KPI's change is counted as money, or why it cannot be."""
    if kpi not in study.inputs.changes:
        return "not a money KPI (a goal)"
    if kpi in _SHOWN_ONLY:
        return "shown, not counted (inside the revenue change)"
    return "yes" if study.inputs.selection[kpi].counted else "no"


_VERDICT_COLOURS = {
    "pays": "#1b7837",
    "does-not-pay": "#b2182b",
    "no-measurable-effect": "#8c6d1f",
    "projected": "#1f4e79",
}


def headline_html(study: Study) -> str:
    """The verdict and the key figures as a small HTML block (every value escaped)."""
    ev, cur = study.result.evaluation, study.case.currency
    mc = study.monte_carlo
    figures = [
        ("NPV", fmt.money(ev.npv, cur)),
        ("TEI ROI", fmt.percent(ev.roi)),
        ("IRR", fmt.percent(ev.irr) if ev.irr is not None else "none"),
        ("Payback", fmt.months(ev.payback_months)),
        (
            "P(ROI > 0)",
            fmt.percent(mc.prob_roi_positive, decimals=0) if mc.has_spread else "not uncertain",
        ),
    ]
    cells = "".join(
        f'<div class="kpi"><div class="label">{html.escape(k)}</div>'
        f'<div class="value">{html.escape(v)}</div></div>'
        for k, v in figures
    )
    v = verdict_of(study)
    sentences = verdict(study)[1:]  # the first sentence is the verdict's label
    paragraphs = "".join(f"<p>{html.escape(t)}</p>" for t in sentences)
    n = len(caveats(study))
    note = (
        f"<p><i>{n} caveat{'s' if n != 1 else ''} of the analysis: listed on the summary "
        "page.</i></p>"
        if n
        else ""
    )
    colour = _VERDICT_COLOURS[v.code]
    return (
        "<style>.roi-kpis{display:flex;gap:1.2em;flex-wrap:wrap;margin:0.6em 0}"
        ".roi-kpis .kpi{border:1px solid #ccd;border-radius:6px;padding:0.5em 0.9em}"
        ".roi-kpis .label{font-size:0.85em;color:#555}"
        ".roi-kpis .value{font-size:1.35em;font-weight:600;color:#1f4e79}"
        ".roi-verdict{font-size:1.5em;font-weight:700;margin:0.4em 0}</style>"
        f'<div class="roi-verdict" style="color:{colour}">{html.escape(v.label)}</div>'
        f'<div class="roi-kpis">{cells}</div>{paragraphs}{note}'
    )
