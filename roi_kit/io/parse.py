"""Reading single values as people write them in spreadsheets: numbers and calendar months.

:func:`parse_number` reads ``1,234.50``, ``$1,234.50``, ``12%``, ``(1,000)``;
:func:`parse_month` reads ``2024-01``, ``Jan 2024``, ``31/01/2024``, Excel serials. Both raise a
:class:`~roi_kit.errors.BadValueError` with a reason and a fix; the table reader adds where.
"""

from __future__ import annotations

import calendar
import datetime
import math
import re

import numpy as np
import pandas as pd

from roi_kit.errors import AmbiguousFormatError, BadValueError, CaseError

__all__ = ["parse_number", "parse_month", "DATE_ORDERS"]

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
    """A value error without a location yet (the table reader adds file, row, column)."""
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
#: How dates with the year last may be read (see :func:`parse_month`).
DATE_ORDERS = ("auto", "YMD", "MDY", "DMY")
_DATE_ORDERS = DATE_ORDERS
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


# The input checks of this layer's options: a wrong option is the case's mistake (CaseError).


def _check_decimal(decimal: str) -> None:
    if decimal not in (".", ","):
        raise CaseError(f"decimal must be '.' or ',', not {decimal!r}")


def _check_date_order(date_order: str) -> None:
    if date_order not in _DATE_ORDERS:
        raise CaseError(f"date_order must be one of {', '.join(_DATE_ORDERS)}, not {date_order!r}")
