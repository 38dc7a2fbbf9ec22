"""A CRM export's date columns -> days since 1970-01-01, every value checked.

ISO dates, slash dates month-first or day-first (detected, or as the case declares), times of
day dropped; a day its month does not have and a year outside 1900-2200 are refused with the
spreadsheet row (header = row 1). Used by :mod:`roi_kit.io.crm_deals`.
"""

from __future__ import annotations

import calendar
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from roi_kit.errors import AmbiguousFormatError, BadValueError

__all__: list[str] = []


def _first(mask: np.ndarray) -> int:
    return int(np.flatnonzero(mask)[0])


# Shown when every slash date reads both ways and the kit picked month-first.
_AMBIGUOUS_SLASH = (
    "slash dates fit both month-first and day-first; read as month-first "
    "(US, M/D/YYYY). If they are day-first, pass date_order='DMY'"
)


def _parse_dates(
    table: pa.Table, names: list[str], date_order: str, path: Path
) -> tuple[dict[str, tuple[np.ndarray, np.ndarray]], list[str]]:
    """Parse date columns -> {column: (days since 1970-01-01 as int64, valid mask)}.

    Three paths, fastest first: ISO dates cast directly, columns of nothing but slash
    dates, then the general path (times of day dropped, each order tried, the order chosen,
    every value checked).
    """
    out, texts = _iso_dates(table, names)
    for name in out:
        _check_real_days(table, name, table.column(name), "MDY", path)
    if not texts:
        return out, []
    quick = _plain_slash_dates(texts, date_order)
    if quick is not None:
        days, ambiguous = quick
        for name, col in texts.items():
            _check_real_days(table, name, col, date_order, path)
        out.update(days)
        return out, [_AMBIGUOUS_SLASH] if ambiguous else []
    # Drop a time of day ("2023-05-01 10:22", "5/1/2023 10:22 AM", "...T10:22:00Z").
    texts = {
        name: pc.replace_substring_regex(pc.utf8_trim_whitespace(col), r"[ T].*$", "")
        for name, col in texts.items()
    }
    parsed, fails = _parse_both_orders(texts)
    order, warnings = _choose_order(date_order, fails, texts)
    for name, col in texts.items():
        _check_all_read(table, name, col, parsed[name], order, date_order, path)
        _check_real_days(table, name, col, order, path)
        out[name] = _days(pc.cast(parsed[name][order], pa.date32()))
    return out, warnings


def _iso_dates(
    table: pa.Table, names: list[str]
) -> tuple[dict[str, tuple[np.ndarray, np.ndarray]], dict[str, pa.ChunkedArray]]:
    """The columns that cast as plain ISO dates (parsed), and the others (as text)."""
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    texts: dict[str, pa.ChunkedArray] = {}
    for name in names:
        col = table.column(name)
        try:
            # Fast path: plain ISO dates, as the dataset and most database dumps write them.
            out[name] = _days(pc.cast(col, pa.date32()))
        except pa.ArrowInvalid:
            texts[name] = col
    return out, texts


def _parse_both_orders(
    texts: dict[str, pa.ChunkedArray],
) -> tuple[dict[str, dict[str, pa.ChunkedArray]], dict[str, int]]:
    """Each column read month-first and day-first (ISO and Y/M/D either way).

    Returns the parsed timestamps by column and order, and per order how many values
    present in the file it cannot read.
    """
    parsed: dict[str, dict[str, pa.ChunkedArray]] = {}
    fails: dict[str, int] = {"MDY": 0, "DMY": 0}
    for name, col in texts.items():
        iso = pc.strptime(col, "%Y-%m-%d", "s", error_is_null=True)
        ymd = pc.strptime(col, "%Y/%m/%d", "s", error_is_null=True)
        base = pc.coalesce(iso, ymd)
        parsed[name] = {}
        for order, fmt in (("MDY", "%m/%d/%Y"), ("DMY", "%d/%m/%Y")):
            both = pc.coalesce(base, pc.strptime(col, fmt, "s", error_is_null=True))
            parsed[name][order] = both
            # Values present in the file that this order cannot read.
            fails[order] += both.null_count - col.null_count
    return parsed, fails


def _choose_order(
    date_order: str, fails: dict[str, int], texts: dict[str, pa.ChunkedArray]
) -> tuple[str, list[str]]:
    """The date order to read with ("MDY" or "DMY") and what to tell the user about it.

    A declared order is kept; ``"auto"`` takes the order that reads every value
    (month-first when both do), else the one that fails less often.
    """
    warnings: list[str] = []
    order = date_order
    if order == "auto":
        if fails["MDY"] == 0 and fails["DMY"] == 0:
            order = "MDY"
            if _has_slash_dates(texts):
                warnings.append(_AMBIGUOUS_SLASH)
        elif fails["MDY"] == 0:
            order = "MDY"
        elif fails["DMY"] == 0:
            order = "DMY"
            warnings.append("slash dates read as day-first (D/M/YYYY): some days exceed 12")
        else:
            order = "MDY" if fails["MDY"] <= fails["DMY"] else "DMY"
    return order, warnings


def _check_all_read(
    table: pa.Table,
    name: str,
    col: pa.ChunkedArray,
    parsed: dict[str, pa.ChunkedArray],
    order: str,
    date_order: str,
    path: Path,
) -> None:
    """Refuse a column with a value present in the file that ``order`` cannot read.

    Raises
    ------
    AmbiguousFormatError
        When the value reads only in the other order and the case declared this one.
    BadValueError
        When the value is not a date at all (or ``date_order`` is ``"auto"``).
    """
    bad = pc.and_(pc.is_valid(col), pc.is_null(parsed[order])).to_numpy(zero_copy_only=False)
    if not bad.any():
        return
    i = _first(bad)
    other = "DMY" if order == "MDY" else "MDY"
    if parsed[other][i].is_valid and date_order != "auto":
        raise AmbiguousFormatError(
            f"the date reads only as {other}, but date_order is {order}",
            file=path,
            row=i + 2,
            column=name,
            found=table.column(name)[i].as_py(),
            fix=f"set date_order to {other!r} or 'auto'",
        )
    raise BadValueError(
        f"{int(bad.sum())} value(s) are not a date",
        file=path,
        row=i + 2,
        column=name,
        found=table.column(name)[i].as_py(),
        fix="write dates as YYYY-MM-DD or M/D/YYYY",
    )


# Day, month and year as written, whatever the separator; group "a" holds the year when it
# has four digits (ISO, Y/M/D), else the day (D/M/Y) or the month (M/D/Y).
_DATE_PARTS = r"^\s*(?P<a>\d{1,4})[-/](?P<b>\d{1,2})[-/](?P<c>\d{1,4})"
_MONTH_DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def _check_real_days(table: pa.Table, name: str, text: pa.ChunkedArray, order: str, path: Path):
    """Refuse a day past the end of its month (30 February), as the case tables do.

    Arrow's date parsers accept any day up to 31 and roll it into the next month, so
    ``2/30/2024`` would count as 1 March. The day as written is checked against the length
    of its month, once per distinct text (an export of a million deals has a few thousand
    distinct dates).

    Parameters
    ----------
    table : pyarrow.Table
        The export's columns as text (for the value shown).
    name : str
        The date column, as written in the header.
    text : pyarrow.ChunkedArray
        The text that was parsed (times of day already dropped).
    order : str
        ``"MDY"`` or ``"DMY"`` (``"auto"`` reads as ``"MDY"``): which part of a date with
        the year last is the day. A four-digit first part is the year (ISO, Y/M/D).

    Raises
    ------
    BadValueError
        Naming the first such row and column, the day and the month it does not exist in.
    """
    distinct = pc.unique(text).drop_null()
    parts = pc.extract_regex(distinct, _DATE_PARTS)
    a, b, c = (
        pc.fill_null(pc.cast(pc.struct_field(parts, k), pa.int32()), 0).to_numpy()
        for k in ("a", "b", "c")
    )
    year_first = pc.fill_null(pc.equal(pc.utf8_length(pc.struct_field(parts, "a")), 4), False)
    year_first = year_first.to_numpy(zero_copy_only=False)
    day_first = order == "DMY"
    year = np.where(year_first, a, c)
    month = np.where(year_first | day_first, b, a)
    day = np.where(year_first, c, a if day_first else b)
    known = (month >= 1) & (month <= 12)  # others did not parse: not this check's business
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    length = _MONTH_DAYS[np.where(known, month, 1) - 1] + (known & (month == 2) & leap)
    bad = known & (day > length)
    if not bad.any():
        return
    hit = pc.is_in(text, value_set=distinct.filter(pa.array(bad))).to_numpy(zero_copy_only=False)
    i = _first(hit)
    k = int(np.flatnonzero(distinct.to_numpy(zero_copy_only=False) == text[i].as_py())[0])
    month_name = f"{calendar.month_name[int(month[k])]} {int(year[k])}"
    raise BadValueError(
        f"day {int(day[k])} does not exist in {month_name}"
        + (f" ({int(hit.sum())} such dates in the column)" if hit.sum() > 1 else ""),
        file=path,
        row=i + 2,
        column=name,
        found=table.column(name)[i].as_py(),
        fix=f"correct the date in the CRM ({month_name} has {int(length[k])} days) and "
        "export again",
    )


def _plain_slash_dates(
    texts: dict[str, pa.ChunkedArray], date_order: str
) -> tuple[dict[str, tuple[np.ndarray, np.ndarray]], bool] | None:
    """Parse columns that hold nothing but M/D/YYYY (or D/M/YYYY) dates, else None.

    The common case (a US export) in one pass per column; mixed or timed values go the
    general way. Returns the days and whether every value would also read day-first.
    """
    fmt = "%d/%m/%Y" if date_order == "DMY" else "%m/%d/%Y"
    out, ambiguous = {}, date_order == "auto"
    for name, col in texts.items():
        parsed = pc.strptime(col, fmt, "s", error_is_null=True)
        if parsed.null_count != col.null_count:
            return None
        dates = pc.cast(parsed, pa.date32())
        out[name] = _days(dates)
        # Day-first would also fit only if no "day" (second part) exceeds 12.
        if ambiguous and (pc.max(pc.day(dates)).as_py() or 0) > 12:
            ambiguous = False
    return out, ambiguous


def _has_slash_dates(texts: dict[str, pa.ChunkedArray]) -> bool:
    return any(pc.any(pc.match_substring(c, "/")).as_py() for c in texts.values())


def _days(dates: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    valid = pc.is_valid(dates).to_numpy(zero_copy_only=False)
    days = pc.fill_null(dates.cast(pa.int32()), 0).to_numpy().astype(np.int64)
    return days, valid


def _check_years(days: np.ndarray, valid: np.ndarray, name: str, table: pa.Table, path: Path):
    # 1900-01-01 is day -25567, 2201-01-01 day 84006: outside is a typo or a 2-digit year.
    bad = valid & ((days < -25567) | (days >= 84006))
    if bad.any():
        i = _first(bad)
        raise BadValueError(
            "the year is outside 1900-2200 (a two-digit year?)",
            file=path,
            row=i + 2,
            column=name,
            found=table.column(name)[i].as_py(),
            fix="write the year with four digits",
        )
