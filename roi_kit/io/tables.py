"""Reading users' CSV/XLSX tables with clear errors.

:func:`read_raw` turns a file into a table of strings; :func:`read_table` types it against a
spec and refuses bad cells with the file, row, column, value found and a fix. Text files are
decoded by :mod:`roi_kit.io.encoding`, cells by :mod:`roi_kit.io.parse`.

``atomic_write_*``, ``parse_number`` and ``parse_month`` were defined here before the split
into topic modules; they are re-exported so ``roi_kit.io.tables.<name>`` keeps working.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from roi_kit.errors import (
    AmbiguousFormatError,
    BadValueError,
    DuplicateRowError,
    GapError,
    MissingColumnError,
)
from roi_kit.io.atomic import atomic_write_bytes, atomic_write_csv, atomic_write_text
from roi_kit.io.columns import _normalise, _parse_column, _parse_kind
from roi_kit.io.parse import _check_date_order, _check_decimal, parse_month, parse_number
from roi_kit.io.records import _header, _records

__all__ = [
    "read_raw",
    "read_table",
    # Re-exported from their topic modules (the old paths of these names).
    "atomic_write_text",
    "atomic_write_bytes",
    "atomic_write_csv",
    "parse_number",
    "parse_month",
]


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
    Text encodings are those of :mod:`roi_kit.io.encoding`, tried in its order (UTF-16 with
    or without a byte order mark, UTF-8, plausible GBK/GB18030, Windows-1252). Text with
    NUL or other control characters is refused as binary.

    The separator (``,`` ``;`` or tab) is the one that occurs most often outside quotes in
    the header line; a tie is broken by the separator whose count is the same on the first
    50 data lines. A first line ``sep=;`` (an Excel convention) declares it explicitly.
    """
    file = Path(path)
    records, sheet_name = _records(file, sheet)
    header_row, names, keep, body = _header(records, file)
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


_EXTRAS = ("number", "keep", "ignore")


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
    for name in (*required, *key):
        if name not in spec:
            raise ValueError(f"{name!r} is in required/key but not in spec")
    file = Path(path)
    raw = read_raw(path, sheet=sheet)
    header = [str(c) for c in raw.columns]
    header_row = raw.attrs["header_row"]
    spec_by_norm = {_normalise(name): name for name in spec}
    _match_header(header, spec_by_norm, required, extra, file, header_row)
    frame, file_columns = _typed_frame(
        raw, kinds, spec_by_norm, extra, file, decimal=decimal, date_order=date_order
    )
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


def _match_header(
    header: list[str],
    spec_by_norm: dict[str, str],
    required: Sequence[str],
    extra: str,
    file: Path,
    header_row: int,
) -> None:
    """Refuse two header names meaning the same column, and a missing required column."""
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


def _typed_frame(
    raw: pd.DataFrame,
    kinds: dict[str, tuple[str, tuple[str, ...]]],
    spec_by_norm: dict[str, str],
    extra: str,
    file: Path,
    *,
    decimal: str,
    date_order: str,
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Every kept column typed, under its result name; and result name -> header name."""
    rows = list(raw.index)
    columns: dict[str, object] = {}
    file_columns: dict[str, str] = {}
    for name in (str(c) for c in raw.columns):
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
    return pd.DataFrame(columns, index=raw.index), file_columns
