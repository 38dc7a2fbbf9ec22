"""The Benefits sheet: each benefit line with its formula in Excel terms, live.

Every line of :func:`roi_kit.study.lines.benefit_lines` is one row; its value is the
expression of :mod:`roi_kit.workbook.terms` over the named inputs, and the counted total
is ``SUMPRODUCT(value, counted)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from roi_kit.study.run import Study
from roi_kit.workbook.cells import Book, a1, put, ref, span
from roi_kit.workbook.terms import line_term

__all__ = ["BENEFITS", "BenefitCells", "write_benefits"]

BENEFITS = "Benefits"

_MONEY = "#,##0.00"


@dataclass(frozen=True)
class BenefitCells:
    """Where the Benefits sheet put its results.

    Attributes
    ----------
    annual : str
        The counted benefit per year, before risk (defined name ``annual_benefit``).
    lines : dict of str to str
        Line kind -> reference of its annual value.
    """

    annual: str
    lines: dict[str, str]


def write_benefits(book: Book, study: Study) -> BenefitCells:
    """Write the Benefits sheet: one row per benefit line, its formula live.

    Parameters
    ----------
    book : Book
    study : Study

    Returns
    -------
    BenefitCells
    """
    ws = book.wb.add_worksheet(BENEFITS)
    f = book.fmt
    ws.write_string(0, 0, f"Benefit lines ({book.currency} per year)", f.title)
    ws.write_string(
        1,
        0,
        "The measured change is per month (x 12 for a year); attribution credits the CRM "
        "with its share; the TEI risk (1 - risk_benefits) is applied on Cash flow.",
        f.note,
    )
    head = [
        "Line",
        "Formula (Excel)",
        "Per year",
        "Counted (1 = yes)",
        "x (1 - risk_benefits)",
        "Note",
        "Formula (kit)",
    ]
    ws.write_row(3, 0, head, f.header)
    lines: dict[str, str] = {}
    r = 4
    for ln in study.result.lines:
        term = line_term(ln.kind, {})
        value = float(np.mean(ln.annual_value))
        ws.write_string(r, 0, ln.name, f.text)
        ws.write_string(r, 1, "=" + term, f.text)
        put(book, ws, r, 2, "=" + term, value, _MONEY)
        ws.write_number(r, 3, 1.0 if ln.counted else 0.0, f.calc["0"])
        risk_adj = value * (1.0 - study.case.risk_benefits)
        put(book, ws, r, 4, f"={a1(r, 2)}*(1-risk_benefits)", risk_adj, _MONEY)
        ws.write_string(r, 5, ln.note, f.note)
        ws.write_string(r, 6, f"{ln.formula_symbols}: {ln.formula_words}", f.note)
        lines[ln.kind] = ref(BENEFITS, r, 2)
        r += 1
    first, last = 4, max(r - 1, 4)
    ws.write_string(r, 0, "Counted benefit per year, before risk", f.header)
    total = f"=SUMPRODUCT({span(None, first, 2, last, 2)},{span(None, first, 3, last, 3)})"
    put(book, ws, r, 2, total, study.result.annual_benefit, _MONEY)
    ws.write_string(r, 5, "only counted lines add up; the others are shown with the reason", f.note)
    book.wb.define_name("annual_benefit", f"={ref(BENEFITS, r, 2)}")
    ws.set_column(0, 0, 44)
    ws.set_column(1, 1, 70)
    ws.set_column(2, 4, 16)
    ws.set_column(5, 6, 90)
    return BenefitCells(annual=ref(BENEFITS, r, 2), lines=lines)
