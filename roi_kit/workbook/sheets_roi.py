"""The ROI sheet: every ROI definition the kit reports, each a live formula of Cash flow.

The rows are :func:`roi_kit.study.definitions.roi_definitions`, in its order and with its
formula in words beside the Excel one; a definition the workbook has no formula for is
refused rather than left out.
"""

from __future__ import annotations

from collections.abc import Mapping

from roi_kit.errors import RoiKitError
from roi_kit.study.run import Study
from roi_kit.workbook.cells import Book, put, ref
from roi_kit.workbook.sheets_model import NO_IRR, NO_PAYBACK, shown

__all__ = ["ROI", "DEFINITION_FORMULAS", "write_roi"]

ROI = "ROI"

_SIMPLE = "(base_total_benefits-base_total_costs)/base_total_costs"

#: Kit definition name -> Excel formula ({revenue_view}: the revenue-view line's value).
DEFINITION_FORMULAS: Mapping[str, str] = {
    "Simple ROI (articles)": f"={_SIMPLE}",
    "ROI % (articles)": f"={_SIMPLE}*100",
    "Incremental ROI (articles)": "=(base_total_benefits-0)/base_total_costs",
    "TEI ROI (Forrester)": "=(base_pv_benefits-base_pv_costs)/base_pv_costs",
    "NPV": "=base_pv_benefits-base_pv_costs",
    "Benefit-cost ratio": "=base_pv_benefits/base_pv_costs",
    "IRR": "=base_irr",
    "Payback": "=base_payback_months",
    "Nucleus annual ROI": "=base_total_benefits/horizon_years/base_initial_cost",
    "Simple ROI, revenue counted as gain": (
        "=({revenue_view}*IF(annual_benefit=0,horizon_years,"
        "base_total_benefits/annual_benefit)-base_total_costs)/base_total_costs"
    ),
}

_NOTES = {
    "Incremental ROI (articles)": "benefit before the CRM = 0: the benefit lines are "
    "already changes from the baseline",
    "Nucleus annual ROI": "average annual (risk-adjusted) benefit / initial cost",
    "Simple ROI, revenue counted as gain": "the revenue-view line on the same basis as the "
    "counted benefits (Year-1 share and risk); revenue is not profit: it overstates",
}

_NONE = {"IRR": NO_IRR, "Payback": NO_PAYBACK}

_CODES = {
    "ratio": "0.0000",
    "percent": "0.00",
    "fraction": "0.00%",
    "money": "#,##0.00",
    "months": "0.00",
}


def write_roi(book: Book, study: Study, lines: Mapping[str, str]) -> dict[str, str]:
    """Write the ROI sheet; return each definition's value reference.

    Parameters
    ----------
    book : Book
    study : Study
    lines : mapping of str to str
        Benefit-line kind -> its value on Benefits (the revenue view is read from it).

    Returns
    -------
    dict of str to str
        Definition name -> reference of its value.

    Raises
    ------
    RoiKitError
        A definition of the kit without an Excel formula here.
    """
    ws = book.wb.add_worksheet(ROI)
    f = book.fmt
    ws.write_string(0, 0, "Every ROI definition the kit reports (base case)", f.title)
    ws.write_string(
        1, 0, "Amounts risk-adjusted as on Cash flow; ratios as fractions unless noted.", f.note
    )
    ws.write_row(
        3, 0, ["Definition", "Value", "Unit", "Excel formula", "Formula", "Note"], f.header
    )
    out = {}
    for i, row in enumerate(study.result.definitions.itertuples(index=False), start=4):
        name = str(row.definition)
        if name not in DEFINITION_FORMULAS:
            raise RoiKitError(
                f"the workbook has no Excel formula for the ROI definition {name!r}. "
                "Fix: add it to roi_kit.workbook.sheets_roi.DEFINITION_FORMULAS"
            )
        formula = DEFINITION_FORMULAS[name].format(revenue_view=lines.get("revenue_as_gain", "0"))
        ws.write_string(i, 0, name, f.text)
        value = shown(row.value, _NONE.get(name, "none"))
        put(book, ws, i, 1, formula, value, _CODES.get(str(row.unit), "#,##0.00##"))
        ws.write_string(i, 2, str(row.unit), f.text)
        ws.write_string(i, 3, formula, f.text)
        ws.write_string(i, 4, str(row.formula), f.note)
        ws.write_string(i, 5, _NOTES.get(name, ""), f.note)
        out[name] = ref(ROI, i, 1)
    ws.set_column(0, 0, 36)
    ws.set_column(1, 2, 14)
    ws.set_column(3, 3, 70)
    ws.set_column(4, 5, 60)
    return out
