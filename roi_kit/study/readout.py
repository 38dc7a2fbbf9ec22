"""A study's results written for people: formatted tables, the verdict, the headline block.

Each function takes a :class:`~roi_kit.study.run.Study` and returns text (a table of strings,
sentences or escaped HTML) formatted by :mod:`roi_kit.formatting`; the numbers themselves
are in the study and, for scripts, in :mod:`roi_kit.study.summary`'s JSON.
"""

from __future__ import annotations

import html

import pandas as pd

from roi_kit import formatting as fmt
from roi_kit.study.break_even_search import break_even
from roi_kit.study.evaluation import case_model
from roi_kit.study.inputs import MEASURED_KPIS
from roi_kit.study.params import PARAM_LABELS
from roi_kit.study.run import Study
from roi_kit.study.scenarios import roi_to_date

__all__ = [
    "break_even_table",
    "scenario_table",
    "tornado_table",
    "roi_to_date_table",
    "assumptions_table",
    "verdict",
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


def verdict(study: Study) -> list[str]:
    """The answer in plain sentences, honest about uncertainty.

    Returns
    -------
    list of str
        Sentences in reading order (plain text; escape before putting into HTML).
    """
    case, ev, mc = study.case, study.result.evaluation, study.monte_carlo
    cur = case.currency
    kind = "projected" if study.inputs.projected else "measured"
    years = case.horizon_years
    worth = "pays for itself" if ev.npv > 0 else "does not pay for itself"
    rate = fmt.percent(case.discount_rate, decimals=0)
    out = [
        f"On the {kind} benefits and the full cost of ownership, the CRM {worth} over "
        f"{years} years: NPV {fmt.money(ev.npv, cur)} at a {rate} discount rate, "
        f"TEI ROI {fmt.percent(ev.roi)} (risk-adjusted), payback "
        f"{fmt.months(ev.payback_months)}.",
        f"How sure: over {mc.n:,} Monte Carlo draws of the uncertain inputs (measured "
        f"changes with their intervals, assumptions with their ranges; no TEI haircut on "
        f"top) the ROI is between {fmt.percent(mc.roi_p5)} and {fmt.percent(mc.roi_p95)} "
        f"(90% interval); P(ROI > 0) = {fmt.percent(mc.prob_roi_positive, decimals=0)}.",
    ]
    if mc.roi_p5 <= 0 <= mc.roi_p95:
        out.append("The 90% interval includes zero: a loss is possible on these assumptions.")
    if len(study.tornado):
        top = study.tornado.iloc[0]
        out.append(f"The answer hinges most on {PARAM_LABELS.get(top.assumption, top.assumption)}.")
    counted = [ln.name for ln in study.result.lines if ln.counted]
    out.append(f"Counted benefits: {', '.join(counted) if counted else 'none'}.")
    if study.inputs.productivity_reason:
        # Said on the front page: a reader would otherwise assume time saved was counted.
        out.append(f"Productivity (time saved) is not counted: {study.inputs.productivity_reason}.")
    return out


def headline_html(study: Study) -> str:
    """The verdict and the key figures as a small HTML block (every value escaped)."""
    ev, cur = study.result.evaluation, study.case.currency
    figures = [
        ("NPV", fmt.money(ev.npv, cur)),
        ("TEI ROI", fmt.percent(ev.roi)),
        ("IRR", fmt.percent(ev.irr) if ev.irr is not None else "none"),
        ("Payback", fmt.months(ev.payback_months)),
        ("P(ROI > 0)", fmt.percent(study.monte_carlo.prob_roi_positive, decimals=0)),
    ]
    cells = "".join(
        f'<div class="kpi"><div class="label">{html.escape(k)}</div>'
        f'<div class="value">{html.escape(v)}</div></div>'
        for k, v in figures
    )
    sentences = "".join(f"<p>{html.escape(t)}</p>" for t in verdict(study))
    return (
        "<style>.roi-kpis{display:flex;gap:1.2em;flex-wrap:wrap;margin:0.6em 0}"
        ".roi-kpis .kpi{border:1px solid #ccd;border-radius:6px;padding:0.5em 0.9em}"
        ".roi-kpis .label{font-size:0.85em;color:#555}"
        ".roi-kpis .value{font-size:1.35em;font-weight:600;color:#1f4e79}</style>"
        f'<div class="roi-kpis">{cells}</div>{sentences}'
    )
