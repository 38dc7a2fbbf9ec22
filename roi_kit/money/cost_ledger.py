"""The cost ledger read and checked line by line (before any month is charged).

:func:`ledger_lines` turns the ledger table (``costs.csv`` as the case loader returns it)
into :class:`LedgerLine` records: vocabulary checked (category, type, frequency), months
parsed, and the amount settled (given, or ``hours x hourly_rate``). A wrong cell raises
:class:`~roi_kit.errors.BadValueError` naming the file (when the ledger was read from one),
the row as a spreadsheet shows it (the header is row 1) and the column, with the fix.
``roi_kit.case.check_case`` runs the same rules first (the case layer cannot import this
one), so ``roi-kit validate`` reports them before a summary stops on them.
:mod:`roi_kit.money.costs` charges the lines to months.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from roi_kit.case import CATEGORIES, FREQUENCIES, TYPES
from roi_kit.errors import BadValueError, FinanceInputError, MissingColumnError

__all__ = ["REQUIRED_COLUMNS", "LedgerLine", "check_ledger", "ledger_lines"]

#: Columns every ledger has (``hours`` and ``hourly_rate`` are optional).
REQUIRED_COLUMNS = ("item", "category", "type", "amount", "frequency", "start", "end")


@dataclass(frozen=True)
class LedgerLine:
    """One checked ledger line.

    Attributes
    ----------
    item : object
        The ledger's ``item`` cell, as written.
    category, type, frequency : str
        Checked against :data:`~roi_kit.case.CATEGORIES`, ``TYPES``, ``FREQUENCIES``.
    start : pandas.Period
        First month paid.
    end : pandas.Period or None
        Last month paid; None = to the end of the horizon.
    amount : float
        Currency per occurrence (an annual line: per year), before overrun.
    """

    item: object
    category: str
    type: str
    frequency: str
    start: pd.Period
    end: pd.Period | None
    amount: float


def _bad(row: int, column: str, found: object, problem: str, fix: str) -> BadValueError:
    # ``row`` is the ledger row as a spreadsheet shows it (header row 1); ledger_lines adds
    # the file.
    return BadValueError(f"cost ledger: {problem}", row=row, column=column, found=found, fix=fix)


def _sheet_rows(ledger: pd.DataFrame) -> list[int]:
    """Each ledger row's number as a spreadsheet shows it (header = row 1).

    A ledger read by the kit (:func:`roi_kit.io.read_table`) carries them in its index,
    named ``"row"`` (blank lines are skipped but counted); any other table is numbered
    from its position, the first line row 2.
    """
    if ledger.index.name == "row":
        try:
            return [int(label) for label in ledger.index]
        except (TypeError, ValueError):
            pass
    return list(range(2, len(ledger) + 2))


def _is_blank(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _to_period(value: object, row: int, column: str) -> pd.Period | None:
    if _is_blank(value):
        return None
    try:
        if isinstance(value, pd.Period):
            return value.asfreq("M")
        if isinstance(value, str):
            return pd.Period(value.strip(), freq="M")
        if isinstance(value, datetime.date | np.datetime64):
            # Timestamps and dates: the month they fall in.
            return pd.Period(value, freq="M")
    except (TypeError, ValueError) as exc:
        raise _bad(row, column, value, "not a month", "write the month as YYYY-MM") from exc
    # A bare number would be read as a period ordinal (2024 -> 2138-09): refuse it.
    raise _bad(row, column, value, "not a month", "write the month as YYYY-MM")


def _to_float(value: object, row: int, column: str) -> float:
    if _is_blank(value):
        return math.nan
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise _bad(row, column, value, "not a number", "write a plain number") from exc
    if math.isinf(number):
        raise _bad(row, column, value, "not a finite number", "write a plain number")
    return number


def _word(rec: dict, column: str) -> str:
    """A vocabulary cell stripped, "" when blank."""
    return str(rec[column]).strip() if not _is_blank(rec[column]) else ""


def _vocabulary(rec: dict, row: int) -> tuple[str, str, str]:
    """Category, type and frequency of one line, each checked against its vocabulary."""
    category = _word(rec, "category")
    if category not in CATEGORIES:
        raise _bad(
            row,
            "category",
            rec["category"],
            "unknown category",
            f"use one of {', '.join(CATEGORIES)}",
        )
    ctype = _word(rec, "type")
    if ctype not in TYPES:
        raise _bad(row, "type", rec["type"], "unknown type", "use one_time or recurring")
    freq = _word(rec, "frequency")
    if freq not in FREQUENCIES:
        raise _bad(
            row,
            "frequency",
            rec["frequency"],
            "unknown frequency",
            f"use one of {', '.join(FREQUENCIES)}",
        )
    if ctype == "recurring" and freq == "once":
        raise _bad(
            row,
            "frequency",
            freq,
            "a recurring cost paid once",
            "set type to one_time, or frequency to monthly, quarterly or annual",
        )
    return category, ctype, freq


def _months(rec: dict, row: int, freq: str) -> tuple[pd.Period, pd.Period | None]:
    """Start and end month of one line (end None = to the end of the horizon)."""
    start = _to_period(rec["start"], row, "start")
    if start is None:
        raise _bad(
            row,
            "start",
            rec["start"],
            "start month is blank",
            "write the first month it is paid, as YYYY-MM",
        )
    end = _to_period(rec["end"], row, "end")
    # A one-off payment ignores its end, so a stray end before start is harmless there.
    if end is not None and end < start and freq != "once":
        raise _bad(
            row,
            "end",
            str(end),
            f"end is before start ({start})",
            "swap them, or leave end blank to run to the end of the horizon",
        )
    return start, end


def _amount(rec: dict, row: int) -> float:
    """Currency per occurrence: the amount, or hours x hourly_rate when it is blank."""
    amount = _to_float(rec["amount"], row, "amount")
    hours = _to_float(rec.get("hours"), row, "hours")
    rate = _to_float(rec.get("hourly_rate"), row, "hourly_rate")
    from_hours = hours * rate  # NaN unless both are given
    if math.isnan(amount):
        if math.isnan(from_hours):
            raise _bad(
                row,
                "amount",
                rec["amount"],
                "amount is blank and hours x hourly_rate is not given",
                "write the amount, or give both hours and hourly_rate",
            )
        amount = from_hours
    elif not math.isnan(from_hours) and not math.isclose(amount, from_hours, rel_tol=1e-9):
        raise _bad(
            row,
            "amount",
            amount,
            f"amount disagrees with hours x hourly_rate ({hours:g} x {rate:g} = {from_hours:g})",
            "give either the amount or hours and hourly_rate, not both",
        )
    for col, value in (("amount", amount), ("hours", hours), ("hourly_rate", rate)):
        if value < 0:  # NaN compares False: blank hours/rate pass
            raise _bad(
                row,
                col,
                value,
                f"{col} is negative",
                "costs are positive; record a credit as a benefit instead",
            )
    return amount


def check_ledger(ledger: object) -> pd.DataFrame:
    """Refuse anything but a DataFrame with every required column.

    Raises
    ------
    FinanceInputError
        ``ledger`` is not a DataFrame.
    MissingColumnError
        A column of :data:`REQUIRED_COLUMNS` is missing.
    """
    if not isinstance(ledger, pd.DataFrame):
        raise FinanceInputError(f"ledger must be a DataFrame; found {type(ledger).__name__}")
    missing = [c for c in REQUIRED_COLUMNS if c not in ledger.columns]
    if missing:
        raise MissingColumnError(
            f"cost ledger has no column {missing[0]!r}",
            column=missing[0],
            fix=f"the ledger needs the columns {', '.join(REQUIRED_COLUMNS)} (hours, "
            "hourly_rate optional)",
        )
    return ledger


def ledger_lines(ledger: pd.DataFrame) -> list[LedgerLine]:
    """Every ledger row checked and parsed, in ledger order.

    Parameters
    ----------
    ledger : pandas.DataFrame
        Columns as :func:`roi_kit.money.costs.cost_schedule` describes them.

    Returns
    -------
    list of LedgerLine

    Raises
    ------
    MissingColumnError, BadValueError, FinanceInputError

    Examples
    --------
    >>> ledger = pd.DataFrame({
    ...     "item": ["Set-up"], "category": ["implementation"], "type": ["one_time"],
    ...     "amount": [None], "hours": [10.0], "hourly_rate": [80.0], "frequency": ["once"],
    ...     "start": ["2023-11"], "end": [None]})
    >>> line = ledger_lines(ledger)[0]
    >>> line.amount, str(line.start), line.end
    (800.0, '2023-11', None)
    """
    check_ledger(ledger)
    lines = []
    try:
        for row, rec in zip(_sheet_rows(ledger), ledger.to_dict("records"), strict=True):
            category, ctype, freq = _vocabulary(rec, row)
            start, end = _months(rec, row, freq)
            amount = _amount(rec, row)
            lines.append(LedgerLine(rec["item"], category, ctype, freq, start, end, amount))
    except BadValueError as exc:
        # Name the file when the ledger came from one (read_table records its source).
        source = ledger.attrs.get("source")
        if source is None:
            raise
        raise BadValueError(
            exc.problem, file=source, row=exc.row, column=exc.column, found=exc.found, fix=exc.fix
        ) from None
    return lines
