"""The Register sheet: every assumption with its range, source, owner, date, quality and impact.

The rows are :func:`roi_kit.study.register.register_frame` of the study's own tornado, in its
order (largest NPV swing first), so the sheet and the report's assumptions page agree. The
sheet documents the evidence behind the Inputs sheet; its numbers are values as of the build
(the impact is the tornado swing the kit computed), not formulas: a reviewer who edits an
input sees the live effect on the Tornado sheet.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from roi_kit.study.register import QUALITY_RULE, register_frame
from roi_kit.study.run import Study
from roi_kit.workbook.cells import Book, number_format

__all__ = ["REGISTER", "REGISTER_HEADERS", "write_register"]

REGISTER = "Register"

#: (header, register column, number format or None for text), in sheet order.
REGISTER_HEADERS: tuple[tuple[str, str, str | None], ...] = (
    ("Rank", "rank", "0"),
    ("Input", "label", None),
    ("Key", "assumption", None),
    ("Kind", "kind", None),
    ("Low", "low", "unit"),
    ("Likely", "likely", "unit"),
    ("High", "high", "unit"),
    ("Unit", "unit", None),
    ("Source", "source", None),
    ("Citation", "citation", None),
    ("Owner", "owner", None),
    ("As of", "as_of", None),
    ("Quality", "quality", None),
    ("Why", "quality_reasons", None),
    ("Impact: NPV swing", "impact", "#,##0.00"),
    ("NPV at low", "npv_at_low", "#,##0.00"),
    ("NPV at high", "npv_at_high", "#,##0.00"),
    ("Call-out", "call_out", None),
    ("Note", "impact_note", None),
)


def _cell(book: Book, ws: Any, row: int, col: int, value: object, code: str | None) -> None:
    """One register cell: a number in ``code``, or text (blank for a missing value)."""
    missing = value is None or bool(pd.isna(value))
    if code is None:
        ws.write_string(row, col, "" if missing else str(value), book.fmt.text)
        return
    number = math.nan if missing else float(value)  # type: ignore[arg-type]
    if not math.isfinite(number):
        ws.write_blank(row, col, None, book.fmt.text)
        return
    ws.write_number(row, col, number, book.fmt.calc.get(code, book.fmt.calc["#,##0.00##"]))


def write_register(book: Book, study: Study) -> int:
    """Write the Register sheet; return the number of inputs listed.

    Parameters
    ----------
    book : Book
    study : Study
        Its ``tornado`` gives the impacts (:func:`~roi_kit.study.register.register_frame`).

    Returns
    -------
    int
        Rows written below the header.
    """
    frame = register_frame(study.case, study.tornado)
    ws = book.wb.add_worksheet(REGISTER)
    ws.write_string(0, 0, "Assumptions register", book.fmt.title)
    ws.write_string(
        1,
        0,
        f"Sorted by impact: the swing of the risk-adjusted NPV ({book.currency}) between the "
        "input's low and high value, the others at their likely value (the Tornado sheet).",
        book.fmt.note,
    )
    ws.write_string(2, 0, QUALITY_RULE, book.fmt.note)
    header_row = 4
    for col, (header, _, _) in enumerate(REGISTER_HEADERS):
        ws.write_string(header_row, col, header, book.fmt.header)
    for i, rec in enumerate(frame.to_dict("records")):
        row = header_row + 1 + i
        for col, (_, key, code) in enumerate(REGISTER_HEADERS):
            value = rec[key]
            fmt = number_format(str(rec["unit"])) if code == "unit" else code
            _cell(book, ws, row, col, value, fmt)
    ws.set_column(0, 0, 6)
    ws.set_column(1, 1, 30)
    ws.set_column(2, 12, 13)
    ws.set_column(13, 13, 40)
    ws.set_column(14, 16, 16)
    ws.set_column(17, 18, 50)
    ws.freeze_panes(header_row + 1, 2)
    return len(frame)
