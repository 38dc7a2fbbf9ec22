"""Typing one column of a table: the column kinds of :func:`roi_kit.io.tables.read_table`.

Each function takes the raw cells of one column with their spreadsheet row numbers and
returns a typed array, or raises for the first bad cell naming its file, row and column.
"""

from __future__ import annotations

import datetime
import difflib
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from roi_kit.errors import AmbiguousFormatError, BadValueError, DataFileError
from roi_kit.io.parse import _NUMERIC_DATE, _day_month_order, parse_month, parse_number

__all__ = ["KINDS"]

_PLAIN_FLOAT = {
    ".": re.compile(r"-?\d{1,15}(?:\.\d{1,15})?"),
    ",": re.compile(r"-?\d{1,15}(?:,\d{1,15})?"),
}
#: The column kinds a spec may name (``choice`` is written ``choice:a|b|c``).
KINDS = ("month", "text", "number", "money", "count", "nonneg", "fraction", "choice")
_KINDS = KINDS


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
    """Type one column; the first bad cell raises, naming its row.

    Returns a string array (``text``, ``choice``), a ``period[M]`` array (``month``) or a
    float64 array (the numeric kinds, NaN where empty).
    """
    if kind in ("text", "choice"):
        return _text_column(cells, rows, kind, choices, file, column)
    if kind == "month":
        return _month_column(cells, rows, file, column, date_order)
    values = _number_column(cells, rows, file, column, decimal, is_extra)
    if kind == "fraction":
        _check_fractions(values, cells, rows, file, column)
    _check_signs(values, cells, rows, kind, file, column)
    return values


def _text_column(
    cells: list[object],
    rows: list[int],
    kind: str,
    choices: tuple[str, ...],
    file: Path,
    column: str,
):
    """Text cells as str (XLSX dates as ISO text); choices normalised and checked."""
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


def _month_column(cells: list[object], rows: list[int], file: Path, column: str, date_order: str):
    """Month cells as a ``period[M]`` array (NaT where empty)."""
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


def _number_column(
    cells: list[object], rows: list[int], file: Path, column: str, decimal: str, is_extra: bool
) -> np.ndarray:
    """Numeric cells as float64 (NaN where empty); no range check yet."""
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
    return values


def _check_signs(
    values: np.ndarray, cells: list[object], rows: list[int], kind: str, file: Path, column: str
) -> None:
    """Refuse negatives in ``count``/``nonneg`` columns and fractions in ``count`` ones."""
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
