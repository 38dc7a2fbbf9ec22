"""Reading users' CSV/XLSX tables with clear errors, and writing files atomically.

Reading: :func:`read_raw` turns a file into a table of strings; :func:`read_table` types it
against a spec and refuses bad cells with the file, row, column, value found and a fix.
Writing: ``atomic_write_*`` write to a temporary file in the target folder, then rename it,
so a crash never leaves a half-written output and never touches the user's input files.
"""

from __future__ import annotations

import calendar
import csv
import datetime
import difflib
import io
import math
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from roi_kit.errors import (
    AmbiguousFormatError,
    BadValueError,
    CaseError,
    DataFileError,
    DuplicateRowError,
    EmptyFileError,
    FileEncodingError,
    GapError,
    MissingColumnError,
)

__all__ = [
    "atomic_write_text",
    "atomic_write_bytes",
    "atomic_write_csv",
    "read_raw",
    "read_table",
    "parse_number",
    "parse_month",
]


def _target_mode(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically.

    The bytes go to a temporary file in the same folder (so the rename stays on one file
    system), which is flushed, synced, then renamed over ``path`` with :func:`os.replace`.
    On any failure the temporary file is removed and an existing ``path`` is left intact.

    Parameters
    ----------
    path : str or path-like
        Destination file. Missing parent folders are created.
    data : bytes
        The complete file content.

    Returns
    -------
    pathlib.Path
        The destination path.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp creates the file private (0600); give it the mode a plain open() would
        # (the existing file's mode, else 0666 less the umask), so outputs stay shareable.
        os.chmod(tmp_name, _target_mode(target))
        os.replace(tmp_name, target)
    except BaseException:
        # Why BaseException: a KeyboardInterrupt mid-write must not leave litter either.
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        raise
    return target


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically (see :func:`atomic_write_bytes`).

    Parameters
    ----------
    path : str or path-like
        Destination file. Missing parent folders are created.
    text : str
        The complete file content.
    encoding : str, default "utf-8"
        Text encoding of the written file.

    Returns
    -------
    pathlib.Path
        The destination path.
    """
    return atomic_write_bytes(path, text.encode(encoding))


def atomic_write_csv(df: pd.DataFrame, path: str | os.PathLike[str], **to_csv_kwargs) -> Path:
    """Write a DataFrame as CSV atomically (see :func:`atomic_write_bytes`).

    Parameters
    ----------
    df : pandas.DataFrame
        The table to write.
    path : str or path-like
        Destination file. Missing parent folders are created.
    **to_csv_kwargs
        Passed to :meth:`pandas.DataFrame.to_csv` (``index=False`` unless given).
        ``encoding`` (default "utf-8") is used to encode the text.

    Returns
    -------
    pathlib.Path
        The destination path.
    """
    encoding = to_csv_kwargs.pop("encoding", "utf-8")
    to_csv_kwargs.setdefault("index", False)
    # Render in memory first: a failure while formatting then never touches the disk.
    text = df.to_csv(None, **to_csv_kwargs)
    return atomic_write_text(path, text, encoding=encoding)


# --------------------------------------------------------------------------------------
# Reading: bytes -> text
# --------------------------------------------------------------------------------------

_CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
_XLSX_SUFFIXES = {".xlsx", ".xlsm"}
_DELIMITERS = (",", ";", "\t")
_DELIMITER_NAMES = {",": "','", ";": "';'", "\t": "tab"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SAVE_AS_UTF8 = "save the file as 'CSV UTF-8' (Excel: File > Save As > CSV UTF-8)"

# Chinese text encoded as GBK mostly uses the common GB2312 characters; Latin text in
# cp1252 that happens to decode as GB18030 gives rare ideographs (a high byte followed by
# an ASCII letter), which GB2312 does not contain. This is what "plausibly CJK" means.
_CJK_RANGES = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x3000, 0x303F), (0xFF00, 0xFFEF))


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return any(lo <= code <= hi for lo, hi in _CJK_RANGES)


def _plausibly_chinese(text: str) -> bool:
    non_ascii = [c for c in text if ord(c) > 127]
    if not non_ascii or not any(_is_cjk(c) for c in non_ascii):
        return False
    common = 0
    for char in non_ascii:
        try:
            char.encode("gb2312")
        except UnicodeEncodeError:
            continue
        common += 1
    return common >= 0.9 * len(non_ascii)


def _line_of(data: bytes, offset: int) -> int:
    return data[:offset].count(b"\n") + 1


def _decode(data: bytes, file: Path) -> str:
    """Decode a text table's bytes by the rule documented in :func:`read_raw`."""
    signatures = (
        (
            b"PK\x03\x04",
            "this is an Excel workbook (.xlsx) or another zip file, not CSV text",
            "give the file the .xlsx extension, or save it as 'CSV UTF-8'",
        ),
        (
            b"\xd0\xcf\x11\xe0",
            "this is an old Excel .xls workbook, not CSV text",
            "open it in Excel and save it as .xlsx or as 'CSV UTF-8'",
        ),
        (b"%PDF", "this is a PDF document, not a table", "export the table as CSV or XLSX"),
    )
    for magic, problem, fix in signatures:
        if data.startswith(magic):
            raise FileEncodingError(problem, file=file, fix=fix)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode Text" export: UTF-16 with a byte order mark.
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise FileEncodingError(
                "the file starts like UTF-16 text but is not valid UTF-16",
                file=file,
                row=_line_of(data, exc.start),
                fix=_SAVE_AS_UTF8,
            ) from None
    else:
        if b"\x00" in data:
            raise FileEncodingError(
                "the file contains NUL bytes: it is binary, or UTF-16 text without a byte order "
                "mark",
                file=file,
                row=_line_of(data, data.index(b"\x00")),
                fix=_SAVE_AS_UTF8,
            )
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as utf8_error:
            text = None
            try:
                candidate = data.decode("gb18030")
            except UnicodeDecodeError:
                candidate = None
            if candidate is not None and _plausibly_chinese(candidate):
                text = candidate
            else:
                try:
                    text = data.decode("cp1252")
                except UnicodeDecodeError:
                    raise FileEncodingError(
                        "the file is not text in UTF-8, GBK/GB18030 or Windows-1252",
                        file=file,
                        row=_line_of(data, utf8_error.start),
                        found=data[utf8_error.start : utf8_error.start + 4],
                        fix=_SAVE_AS_UTF8,
                    ) from None
    control = _CONTROL.search(text)
    if control:
        raise FileEncodingError(
            "the file contains control characters, so it is probably not a text table",
            file=file,
            row=text.count("\n", 0, control.start()) + 1,
            found=control.group(),
            fix=_SAVE_AS_UTF8,
        )
    return text.lstrip("\ufeff")


# --------------------------------------------------------------------------------------
# Reading: text -> records
# --------------------------------------------------------------------------------------


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


def read_raw(path: str | os.PathLike[str], *, sheet: str | int | None = None) -> pd.DataFrame:
    """Read a CSV or XLSX table as it is written, without typing any value.

    Parameters
    ----------
    path : str or path-like
        A ``.csv``, ``.txt`` or ``.tsv`` text table, or an ``.xlsx``/``.xlsm`` workbook.
        The file is only read, never modified.
    sheet : str or int, optional
        XLSX only: the sheet name (case-insensitive) or 0-based number; default the first
        sheet. Ignored for text files.

    Returns
    -------
    pandas.DataFrame
        One column per header name (stripped of spaces and byte order marks), object dtype.
        CSV cells are ``str`` (stripped) or ``None`` when empty. XLSX cells keep what Excel
        stores: ``str``, ``int``, ``float``, ``bool``, ``datetime.datetime`` (real Excel
        dates) or ``None``. The index, named ``"row"``, holds each row's number as a
        spreadsheet shows it (header row 1, first data row 2 when the header is on top;
        blank rows are skipped but still counted). ``df.attrs["source"]`` is ``str(path)``,
        ``df.attrs["header_row"]`` the header's row number, ``df.attrs["sheet"]`` the XLSX
        sheet name. (Row numbers are kept in the index, not
        in ``attrs``, because pandas deep-copies ``attrs`` on every operation.)

    Raises
    ------
    DataFileError
        Missing or unsupported file; rows with more or fewer values than the header
        (naming the row); an empty or duplicated header name; an unclosed quote.
    EmptyFileError
        No bytes, only blank lines, or a header without data rows.
    FileEncodingError
        Bytes that are not a text table (binary, a renamed workbook, unknown encoding).
    AmbiguousFormatError
        The header line holds as many of two separators and the data rows do not tell.

    Notes
    -----
    Text encodings are tried in this order, first match wins:

    1. a UTF-16 byte order mark -> UTF-16 (Excel "Unicode Text");
    2. strict UTF-8, with or without a byte order mark;
    3. GB18030 (a superset of GBK), only if it decodes strictly *and* the text holds CJK
       characters of which at least 90% are common (GB2312) characters: Windows-1252 text
       such as ``Müller`` can decode as GB18030 too, but into rare ideographs;
    4. Windows-1252 (cp1252), the Western-European Excel default.

    Text with NUL or other control characters is refused as binary.

    The separator (``,`` ``;`` or tab) is the one that occurs most often outside quotes in
    the header line; a tie is broken by the separator whose count is the same on the first
    50 data lines. A first line ``sep=;`` (an Excel convention) declares it explicitly.
    """
    file = Path(path)
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
            "the file does not exist" if not file.exists() else "this is a folder, not a file",
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
        text = _decode(data, file)
        records = _csv_records(text, file, suffix)
    if not records:
        raise EmptyFileError(
            "the file is empty: it has no header and no data",
            file=file,
            fix="export the table again",
        )
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
    rows = [row for row, _ in body]
    frame = pd.DataFrame(
        [[cells[i] for i in keep] for _, cells in body],
        columns=pd.Index([names[i] for i in keep], dtype=object),
        index=pd.Index(rows, name="row"),
        dtype=object,
    )
    # Row numbers live in the index, not in attrs: pandas deep-copies attrs on every
    # operation, which a long list would make slow.
    frame.attrs["source"] = str(path)
    frame.attrs["header_row"] = header_row
    if sheet_name is not None:
        frame.attrs["sheet"] = sheet_name
    return frame


# --------------------------------------------------------------------------------------
# Parsing single values
# --------------------------------------------------------------------------------------

# Spaces people and spreadsheets put in numbers: no-break, narrow no-break, thin, figure.
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " "})
_NUMBER_CHARS = str.maketrans(
    {"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ", "\u2212": "-", "\u2013": "-"}
)
_GROUP_MARKS = {".": (",", " ", "'"), ",": (".", " ", "'")}
_PLAIN_NUMBER = {
    d: re.compile(rf"(?:\d+(?:{re.escape(d)}\d+)?|{re.escape(d)}\d+)(?:[eE][+-]?\d+)?")
    for d in ".,"
}
_GROUPED_NUMBER = {
    d: [
        (g, re.compile(rf"\d{{1,3}}(?:{re.escape(g)}\d{{3}})+(?:{re.escape(d)}\d+)?"))
        for g in _GROUP_MARKS[d]
    ]
    for d in ".,"
}
_CURRENCY_PREFIX = re.compile(r"^(?:US\$|[$€£¥￥]|[A-Z]{3}(?=[\s\d.,(+-]))\s*")
_CURRENCY_SUFFIX = re.compile(r"\s*(?:[$€£¥￥元]|(?<=[\s\d.,)])[A-Z]{3})$")
_EXCEL_ERRORS = ("#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!")


def _bad(problem: str, fix: str | None = None) -> BadValueError:
    return BadValueError(problem, fix=fix)


def _number_fix(decimal: str) -> str:
    if decimal == ".":
        return "write a plain number such as 1234.50 or 1,234.50"
    return "write a plain number such as 1234,50 or 1.234,50"


def parse_number(text: object, *, decimal: str = ".") -> float:
    """Read a number as people write it in spreadsheets.

    Parameters
    ----------
    text : str or number
        The cell. Accepted: ``1234``, ``1,234.50``, ``$1,234.50``, ``USD 1,000``,
        ``1,000 EUR``, ``12%`` (-> 0.12), ``(1,000)`` (-> -1000), ``-1,000``, ``1e3``,
        surrounding spaces. Thousands may be grouped by ``,`` (or ``.`` when
        ``decimal=","``), a space (also no-break and thin spaces) or ``'``, always in
        groups of three. Currency symbols ``$ € £ ¥`` and 3-letter codes are dropped.
        Numbers (``int``, ``float``, e.g. XLSX cells) are taken as they are.
    decimal : {".", ","}, default "."
        The decimal mark. With ``","``, ``€ 1.234,50`` and ``1 234,50`` read as 1234.5.

    Returns
    -------
    float
        The value; percentages divided by 100.

    Raises
    ------
    BadValueError
        (a ``ValueError``) with a short reason and a fix, for text that is not a number:
        empty text, ``abc``, ``nan``, ``inf``, ``12%%``, thousands separators in the wrong
        place (``1,23,4``), or the other decimal mark (``1.234,50`` when ``decimal="."``).
    """
    _check_decimal(decimal)
    if isinstance(text, bool) or text is None:
        raise _bad("not a number", _number_fix(decimal))
    if isinstance(text, (int, float, np.integer, np.floating)):
        value = float(text)
        if not math.isfinite(value):
            raise _bad("not a finite number", _number_fix(decimal))
        return value
    if not isinstance(text, str):
        raise _bad(f"a {type(text).__name__} is not a number", _number_fix(decimal))
    s = text.translate(_NUMBER_CHARS).strip()
    if not s:
        raise _bad("the cell is empty", _number_fix(decimal))
    if s.upper() in _EXCEL_ERRORS:
        raise _bad(
            "an Excel error value, not a number",
            "fix the formula in the workbook, or leave the cell empty",
        )
    negative = False
    if s.startswith("(") and s.endswith(")"):
        # Accountants' negative: (1,000) means -1000.
        negative = True
        s = s[1:-1].strip()
    sign = ""
    if s.startswith(("+", "-")):
        sign, s = s[0], s[1:].strip()
    s, prefix_count = _CURRENCY_PREFIX.subn("", s, count=1)
    if not sign and s.startswith(("+", "-")):
        sign, s = s[0], s[1:].strip()
    percent = False
    if s.endswith("%"):
        percent = True
        s = s[:-1].rstrip()
    if not prefix_count:
        s = _CURRENCY_SUFFIX.sub("", s, count=1)
    if s.endswith("%") and not percent:
        percent = True
        s = s[:-1].rstrip()
    if "%" in s:
        raise _bad("more than one % sign, or % in the middle", "write a percentage as 12%")
    if negative and sign:
        raise _bad("both brackets and a sign", "write -1000 or (1000), not both")
    value = _parse_plain(s, decimal)
    if percent:
        # Division (not * 0.01) gives the correctly rounded 0.12 for "12%".
        value = value / 100.0
    if sign == "-" or negative:
        value = -value
    return value


def _parse_plain(core: str, decimal: str) -> float:
    """Parse the digits left after signs, currency and % are removed."""
    if _PLAIN_NUMBER[decimal].fullmatch(core):
        value = float(core.replace(decimal, "."))
        if not math.isfinite(value):
            raise _bad("the number is too large", _number_fix(decimal))
        return value
    groups = _GROUP_MARKS[decimal]
    for group, pattern in _GROUPED_NUMBER[decimal]:
        if pattern.fullmatch(core):
            return float(core.replace(group, "").replace(decimal, "."))
    other = "," if decimal == "." else "."
    if not re.search(r"\d", core):
        raise _bad("not a number", _number_fix(decimal))
    if re.search(r"[^\d.,' eE+-]", core):
        raise _bad("not a number (it contains letters or symbols)", _number_fix(decimal))
    last_mark = max(core.rfind("."), core.rfind(","))
    if last_mark >= 0 and core[last_mark] == other and decimal in core[:last_mark]:
        name = "comma" if other == "," else "point"
        raise _bad(
            f"this looks like a decimal {name}, but the case uses {decimal!r} as decimal mark",
            f"set decimal: {other!r} in case.yml if the files write numbers like this, or "
            + _number_fix(decimal).replace("write", "write this as", 1),
        )
    if any(group in core for group in groups):
        hint = ""
        try:
            _parse_plain(core, other)
        except BadValueError:
            pass
        else:
            # Readable with the other decimal mark (1,5): say so.
            hint = f"; if {other!r} is your decimal mark, set decimal: {other!r} in case.yml"
        raise _bad(
            "thousands separators in the wrong place (they must separate groups of 3 digits)",
            _number_fix(decimal) + hint,
        )
    raise _bad("not a number", _number_fix(decimal))


_MONTH_NAMES = {
    name: number
    for number in range(1, 13)
    for name in {
        calendar.month_name[number].lower(),
        calendar.month_abbr[number].lower(),
        calendar.month_name[number].lower()[:4],  # "sept", "june", "july"
    }
}
_DATE_ORDERS = ("auto", "YMD", "MDY", "DMY")
_MONTH_FIX = "write months as YYYY-MM, e.g. 2024-01"


def _make_month(year: int, month: int, day: int | None = None) -> pd.Period:
    if not 1 <= month <= 12:
        raise _bad(f"month {month} does not exist", _MONTH_FIX)
    if not 1900 <= year <= 2199:
        raise _bad(f"year {year} is not plausible", _MONTH_FIX)
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise _bad(f"day {day} does not exist in {calendar.month_name[month]} {year}", _MONTH_FIX)
    return pd.Period(year=year, month=month, freq="M")


def _from_serial(serial: float) -> pd.Period:
    if not 20000 <= serial <= 80000:
        raise _bad(
            "a number that is not an Excel date serial (20000-80000)",
            _MONTH_FIX,
        )
    day = _EXCEL_EPOCH + datetime.timedelta(days=int(serial))
    return pd.Period(year=day.year, month=day.month, freq="M")


_EXCEL_EPOCH = datetime.date(1899, 12, 30)


def _day_month_order(first: int, second: int) -> str | None:
    """Which order a d/m or m/d pair must be in, or None when both read as valid dates."""
    if first > 12 and second <= 12:
        return "DMY"
    if second > 12 and first <= 12:
        return "MDY"
    return None


_NUMERIC_DATE = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})")


def parse_month(text: object, *, date_order: str = "auto") -> pd.Period:
    """Read the calendar month of a cell.

    Parameters
    ----------
    text : str, datetime, date, pandas.Timestamp, pandas.Period or number
        Accepted text: ``2024-01``, ``2024/01``, ``202401``, ``2024-01-31``,
        ``2024-01-31 00:00:00`` (or with ``T``), ``Jan 2024``, ``January 2024``,
        ``Jan-24`` (Excel's mmm-yy, read as 2024), ``31 Jan 2024``, ``Jan 31, 2024``,
        ``2024年1月``, ``01/31/2024``, ``31/01/2024`` (also with ``.`` or ``-``), and Excel
        date serials (an integer 20000-80000, days after 1899-12-30). Dates from XLSX
        cells come as datetimes.
    date_order : {"auto", "YMD", "MDY", "DMY"}, default "auto"
        How to read dates with the year last (dates with the year first are always read
        year-month-day). ``"auto"`` accepts them only when one part is above 12 (or both
        parts are equal), so the order is certain; ``"YMD"`` refuses them.

    Returns
    -------
    pandas.Period
        Frequency "M".

    Raises
    ------
    AmbiguousFormatError
        A date like ``01/02/2024`` under ``date_order="auto"``.
    BadValueError
        Anything else that is not a month (both are ``ValueError``).
    CaseError
        ``date_order`` is not one of the four values.
    """
    _check_date_order(date_order)
    if isinstance(text, pd.Period):
        return text.asfreq("M")
    if isinstance(text, (datetime.date, np.datetime64)):
        if isinstance(text, np.datetime64) and np.isnat(text):
            raise _bad("the cell is empty", _MONTH_FIX)
        stamp = pd.Timestamp(text)
        if stamp is pd.NaT:
            raise _bad("the cell is empty", _MONTH_FIX)
        return _make_month(stamp.year, stamp.month)
    if isinstance(text, bool) or text is None:
        raise _bad("not a month", _MONTH_FIX)
    if isinstance(text, (int, float, np.integer, np.floating)):
        value = float(text)
        if not math.isfinite(value):
            raise _bad("not a month", _MONTH_FIX)
        return _from_serial(value)
    if not isinstance(text, str):
        raise _bad(f"a {type(text).__name__} is not a month", _MONTH_FIX)
    s = text.translate(_SPACES).strip()
    if not s:
        raise _bad("the cell is empty", _MONTH_FIX)
    if re.fullmatch(r"\d{5}(?:\.0+)?", s):
        return _from_serial(float(s))
    if m := re.fullmatch(r"(\d{4})(\d{2})", s):
        return _make_month(int(m[1]), int(m[2]))
    # Drop a time of day: "2024-01-31 00:00:00", "2024-01-31T13:45".
    s = re.sub(r"(?<=\d)(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$", "", s)
    if m := re.fullmatch(r"(\d{4})[-/.](\d{1,2})", s):
        return _make_month(int(m[1]), int(m[2]))
    if m := re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", s):
        # Year first is always year-month-day (nobody writes year-day-month), whatever
        # date_order says about dates with the year last.
        return _make_month(int(m[1]), int(m[2]), int(m[3]))
    if m := re.fullmatch(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*\d{1,2}\s*日)?", s):
        return _make_month(int(m[1]), int(m[2]))
    if m := _NUMERIC_DATE.fullmatch(s):
        if len(m[3]) == 2:
            raise _bad("a two-digit year", "write the year with 4 digits, e.g. 31/01/2024")
        first, second, year = int(m[1]), int(m[2]), int(m[3])
        order = date_order
        if order == "YMD":
            raise _bad(
                "this date has the year last, but date_order is YMD",
                "set date_order: MDY or DMY in case.yml",
            )
        if order == "auto":
            if first == second:
                return _make_month(year, first, second)
            order = _day_month_order(first, second) or ""
            if not order:
                raise AmbiguousFormatError(
                    f"{s} could be month/day or day/month",
                    fix="set date_order: MDY or DMY in case.yml, or write months as YYYY-MM",
                )
        month, day = (first, second) if order == "MDY" else (second, first)
        if month > 12:
            raise _bad(
                f"month {month} does not exist when reading dates as {order}",
                "check date_order in case.yml (MDY or DMY)",
            )
        return _make_month(year, month, day)
    # "Jan 2024", "January-2024", and Excel's mmm-yy "Jan-24" (two digits only after "-",
    # so "Jan 31" is not mistaken for 2031).
    words = re.fullmatch(r"([A-Za-z]+)\.?(?:[\s\-/,]*(\d{4})|-(\d{2}))", s)
    if words and words[1].lower() in _MONTH_NAMES:
        year = int(words[2]) if words[2] else 2000 + int(words[3])
        return _make_month(year, _MONTH_NAMES[words[1].lower()])
    day_first = re.fullmatch(r"(\d{1,2})[\s\-]+([A-Za-z]+)\.?[\s\-,]+(\d{4})", s)
    if day_first and day_first[2].lower() in _MONTH_NAMES:
        return _make_month(int(day_first[3]), _MONTH_NAMES[day_first[2].lower()], int(day_first[1]))
    month_first = re.fullmatch(r"([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})", s)
    if month_first and month_first[1].lower() in _MONTH_NAMES:
        return _make_month(
            int(month_first[3]), _MONTH_NAMES[month_first[1].lower()], int(month_first[2])
        )
    raise _bad("not a month", _MONTH_FIX)


def _check_decimal(decimal: str) -> None:
    if decimal not in (".", ","):
        raise CaseError(f"decimal must be '.' or ',', not {decimal!r}")


def _check_date_order(date_order: str) -> None:
    if date_order not in _DATE_ORDERS:
        raise CaseError(f"date_order must be one of {', '.join(_DATE_ORDERS)}, not {date_order!r}")


# --------------------------------------------------------------------------------------
# Typed tables
# --------------------------------------------------------------------------------------

_PLAIN_FLOAT = {
    ".": re.compile(r"-?\d{1,15}(?:\.\d{1,15})?"),
    ",": re.compile(r"-?\d{1,15}(?:,\d{1,15})?"),
}
_KINDS = ("month", "text", "number", "money", "count", "nonneg", "fraction", "choice")
_EXTRAS = ("number", "keep", "ignore")


def _normalise(name: str) -> str:
    """Column or choice name as compared: case-free, spaces and hyphens as underscores."""
    return re.sub(r"[\s\-_]+", "_", str(name).strip().lower()).strip("_")


def _parse_kind(name: str, kind: str) -> tuple[str, tuple[str, ...]]:
    base, _, rest = str(kind).partition(":")
    if base not in _KINDS or (base == "choice") != bool(rest):
        raise ValueError(
            f"spec for {name!r}: unknown kind {kind!r}; use one of {', '.join(_KINDS[:-1])} "
            "or choice:a|b|c"
        )
    choices = tuple(_normalise(c) for c in rest.split("|")) if rest else ()
    if base == "choice" and not all(choices):
        raise ValueError(f"spec for {name!r}: empty choice in {kind!r}")
    return base, choices


def _relocate(exc: DataFileError, file: Path, row: int, column: str, found: object):
    """The same error, now saying where it is."""
    return type(exc)(exc.problem, file=file, row=row, column=column, found=found, fix=exc.fix)


def _infer_column_order(cells: list[object], rows: list[int], file: Path, column: str) -> str:
    """For ``date_order="auto"``: one unambiguous date (31/01/2024) settles the column."""
    seen: dict[str, tuple[int, object]] = {}
    for row, cell in zip(rows, cells, strict=True):
        if isinstance(cell, str) and (m := _NUMERIC_DATE.fullmatch(cell.strip())):
            order = _day_month_order(int(m[1]), int(m[2]))
            if order and order not in seen:
                seen[order] = (row, cell)
    if len(seen) == 2:
        (row_a, cell_a), (row_b, cell_b) = sorted(seen.values(), key=lambda item: item[0])
        raise AmbiguousFormatError(
            f"the column mixes day/month and month/day dates ({cell_a!r} in row {row_a}, "
            f"{cell_b!r} in row {row_b})",
            file=file,
            row=row_b,
            column=column,
            found=cell_b,
            fix="write every date the same way, best as YYYY-MM; then set date_order: MDY or "
            "DMY in case.yml",
        )
    return next(iter(seen), "auto")


def _parse_column(
    cells: list[object],
    rows: list[int],
    *,
    kind: str,
    choices: tuple[str, ...],
    file: Path,
    column: str,
    decimal: str,
    date_order: str,
    is_extra: bool,
):
    """Type one column; the first bad cell raises, naming its row."""
    if kind in ("text", "choice"):
        out: list[object] = [None] * len(cells)
        for i, cell in enumerate(cells):
            if cell is None:
                continue
            text = cell.isoformat(sep=" ") if isinstance(cell, datetime.datetime) else str(cell)
            if kind == "choice":
                value = _normalise(text)
                if value not in choices:
                    near = difflib.get_close_matches(value, choices, n=1, cutoff=0.5)
                    raise BadValueError(
                        f"not one of the allowed values {', '.join(choices)}",
                        file=file,
                        row=rows[i],
                        column=column,
                        found=cell,
                        fix=f"use one of: {', '.join(choices)}"
                        + (f" (did you mean {near[0]!r}?)" if near else ""),
                    )
                text = value
            out[i] = text
        # pd.Series(...).array keeps None as missing on pandas 2 (pd.array would make
        # "None" strings) and gives the str dtype on pandas 3.
        return pd.Series(out, dtype="str").array
    if kind == "month":
        order = date_order
        if order == "auto":
            order = _infer_column_order(cells, rows, file, column)
        months: list[object] = [pd.NaT] * len(cells)
        # The same month text repeats once per group: parse each distinct cell once.
        seen_months: dict[object, pd.Period] = {}
        for i, cell in enumerate(cells):
            if cell is None:
                continue
            if cell in seen_months:
                months[i] = seen_months[cell]
                continue
            try:
                months[i] = seen_months[cell] = parse_month(cell, date_order=order)
            except DataFileError as exc:
                raise _relocate(exc, file, rows[i], column, cell) from None
        return pd.array(months, dtype="period[M]")
    values = np.full(len(cells), np.nan)
    for i, cell in enumerate(cells):
        if cell is None:
            continue
        if type(cell) is str and _PLAIN_FLOAT[decimal].fullmatch(cell):
            # Fast path for the common plain number "1234.5": float() reads it exactly.
            values[i] = float(cell) if decimal == "." else float(cell.replace(",", "."))
            continue
        try:
            values[i] = parse_number(cell, decimal=decimal)
        except DataFileError as exc:
            if is_extra:
                exc = BadValueError(
                    exc.problem,
                    fix=f"{column!r} is not a column the kit knows, so it is read as a custom "
                    f"numeric KPI: {exc.fix}; or rename or delete the column",
                )
            raise _relocate(exc, file, rows[i], column, cell) from None
    if kind == "fraction":
        _check_fractions(values, cells, rows, file, column)
    for i, cell in enumerate(cells):
        value = values[i]
        if cell is None:
            continue
        if kind in ("count", "nonneg") and value < 0:
            noun = "a count" if kind == "count" else "this column"
            raise BadValueError(
                f"negative, but {noun} cannot be below zero",
                file=file,
                row=rows[i],
                column=column,
                found=cell,
                fix="write the value as zero or more (costs and days are positive numbers)",
            )
        if kind == "count" and value != math.floor(value):
            raise BadValueError(
                "not a whole number, but this column counts things",
                file=file,
                row=rows[i],
                column=column,
                found=cell,
                fix="write a whole number such as 12",
            )
    return values


def _check_fractions(
    values: np.ndarray, cells: list[object], rows: list[int], file: Path, column: str
) -> None:
    has_percent = [isinstance(cell, str) and "%" in cell for cell in cells]
    filled = [i for i, cell in enumerate(cells) if cell is not None]
    if (
        filled
        and not any(has_percent)
        and all(1.0 <= values[i] <= 100.0 for i in filled)
        and any(values[i] > 1.0 for i in filled)
    ):
        first = next(i for i in filled if values[i] > 1.0)
        raise BadValueError(
            "this column holds fractions between 0 and 1, but every value is between 1 and "
            "100: these look like percent points",
            file=file,
            row=rows[first],
            column=column,
            found=cells[first],
            fix="write 12% or 0.12 for twelve percent (divide the column by 100)",
        )
    for i in filled:
        if not 0.0 <= values[i] <= 1.0:
            problem = (
                f"{values[i] * 100:g}% is outside 0% to 100%"
                if has_percent[i]
                else "outside 0 to 1, but this column holds fractions"
            )
            raise BadValueError(
                problem,
                file=file,
                row=rows[i],
                column=column,
                found=cells[i],
                fix="write a share between 0 and 1, as 12% or 0.12",
            )


def _describe(name: str, value: object) -> str:
    return f"{name} {value!r}" if isinstance(value, str) else f"{name} {value}"


def _check_key(
    frame: pd.DataFrame, key: Sequence[str], file: Path, file_columns: dict[str, str]
) -> None:
    rows = list(frame.index)
    for name in key:
        empty = frame[name].isna().to_numpy()
        if empty.any():
            raise BadValueError(
                f"the {name} is empty, but every row needs one",
                file=file,
                row=rows[int(np.argmax(empty))],
                column=file_columns[name],
                fix=f"fill in the {name}, or delete the row",
            )
    first_row: dict[tuple, int] = {}
    columns = [frame[name].tolist() for name in key]
    for position, values in enumerate(zip(*columns, strict=True)):
        row = rows[position]
        if values in first_row:
            what = " and ".join(_describe(n, v) for n, v in zip(key, values, strict=True))
            raise DuplicateRowError(
                f"row {first_row[values]} and row {row} both have {what}",
                file=file,
                row=row,
                column=file_columns[key[0]],
                fix=f"keep one row per {' and '.join(key)}: add up or delete the duplicate",
            )
        first_row[values] = row


def _check_gaps(
    frame: pd.DataFrame, month: str, others: list[str], file: Path, file_columns: dict[str, str]
) -> None:
    # Keys are unique by now, so a group has no gap exactly when its row count equals the
    # number of months from its first to its last; only gapped groups are listed slowly.
    ordinals = pd.Series(frame[month].array.asi8, index=frame.index)
    if others:
        stats = ordinals.groupby([frame[name] for name in others], sort=True).agg(
            ["min", "max", "count"]
        )
    else:
        stats = pd.DataFrame(
            {"min": [ordinals.min()], "max": [ordinals.max()], "count": [len(ordinals)]}
        )
    if (stats["max"] - stats["min"] + 1 == stats["count"]).all():
        return
    groups = frame.groupby(others, sort=True) if others else [((), frame)]
    for group, part in groups:
        present = set(part[month].tolist())
        full = pd.period_range(min(present), max(present), freq="M")
        missing = [str(p) for p in full if p not in present]
        if not missing:
            continue
        listed = ", ".join(missing[:12]) + (
            f" and {len(missing) - 12} more" if len(missing) > 12 else ""
        )
        values = group if isinstance(group, tuple) else (group,)
        where = (
            " for " + " and ".join(_describe(n, v) for n, v in zip(others, values, strict=True))
            if others
            else ""
        )
        raise GapError(
            f"{len(missing)} month(s) missing between {min(present)} and {max(present)}{where}: "
            f"{listed}",
            file=file,
            column=file_columns[month],
            fix="add a row for every month (leave a KPI cell empty if its value is unknown)",
        )


def read_table(
    path: str | os.PathLike[str],
    *,
    spec: Mapping[str, str],
    required: Sequence[str] = (),
    key: Sequence[str] = (),
    decimal: str = ".",
    date_order: str = "auto",
    extra: str = "number",
    check_gaps: bool = True,
    sheet: str | int | None = None,
) -> pd.DataFrame:
    """Read a CSV/XLSX table and type every column, or refuse it saying where and why.

    Parameters
    ----------
    path : str or path-like
        The table (see :func:`read_raw` for formats and encodings). Never modified.
    spec : mapping of str to str
        Column name -> kind. Kinds: ``"month"`` (-> ``Period[M]``, see
        :func:`parse_month`), ``"text"``, ``"number"`` and ``"money"`` (float, any sign),
        ``"count"`` (whole number >= 0, as float), ``"nonneg"`` (float >= 0, e.g. days,
        costs), ``"fraction"`` (float in [0, 1]; ``12%`` reads as 0.12),
        ``"choice:a|b|c"`` (one of the listed words; case, spaces and hyphens are ignored
        and the result is the listed word). File header names match spec names ignoring
        case, surrounding spaces, and spaces/hyphens vs underscores.
    required : sequence of str
        Spec columns the file must have. Other spec columns are optional and left out of
        the result when absent.
    key : sequence of str
        Spec columns that identify a row: they must be filled in and unique together.
    decimal : {".", ","}, default "."
        Decimal mark of numbers written as text (see :func:`parse_number`).
    date_order : {"auto", "YMD", "MDY", "DMY"}, default "auto"
        How to read dates like 01/02/2024 (see :func:`parse_month`). Under ``"auto"``,
        one date with a part above 12 settles the order for its whole column.
    extra : {"number", "keep", "ignore"}, default "number"
        What to do with columns not in ``spec``: read them as numbers (custom KPIs;
        text in them is refused), keep them as text, or drop them. Their result names
        are the normalised header names (``"NPS Score"`` -> ``"nps_score"``).
    check_gaps : bool, default True
        When ``key`` holds a month column, refuse missing months between the first and
        last month (per value of the other key columns).
    sheet : str or int, optional
        XLSX sheet name or 0-based number; default the first sheet.

    Returns
    -------
    pandas.DataFrame
        Columns in file order, spec columns under their spec names. Empty cells are
        NaN / NaT / missing. The index (named ``"row"``) holds the spreadsheet row numbers;
        ``attrs``: ``"source"`` (``str(path)``), ``"header_row"`` (int), ``"columns"``
        (result name -> header name as written in the file), ``"sheet"`` (XLSX).

    Raises
    ------
    MissingColumnError
        A required column is absent (the message lists the header and the nearest name).
    BadValueError
        A cell of the wrong kind, naming file, row, column, the value found and a fix.
    DuplicateRowError
        Two rows with the same key, naming both rows.
    GapError
        Missing months, naming them.
    AmbiguousFormatError
        Two header names that mean the same spec column, or dates that could be read as
        month/day or day/month.
    DataFileError, EmptyFileError, FileEncodingError
        From :func:`read_raw`.
    CaseError
        ``decimal`` or ``date_order`` is not an allowed value.
    ValueError
        A programming error in the call: unknown kind, or ``required``/``key`` naming a
        column that is not in ``spec``.
    """
    _check_decimal(decimal)
    _check_date_order(date_order)
    if extra not in _EXTRAS:
        raise ValueError(f"extra must be one of {_EXTRAS}, not {extra!r}")
    kinds = {name: _parse_kind(name, kind) for name, kind in spec.items()}
    spec_by_norm = {_normalise(name): name for name in spec}
    for name in (*required, *key):
        if name not in spec:
            raise ValueError(f"{name!r} is in required/key but not in spec")
    file = Path(path)
    raw = read_raw(path, sheet=sheet)
    header = [str(c) for c in raw.columns]
    header_row = raw.attrs["header_row"]

    by_norm: dict[str, str] = {}
    for name in header:
        norm = _normalise(name)
        if norm in by_norm and (norm in spec_by_norm or extra != "ignore"):
            target = spec_by_norm.get(norm, norm)
            raise AmbiguousFormatError(
                f"the columns {by_norm[norm]!r} and {name!r} both mean {target!r}",
                file=file,
                row=header_row,
                column=name,
                fix="rename or delete one of them",
            )
        by_norm[norm] = name
    for name in required:
        if _normalise(name) not in by_norm:
            near = difflib.get_close_matches(_normalise(name), list(by_norm), n=1, cutoff=0.6)
            hint = f" (did you mean {by_norm[near[0]]!r}? rename it to {name!r})" if near else ""
            raise MissingColumnError(
                f"the required column {name!r} is missing; the header has "
                f"{', '.join(repr(h) for h in header)}",
                file=file,
                row=header_row,
                fix=f"add a column named {name!r}{hint}",
            )

    rows = list(raw.index)
    columns: dict[str, object] = {}
    file_columns: dict[str, str] = {}
    for name in header:
        norm = _normalise(name)
        if norm in spec_by_norm:
            out_name = spec_by_norm[norm]
            kind, choices = kinds[out_name]
            is_extra = False
        elif extra == "ignore":
            continue
        else:
            out_name = norm or name
            kind, choices = ("text" if extra == "keep" else "number"), ()
            is_extra = True
        columns[out_name] = _parse_column(
            raw[name].tolist(),
            rows,
            kind=kind,
            choices=choices,
            file=file,
            column=name,
            decimal=decimal,
            date_order=date_order,
            is_extra=is_extra,
        )
        file_columns[out_name] = name
    frame = pd.DataFrame(columns, index=raw.index)

    key = list(key)
    missing_key = [name for name in key if name not in frame.columns]
    if missing_key:
        raise MissingColumnError(
            f"the column {missing_key[0]!r} is needed to tell rows apart but is missing; the "
            f"header has {', '.join(repr(h) for h in header)}",
            file=file,
            row=header_row,
            fix=f"add a column named {missing_key[0]!r}",
        )
    if key:
        _check_key(frame, key, file, file_columns)
        month_keys = [name for name in key if kinds[name][0] == "month"]
        if check_gaps and month_keys:
            others = [name for name in key if name != month_keys[0]]
            _check_gaps(frame, month_keys[0], others, file, file_columns)
    frame.attrs["source"] = str(path)
    frame.attrs["header_row"] = header_row
    frame.attrs["columns"] = file_columns
    if "sheet" in raw.attrs:
        frame.attrs["sheet"] = raw.attrs["sheet"]
    return frame
