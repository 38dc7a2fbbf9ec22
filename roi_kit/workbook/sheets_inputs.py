"""The Inputs and Measured sheets: every assumption and every measured change, named.

Each model input gets a workbook-level defined name (``gross_margin``, ``revenue_change``
...) on its likely value, so the formulas downstream read as the kit's formulas do
(``=revenue_change*12*gross_margin*attribution_share``). The measured changes are values
(the statistics behind them are the kit's: a counterfactual or difference-in-differences
fit is not an Excel formula); a projection's changes are formulas of the expected relative
change and the baseline level.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from roi_kit.study.run import Study
from roi_kit.workbook.cells import Book, a1, number_format, put, put_input, ref

__all__ = ["INPUTS", "MEASURED", "InputCells", "write_inputs", "write_measured"]

INPUTS = "Inputs"
MEASURED = "Measured"

#: Working weeks a year in the productivity line (roi_kit.money productivity default).
WEEKS_PER_YEAR = 48.0

_HEAD = ["Name", "Label", "Low", "Likely", "High", "Unit", "Distribution", "Source", "Note"]


@dataclass(frozen=True)
class InputCells:
    """Where each named input's likely, low and high values are (absolute references).

    Attributes
    ----------
    likely, low, high : dict of str to str
        Input name -> ``'Sheet'!$D$5``; ``low``/``high`` only for inputs with a range.
    baseline : dict of str to str
        Measured-change name -> its KPI's baseline level (per month).
    """

    likely: dict[str, str]
    low: dict[str, str]
    high: dict[str, str]
    baseline: dict[str, str]


def _month_date(period: pd.Period) -> dt.datetime:
    return dt.datetime(period.year, period.month, 1)


def _row(book: Book, ws: Any, r: int, cells: InputCells, spec: dict[str, Any]) -> None:
    """One Inputs row; ``spec`` keys: name, label, likely, unit, [low, high, dist, source,
    note, formula]. Defines the name on the likely cell."""
    code = "yyyy-mm" if spec["unit"] == "month" else number_format(spec["unit"])
    f = book.fmt
    ws.write_string(r, 0, spec["name"], f.text)
    ws.write_string(r, 1, spec["label"], f.text)
    if spec.get("formula"):
        put(book, ws, r, 3, spec["formula"], spec["likely"], code)
    else:
        put_input(book, ws, r, 3, spec["likely"], code)
    if "low" in spec:
        put_input(book, ws, r, 2, spec["low"], code)
        put_input(book, ws, r, 4, spec["high"], code)
        cells.low[spec["name"]] = ref(INPUTS, r, 2)
        cells.high[spec["name"]] = ref(INPUTS, r, 4)
    for col, key in ((5, "unit"), (6, "dist"), (7, "source"), (8, "note")):
        ws.write_string(r, col, str(spec.get(key, "")), f.note if col == 8 else f.text)
    book.wb.define_name(spec["name"], f"={ref(INPUTS, r, 3)}")
    cells.likely[spec["name"]] = ref(INPUTS, r, 3)


def _settings(study: Study) -> list[dict[str, Any]]:
    case = study.case
    rows = [
        {
            "name": "discount_rate",
            "label": "Discount rate (annual)",
            "likely": case.discount_rate,
            "unit": "fraction",
            "source": "case.yml",
            "note": "Forrester TEI default 10%; years are discounted at year end",
        },
        {
            "name": "risk_benefits",
            "label": "TEI benefit risk adjustment",
            "likely": case.risk_benefits,
            "unit": "fraction",
            "source": "case.yml",
            "note": "every benefit is multiplied by (1 - risk_benefits)",
        },
        {
            "name": "risk_costs",
            "label": "TEI cost risk adjustment",
            "likely": case.risk_costs,
            "unit": "fraction",
            "source": "case.yml",
            "note": "costs not yet paid at the end of the data are multiplied by "
            "(1 + risk_costs); see the cost risk share on Costs",
        },
        {
            "name": "horizon_years",
            "label": "Horizon (years from go-live)",
            "likely": case.horizon_years,
            "unit": "count",
            "source": "case.yml",
            "note": "fixed by the layout (one column per year): change it in case.yml "
            "and write the workbook again",
        },
        {
            "name": "go_live",
            "label": "Go-live month (first month of Year 1)",
            "likely": _month_date(case.go_live),
            "unit": "month",
            "source": "case.yml",
        },
    ]
    if case.after is not None:
        rows.append(
            {
                "name": "data_end",
                "label": "Last month of data (after period end)",
                "likely": _month_date(case.after[1]),
                "unit": "month",
                "source": "case.yml",
                "note": "costs up to here are actuals and carry no cost risk",
            }
        )
    return rows


def _assumptions(study: Study) -> list[dict[str, Any]]:
    rows = []
    for name, a in study.case.assumptions.items():
        row = {
            "name": name,
            "label": name.replace("_", " ").capitalize(),
            "likely": a.likely,
            "unit": a.unit,
            "dist": a.distribution,
            "source": a.source,
            "note": a.note,
        }
        if a.high > a.low:
            row.update(low=a.low, high=a.high)
        rows.append(row)
    return rows


def _fixed(study: Study) -> list[dict[str, Any]]:
    """Inputs the kit takes from the data: baseline revenue, users, weeks, year-1 share."""
    inputs, case = study.inputs, study.case
    users: dict[str, Any] = {
        "name": "users",
        "label": "Active users behind the productivity line",
        "likely": inputs.active_users,
        "unit": "users",
        "source": inputs.users_source,
        "note": "mean active users of the adoption table (after period; a projection: "
        "its last three rows)",
    }
    has_table = case.adoption is not None and len(case.adoption) > 0
    if not has_table:
        if "active_users" in case.assumptions:
            users.update(formula="=active_users", note="the active_users assumption")
        else:
            users["note"] = "no adoption table and no active_users: none"
    rows = [
        {
            "name": "annual_revenue",
            "label": "Baseline revenue of the CRM group, per year",
            "likely": inputs.annual_revenue,
            "unit": "currency/year",
            "source": "measured",
            "note": "baseline monthly mean x 12 (the sales-cycle line)",
        },
        users,
        {
            "name": "weeks_per_year",
            "label": "Working weeks a year",
            "likely": WEEKS_PER_YEAR,
            "unit": "weeks/year",
            "source": "assumed",
            "note": "kit default: 52 weeks less holidays and leave",
        },
    ]
    if "customer_annual_margin" not in case.assumptions:
        # The kit derives it from revenue and customers; without them the retention line
        # is valued at 0 (study.params.base_params), and the formula needs the name.
        rows.append(
            {
                "name": "customer_annual_margin",
                "label": "Annual margin per customer",
                "likely": 0.0,
                "unit": "currency/customer/year",
                "source": "assumed",
                "note": "not derived (needs revenue and customers in kpis.csv): 0",
            }
        )
    share: dict[str, Any] = {
        "name": "year1_share",
        "label": "Share of a full year's benefit in Year 1",
        "likely": inputs.ramp_year1,
        "unit": "fraction",
        "source": "derived",
    }
    if inputs.projected and "ramp_up_months" in case.assumptions:
        # Month i of the ramp earns min(i / r, 1) of a full month: over 12 months that is
        # ((r + 1) / 2 + 12 - r) / 12 for 1 <= r <= 12 (the kit's monthly_profile).
        r = "MIN(ROUND(ramp_up_months,0),12)"
        share["formula"] = f"=IF({r}=0,1,(({r}+1)/2+12-{r})/12)"
        share["note"] = "linear ramp-up: month i earns min(i / ramp_up_months, 1)"
    else:
        share["formula"] = "=1"
        share["note"] = "a review measures the after period as it was (ramp included)"
    rows.append(share)
    return rows


def write_inputs(book: Book, study: Study) -> InputCells:
    """Write the Inputs sheet; return where each named input is.

    Parameters
    ----------
    book : Book
    study : Study

    Returns
    -------
    InputCells
    """
    ws = book.wb.add_worksheet(INPUTS)
    f = book.fmt
    ws.write_string(0, 0, f"Inputs: {study.case.name}", f.title)
    ws.write_string(
        1, 0, "Blue cells are inputs: change a likely value and every sheet follows.", f.note
    )
    cells = InputCells({}, {}, {}, {})
    r = 3
    for title, rows in (
        ("Case settings", _settings(study)),
        ("Assumptions (case.yml; kit defaults filled in)", _assumptions(study)),
        ("Fixed inputs taken from the data", _fixed(study)),
    ):
        ws.write_string(r, 0, title, f.title)
        ws.write_row(r + 1, 0, _HEAD, f.header)
        r += 2
        for spec in rows:
            _row(book, ws, r, cells, spec)
            r += 1
        r += 1
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 42)
    ws.set_column(2, 4, 13)
    ws.set_column(5, 7, 16)
    ws.set_column(8, 8, 70)
    ws.freeze_panes(3, 2)
    return cells


_M_HEAD = [
    "KPI",
    "Name",
    "Baseline (per month)",
    "Change (per month)",
    "Low",
    "High",
    "Method",
    "Counted (1 = yes)",
    "Source",
    "Reading",
    "Caveat",
]


def _caveat(study: Study, kpi: str, method: str) -> str:
    comp = study.comparison
    if comp is None or not len(comp):
        return "projected: nothing measured yet; the range is an assumption"
    row = comp[(comp["kpi"] == kpi) & (comp["method"] == method)]
    if row.empty:
        return ""
    parts = [str(row.iloc[0].get(k, "") or "") for k in ("note", "validity")]
    return "; ".join(p for p in parts if p and p != "nan")


def _change_row(book: Book, ws: Any, r: int, study: Study, kpi: str, name: str) -> None:
    """One measured (or projected) change; a projection's is rel. change x baseline."""
    ch = study.inputs.changes[kpi]
    f = book.fmt
    ws.write_string(r, 0, kpi, f.text)
    ws.write_string(r, 1, name, f.text)
    ws.write_number(r, 2, ch.baseline, f.calc["#,##0.00##"])
    if ch.source == "projected":
        spec = study.case.expected_changes[kpi]
        for col, v in zip((11, 12, 13), (spec.low, spec.likely, spec.high), strict=True):
            put_input(book, ws, r, col, v, "0.00%")
        base = a1(r, 2)
        put(book, ws, r, 3, f"={a1(r, 12)}*{base}", ch.change, "#,##0.00##")
        put(book, ws, r, 4, f"={a1(r, 11)}*{base}", ch.low, "#,##0.00##")
        put(book, ws, r, 5, f"={a1(r, 13)}*{base}", ch.high, "#,##0.00##")
    else:
        for col, v in ((3, ch.change), (4, ch.low), (5, ch.high)):
            put_input(book, ws, r, col, v, "#,##0.00##")
    ws.write_string(r, 6, ch.method, f.text)
    ws.write_number(r, 7, 1.0 if study.inputs.counted.get(kpi, False) else 0.0, f.calc["0"])
    ws.write_string(r, 8, ch.source, f.text)
    ws.write_string(r, 9, ch.reading, f.note)
    ws.write_string(r, 10, _caveat(study, kpi, ch.method), f.note)
    book.wb.define_name(name, f"={ref(MEASURED, r, 3)}")


def write_measured(book: Book, study: Study, cells: InputCells, names: dict[str, str]) -> None:
    """Write the Measured sheet and add the changes' references to ``cells``.

    Parameters
    ----------
    book : Book
    study : Study
    cells : InputCells
        Gains the likely/low/high references of each change.
    names : mapping of KPI to parameter name
        :data:`roi_kit.study.inputs.MEASURED_KPIS`.
    """
    ws = book.wb.add_worksheet(MEASURED)
    f = book.fmt
    kind = "projected" if study.inputs.projected else "measured"
    ws.write_string(0, 0, f"Changes the money model uses ({kind})", f.title)
    ws.write_string(
        1,
        0,
        "A change counts only when it is an improvement whose 95% interval excludes zero "
        "(the kit's rule; the flag does not move when you edit the change).",
        f.note,
    )
    ws.write_row(3, 0, _M_HEAD, f.header)
    if study.inputs.projected:
        ws.write_row(3, 11, ["Expected low", "Expected likely", "Expected high"], f.header)
    r = 4
    for kpi, name in names.items():
        if kpi not in study.inputs.changes:
            continue
        _change_row(book, ws, r, study, kpi, name)
        cells.likely[name] = ref(MEASURED, r, 3)
        cells.low[name] = ref(MEASURED, r, 4)
        cells.high[name] = ref(MEASURED, r, 5)
        cells.baseline[name] = ref(MEASURED, r, 2)
        r += 1
    _comparison_table(book, ws, r + 2, study)
    ws.set_column(0, 1, 20)
    ws.set_column(2, 5, 15)
    ws.set_column(6, 8, 14)
    ws.set_column(9, 10, 60)


def _comparison_table(book: Book, ws: Any, r: int, study: Study) -> None:
    """Every comparison method side by side (values: the kit's statistics)."""
    comp = study.comparison
    if comp is None or not len(comp):
        return
    f = book.fmt
    ws.write_string(r, 0, "Every comparison method (measured; values, not formulas)", f.title)
    cols = [c for c in ("kpi", "method", "baseline", "after", "change", "low", "high") if c in comp]
    extra = [c for c in ("improvement", "reading", "validity") if c in comp]
    ws.write_row(r + 1, 0, cols + extra, f.header)
    for i, row in enumerate(comp.itertuples(index=False), start=r + 2):
        rec = row._asdict()
        for j, c in enumerate(cols + extra):
            v = rec[c]
            if isinstance(v, (int, float)) and not isinstance(v, bool) and pd.notna(v):
                ws.write_number(i, j, float(v), f.calc["#,##0.00##"])
            else:
                ws.write_string(i, j, "" if v is None or v is pd.NA else str(v), f.text)
