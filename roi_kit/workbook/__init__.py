"""The Excel model of a case: live formulas a finance reviewer can audit cell by cell.

``roi-kit workbook CASE -o FILE.xlsx`` (:func:`write_workbook`) writes the sheets Inputs,
Measured, Benefits, Costs, Cash flow, ROI, Scenarios and Tornado. Inputs carry defined
names (``gross_margin``, ``revenue_change`` ...), and every number downstream is a formula
over them, with the kit's value cached: change the margin and NPV moves.

Modules, one topic each: :mod:`~roi_kit.workbook.cells` (A1 references, formats),
:mod:`~roi_kit.workbook.terms` (the benefit lines as Excel expressions),
:mod:`~roi_kit.workbook.sheets_inputs`, :mod:`~roi_kit.workbook.sheets_benefits`,
:mod:`~roi_kit.workbook.sheets_costs`, :mod:`~roi_kit.workbook.sheets_model` (the TEI
cash-flow block), :mod:`~roi_kit.workbook.sheets_roi`, :mod:`~roi_kit.workbook.sheets_stress`
(scenarios and tornado) and :mod:`~roi_kit.workbook.build`.

Layer: above :mod:`roi_kit.study` (it reads a :class:`~roi_kit.study.run.Study`), below
:mod:`roi_kit.report` and :mod:`roi_kit.cli`; no matplotlib, no ipywidgets.
"""

from __future__ import annotations

from roi_kit.workbook.build import SHEETS, workbook_bytes, write_workbook

__all__ = ["SHEETS", "workbook_bytes", "write_workbook"]
