"""Reading a CRM export's text with pyarrow: its header, then the needed columns as strings.

An ``.xlsx``/``.xlsm`` workbook is read by :func:`roi_kit.io.read_raw` (Excel dates as
dates) and turned into the same CSV text, so one path checks and counts every export.

The bytes are decoded by THE kit decoder (:mod:`roi_kit.io.encoding`), so an export reads the
same as a case table: UTF-8 goes to pyarrow as it is, any other encoding (UTF-16 with or
without a byte order mark, GBK/GB18030, Windows-1252) is transcoded to UTF-8 first.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pcsv

from roi_kit.errors import BadValueError, DataFileError, EmptyFileError
from roi_kit.io.encoding import decode
from roi_kit.io.tables import read_raw

__all__: list[str] = []

# What the user is told when the export was not UTF-8 (UTF-16 is Unicode too: no warning).
_ENCODING_WARNINGS = {
    "cp1252": "the file is not UTF-8; it was read as Windows-1252 (Excel's Western encoding): "
    "check names with accents",
    "gb18030": "the file is not UTF-8; it was read as GBK/GB18030 (Chinese Windows encoding): "
    "check names",
}


@dataclass(frozen=True)
class _Export:
    """An export's header and its text as UTF-8 bytes, ready for pyarrow."""

    header: list[str]
    utf8: bytes
    encoding: str
    delimiter: str
    notes: tuple[str, ...] = ()


def _check_regular_file(path: Path) -> None:
    """Refuse a path that is missing, a folder, or not a regular file (a pipe, a device).

    The words are those of :func:`roi_kit.io.read_table` for the same mistakes. A FIFO or
    a device is refused before it is opened: reading one would block or never end.

    Raises
    ------
    DataFileError
        Naming the file and what it is instead.
    """
    if not path.exists():
        raise DataFileError(
            "the file does not exist",
            file=path,
            fix="check the file name and folder of the exported CSV file",
        )
    if path.is_dir():
        raise DataFileError(
            "this is a folder, not a file",
            file=path,
            fix="give the path of the exported CSV file inside it, not the folder",
        )
    if not path.is_file():
        raise DataFileError(
            "not a regular file (a pipe, socket or device)",
            file=path,
            fix="save the export as a CSV file and give the path of that file",
        )


_XLSX_MAGIC = b"PK\x03\x04"  # a zip archive: what an .xlsx file is


def _cell_text(value: object) -> str:
    """An Excel cell as the text a CSV export would hold: dates ISO, whole numbers plain."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()  # the time of day does not place a deal in a month
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _xlsx_export(path: Path, sheet: str | int | None) -> _Export:
    """A workbook sheet as CSV text (read by :func:`roi_kit.io.read_raw`, one reader for
    every table the kit opens), so the CSV path checks and counts it alike."""
    frame = read_raw(path, sheet=sheet)
    notes: tuple[str, ...] = ()
    if list(frame.index) != list(range(2, len(frame) + 2)):
        # Messages count data rows from row 2; say so where the sheet's rows differ.
        notes = (
            f"the sheet's header is on row {frame.attrs.get('header_row', 1)} or it has blank "
            "rows: row numbers in messages count the data rows from row 2, without blanks",
        )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    header = [str(c) for c in frame.columns]
    writer.writerow(header)
    for row in frame.itertuples(index=False, name=None):
        writer.writerow([_cell_text(v) for v in row])
    return _Export(header, buffer.getvalue().encode("utf-8"), "utf-8", ",", notes)


def _read_export(
    path: Path, encoding: str | None = None, sheet: str | int | None = None
) -> _Export:
    """Read and decode the file (``encoding``: the user's codec, else detected); find its
    header row and delimiter. A workbook is read by :func:`_xlsx_export`."""
    _check_regular_file(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _xlsx_export(path, sheet)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataFileError("the file does not exist", file=path, fix="check the path") from None
    except OSError as exc:
        # Permission denied, a file removed while read: the reason in words, no traceback.
        raise DataFileError(
            f"the file cannot be read ({exc.strerror or exc})",
            file=path,
            fix="check that the file exists and that you may read it",
        ) from None
    if not data:
        raise EmptyFileError("the file is empty", file=path, fix="export the report again")
    if data.startswith(_XLSX_MAGIC):
        raise DataFileError(
            "this is an Excel workbook (or another zip file), not CSV text",
            file=path,
            fix="give it its .xlsx name (the kit reads workbooks), or save it as 'CSV UTF-8'",
        )
    decoded = decode(data, path, encoding)
    text = decoded.text
    first = text.splitlines()[0] if text.strip() else ""
    if not first.strip():
        raise EmptyFileError("the file has no header row", file=path, fix="export it again")
    # Excel saves "CSV" with semicolons where the decimal mark is a comma, and some tools
    # export tabs: the header says which.
    delimiter = max((",", ";", "\t"), key=first.count)
    header = next(csv.reader([first], delimiter=delimiter))
    # Names are kept as written (Arrow selects columns by their exact names); matching
    # against the built-in formats ignores case and spaces.
    utf8 = data if decoded.is_utf8 else text.encode("utf-8")
    return _Export(header, utf8, decoded.encoding, delimiter)


def _read_table(export: _Export, columns: list[str], path: Path) -> tuple[pa.Table, list[str]]:
    """Read the needed columns as text; return the table and warnings."""
    footer: list[tuple[int | None, str]] = []
    malformed: list[tuple[int | None, str]] = []

    def on_bad_row(row: Any) -> str:
        # Salesforce appends a footer ("Copyright ... salesforce.com", "Generated By: ...")
        # whose lines have a single field: skip those, refuse any other malformed line.
        (footer if row.actual_columns <= 1 else malformed).append((row.number, row.text))
        return "skip"

    convert = pcsv.ConvertOptions(
        include_columns=columns,
        column_types={c: pa.string() for c in columns},
        null_values=[""],
        strings_can_be_null=True,
        quoted_strings_can_be_null=True,
    )
    warnings: list[str] = list(export.notes)
    if export.encoding in _ENCODING_WARNINGS:
        warnings.append(_ENCODING_WARNINGS[export.encoding])
    try:
        # Quoted line breaks (multi-line descriptions) need the slower parser, so first try
        # without; a line split by one shows up as malformed rows and we read again.
        table = pcsv.read_csv(
            pa.BufferReader(export.utf8),
            read_options=pcsv.ReadOptions(encoding="utf8", block_size=1 << 23),
            parse_options=pcsv.ParseOptions(
                delimiter=export.delimiter, invalid_row_handler=on_bad_row
            ),
            convert_options=convert,
        )
        if malformed:
            footer.clear()
            malformed.clear()
            # Single-threaded: only then does Arrow tell the line number of a bad row.
            table = pcsv.read_csv(
                pa.BufferReader(export.utf8),
                read_options=pcsv.ReadOptions(encoding="utf8", use_threads=False),
                parse_options=pcsv.ParseOptions(
                    delimiter=export.delimiter,
                    newlines_in_values=True,
                    invalid_row_handler=on_bad_row,
                ),
                convert_options=convert,
            )
    except pa.ArrowInvalid as exc:
        raise DataFileError(f"cannot be read as CSV: {exc}", file=path) from None
    if malformed:
        number, text = malformed[0]
        raise BadValueError(
            f"{len(malformed)} line(s) do not have as many fields as the header",
            file=path,
            row=number,
            found=text[:120],
            fix="check for an unquoted comma or a stray quote in that line",
        )
    if footer:
        warnings.append(
            f"skipped {len(footer)} line(s) with a single field (a report footer such as "
            f"{footer[0][1][:60]!r})"
        )
    if table.num_rows == 0:
        raise EmptyFileError("the file has a header but no data rows", file=path)
    return table, warnings
