"""The Costs sheet: the ledger charged to its periods, the TCO by category and year, live.

The rules are those of :mod:`roi_kit.money.costs`: each ledger line is charged to the
months it is paid in (``once`` in its start month; ``monthly`` every month; ``quarterly``
every third month from its start; ``annual`` prorated, amount / 12 a month; a blank end
runs to the end of the horizon), and a period's cost is the number of charges inside its
window times the charge. Months are numbered ``YEAR x 12 + MONTH`` so a window is a plain
interval ``[a, b]``, and the count of charges ``s, s + k, s + 2k, ... <= e`` inside it is

    ``INT((MIN(b, e) - s) / k) + INT((s - MAX(a, s)) / k) + 1``  (0 when ``MIN(b, e) <
    MAX(a, s)``),

where the second INT, of a number <= 0, is minus the ceiling of ``(MAX(a, s) - s) / k``
(INT rounds down). The same count over the months after the last month of actuals gives
the share of each period's cost that carries the TEI cost risk
(:func:`roi_kit.study.inputs.cost_future_share`).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from roi_kit.errors import RoiKitError
from roi_kit.money.cost_ledger import LedgerLine, ledger_lines
from roi_kit.study.run import Study
from roi_kit.workbook.cells import Book, a1, put, put_input, ref, span

__all__ = ["COSTS", "CostCells", "write_costs"]

COSTS = "Costs"

_MONEY = "#,##0.00"
_FIRST = 11  # first ledger row (0-based); rows 8-9 hold the windows, 10 the header
_COL0 = 13  # column of the Initial period (charged)
_HEAD = [
    "Item",
    "Category",
    "Type",
    "Frequency",
    "Start",
    "End",
    "Hours",
    "Hourly rate",
    "Amount per occurrence",
    "Start no.",
    "End no.",
    "Step (months)",
    "Per charge",
]


@dataclass(frozen=True)
class CostCells:
    """Where the Costs sheet put the TCO by period.

    Attributes
    ----------
    total : list of str
        TCO per period [Initial, Year 1..N] (before overrun and risk).
    share : list of str
        Share of each period's cost charged after the last month of actuals (the part
        the TEI cost risk applies to).
    categories : list of str
        Ledger categories, in the row order of ``by_category``.
    by_category : list of str
        Per period, the range of the category totals (a scenario multiplies them).
    """

    total: list[str]
    share: list[str]
    categories: list[str]
    by_category: list[str]


def _month_no(period: pd.Period) -> int:
    return period.year * 12 + period.month


def _count(a: float, b: float, s: int, e: int, step: int) -> int:
    """Charges s, s + step, ... <= e inside [a, b]: the sheet formula's twin (cached values)."""
    lo, hi = max(a, s), min(b, e)
    if hi < lo:
        return 0
    return math.floor((hi - s) / step) + math.floor((s - lo) / step) + 1


def _header(book: Book, ws: Any, study: Study) -> tuple[int, int, int]:
    """Month numbers of go-live, the horizon end and the last month of actuals."""
    case, f = study.case, book.fmt
    go = _month_no(case.go_live)
    last = go + 12 * case.horizon_years - 1
    if case.after is not None:
        end = _month_no(case.after[1])
        actuals = ("=YEAR(data_end)*12+MONTH(data_end)", end, "later charges carry the cost risk")
    else:
        end = 0
        actuals = ("=0", 0, "a projection: every cost is an estimate and carries the cost risk")
    rows = [
        ("go_live_no", "Go-live month no. (YEAR x 12 + MONTH)", "=YEAR(go_live)*12+MONTH(go_live)",
         go, ""),
        ("horizon_end_no", "Last month of the horizon", "=go_live_no+12*horizon_years-1", last,
         "charges after it are left out of the TCO"),
        ("actuals_end_no", "Last month of actuals", *actuals),
    ]  # fmt: skip
    for r, (name, label, formula, value, note) in enumerate(rows, start=3):
        ws.write_string(r, 0, label, f.text)
        put(book, ws, r, 2, formula, value, "0")
        ws.write_string(r, 3, note, f.note)
        book.wb.define_name(name, f"={ref(COSTS, r, 2)}")
    return go, last, end


def _windows(book: Book, ws: Any, n: int, go: int, end: int) -> list[tuple[int, int]]:
    """Rows 8-9: each period's first and last month number, charged and after the actuals.

    Returns the charged windows [Initial, Year 1..N, after the horizon].
    """
    f = book.fmt
    ws.write_string(8, 0, "Window: first month no.", f.note)
    ws.write_string(9, 0, "Window: last month no.", f.note)
    windows = []
    for k in range(n + 1):  # the extra column: after the horizon (left out)
        col = _COL0 + k
        if k == 0:
            a, b, fa, fb = 0, go - 1, "=0", "=go_live_no-1"
        elif k < n:
            a, b = go + 12 * (k - 1), go + 12 * k - 1
            fa, fb = f"=go_live_no+12*{k - 1}", f"=go_live_no+12*{k}-1"
        else:
            a, b, fa, fb = go + 12 * (k - 1), 10**7, "=horizon_end_no+1", "=10000000"
        put(book, ws, 8, col, fa, a, "0")
        put(book, ws, 9, col, fb, b, "0")
        windows.append((a, b))
        if k < n:
            ac = _COL0 + n + 2 + k
            put(book, ws, 8, ac, f"=MAX({a1(8, col)},actuals_end_no+1)", max(a, end + 1), "0")
            put(book, ws, 9, ac, f"={a1(9, col)}", b, "0")
    return windows


def _ledger_row(
    book: Book, ws: Any, r: int, line: LedgerLine, raw: pd.Series, last: int
) -> tuple[int, int, int, float]:
    """Columns A-M of one ledger line; returns (start no., end no., step, per charge)."""
    f = book.fmt
    for col, text in enumerate((str(line.item), line.category, line.type, line.frequency)):
        ws.write_string(r, col, text, f.text)
    put_input(book, ws, r, 4, dt.datetime(line.start.year, line.start.month, 1), "yyyy-mm")
    hours, rate = raw.get("hours"), raw.get("hourly_rate")
    if pd.isna(raw.get("amount")) and pd.notna(hours) and pd.notna(rate):
        put_input(book, ws, r, 6, float(hours), "#,##0.00##")
        put_input(book, ws, r, 7, float(rate), "#,##0.00##")
        put(book, ws, r, 8, f"={a1(r, 6)}*{a1(r, 7)}", line.amount, _MONEY)
    else:
        put_input(book, ws, r, 8, line.amount, _MONEY)
    s = _month_no(line.start)
    put(book, ws, r, 9, f"=YEAR({a1(r, 4)})*12+MONTH({a1(r, 4)})", s, "0")
    if line.frequency == "once":
        e, fe = s, f"={a1(r, 9)}"
    elif line.end is None:
        e, fe = last, "=horizon_end_no"
    else:
        put_input(book, ws, r, 5, dt.datetime(line.end.year, line.end.month, 1), "yyyy-mm")
        e, fe = _month_no(line.end), f"=YEAR({a1(r, 5)})*12+MONTH({a1(r, 5)})"
    put(book, ws, r, 10, fe, e, "0")
    step = 3 if line.frequency == "quarterly" else 1
    ws.write_number(r, 11, step, f.calc["0"])
    annual = line.frequency == "annual"
    per = line.amount / 12.0 if annual else line.amount
    put(book, ws, r, 12, f"={a1(r, 8)}/12" if annual else f"={a1(r, 8)}", per, _MONEY)
    return s, e, step, per


def _charge_formula(r: int, col: int) -> str:
    """Charges of ledger row ``r`` inside the window of column ``col``, times the charge."""
    s, e, k, p = (f"${c}{r + 1}" for c in "JKLM")
    letters = a1(0, col).rstrip("0123456789")
    a, b = f"{letters}$9", f"{letters}$10"
    return (
        f"=IF(MIN({b},{e})<MAX({a},{s}),0,"
        f"(INT((MIN({b},{e})-{s})/{k})+INT(({s}-MAX({a},{s}))/{k})+1)*{p})"
    )


def _ledger(book: Book, ws: Any, study: Study, go: int, last: int, end: int) -> int:
    """The ledger block; returns the last ledger row."""
    n = study.case.horizon_years + 1
    years = [f"Year {k}" for k in range(1, n)]
    head = [*_HEAD, "Initial", *years, "After the horizon (left out)"]
    ws.write_row(10, 0, head, book.fmt.header)
    ws.write_row(7, _COL0, ["Charged in the period (before overrun and risk)"], book.fmt.note)
    ws.write_row(7, _COL0 + n + 2, ["of which after the last month of actuals"], book.fmt.note)
    ws.write_row(10, _COL0 + n + 2, ["Initial", *years], book.fmt.header)
    windows = _windows(book, ws, n, go, end)
    raw_rows = study.case.costs.reset_index(drop=True)
    for i, line in enumerate(ledger_lines(study.case.costs)):
        r = _FIRST + i
        s, e, step, per = _ledger_row(book, ws, r, line, raw_rows.iloc[i], last)
        for k, (a, b) in enumerate(windows):
            value = _count(a, b, s, e, step) * per
            put(book, ws, r, _COL0 + k, _charge_formula(r, _COL0 + k), value, _MONEY)
            if k < n:
                col = _COL0 + n + 2 + k
                after = _count(max(a, end + 1), b, s, e, step) * per
                put(book, ws, r, col, _charge_formula(r, col), after, _MONEY)
    return _FIRST + len(raw_rows) - 1


def write_costs(book: Book, study: Study) -> CostCells:
    """Write the Costs sheet: ledger, charges by period, TCO by category and year.

    Parameters
    ----------
    book : Book
    study : Study

    Returns
    -------
    CostCells

    Raises
    ------
    RoiKitError
        A schedule with annual lines charged on their anniversary (the kit's model
        prorates them; the workbook writes only that rule).
    """
    schedule = study.inputs.schedule
    if schedule.annual != "prorated":
        raise RoiKitError("the workbook writes prorated annual charges only (the kit's rule)")
    ws = book.wb.add_worksheet(COSTS)
    ws.write_string(0, 0, f"Cost ledger and TCO by year ({book.currency})", book.fmt.title)
    ws.write_string(
        1,
        0,
        "Each cell counts the line's charges inside the period's window (month numbers "
        "YEAR x 12 + MONTH) and multiplies by the charge; an annual price is prorated "
        "(amount / 12 a month).",
        book.fmt.note,
    )
    go, last, end = _header(book, ws, study)
    bottom = _ledger(book, ws, study, go, last, end)
    cells = _tco(book, ws, study, bottom + 3)
    ws.set_column(0, 0, 48)
    ws.set_column(1, 3, 14)
    ws.set_column(4, 12, 11)
    ws.set_column(_COL0, _COL0 + 2 * study.case.horizon_years + 4, 13)
    ws.freeze_panes(11, 1)
    return cells


def _tco(book: Book, ws: Any, study: Study, top: int) -> CostCells:
    """TCO by category and period (SUMIF over the ledger), totals and the cost risk share."""
    f = book.fmt
    schedule = study.inputs.schedule
    n = study.case.horizon_years + 1
    first, last = _FIRST, _FIRST + len(schedule.lines) - 1
    cats = [c for c in schedule.yearly.index if c != "Total"]
    periods = ["Initial", *schedule.year_labels]
    ws.write_string(top, 0, "TCO by category and year", f.title)
    ws.write_row(top + 1, 0, ["Category", *[""] * (_COL0 - 1), *periods, "Total"], f.header)
    lines = schedule.lines
    rows = [(c, "B", c, schedule.yearly.loc[c, periods].to_numpy(dtype=float)) for c in cats]
    for label, kind in (("of which one-time", "one_time"), ("of which recurring", "recurring")):
        rows.append((label, "C", kind, lines.loc[lines["type"] == kind, periods].sum().to_numpy()))
    r = top + 2
    out: dict[str, int] = {}
    for label, column, key, values in rows:
        ws.write_string(r, 0, label, f.text)
        for k in range(n):
            col = _COL0 + k
            crit = span(None, first, "ABC".index(column), last, "ABC".index(column))
            rng = span(None, first, col, last, col)
            put(book, ws, r, col, f'=SUMIF({crit},"{key}",{rng})', values[k], _MONEY)
        put(
            book,
            ws,
            r,
            _COL0 + n,
            f"=SUM({a1(r, _COL0)}:{a1(r, _COL0 + n - 1)})",
            float(np.sum(values)),
            _MONEY,
        )
        out[label] = r
        r += 1
        if label == cats[-1]:
            out["Total"] = r
            _total_row(book, ws, r, schedule, out[cats[0]], n)
            r += 1
    share_row = r + 1
    _share_rows(book, ws, share_row, study, out["Total"], first, last)
    total = [ref(COSTS, out["Total"], _COL0 + k) for k in range(n)]
    return CostCells(
        total=total,
        share=[ref(COSTS, share_row + 1, _COL0 + k) for k in range(n)],
        categories=cats,
        by_category=[
            span(COSTS, out[cats[0]], _COL0 + k, out[cats[-1]], _COL0 + k) for k in range(n)
        ],
    )


def _total_row(book: Book, ws: Any, r: int, schedule: Any, first_cat: int, n: int) -> None:
    ws.write_string(r, 0, "Total (TCO)", book.fmt.header)
    totals = schedule.yearly.loc["Total"].to_numpy(dtype=float)
    for k in range(n + 1):
        col = _COL0 + k
        put(book, ws, r, col, f"=SUM({a1(first_cat, col)}:{a1(r - 1, col)})", totals[k], _MONEY)
    excluded = (
        "=SUM(" + span(None, _FIRST, _COL0 + n, _FIRST + len(schedule.lines) - 1, _COL0 + n) + ")"
    )
    put(book, ws, r, _COL0 + n + 1, excluded, schedule.excluded_after_horizon, _MONEY)


def _share_rows(
    book: Book, ws: Any, r: int, study: Study, total_row: int, first: int, last: int
) -> None:
    """After-the-actuals totals and the cost risk share per period."""
    f = book.fmt
    n = study.case.horizon_years + 1
    share = study.inputs.cost_future_share
    share = np.ones(n) if share is None else share
    totals = study.inputs.cost_years
    ws.write_string(r, 0, "Charged after the last month of actuals", f.text)
    ws.write_string(r + 1, 0, "Cost risk share (after actuals / total; 1 when no cost)", f.text)
    for k in range(n):
        col = _COL0 + k
        after_col = _COL0 + n + 2 + k
        put(
            book,
            ws,
            r,
            col,
            f"=SUM({span(None, first, after_col, last, after_col)})",
            share[k] * totals[k],
            _MONEY,
        )
        tot = a1(total_row, col)
        put(book, ws, r + 1, col, f"=IF({tot}=0,1,{a1(r, col)}/{tot})", share[k], "0.00%")
