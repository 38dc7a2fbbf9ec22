"""Text and workbooks -> records: the rows of a table file as lists of cells.

A record is ``(row, cells)``: the row number as a spreadsheet shows it (blank rows skipped
but counted) and the stripped cells (``None`` when empty). CSV separators are detected from
the header line; XLSX cells keep what Excel stores.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from pathlib import Path

from roi_kit.errors import AmbiguousFormatError, DataFileError, EmptyFileError, FileEncodingError
from roi_kit.io.encoding import decode_text

__all__: list[str] = []

_CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
_XLSX_SUFFIXES = {".xlsx", ".xlsm"}
_DELIMITERS = (",", ";", "\t")
_DELIMITER_NAMES = {",": "','", ";": "';'", "\t": "tab"}


def _count_outside_quotes(line: str, char: str) -> int:
    inside = False
    count = 0
    for c in line:
        if c == '"':
            inside = not inside
        elif c == char and not inside:
            count += 1
    return count


def _detect_delimiter(lines: list[str], file: Path, default: str) -> str:
    """Pick the separator from the header line, using data lines only to break ties.

    csv.Sniffer guesses from character frequencies and is easily fooled by decimal commas
    and thousands separators; the header line rarely holds either, so it decides.
    """
    non_blank = [line for line in lines if line.strip()]
    if not non_blank:
        return default
    header = non_blank[0]
    counts = {d: _count_outside_quotes(header, d) for d in _DELIMITERS}
    best = max(counts.values())
    if best == 0:
        return default
    candidates = [d for d in _DELIMITERS if counts[d] == best]
    if len(candidates) == 1:
        return candidates[0]
    sample = non_blank[1:51]
    consistent = [
        d for d in candidates if all(_count_outside_quotes(line, d) == best for line in sample)
    ]
    if len(consistent) == 1:
        return consistent[0]
    names = " and ".join(f"{best} {_DELIMITER_NAMES[d]}" for d in candidates)
    raise AmbiguousFormatError(
        f"cannot tell which separator the file uses: the header has {names}",
        file=file,
        row=1,
        found=header,
        fix="use one separator (',' or ';' or tab) between columns, and quote names that "
        "contain it",
    )


def _ragged_fix(delimiter: str, record: list[str], width: int) -> str:
    others = [d for d in _DELIMITERS if d != delimiter and any(d in cell for cell in record)]
    if len(record) > width and delimiter == ",":
        return (
            "every row needs one value per header column; a number written with a comma "
            "(1,234 or 1,5) must be in quotes, or save the file with ';' as separator"
        )
    if others and len(record) < width:
        return (
            f"this row seems to use {_DELIMITER_NAMES[others[0]]} but the header uses "
            f"{_DELIMITER_NAMES[delimiter]}; use one separator throughout the file"
        )
    return "every row needs exactly one value per header column; add or remove separators"


def _csv_records(text: str, file: Path, suffix: str) -> list[tuple[int, list[object]]]:
    lines = text.splitlines()
    delimiter = None
    # Excel writes and reads a first line "sep=;" to declare the separator; it does not
    # show that line, so row numbers start after it.
    if lines:
        match = re.fullmatch(r'\s*"?sep=(.)"?\s*', lines[0])
        if match and match.group(1) in _DELIMITERS:
            delimiter = match.group(1)
            text = text.split("\n", 1)[1] if "\n" in text else ""
            lines = lines[1:]
    if delimiter is None:
        delimiter = _detect_delimiter(lines[:60], file, "\t" if suffix == ".tsv" else ",")
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=delimiter, strict=True, skipinitialspace=True
    )
    records: list[tuple[int, list[object]]] = []
    row = 0
    width = None
    try:
        for record in reader:
            row += 1
            cells = [cell.strip() for cell in record]
            if not any(cells):
                continue
            if width is None:
                width = len(cells)
            elif len(cells) != width:
                if len(cells) > width and not any(cells[width:]):
                    # Trailing separators with nothing after them: harmless.
                    cells = cells[:width]
                else:
                    raise DataFileError(
                        f"row {row} has {len(cells)} values but the header has {width} columns "
                        f"(separator {_DELIMITER_NAMES[delimiter]})",
                        file=file,
                        row=row,
                        found=delimiter.join(record),
                        fix=_ragged_fix(delimiter, record, width),
                    )
            records.append((row, [cell if cell else None for cell in cells]))
    except csv.Error as exc:
        raise DataFileError(
            f"the file is not valid CSV here ({exc})",
            file=file,
            row=row + 1,
            fix='close every quote: a value that starts with " must end with "',
        ) from None
    return records


def _xlsx_records(
    file: Path, sheet: str | int | None
) -> tuple[list[tuple[int, list[object]]], str]:
    import openpyxl  # imported here: only XLSX users pay for it

    try:
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types (zip, XML, KeyError) for bad files
        raise FileEncodingError(
            f"the file cannot be opened as an Excel workbook ({type(exc).__name__})",
            file=file,
            fix="open it in Excel and save it again as .xlsx, or save it as 'CSV UTF-8'",
        ) from None
    try:
        names = workbook.sheetnames
        if sheet is None:
            index = 0
        elif isinstance(sheet, bool) or not isinstance(sheet, (str, int)):
            raise DataFileError(f"sheet must be a name or a number, not {sheet!r}", file=file)
        elif isinstance(sheet, int):
            if not 0 <= sheet < len(names):
                raise DataFileError(
                    f"the workbook has {len(names)} sheet(s); there is no sheet number {sheet} "
                    "(0 is the first)",
                    file=file,
                    found=sheet,
                    fix=f"use one of the sheets {names}",
                )
            index = sheet
        else:
            lowered = [name.strip().lower() for name in names]
            if sheet.strip().lower() not in lowered:
                near = difflib.get_close_matches(sheet, names, n=1)
                raise DataFileError(
                    f"the workbook has no sheet named {sheet!r}",
                    file=file,
                    found=sheet,
                    fix=f"use one of the sheets {names}"
                    + (f" (did you mean {near[0]!r}?)" if near else ""),
                )
            index = lowered.index(sheet.strip().lower())
        worksheet = workbook.worksheets[index]
        records: list[tuple[int, list[object]]] = []
        try:
            rows = list(worksheet.iter_rows(min_row=1, values_only=True))
        except Exception as exc:  # corrupt sheet XML
            raise FileEncodingError(
                f"the sheet {names[index]!r} cannot be read ({type(exc).__name__})",
                file=file,
                fix="open it in Excel and save it again as .xlsx",
            ) from None
        for row, values in enumerate(rows, start=1):
            cells = [_clean_xlsx_cell(value) for value in values]
            if any(cell is not None for cell in cells):
                records.append((row, cells))
        width = max((len(cells) for _, cells in records), default=0)
        records = [(row, cells + [None] * (width - len(cells))) for row, cells in records]
        return records, names[index]
    finally:
        workbook.close()


def _clean_xlsx_cell(value: object) -> object:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _column_letter(index: int) -> str:
    """0-based column index -> spreadsheet letters (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _records(
    file: Path, sheet: str | int | None
) -> tuple[list[tuple[int, list[object]]], str | None]:
    """The non-blank records of a CSV/XLSX file (header first) and the XLSX sheet name."""
    suffix = file.suffix.lower()
    if suffix not in _CSV_SUFFIXES | _XLSX_SUFFIXES:
        fix = (
            "open it in Excel and save it as .xlsx or as 'CSV UTF-8'"
            if suffix in {".xls", ".ods", ".numbers"}
            else "use a .csv, .tsv, .txt or .xlsx file"
        )
        raise DataFileError(
            f"cannot read {suffix or 'files without an extension'} files", file=file, fix=fix
        )
    if not file.is_file():
        raise DataFileError(
            "the file does not exist"
            if not file.exists()
            else "this is a folder, not a file"
            if file.is_dir()
            else "this is not a regular file (a pipe or device)",
            file=file,
            fix="check the file name and folder (names in case.yml are relative to the case "
            "folder)",
        )
    sheet_name = None
    if suffix in _XLSX_SUFFIXES:
        records, sheet_name = _xlsx_records(file, sheet)
    else:
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise DataFileError(f"the file cannot be read ({exc.strerror})", file=file) from None
        if not data.strip():
            raise EmptyFileError(
                "the file is empty", file=file, fix="export the table again with its data"
            )
        records = _csv_records(decode_text(data, file), file, suffix)
    if not records:
        raise EmptyFileError(
            "the file is empty: it has no header and no data",
            file=file,
            fix="export the table again",
        )
    return records, sheet_name


def _header(
    records: list[tuple[int, list[object]]], file: Path
) -> tuple[int, list[str], list[int], list[tuple[int, list[object]]]]:
    """Header row number, header names, the columns to keep, and the data records.

    Refuses a column with values but no name, a name written twice, and no data rows.
    """
    header_row, header = records[0]
    body = records[1:]
    names = ["" if h is None else str(h).replace("\ufeff", "").strip() for h in header]
    # A column without a name whose cells are all empty is spreadsheet residue: drop it.
    keep = [
        i for i, name in enumerate(names) if name or any(cells[i] is not None for _, cells in body)
    ]
    for i in keep:
        if not names[i]:
            first = next(row for row, cells in body if cells[i] is not None)
            raise DataFileError(
                f"column {_column_letter(i)} has values but no name in the header",
                file=file,
                row=first,
                found=next(cells[i] for _, cells in body if cells[i] is not None),
                fix=f"write a column name in cell {_column_letter(i)}{header_row}, or delete "
                "the column",
            )
    seen: dict[str, int] = {}
    for i in keep:
        if names[i] in seen:
            raise DataFileError(
                f"the column name {names[i]!r} appears twice in the header (columns "
                f"{_column_letter(seen[names[i]])} and {_column_letter(i)})",
                file=file,
                row=header_row,
                column=names[i],
                fix="rename or delete one of the two columns",
            )
        seen[names[i]] = i
    if not body:
        raise EmptyFileError(
            "the file has a header but no data rows",
            file=file,
            row=header_row,
            fix="add the data rows under the header",
        )
    return header_row, names, keep, body
