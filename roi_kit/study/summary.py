"""The headline figures of a case, for scripts (JSON) and, re-exported here, for people.

``roi-kit summary CASE --json`` prints :func:`case_summary` as JSON. Its keys are
stable (``schema`` names the version) and documented in :data:`JSON_KEYS`; a test
checks both, so scripts and CI pipelines can rely on them.

:func:`run_study` and :class:`Study` (:mod:`roi_kit.study.run`) and the formatted tables,
verdict and headline (:mod:`roi_kit.study.readout`) are re-exported, so
``summary.run_study`` and ``summary.verdict`` keep working.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from roi_kit.case import Case
from roi_kit.money import CostSchedule, items_from_config, scorecard
from roi_kit.study.evaluation import CaseResult
from roi_kit.study.readout import (
    assumptions_table,
    break_even_table,
    caveats,
    headline_html,
    roi_to_date_table,
    scenario_table,
    tornado_table,
    verdict,
    verdict_of,
)
from roi_kit.study.run import Study, run_study
from roi_kit.study.simulation import MonteCarloResult

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
    "verdict": "code (pays|does-not-pay|no-measurable-effect|projected), label, reasons (list)",
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
    "improvement, reading, pct_change, mde, mde_pct, valid, validity",
    "measurement": "the method for money: rule (auto or a method), source, kpis (list: kpi, "
    "method, reason, valid, counted, change, low, high, relative_change, relative_low, "
    "relative_high, mde, mde_relative, excludes_zero); relative values are fractions of the "
    "baseline mean",
    "monte_carlo": "n, seed, npv_p5/p50/p95, roi_p5/p50/p95, prob_roi_positive, "
    "prob_payback_within_horizon",
    "scenarios": "list: scenario, npv, roi, payback_months",
    "quality": "score (0-100), rule, errors, warnings",
    "intangibles": "weighted_score (1-5), score_0_100, label; never added to money",
    "caveats": "list: topic, text - every caveat the analysis found (readout.caveats)",
}


def _num(value: Any) -> float | None:
    """A JSON-safe number: NaN and None become null."""
    if value is None:
        return None
    v = float(np.mean(value)) if np.ndim(value) else float(value)
    return None if math.isnan(v) or math.isinf(v) else v


def _intangibles(case: Case) -> dict[str, Any] | None:
    """The intangibles scorecard in three numbers, None when the case scores none."""
    if not case.intangibles:
        return None
    card = scorecard(
        items_from_config(
            [
                {"name": i.name, "score": i.score, "weight": i.weight, "evidence": i.evidence}
                for i in case.intangibles
            ]
        )
    )
    return {
        "weighted_score": float(card.weighted_score),
        "score_0_100": float(card.score_0_100),
        "label": card.label,
    }


def _comparison(table: pd.DataFrame) -> list[dict[str, Any]]:
    """One record per KPI and method of :func:`roi_kit.measure.compare_all`."""
    return [
        {
            "kpi": row.kpi,
            "method": row.method,
            "change": _num(row.change),
            "low": _num(row.low),
            "high": _num(row.high),
            "excludes_zero": bool(row.excludes_zero),
            "improvement": bool(row.improvement),
            "reading": row.reading,
            "pct_change": _num(row.pct_change),
            "mde": _num(getattr(row, "mde", None)),
            "mde_pct": _num(getattr(row, "mde_pct", None)),
            "valid": bool(getattr(row, "valid", True)),
            "validity": str(getattr(row, "validity", "") or ""),
        }
        for row in table.itertuples(index=False)
    ]


def _measurement_block(study: Study) -> dict[str, Any]:
    """The method rule and, per compared KPI, the change that it turns into money."""
    inputs = study.inputs
    changes = inputs.selection if not inputs.projected else inputs.changes
    return {
        "rule": inputs.method_rule,
        "source": inputs.method_source,
        "kpis": [
            {
                "kpi": kpi,
                "method": c.method,
                "reason": c.reason,
                "valid": c.valid,
                "counted": bool(inputs.counted.get(kpi, False)),
                "change": _num(c.change) if c.valid else None,
                "low": _num(c.low),
                "high": _num(c.high),
                "relative_change": _num(c.pct_change) if c.valid else None,
                "relative_low": _num(c.pct_low),
                "relative_high": _num(c.pct_high),
                "mde": _num(c.mde),
                "mde_relative": _num(c.mde_pct),
                "excludes_zero": bool(c.excludes_zero),
            }
            for kpi, c in changes.items()
        ],
    }


def _case_block(case: Case) -> dict[str, Any]:
    return {
        "name": case.name,
        "kind": case.kind,
        "currency": case.currency,
        "go_live": str(case.go_live),
        "horizon_years": case.horizon_years,
        "discount_rate": case.discount_rate,
    }


def _roi_block(result: CaseResult) -> dict[str, float | None]:
    """Every ROI definition, keyed as :data:`JSON_KEYS` documents them."""
    defs = dict(zip(result.definitions["definition"], result.definitions["value"], strict=True))
    return {
        "simple": _num(defs["Simple ROI (articles)"]),
        "percent": _num(defs["ROI % (articles)"]),
        "incremental": _num(defs["Incremental ROI (articles)"]),
        "tei": _num(result.evaluation.roi),
        "nucleus": _num(defs.get("Nucleus annual ROI")),
        "revenue_view": _num(defs.get("Simple ROI, revenue counted as gain")),
    }


def _benefit_rows(result: CaseResult) -> list[dict[str, Any]]:
    return [
        {
            "name": ln.name,
            "formula": ln.formula_symbols,
            "annual_value": _num(ln.annual_value),
            "counted": ln.counted,
            "source": sorted({i.source for i in ln.inputs}),
            "note": ln.note,
        }
        for ln in result.lines
    ]


def _cost_rows(schedule: CostSchedule) -> list[dict[str, Any]]:
    """One record per cost category: Initial, each year, total (before risk adjustment)."""
    yearly = schedule.yearly.drop(index="Total", errors="ignore")
    year_cols = [c for c in yearly.columns if c.startswith("Year")]
    return [
        {
            "category": str(cat),
            "initial": _num(yearly.loc[cat, "Initial"]),
            "years": [_num(yearly.loc[cat, c]) for c in year_cols],
            "total": _num(yearly.loc[cat, "Total"]),
        }
        for cat in yearly.index
    ]


def _monte_carlo_block(mc: MonteCarloResult) -> dict[str, Any]:
    return {
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
    }


def _scenario_rows(table: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {
            "scenario": r.scenario,
            "npv": _num(r.npv),
            "roi": _num(r.roi),
            "payback_months": _num(r.payback_months),
        }
        for r in table.itertuples(index=False)
    ]


def case_summary(study: Study) -> dict[str, Any]:
    """The headline figures as plain JSON-ready values (see :data:`JSON_KEYS`).

    Parameters
    ----------
    study : Study

    Returns
    -------
    dict
        Keys in the order of :data:`JSON_KEYS`; amounts in the case currency, ratios as
        fractions (0.25 = 25%), NaN and infinity as None.
    """
    res = study.result
    ev = res.evaluation
    v = verdict_of(study)
    return {
        "schema": SCHEMA,
        "case": _case_block(study.case),
        "verdict": {"code": v.code, "label": v.label, "reasons": list(v.reasons)},
        "roi": _roi_block(res),
        "npv": _num(ev.npv),
        "irr": _num(ev.irr),
        "irr_note": ev.irr_reason,
        "payback_months": _num(ev.payback_months),
        "pv_benefits": _num(ev.pv_benefits),
        "pv_costs": _num(ev.pv_costs),
        "benefit_lines": _benefit_rows(res),
        "cost_lines": _cost_rows(res.inputs.schedule),
        "tco": _num(res.inputs.schedule.tco),
        "comparison": _comparison(study.comparison),
        "measurement": _measurement_block(study),
        "monte_carlo": _monte_carlo_block(study.monte_carlo),
        "scenarios": _scenario_rows(study.scenarios),
        "quality": {
            "score": study.quality.score,
            "rule": study.quality.rule,
            "errors": study.quality.count("error"),
            "warnings": study.quality.count("warning"),
        },
        "intangibles": _intangibles(study.case),
        "caveats": [{"topic": c.topic, "text": c.text} for c in caveats(study)],
    }


def summary_json(study: Study) -> str:
    """:func:`case_summary` as indented JSON text."""
    return json.dumps(case_summary(study), indent=2, ensure_ascii=False)
