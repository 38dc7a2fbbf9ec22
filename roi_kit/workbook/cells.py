"""A1 references, defined names and cell formats: the plumbing every sheet writer shares.

Every number the workbook derives is written as a live formula *with its cached value*
(the kit's own result), so a viewer that does not recalculate (a file preview, a mail
client) shows the same numbers Excel computes. Inputs are blue on pale yellow, the finance
modelling convention for "change me"; formulas are black.

References
----------
.. [1] XlsxWriter documentation, "Working with Formulas" (cached results, ``write_formula``
   ``value``) and "Working with Defined Names" (``Workbook.define_name``).
.. [2] FAST Standard Organisation, *The FAST Standard* (2016): inputs apart from
   calculations and outputs, inputs formatted distinctly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

__all__ = [
    "Book",
    "Formats",
    "make_formats",
    "a1",
    "ref",
    "span",
    "row_span",
    "number_format",
    "put",
    "put_input",
    "cached",
]

#: Number formats by unit (the kit's unit words); anything else gets the plain number.
_UNIT_FORMATS = {
    "fraction": "0.00%",
    "fraction/year": "0.00%",
    "fraction of cost": "0.00%",
    "percent": "0.00",
    "money": "#,##0.00",
    "currency": "#,##0.00",
    "months": "0.00",
    "ratio": "0.0000",
    "date": "yyyy-mm",
    "count": "0",
}


@dataclass(frozen=True)
class Formats:
    """The cell formats of one workbook, by role and number format.

    Attributes
    ----------
    title, header, text, note, wrap : xlsxwriter Format
        Sheet title, column headers, plain text, grey notes beside cells, wrapped text.
    calc : dict of str to Format
        Formula cells by number format (``"0.00%"``, ``"#,##0.00"``, ...).
    given : dict of str to Format
        Input cells by number format (blue on pale yellow).
    """

    title: Any
    header: Any
    text: Any
    note: Any
    wrap: Any
    calc: dict[str, Any]
    given: dict[str, Any]


@dataclass(frozen=True)
class Book:
    """One workbook being written: the XlsxWriter workbook, its formats and currency.

    Attributes
    ----------
    wb : xlsxwriter.Workbook
    fmt : Formats
    currency : str
        ISO 4217 code written in the money headers.
    """

    wb: Any
    fmt: Formats
    currency: str


def make_formats(wb: Any) -> Formats:
    """Create the formats of ``wb`` once (XlsxWriter formats belong to one workbook)."""
    codes = sorted(set(_UNIT_FORMATS.values()) | {"#,##0.00##", "#,##0.0000", "0.000000"})
    calc = {c: wb.add_format({"num_format": c}) for c in codes}
    given = {
        c: wb.add_format({"num_format": c, "font_color": "#0000CC", "bg_color": "#FFF9D6"})
        for c in codes
    }
    return Formats(
        title=wb.add_format({"bold": True, "font_size": 14}),
        header=wb.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"}),
        text=wb.add_format({}),
        note=wb.add_format({"font_color": "#666666", "italic": True}),
        wrap=wb.add_format({"text_wrap": True, "valign": "top"}),
        calc=calc,
        given=given,
    )


def number_format(unit: str) -> str:
    """The Excel number format for a kit unit ("fraction" -> ``0.00%``)."""
    if unit.startswith("currency") and unit != "currency":
        return "#,##0.00##"
    return _UNIT_FORMATS.get(unit, "#,##0.00##")


def a1(row: int, col: int, *, absolute: bool = False) -> str:
    """A1 address of a zero-based (row, col): ``a1(2, 1) == "B3"``.

    Examples
    --------
    >>> a1(2, 1), a1(2, 1, absolute=True)
    ('B3', '$B$3')
    """
    return xl_rowcol_to_cell(row, col, row_abs=absolute, col_abs=absolute)


def ref(sheet: str, row: int, col: int) -> str:
    """Absolute reference to a cell of another sheet: ``'Cash flow'!$B$3``.

    Examples
    --------
    >>> ref("Cash flow", 2, 1)
    "'Cash flow'!$B$3"
    """
    return f"'{sheet}'!{a1(row, col, absolute=True)}"


def span(sheet: str | None, row0: int, col0: int, row1: int, col1: int) -> str:
    """Absolute range, on ``sheet`` or (None) the sheet the formula is on.

    Examples
    --------
    >>> span(None, 0, 1, 0, 3), span("Costs", 4, 2, 9, 2)
    ('$B$1:$D$1', "'Costs'!$C$5:$C$10")
    """
    body = f"{a1(row0, col0, absolute=True)}:{a1(row1, col1, absolute=True)}"
    return body if sheet is None else f"'{sheet}'!{body}"


def row_span(row: int, col0: int, col1: int) -> str:
    """Relative range along one row of the same sheet: ``B5:E5``."""
    return f"{xl_col_to_name(col0)}{row + 1}:{xl_col_to_name(col1)}{row + 1}"


def cached(value: Any) -> Any:
    """A cached result XlsxWriter can store: a number, or text for none/NaN."""
    if value is None:
        return "none"
    if isinstance(value, str):
        return value
    value = float(value)
    return "none" if not math.isfinite(value) else value


def put(book: Book, ws: Any, row: int, col: int, formula: str, value: Any, code: str) -> None:
    """Write a live formula with its cached value in number format ``code``."""
    fmt = book.fmt.calc.get(code, book.fmt.calc["#,##0.00##"])
    ws.write_formula(row, col, formula, fmt, cached(value))


def put_input(book: Book, ws: Any, row: int, col: int, value: Any, code: str) -> None:
    """Write an input value (blue on yellow: the cells a reviewer may change)."""
    fmt = book.fmt.given.get(code, book.fmt.given["#,##0.00##"])
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        ws.write_blank(row, col, None, fmt)
    elif code == "yyyy-mm":
        ws.write_datetime(row, col, value, fmt)
    else:
        ws.write_number(row, col, float(value), fmt)
