"""The headline figures of a case, for people (the summary notebook) and scripts (JSON).

``roi-kit summary CASE --json`` prints :func:`case_summary` as JSON. Its keys are
stable (``schema`` names the version) and documented in :data:`JSON_KEYS`; a test
checks both, so scripts and CI pipelines can rely on them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from roi_kit import formatting as fmt
from roi_kit.case import Case, quality
from roi_kit.measure import compare_all
from roi_kit.money import items_from_config, scorecard
from roi_kit.study import model, uncertainty

__all__ = [
    "SCHEMA",
    "JSON_KEYS",
    "Study",
    "run_study",
    "case_summary",
    "summary_json",
    "break_even_table",
    "scenario_table",
    "tornado_table",
    "roi_to_date_table",
    "assumptions_table",
    "verdict",
    "headline_html",
]

SCHEMA = "roi-kit-summary/1"

#: Every top-level key of the JSON summary and what it holds (amounts in the case currency).
JSON_KEYS: Mapping[str, str] = {
    "schema": "format version, 'roi-kit-summary/1'",
    "case": "name, kind (review|projection), currency, go_live, horizon_years, discount_rate",
    "roi": "every ROI definition: simple, percent, incremental, tei, nucleus, revenue_view",
    "npv": "net present value of the risk-adjusted flows",
    "irr": "internal rate of return a year (null when none exists)",
    "irr_note": "why there is no IRR, or a caution; empty when clean",
    "payback_months": "months until cumulative net flow covers the investment (null: never)",
    "pv_benefits": "present value of the risk-adjusted benefits",
    "pv_costs": "present value of the risk-adjusted costs",
    "benefit_lines": "list: name, formula, annual_value, counted, source, note",
    "cost_lines": "list per category: category, initial, years (list), total",
    "tco": "total cost of ownership over Initial + horizon, before risk adjustment",
    "comparison": "list per KPI and method: kpi, method, change, low, high, excludes_zero, "
    "improvement, reading",
    "monte_carlo": "n, seed, npv_p5/p50/p95, roi_p5/p50/p95, prob_roi_positive, "
    "prob_payback_within_horizon",
    "scenarios": "list: scenario, npv, roi, payback_months",
    "quality": "score (0-100), rule, errors, warnings",
    "intangibles": "weighted_score (1-5), score_0_100, label; never added to money",
}


@dataclass(frozen=True)
class Study:
    """Everything the decision step computes for one case (one pass, reused by views).

    Attributes
    ----------
    case : Case
    comparison : DataFrame
        :func:`roi_kit.measure.compare.compare_all` (empty for a projection).
    inputs : model.Inputs
    result : model.CaseResult
    specs : dict of str to Distribution
    monte_carlo : MonteCarloResult
    tornado : DataFrame
    scenarios : DataFrame
    quality : QualityReport
    """

    case: Case
    comparison: pd.DataFrame
    inputs: model.Inputs
    result: model.CaseResult
    specs: dict[str, uncertainty.Distribution]
    monte_carlo: uncertainty.MonteCarloResult
    tornado: pd.DataFrame
    scenarios: pd.DataFrame
    quality: quality.QualityReport


def run_study(
    case: Case, *, n: int = 100_000, seed: int = 0, method: str = "counterfactual"
) -> Study:
    """Measure, value, evaluate and stress one case.

    Parameters
    ----------
    case : Case
    n : int
        Monte Carlo draws.
    seed : int
        Seed of the Monte Carlo (and the naive bootstrap): same seed, same numbers.
    method : str
        Comparison method whose estimates become benefits.
    """
    comparison = compare_all(case, seed=seed) if case.after is not None else pd.DataFrame()
    inputs = model.model_inputs(
        case, method=method, comparison=comparison if len(comparison) else None
    )
    result = model.evaluate_case(case, inputs=inputs)
    specs = model.uncertain_specs(case, inputs)
    fn = model.case_model(case, inputs=inputs)
    # Monte Carlo draws the uncertain inputs themselves; the TEI haircut (a fixed stand-in
    # for that same uncertainty) on top would count the risk twice.
    mc = uncertainty.monte_carlo(
        model.case_model(case, inputs=inputs, risk_adjusted=False),
        specs,
        n=n,
        seed=seed,
        horizon_months=12 * case.horizon_years,
    )
    # The tornado keeps the risk adjustment, so its base is the headline NPV.
    tornado = uncertainty.tornado(fn, specs) if specs else pd.DataFrame()
    return Study(
        case=case,
        comparison=comparison,
        inputs=inputs,
        result=result,
        specs=specs,
        monte_carlo=mc,
        tornado=tornado,
        scenarios=model.evaluate_scenarios(case, inputs),
        quality=quality.check_case(case),
    )


def _num(value: Any) -> float | None:
    """A JSON-safe number: NaN and None become null."""
    if value is None:
        return None
    v = float(np.mean(value)) if np.ndim(value) else float(value)
    return None if math.isnan(v) or math.isinf(v) else v


def case_summary(study: Study) -> dict[str, Any]:
    """The headline figures as plain JSON-ready values (see :data:`JSON_KEYS`)."""
    case, res = study.case, study.result
    ev = res.evaluation
    defs = dict(zip(res.definitions["definition"], res.definitions["value"], strict=True))
    sched = res.inputs.schedule
    yearly = sched.yearly.drop(index="Total", errors="ignore")
    year_cols = [c for c in yearly.columns if c.startswith("Year")]
    mc = study.monte_carlo
    card = (
        scorecard(
            items_from_config(
                [
                    {"name": i.name, "score": i.score, "weight": i.weight, "evidence": i.evidence}
                    for i in case.intangibles
                ]
            )
        )
        if case.intangibles
        else None
    )
    comparison = []
    for row in study.comparison.itertuples(index=False):
        comparison.append(
            {
                "kpi": row.kpi,
                "method": row.method,
                "change": _num(row.change),
                "low": _num(row.low),
                "high": _num(row.high),
                "excludes_zero": bool(row.excludes_zero),
                "improvement": bool(row.improvement),
                "reading": row.reading,
            }
        )
    return {
        "schema": SCHEMA,
        "case": {
            "name": case.name,
            "kind": case.kind,
            "currency": case.currency,
            "go_live": str(case.go_live),
            "horizon_years": case.horizon_years,
            "discount_rate": case.discount_rate,
        },
        "roi": {
            "simple": _num(defs["Simple ROI (articles)"]),
            "percent": _num(defs["ROI % (articles)"]),
            "incremental": _num(defs["Incremental ROI (articles)"]),
            "tei": _num(ev.roi),
            "nucleus": _num(defs.get("Nucleus annual ROI")),
            "revenue_view": _num(defs.get("Simple ROI, revenue counted as gain")),
        },
        "npv": _num(ev.npv),
        "irr": _num(ev.irr),
        "irr_note": ev.irr_reason,
        "payback_months": _num(ev.payback_months),
        "pv_benefits": _num(ev.pv_benefits),
        "pv_costs": _num(ev.pv_costs),
        "benefit_lines": [
            {
                "name": ln.name,
                "formula": ln.formula_symbols,
                "annual_value": _num(ln.annual_value),
                "counted": ln.counted,
                "source": sorted({i.source for i in ln.inputs}),
                "note": ln.note,
            }
            for ln in res.lines
        ],
        "cost_lines": [
            {
                "category": str(cat),
                "initial": _num(yearly.loc[cat, "Initial"]),
                "years": [_num(yearly.loc[cat, c]) for c in year_cols],
                "total": _num(yearly.loc[cat, "Total"]),
            }
            for cat in yearly.index
        ],
        "tco": _num(sched.tco),
        "comparison": comparison,
        "monte_carlo": {
            "n": mc.n,
            "seed": mc.seed,
            "npv_p5": _num(mc.npv_p5),
            "npv_p50": _num(mc.npv_p50),
            "npv_p95": _num(mc.npv_p95),
            "roi_p5": _num(mc.roi_p5),
            "roi_p50": _num(mc.roi_p50),
            "roi_p95": _num(mc.roi_p95),
            "prob_roi_positive": _num(mc.prob_roi_positive),
            "prob_payback_within_horizon": _num(mc.prob_payback_within_horizon),
        },
        "scenarios": [
            {
                "scenario": r.scenario,
                "npv": _num(r.npv),
                "roi": _num(r.roi),
                "payback_months": _num(r.payback_months),
            }
            for r in study.scenarios.itertuples(index=False)
        ],
        "quality": {
            "score": study.quality.score,
            "rule": study.quality.rule,
            "errors": study.quality.count("error"),
            "warnings": study.quality.count("warning"),
        },
        "intangibles": None
        if card is None
        else {
            "weighted_score": float(card.weighted_score),
            "score_0_100": float(card.score_0_100),
            "label": card.label,
        },
    }


def summary_json(study: Study) -> str:
    """:func:`case_summary` as indented JSON text."""
    return json.dumps(case_summary(study), indent=2, ensure_ascii=False)


def break_even_table(study: Study) -> pd.DataFrame:
    """For each uncertain assumption, the value at which NPV = 0, in words.

    Returns
    -------
    DataFrame
        Columns Assumption, Break-even value, Within the assumed range, Reading.
    """
    fn = model.case_model(study.case, inputs=study.inputs)
    fractions = [n for n, d in study.specs.items() if d.is_fraction]
    rows = []
    for name in study.specs:
        be = uncertainty.break_even(fn, study.specs, name, fraction_names=fractions)
        rows.append(
            {
                "Assumption": model.PARAM_LABELS.get(name, name),
                "Break-even value": "none" if be.value is None else f"{be.value:,.4g}",
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
            "Assumption": [model.PARAM_LABELS.get(n, n) for n in t["assumption"]],
            "Low": [f"{v:,.4g}" for v in t["low_value"]],
            "High": [f"{v:,.4g}" for v in t["high_value"]],
            "NPV at low": [fmt.money(v, cur) for v in t["output_at_low"]],
            "NPV at high": [fmt.money(v, cur) for v in t["output_at_high"]],
            "Swing": [fmt.money(v, cur) for v in t["swing"]],
        }
    )


def roi_to_date_table(study: Study) -> pd.DataFrame:
    """ROI to date by quarter since go-live, formatted."""
    cur = study.case.currency
    t = model.roi_to_date(study.case, study.result)
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
            rng = f"{spec.low:,.4g} .. {spec.high:,.4g} ({spec.kind})"
        else:
            rng = "fixed"
        if a is not None:
            source = a.source
        elif name in model.MEASURED_KPIS.values():
            source = "projected" if study.inputs.projected else "measured"
        else:
            source = "case.yml"
        rows.append(
            {
                "Parameter": model.PARAM_LABELS.get(name, name),
                "Value used": f"{value:,.4g}",
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
        out.append(
            f"The answer hinges most on {model.PARAM_LABELS.get(top.assumption, top.assumption)}."
        )
    counted = [ln.name for ln in study.result.lines if ln.counted]
    out.append(f"Counted benefits: {', '.join(counted) if counted else 'none'}.")
    return out


def headline_html(study: Study) -> str:
    """The verdict and the key figures as a small HTML block (every value escaped)."""
    import html

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
