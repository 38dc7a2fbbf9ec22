"""Scenarios and ROI to date: the one model re-run under named overrides, and read by quarter.

:func:`evaluate_scenarios` evaluates every scenario of ``case.yml`` (each a set of parameter
overrides and cost multipliers) with :func:`roi_kit.study.evaluation.evaluate_case`;
:func:`roi_to_date` reads one result quarter by quarter since go-live. This module builds on
:mod:`roi_kit.study.inputs` and :mod:`roi_kit.study.evaluation` (never on
:mod:`roi_kit.study.model`), so :mod:`roi_kit.study.model` can re-export its names plainly
and ``model.evaluate_scenarios`` keeps working.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from roi_kit.case import Case
from roi_kit.errors import CaseError
from roi_kit.money import benefits as bn
from roi_kit.study.evaluation import CaseResult, evaluate_case
from roi_kit.study.inputs import HOURS_NOT_SET, MEASURED_KPIS, Inputs, model_inputs

__all__ = ["scenario_inputs", "evaluate_scenarios", "roi_to_date"]


def scenario_inputs(case: Case, inputs: Inputs, name: str) -> tuple[Inputs, dict[str, float]]:
    """The inputs and parameter overrides of one named scenario of ``case.yml``.

    A scenario overrides assumptions (their likely values), the risk adjustments,
    the expected changes (projection cases) and multiplies costs per category
    (``all`` applies to every category; a category's own factor wins).

    Parameters
    ----------
    case : Case
    inputs : Inputs
        The base case's inputs.
    name : str
        A key of ``case.scenarios``.

    Returns
    -------
    (Inputs, dict)
        Inputs with the scenario's costs and changes, and the parameter overrides.
    """
    if name not in case.scenarios:
        raise CaseError(f"no scenario {name!r} in the case; scenarios: {sorted(case.scenarios)}")
    body = case.scenarios[name]
    overrides: dict[str, float] = {}
    for key, assumption in body.get("assumptions", {}).items():
        overrides[key] = float(assumption.likely)
    risk = body.get("risk", {})
    if "benefits" in risk:
        overrides["risk_benefits"] = float(risk["benefits"])
    if "costs" in risk:
        overrides["risk_costs"] = float(risk["costs"])
    new = inputs
    if "hours_saved_per_user_week" in overrides and new.productivity_reason == HOURS_NOT_SET:
        # The scenario states the hours itself: that is the user's own number, so the
        # productivity line counts in this scenario (the base still does not count it).
        new = replace(new, productivity_reason="")
    factors = body.get("costs")
    if factors:
        yearly = inputs.schedule.yearly.drop(index="Total", errors="ignore")
        yearly = yearly.drop(columns="Total", errors="ignore")
        mult = np.array(
            [factors.get(str(cat), factors.get("all", 1.0)) for cat in yearly.index], dtype=float
        )
        new = replace(new, cost_years=(yearly.to_numpy(dtype=float) * mult[:, None]).sum(axis=0))
    changes = body.get("expected_changes")
    if changes and case.kind == "projection":
        updated = dict(new.changes)
        for kpi, spec in changes.items():
            if kpi in updated:
                base = updated[kpi].baseline
                updated[kpi] = replace(
                    updated[kpi],
                    change=spec.likely * base,
                    low=spec.low * base,
                    high=spec.high * base,
                )
        new = replace(new, changes=updated)
        for kpi, pname in MEASURED_KPIS.items():
            if kpi in updated:
                overrides[pname] = updated[kpi].change
    return new, overrides


def evaluate_scenarios(case: Case, inputs: Inputs | None = None) -> pd.DataFrame:
    """The base case and every named scenario side by side.

    Parameters
    ----------
    case : Case
    inputs : Inputs, optional

    Returns
    -------
    DataFrame
        One row per scenario ("base" first): description, annual benefit, PV
        benefits, PV costs, NPV, TEI ROI, IRR, payback months (currency, fractions,
        months).
    """
    inputs = inputs if inputs is not None else model_inputs(case)
    rows = []
    runs = [("base", "The case as written in case.yml", inputs, {})]
    for name, body in case.scenarios.items():
        sc_inputs, overrides = scenario_inputs(case, inputs, name)
        runs.append((name, body.get("description", ""), sc_inputs, overrides))
    for name, description, sc_inputs, overrides in runs:
        res = evaluate_case(case, overrides, inputs=sc_inputs)
        ev = res.evaluation
        rows.append(
            {
                "scenario": name,
                "description": description,
                "annual_benefit": res.annual_benefit,
                "pv_benefits": ev.pv_benefits,
                "pv_costs": ev.pv_costs,
                "npv": ev.npv,
                "roi": ev.roi,
                "irr": ev.irr,
                "payback_months": ev.payback_months,
            }
        )
    return pd.DataFrame(rows)


def roi_to_date(case: Case, result: CaseResult) -> pd.DataFrame:
    """ROI to date at the end of each quarter since go-live, over the after period.

    The source articles call ROI a continuous process: this is the running answer.
    Benefits accrue monthly at the counted annual rate (risk-adjusted), with the
    projection's ramp-up; costs are the cost schedule's months, everything before
    go-live included, with the overrun of ``result`` (and the cost risk only for a
    projection: a review's costs to date are actuals).

    Parameters
    ----------
    case : Case
    result : CaseResult

    Returns
    -------
    DataFrame
        quarter (e.g. "2024Q1"), months since go-live, cumulative benefit, cumulative
        cost (currency), ROI to date (fraction; NaN with no cost yet).
    """
    end = case.after[1] if case.after is not None else case.go_live + 12 * case.horizon_years - 1
    p = result.params
    overrun = 1.0 + p.get("cost_overrun", 0.0)
    monthly = result.inputs.schedule.monthly.sum(axis=1) * overrun
    if case.after is None:
        # Projected costs carry the TEI cost risk; a review's costs to date are actuals.
        monthly = monthly * (1.0 + p["risk_costs"])
    before = float(monthly[monthly.index < case.go_live].sum())
    horizon = (end - case.go_live).n + 1
    # Benefits accrue monthly with the same ramp-up as the yearly flows.
    accrued = np.cumsum(
        bn.monthly_profile(
            result.annual_benefit * (1.0 - p["risk_benefits"]),
            horizon,
            ramp_up_months=result.inputs.ramp_months,
        )
    )
    rows = []
    quarter_ends = pd.period_range(case.go_live, end, freq="M")
    quarter_ends = [m for m in quarter_ends if m.month % 3 == 0 or m == end]
    for m in quarter_ends:
        n = (m - case.go_live).n + 1
        cost = before + float(monthly[(monthly.index >= case.go_live) & (monthly.index <= m)].sum())
        benefit = float(accrued[n - 1])
        rows.append(
            {
                "quarter": str(m.asfreq("Q")),
                "months": n,
                "cumulative_benefit": benefit,
                "cumulative_cost": cost,
                "roi_to_date": (benefit - cost) / cost if cost > 0 else float("nan"),
            }
        )
    return pd.DataFrame(rows)
