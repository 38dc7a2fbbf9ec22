"""Write the Excel model of a case: :func:`write_workbook`.

The sheets, in order: Inputs, Measured, Benefits, Costs, Cash flow, ROI, Scenarios,
Tornado, Register (the assumptions register, values as of the build), Provenance (kit
version, input hash, data-through month, build date, sign-off; also in every sheet's print
header and footer). Every number downstream of Inputs and Measured is a live formula with
the kit's value cached, so a reviewer who changes the margin sees NPV move, and a viewer
that does not recalculate still shows the kit's numbers. The file is written atomically; an existing
file is replaced only when asked (``force``), after a dated backup, and never one inside
the case folder (inputs are never modified).
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path

import xlsxwriter

from roi_kit.case import Case
from roi_kit.errors import RoiKitError
from roi_kit.io.atomic import atomic_write_bytes, backup_file
from roi_kit.study.inputs import MEASURED_KPIS
from roi_kit.study.run import Study, run_study
from roi_kit.workbook.cells import Book, make_formats
from roi_kit.workbook.sheets_benefits import write_benefits
from roi_kit.workbook.sheets_costs import write_costs
from roi_kit.workbook.sheets_inputs import write_inputs, write_measured
from roi_kit.workbook.sheets_model import write_cash_flow
from roi_kit.workbook.sheets_provenance import stamp_sheets, study_provenance, write_provenance
from roi_kit.workbook.sheets_register import write_register
from roi_kit.workbook.sheets_roi import write_roi
from roi_kit.workbook.sheets_stress import write_scenarios, write_tornado

__all__ = ["SHEETS", "workbook_bytes", "write_workbook"]

#: The sheets of the workbook, in order.
SHEETS = (
    "Inputs",
    "Measured",
    "Benefits",
    "Costs",
    "Cash flow",
    "ROI",
    "Scenarios",
    "Tornado",
    "Register",
    "Provenance",
)

#: Monte Carlo draws of the study the workbook runs itself (it shows no Monte Carlo).
_DRAWS = 1_000


def workbook_bytes(study: Study, *, built: str | None = None) -> bytes:
    """The workbook of ``study`` as the bytes of an .xlsx file.

    Parameters
    ----------
    study : Study
        :func:`roi_kit.study.run.run_study` of the case.
    built : str, optional
        The build date, ISO ``YYYY-MM-DD`` (default today): a report passes its own.

    Returns
    -------
    bytes
    """
    # One provenance record for the whole file: the properties, the Provenance sheet and
    # every sheet's print header name the same kit version and input hash.
    prov = study_provenance(study, built)
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    wb.set_properties(
        {
            "title": f"CRM ROI model: {study.case.name}",
            "subject": "Live Excel model of the crm-roi-kit study",
            "comments": f"written by roi-kit {prov.kit_version}, inputs {prov.short_hash}",
        }
    )
    book = Book(wb=wb, fmt=make_formats(wb), currency=study.case.currency)
    cells = write_inputs(book, study)
    write_measured(book, study, cells, dict(MEASURED_KPIS))
    benefits = write_benefits(book, study)
    costs = write_costs(book, study)
    base = write_cash_flow(book, study, costs.total, costs.share, benefits.annual)
    write_roi(book, study, benefits.lines)
    write_scenarios(book, study, cells, costs, base)
    write_tornado(book, study, cells, base)
    write_register(book, study)
    write_provenance(book, prov)
    stamp_sheets(wb, prov)
    wb.close()
    return buffer.getvalue()


def _case_folder(case: Case) -> Path:
    path = Path(case.path)
    return path if path.is_dir() else path.parent


def _check_target(case: Case, target: Path, force: bool) -> None:
    """Refuse a target that is not .xlsx, a folder, a case file, or exists (no force)."""
    if target.suffix.lower() != ".xlsx":
        raise RoiKitError(
            f"the workbook {target} must end in .xlsx (Excel opens the file by its "
            f"extension). Fix: name it {target.with_suffix('.xlsx').name}"
        )
    if target.is_dir():
        raise RoiKitError(
            f"the workbook {target} is a folder. Fix: name the file, e.g. {target / 'model.xlsx'}"
        )
    if not target.exists():
        return
    folder = _case_folder(case).resolve()
    if folder == target.resolve().parent or folder in target.resolve().parents:
        raise RoiKitError(
            f"{target} already exists inside the case folder {folder}; the kit never "
            "replaces a file there. Fix: write the workbook to a new name or another folder"
        )
    if not force:
        raise RoiKitError(
            f"{target} already exists; nothing was written. Fix: choose a new name with "
            "-o, or add --force to replace it (the old file is kept as a .bak copy)"
        )


def write_workbook(
    case: Case,
    path: str | os.PathLike[str],
    *,
    study: Study | None = None,
    force: bool = False,
    on_backup: Callable[[Path], None] | None = None,
) -> Path:
    """Write the Excel model of ``case`` to ``path`` (atomically).

    Parameters
    ----------
    case : Case
    path : str or path-like
        A new ``.xlsx`` file (missing folders are created).
    study : Study, optional
        The case's study, when already computed (the report's); else it is run here.
    force : bool, default False
        Replace an existing file (outside the case folder), after copying it to
        ``NAME.bak-YYYYmmdd-HHMMSS``.
    on_backup : callable, optional
        Called with the backup's path when one was made.

    Returns
    -------
    pathlib.Path
        The workbook written.

    Raises
    ------
    RoiKitError
        The target is refused (see :func:`_check_target`), or the case has something the
        workbook cannot write as formulas.
    """
    target = Path(path).expanduser()
    _check_target(case, target, force)
    study = study if study is not None else run_study(case, n=_DRAWS)
    data = workbook_bytes(study)
    if target.exists():
        backup = backup_file(target)
        if on_backup is not None:
            on_backup(backup)
    return atomic_write_bytes(target, data)
