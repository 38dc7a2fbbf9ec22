"""The Provenance sheet, and the provenance line printed on every sheet.

Where the numbers come from (kit version, the SHA-256 of the case's input files, the last
data month, the build date) and who signed them off (``review:`` in case.yml), from
:func:`roi_kit.study.provenance.provenance`, the same record the report pages and the PDF
print. Every sheet also carries it in its print header and footer, so a printed page is
never separated from its source.
"""

from __future__ import annotations

from typing import Any

from roi_kit.study.provenance import Provenance, provenance, provenance_rows
from roi_kit.study.run import Study
from roi_kit.workbook.cells import Book

__all__ = ["PROVENANCE", "study_provenance", "write_provenance", "stamp_sheets"]

PROVENANCE = "Provenance"


def study_provenance(study: Study, built: str | None = None) -> Provenance:
    """The provenance of the study's case (its inputs hashed from the case folder).

    ``built`` is the build date (ISO; default today): a report passes its own, so the
    workbook inside it names the same date as its pages.
    """
    return provenance(study.case.path, case=study.case, built=built)


def write_provenance(book: Book, prov: Provenance) -> int:
    """Write the Provenance sheet; return the number of rows below its title."""
    ws = book.wb.add_worksheet(PROVENANCE)
    ws.write_string(0, 0, "Provenance and sign-off", book.fmt.title)
    rows = provenance_rows(prov)
    for i, (label, value) in enumerate(rows):
        ws.write_string(2 + i, 0, label, book.fmt.header)
        ws.write_string(2 + i, 1, value, book.fmt.text)
    ws.write_string(
        3 + len(rows),
        0,
        "A workbook built from changed input files shows another input hash.",
        book.fmt.note,
    )
    ws.set_column(0, 0, 24)
    ws.set_column(1, 1, 90)
    return len(rows)


def _escape(text: str) -> str:
    """Text for an Excel header/footer, where ``&`` starts a control code."""
    return text.replace("&", "&&")


def stamp_sheets(wb: Any, prov: Provenance) -> None:
    """Print the provenance on every sheet: header case / status / kit and hash; footer
    data-through month, build date and page numbers."""
    header = (
        f"&L{_escape(prov.case_name)}&C{prov.status}"
        f"&Rcrm-roi-kit {_escape(prov.kit_version)}, inputs {prov.short_hash}"
    )
    footer = f"&LData through {prov.data_through}; built {prov.built}&RPage &P of &N"
    for ws in wb.worksheets():
        ws.set_header(header)
        ws.set_footer(footer)
