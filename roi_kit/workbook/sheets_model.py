"""The TEI cash-flow block (Initial, Year 1..N, PV) and the Cash flow sheet.

:func:`write_flows` writes one evaluation of the model as live formulas: benefits (the
counted annual benefit x the share of a full year, x (1 - benefit risk)), costs (the TCO x
(1 + cost risk x the share not yet paid) x (1 + overrun)), net and cumulative flows, the
present values, NPV, TEI ROI, benefit-cost ratio, IRR and payback. The Cash flow sheet is
the base case; each scenario (:mod:`roi_kit.workbook.sheets_stress`) is another block.

Excel's conventions, where they differ from the kit's (each is written beside its cell):

- ``NPV(rate, values)`` discounts its *first* value by one period; the kit's Initial column
  is at t = 0, undiscounted, so PV is ``Initial + NPV(rate, Year 1..Year N)``.
- ``IRR`` returns ``#NUM!`` when the flows never change sign; the kit says "none": the
  formula tests the signs first. With several sign changes Excel's root (Newton from 10%)
  may differ from the kit's (the one closest to zero); the kit then says "prefer NPV".
- Payback needs no macro: a row holds, for each year whose cumulative net flow turns
  non-negative after being negative, ``t - 1 + (-cumulative[t-1]) / net[t]`` (the flow
  arrives evenly over the year); those candidates rise with t, so the first one is their
  MIN. Payback is 0 when the cumulative flow is never negative.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from roi_kit.money import finance
from roi_kit.study.run import Study
from roi_kit.workbook.cells import Book, a1, put, ref, row_span

__all__ = [
    "CASH_FLOW",
    "NO_IRR",
    "NO_PAYBACK",
    "FlowCells",
    "FlowValues",
    "write_flows",
    "write_cash_flow",
    "shown",
]

CASH_FLOW = "Cash flow"
#: What the IRR and payback cells say when the kit has none.
NO_IRR = "none: no sign change"
NO_PAYBACK = "not within the horizon"

_MONEY = "#,##0.00"
_NPV_NOTE = (
    "Excel's NPV() discounts its first value: PV = Initial (t = 0, undiscounted) "
    "+ NPV(rate, Year 1..Year N)"
)
_IRR_NOTE = (
    "IRR of the net flows (yearly = annual); 'none' when they never change sign (Excel "
    "would give #NUM!); with several sign changes Excel's root may differ from the kit's"
)
_PAYBACK_NOTE = (
    "12 x the first year-fraction at which the cumulative net flow turns non-negative "
    "(linear inside the year); 0 when it never goes negative"
)

#: Row offsets of the block (from its title row).
_R = {
    "t": 2,
    "shape": 3,
    "b_pre": 4,
    "b": 5,
    "tco": 6,
    "share": 7,
    "c_risk": 8,
    "c": 9,
    "net": 10,
    "cum": 11,
    "df": 12,
    "cand": 13,
}
_LABELS = {
    "t": "Period t (years from go-live)",
    "shape": "Share of a full year's benefit",
    "b_pre": "Benefits before risk",
    "b": "Benefits, risk-adjusted x (1 - risk_benefits)",
    "tco": "Costs: TCO (Costs sheet)",
    "share": "Cost risk share (not yet paid)",
    "c_risk": "Costs x (1 + risk_costs x share)",
    "c": "Costs, risk-adjusted, x (1 + cost_overrun)",
    "net": "Net cash flow",
    "cum": "Cumulative net",
    "df": "Discount factor 1 / (1 + r)^t",
    "cand": "Payback candidate (years)",
}


@dataclass(frozen=True)
class FlowValues:
    """The kit's numbers for one block (its cached values).

    Attributes
    ----------
    annual : float, currency/year
    year1 : float, fraction
    tco : ndarray, currency [Initial, Year 1..N]
    share : ndarray, fraction
    risk_costs : float, fraction
        The TEI cost risk (applied to the share not yet paid).
    evaluation : finance.Evaluation
    """

    annual: float
    year1: float
    tco: np.ndarray
    share: np.ndarray
    risk_costs: float
    evaluation: finance.Evaluation


@dataclass(frozen=True)
class FlowCells:
    """References to the results of one block.

    Attributes
    ----------
    results : dict of str to str
        ``pv_benefits``, ``pv_costs``, ``npv``, ``roi``, ``bcr``, ``irr``,
        ``payback_months``, ``total_benefits``, ``total_costs``, ``initial_cost``,
        ``annual``.
    pv_shape, pv_cost_risk : str
        PV of the share-of-year row and of the risk-adjusted TCO before overrun (the
        tornado's NPV = annual x (1 - risk) x pv_shape - (1 + overrun) x pv_cost_risk).
    """

    results: dict[str, str]
    pv_shape: str
    pv_cost_risk: str


def _cached_rows(v: FlowValues, rate: float, rc: float) -> dict[str, np.ndarray]:
    ev = v.evaluation
    n = len(v.tco)
    shape = np.r_[0.0, v.year1, np.ones(n - 2)]
    cum = np.cumsum(ev.net)
    cand = np.full(n, np.nan)
    for t in range(1, n):
        if cum[t - 1] < 0 <= cum[t]:
            cand[t] = t - 1 - cum[t - 1] / ev.net[t]
    return {
        "t": np.arange(n, dtype=float),
        "shape": shape,
        "b_pre": v.annual * shape,
        "b": ev.benefits,
        "tco": v.tco,
        "share": v.share,
        "c_risk": v.tco * (1.0 + rc * v.share),
        "c": ev.costs,
        "net": ev.net,
        "cum": cum,
        "df": 1.0 / (1.0 + rate) ** np.arange(n),
        "cand": cand,
    }


def shown(value: float | None, text: str) -> float | str:
    """A result as the sheet shows it: the number, or ``text`` when the kit has none."""
    if value is None or not np.isfinite(value):
        return text
    return float(value)


def _row_formula(key: str, k: int, top: int, refs: Mapping[str, str], ext: Mapping) -> str:
    """The formula of row ``key`` in period column ``k`` (column k + 1)."""
    here = {name: a1(top + off, k + 1) for name, off in _R.items()}
    if key == "t":
        return f"={k}"
    if key == "shape":
        return "=0" if k == 0 else (f"={refs['year1_share']}" if k == 1 else "=1")
    if key == "cum":
        return f"={here['net']}" if k == 0 else f"={a1(top + _R['cum'], k)}+{here['net']}"
    if key == "cand":
        if k == 0:
            return '=""'
        prev, cum, net = a1(top + _R["cum"], k), here["cum"], here["net"]
        return f'=IF(AND({prev}<0,{cum}>=0),{k - 1}-{prev}/{net},"")'
    return {
        "b_pre": f"={refs['annual']}*{here['shape']}",
        "b": f"={here['b_pre']}*(1-{refs['risk_benefits']})",
        "tco": f"={ext['tco'][k]}",
        "share": f"={ext['share'][k]}",
        "c_risk": f"={here['tco']}*(1+{refs['risk_costs']}*{here['share']})",
        "c": f"={here['c_risk']}*(1+{refs['cost_overrun']})",
        "net": f"={here['b']}-{here['c']}",
        "df": f"=1/(1+{refs['discount_rate']})^{here['t']}",
    }[key]


def _grid(
    book: Book,
    ws: Any,
    top: int,
    refs: Mapping[str, str],
    ext: Mapping,
    rows: Mapping[str, np.ndarray],
    rate: float,
) -> None:
    """The flows table: one row per key, Initial..Year N, Total, Present value."""
    n = len(rows["t"])
    f = book.fmt
    head = ["", "Initial", *[f"Year {k}" for k in range(1, n)], "Total", "Present value"]
    ws.write_row(top + 1, 0, head, f.header)
    for key, off in _R.items():
        r = top + off
        ws.write_string(r, 0, _LABELS[key], f.text)
        code = {"t": "0", "shape": "0.00%", "share": "0.00%", "df": "0.000000"}.get(key, _MONEY)
        if key == "cand":
            code = "0.0000"
        for k in range(n):
            value = shown(rows[key][k], "")
            put(book, ws, r, k + 1, _row_formula(key, k, top, refs, ext), value, code)
        if key in ("b_pre", "b", "tco", "c_risk", "c", "net"):
            put(book, ws, r, n + 1, f"=SUM({row_span(r, 1, n)})", rows[key].sum(), _MONEY)
        if key in ("shape", "b", "c_risk", "c", "net"):
            pv = float(finance.npv(rate, rows[key]))
            formula = f"={a1(r, 1)}+NPV({refs['discount_rate']},{row_span(r, 2, n)})"
            put(book, ws, r, n + 2, formula, pv, "0.0000" if key == "shape" else _MONEY)
    ws.write_string(top + _R["b"], n + 3, _NPV_NOTE, f.note)


def write_flows(
    book: Book,
    ws: Any,
    top: int,
    *,
    title: str,
    refs: Mapping[str, str],
    tco: Sequence[str],
    share: Sequence[str],
    values: FlowValues,
) -> FlowCells:
    """Write one TEI block (flows and results) at row ``top`` of ``ws``.

    Parameters
    ----------
    book : Book
    ws : xlsxwriter Worksheet
    top : int
        Title row (0-based); the block takes 24 rows.
    title : str
    refs : mapping of str to str
        ``annual``, ``year1_share``, ``discount_rate``, ``risk_benefits``, ``risk_costs``,
        ``cost_overrun``: names or references.
    tco, share : sequence of str
        Per period, a formula body giving the TCO (before overrun and risk) and the cost
        risk share.
    values : FlowValues
        The kit's numbers (cached values).

    Returns
    -------
    FlowCells
    """
    ev = values.evaluation
    n = len(values.tco)
    rate = ev.discount_rate
    rows = _cached_rows(values, rate, values.risk_costs)
    ws.write_string(top, 0, title, book.fmt.title)
    _grid(book, ws, top, refs, {"tco": tco, "share": share}, rows, rate)
    return _results(book, ws, top + len(_R) + 3, top, n, refs, values)


def _results(
    book: Book, ws: Any, r0: int, top: int, n: int, refs: Mapping[str, str], values: FlowValues
) -> FlowCells:
    """NPV, ROI, IRR, payback ... under the flows table; returns their references."""
    ev = values.evaluation
    f = book.fmt
    pv_col, tot_col = n + 2, n + 1
    row = {k: top + off for k, off in _R.items()}
    net = row_span(row["net"], 1, n)
    cum = row_span(row["cum"], 1, n)
    cand = row_span(row["cand"], 1, n)
    items = [
        ("pv_benefits", "PV benefits", f"={a1(row['b'], pv_col)}", ev.pv_benefits, _MONEY, ""),
        ("pv_costs", "PV costs", f"={a1(row['c'], pv_col)}", ev.pv_costs, _MONEY, ""),
        ("npv", "NPV", f"={a1(r0, 1)}-{a1(r0 + 1, 1)}", ev.npv, _MONEY, "PV benefits - PV costs"),
        ("roi", "TEI ROI", f"={a1(r0 + 2, 1)}/{a1(r0 + 1, 1)}", ev.roi, "0.00%",
         "(PV benefits - PV costs) / PV costs"),
        ("bcr", "Benefit-cost ratio", f"={a1(r0, 1)}/{a1(r0 + 1, 1)}", ev.bcr, "0.0000", ""),
        ("irr", "IRR (annual)",
         f'=IF(OR(MAX({net})<=0,MIN({net})>=0),"{NO_IRR}",IRR({net}))',
         shown(ev.irr, NO_IRR), "0.00%", _IRR_NOTE),
        ("payback_months", "Payback (months)",
         f'=IF(MIN({cum})>=0,0,IF(COUNT({cand})=0,"{NO_PAYBACK}",12*MIN({cand})))',
         shown(ev.payback_months, NO_PAYBACK), "0.00", _PAYBACK_NOTE),
        ("total_benefits", "Total benefits (risk-adjusted, undiscounted)",
         f"={a1(row['b'], tot_col)}", float(ev.benefits.sum()), _MONEY, ""),
        ("total_costs", "Total costs (risk-adjusted, undiscounted)",
         f"={a1(row['c'], tot_col)}", float(ev.costs.sum()), _MONEY, ""),
        ("initial_cost", "Initial cost (risk-adjusted)", f"={a1(row['c'], 1)}",
         float(ev.costs[0]), _MONEY, ""),
        ("annual", "Counted benefit per year, before risk", f"={refs['annual']}",
         values.annual, _MONEY, ""),
    ]  # fmt: skip
    results = {}
    for i, (key, label, formula, value, code, note) in enumerate(items):
        ws.write_string(r0 + i, 0, label, f.header if i < 7 else f.text)
        put(book, ws, r0 + i, 1, formula, value, code)
        ws.write_string(r0 + i, 2, note, f.note)
        results[key] = ref(ws.get_name(), r0 + i, 1)
    return FlowCells(
        results=results,
        pv_shape=ref(ws.get_name(), row["shape"], pv_col),
        pv_cost_risk=ref(ws.get_name(), row["c_risk"], pv_col),
    )


def write_cash_flow(
    book: Book, study: Study, tco: Sequence[str], share: Sequence[str], annual: str
) -> FlowCells:
    """The Cash flow sheet: the base case's TEI table and headline results (named)."""
    ws = book.wb.add_worksheet(CASH_FLOW)
    inputs = study.inputs
    share_values = inputs.cost_future_share
    values = FlowValues(
        annual=study.result.annual_benefit,
        year1=inputs.ramp_year1,
        tco=inputs.cost_years,
        share=np.ones(len(inputs.cost_years)) if share_values is None else share_values,
        risk_costs=study.result.params["risk_costs"],
        evaluation=study.result.evaluation,
    )
    refs = {
        "annual": annual,
        "year1_share": "year1_share",
        "discount_rate": "discount_rate",
        "risk_benefits": "risk_benefits",
        "risk_costs": "risk_costs",
        "cost_overrun": "cost_overrun" if "cost_overrun" in study.result.params else "0",
    }
    title = f"TEI cash flow, base case ({book.currency}; years discounted at discount_rate)"
    cells = write_flows(book, ws, 0, title=title, refs=refs, tco=tco, share=share, values=values)
    for key, target in cells.results.items():
        book.wb.define_name(f"base_{key}", f"={target}")
    ws.set_column(0, 0, 46)
    ws.set_column(1, len(values.tco) + 2, 15)
    return cells
