"""The Scenarios and Tornado sheets: the one model re-run under overrides, live.

Scenarios: each named scenario of ``case.yml`` is a column of parameters (its overrides
typed in, everything else pointing at the base column, which points at Inputs) and a TEI
block of its own (:func:`roi_kit.workbook.sheets_model.write_flows`) whose costs are the
TCO by category times the scenario's multipliers (:func:`roi_kit.study.scenarios.
scenario_inputs`).

Tornado: one assumption at a time at its low and its high value, the others at likely,
as :func:`roi_kit.study.sensitivity.tornado`. The discount rate is not varied, so every
row shares the base discounting and one line of algebra gives its NPV::

    NPV = annual benefit(params) x (1 - risk_benefits) x PV(share of a full year)
          - (1 + cost_overrun) x PV(TCO x (1 + risk_costs x share not yet paid))

A measured change's low and high are the 5th and 95th percentiles of the normal
distribution matching its 95% interval (half-width x z_0.95 / z_0.975), as the kit's
:func:`roi_kit.study.params.uncertain_specs`. The rows keep the kit's order (largest swing
first, at the values written); Excel does not re-sort them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from roi_kit.study.evaluation import evaluate_case
from roi_kit.study.inputs import MEASURED_KPIS
from roi_kit.study.params import PARAM_LABELS
from roi_kit.study.run import Study
from roi_kit.study.scenarios import scenario_inputs
from roi_kit.workbook.cells import Book, a1, put, put_input, ref, span
from roi_kit.workbook.sheets_costs import CostCells
from roi_kit.workbook.sheets_inputs import InputCells
from roi_kit.workbook.sheets_model import (
    NO_IRR,
    NO_PAYBACK,
    FlowCells,
    FlowValues,
    shown,
    write_flows,
)
from roi_kit.workbook.terms import counted_expression

__all__ = ["SCENARIOS", "TORNADO", "write_scenarios", "write_tornado"]

SCENARIOS = "Scenarios"
TORNADO = "Tornado"

_MONEY = "#,##0.00"
_Z90 = 1.6448536269514722
_Z95 = 1.959963984540054
_SUMMARY = [
    ("annual", "Benefit per year", _MONEY, "annual_benefit"),
    ("pv_benefits", "PV benefits", _MONEY, "pv_benefits"),
    ("pv_costs", "PV costs", _MONEY, "pv_costs"),
    ("npv", "NPV", _MONEY, "npv"),
    ("roi", "TEI ROI", "0.00%", "roi"),
    ("irr", "IRR", "0.00%", "irr"),
    ("payback_months", "Payback (months)", "0.00", "payback_months"),
]
_BLOCK = 28  # rows per scenario block


def _runs(study: Study) -> list[tuple[str, str, Any, dict[str, float], Any]]:
    """Per scenario: name, description, inputs, overrides and the kit's result."""
    runs = []
    for name, body in study.case.scenarios.items():
        sc_inputs, overrides = scenario_inputs(study.case, study.inputs, name)
        result = evaluate_case(study.case, overrides, inputs=sc_inputs)
        runs.append((name, str(body.get("description", "")), sc_inputs, overrides, result))
    return runs


def _override(study: Study, cells: InputCells, scenario: str, param: str) -> str | None:
    """A projection scenario's expected change as a formula of the baseline, else None."""
    kpi = {v: k for k, v in MEASURED_KPIS.items()}.get(param)
    changes = study.case.scenarios[scenario].get("expected_changes") or {}
    if kpi is None or kpi not in changes or param not in cells.baseline:
        return None
    return f"={float(changes[kpi].likely)!r}*{cells.baseline[param]}"


def _param_table(
    book: Book, ws: Any, top: int, study: Study, runs: list, cats: list[str], inputs: InputCells
) -> dict:
    """Parameters by scenario (base column = Inputs); returns {(scenario, param): ref}."""
    f = book.fmt
    params = ["risk_benefits", "risk_costs"]
    for _, _, _, overrides, _ in runs:
        params += [p for p in overrides if p not in params]
    ws.write_string(top, 0, "Parameters by scenario (blue: the scenario's own values)", f.title)
    ws.write_row(top + 1, 0, ["Parameter", "base", *[r[0] for r in runs]], f.header)
    cells: dict = {}
    r = top + 2
    for p in params:
        ws.write_string(r, 0, PARAM_LABELS.get(p, p), f.text)
        put(book, ws, r, 1, f"={p}", study.result.params.get(p, 0.0), "#,##0.0000")
        for j, (name, _, _, overrides, _) in enumerate(runs, start=2):
            formula = _override(study, inputs, name, p) if p in overrides else None
            if formula is not None:
                put(book, ws, r, j, formula, overrides[p], "#,##0.0000")
            elif p in overrides:
                put_input(book, ws, r, j, overrides[p], "#,##0.0000")
            else:
                put(book, ws, r, j, f"={a1(r, 1)}", study.result.params.get(p, 0.0), "#,##0.0000")
            cells[(name, p)] = ref(SCENARIOS, r, j)
        r += 1
    for c in cats:
        ws.write_string(r, 0, f"Cost multiplier: {c}", f.text)
        ws.write_number(r, 1, 1.0, f.calc["#,##0.0000"])
        for j, (name, _, _, _, _) in enumerate(runs, start=2):
            factors = study.case.scenarios[name].get("costs") or {}
            put_input(book, ws, r, j, factors.get(c, factors.get("all", 1.0)), "#,##0.0000")
        r += 1
    for j, (name, _, _, _, _) in enumerate(runs, start=2):
        cells[(name, "multipliers")] = span(SCENARIOS, r - len(cats), j, r - 1, j)
    return cells


def write_scenarios(
    book: Book, study: Study, inputs: InputCells, costs: CostCells, base: FlowCells
) -> None:
    """Write the Scenarios sheet: summary, parameters, and one TEI block per scenario.

    A projection scenario's expected change is written ``=relative change x baseline``.
    """
    ws = book.wb.add_worksheet(SCENARIOS)
    f = book.fmt
    runs = _runs(study)
    ws.write_string(0, 0, "Scenarios: the model under the named overrides of case.yml", f.title)
    ws.write_row(3, 0, ["Scenario", "Description", *[s[1] for s in _SUMMARY]], f.header)
    table_top = 5 + len(runs) + 2
    cells = _param_table(book, ws, table_top, study, runs, costs.categories, inputs)
    top = table_top + 4 + len(cells) // max(len(runs), 1) + len(costs.categories)
    rows = [("base", "The case as written in case.yml", base, study.result)]
    for name, description, sc_inputs, _, result in runs:
        refs = {p: cells.get((name, p), p) for p in (*MEASURED_KPIS.values(), *_MODEL_NAMES)}
        share = sc_inputs.cost_future_share
        values = FlowValues(
            annual=result.annual_benefit,
            year1=sc_inputs.ramp_year1,
            tco=sc_inputs.cost_years,
            share=np.ones(len(sc_inputs.cost_years)) if share is None else share,
            risk_costs=result.params["risk_costs"],
            evaluation=result.evaluation,
        )
        annual_cell = (top + _BLOCK - 2, 1)
        ws.write_string(annual_cell[0], 0, "Counted benefit per year (this scenario)", f.text)
        put(
            book,
            ws,
            *annual_cell,
            "=" + counted_expression(result.lines, refs),
            result.annual_benefit,
            _MONEY,
        )
        flow_refs = {
            "annual": a1(*annual_cell, absolute=True),
            "year1_share": "year1_share",
            "discount_rate": "discount_rate",
            "risk_benefits": refs["risk_benefits"],
            "risk_costs": refs["risk_costs"],
            "cost_overrun": refs["cost_overrun"],
        }
        mult = cells[(name, "multipliers")]
        tco = [f"SUMPRODUCT({cat},{mult})" for cat in costs.by_category]
        block = write_flows(
            book,
            ws,
            top,
            title=f"Scenario {name}: {description}",
            refs=flow_refs,
            tco=tco,
            share=costs.share,
            values=values,
        )
        rows.append((name, description, block, result))
        top += _BLOCK
    _summary(book, ws, rows)
    ws.set_column(0, 0, 46)
    ws.set_column(1, 10, 15)


#: Model parameters a scenario may override besides the measured changes.
_MODEL_NAMES = (
    "gross_margin",
    "attribution_share",
    "recapture_factor",
    "loaded_hourly_rate",
    "hours_saved_per_user_week",
    "cost_of_capital",
    "cost_overrun",
    "customer_annual_margin",
    "risk_benefits",
    "risk_costs",
)


def _summary(book: Book, ws: Any, rows: list) -> None:
    for i, (name, description, block, result) in enumerate(rows, start=4):
        ws.write_string(i, 0, name, book.fmt.text)
        ws.write_string(i, 1, description, book.fmt.wrap)
        ev = result.evaluation
        values = {
            "annual": result.annual_benefit,
            "pv_benefits": ev.pv_benefits,
            "pv_costs": ev.pv_costs,
            "npv": ev.npv,
            "roi": ev.roi,
            "irr": shown(ev.irr, NO_IRR),
            "payback_months": shown(ev.payback_months, NO_PAYBACK),
        }
        for j, (key, _, code, _) in enumerate(_SUMMARY, start=2):
            put(book, ws, i, j, f"={block.results[key]}", values[key], code)


def _bounds(study: Study, cells: InputCells, name: str) -> tuple[str, str]:
    """Formulas of the low and high value a tornado row sets ``name`` to."""
    if name not in MEASURED_KPIS.values():
        return f"={cells.low[name]}", f"={cells.high[name]}"
    mid, lo, hi = cells.likely[name], cells.low[name], cells.high[name]
    if study.inputs.projected:
        return f"=MIN({lo},{mid})", f"=MAX({hi},{mid})"
    half = f"({hi}-{lo})/2*{_Z90}/{_Z95}"
    return f"={mid}-{half}", f"={mid}+{half}"


def write_tornado(book: Book, study: Study, cells: InputCells, base: FlowCells) -> None:
    """Write the Tornado sheet: NPV with each uncertain input at its low and high."""
    ws = book.wb.add_worksheet(TORNADO)
    f = book.fmt
    ws.write_string(0, 0, "Tornado: NPV with one input at a time at its low and high", f.title)
    ws.write_string(
        1,
        0,
        "NPV = benefit per year x (1 - risk_benefits) x PV(share of a full year) - "
        "(1 + cost_overrun) x PV(TCO with cost risk); rows in the kit's order.",
        f.note,
    )
    ws.write_string(3, 0, "PV of the share of a full year (Cash flow)", f.text)
    put(book, ws, 3, 2, f"={base.pv_shape}", _pv_shape(study), "0.000000")
    ws.write_string(4, 0, "PV of the TCO with cost risk, before overrun (Cash flow)", f.text)
    put(book, ws, 4, 2, f"={base.pv_cost_risk}", _pv_cost_risk(study), _MONEY)
    head = ["Input", "Label", "Low", "High", "NPV at low", "NPV at high", "Swing", "Base NPV"]
    ws.write_row(6, 0, head, f.header)
    pv_shape, pv_cost = a1(3, 2, absolute=True), a1(4, 2, absolute=True)
    overrun = "cost_overrun" if "cost_overrun" in study.result.params else "0"
    for i, row in enumerate(study.tornado.itertuples(index=False), start=7):
        name = str(row.assumption)
        ws.write_string(i, 0, name, f.text)
        ws.write_string(i, 1, PARAM_LABELS.get(name, name), f.text)
        low, high = _bounds(study, cells, name)
        put(book, ws, i, 2, low, row.low_value, "#,##0.0000")
        put(book, ws, i, 3, high, row.high_value, "#,##0.0000")
        for col, at, value in ((4, 2, row.output_at_low), (5, 3, row.output_at_high)):
            here = a1(i, at, absolute=True)
            annual = counted_expression(study.result.lines, {name: here})
            over = here if name == "cost_overrun" else overrun
            formula = f"=({annual})*(1-risk_benefits)*{pv_shape}-(1+{over})*{pv_cost}"
            put(book, ws, i, col, formula, value, _MONEY)
        put(book, ws, i, 6, f"=ABS({a1(i, 5)}-{a1(i, 4)})", row.swing, _MONEY)
        put(book, ws, i, 7, "=base_npv", row.base, _MONEY)
    ws.set_column(0, 1, 30)
    ws.set_column(2, 7, 16)


def _pv_shape(study: Study) -> float:
    inputs = study.inputs
    rate = study.case.discount_rate
    shape = np.r_[0.0, inputs.ramp_year1, np.ones(inputs.years - 1)]
    return float(np.sum(shape / (1.0 + rate) ** np.arange(inputs.years + 1)))


def _pv_cost_risk(study: Study) -> float:
    inputs = study.inputs
    share = inputs.cost_future_share
    share = np.ones(inputs.years + 1) if share is None else share
    costs = inputs.cost_years * (1.0 + study.case.risk_costs * share)
    return float(np.sum(costs / (1.0 + study.case.discount_rate) ** np.arange(inputs.years + 1)))
