"""The cost ledger turned into a cost schedule: total cost of ownership (TCO).

:func:`cost_schedule` reads the ledger (``costs.csv`` as the case loader returns it) and
charges every line to the months it is paid in, then sums by category and by year in the
Forrester TEI layout: an **Initial** column (everything dated before go-live, at t = 0,
undiscounted) and **Year 1..N** (12-month blocks from the go-live month).

Charging rules, one per ``frequency``:

``once``
    ``amount`` in the ``start`` month (``end`` is ignored).
``monthly``
    ``amount`` in every month from ``start`` to ``end`` inclusive.
``quarterly``
    ``amount`` in the ``start`` month and every 3 months after, while ``<= end``.
``annual``
    ``amount`` is a price **per year**. By default it is **prorated**: ``amount / 12`` in
    every month from ``start`` to ``end`` inclusive. This is the accrual (matching)
    treatment of a prepaid subscription - its cost belongs to the months of service it
    buys (IAS 1 accrual basis; a prepayment is expensed over the period it covers) - so a
    subscription starting mid-year or cancelled early costs what it runs for, and the
    yearly totals do not depend on how the anniversary falls against go-live.
    ``annual="anniversary"`` instead charges the full amount at ``start`` and every 12
    months after while ``<= end`` (the cash view of an annual invoice).

A blank ``end`` means "until the end of the horizon". Internal staff lines may leave
``amount`` blank and give ``hours`` (per occurrence) and ``hourly_rate``: the amount is then
``hours × hourly_rate``. Charges after the horizon (``go_live + 12 × horizon_years − 1``) are
left out of the TCO and reported in :attr:`CostSchedule.excluded_after_horizon`.

Overrun is the TEI cost risk adjustment: every cost is multiplied by ``(1 + overrun)``,
either one fraction for all or one per category.

References
----------
.. [1] Forrester Research, "The Total Economic Impact (TEI) methodology": Initial column at
   time 0, years 1..N, costs risk-adjusted upwards.
.. [2] IFRS Foundation, IAS 1 "Presentation of Financial Statements", accrual basis of
   accounting (paragraphs 27-28).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from roi_kit.case import CATEGORIES, FREQUENCIES, TYPES
from roi_kit.errors import BadValueError, FinanceInputError, MissingColumnError

__all__ = [
    "CATEGORIES",
    "TYPES",
    "FREQUENCIES",
    "CostSchedule",
    "cost_schedule",
    "yearly_cash_flows",
    "monthly_cash_flows",
    "tco_table",
]


_REQUIRED = ("item", "category", "type", "amount", "frequency", "start", "end")


@dataclass(frozen=True)
class CostSchedule:
    """Costs by month, by year and by line (all in currency, overrun included).

    Attributes
    ----------
    monthly : pandas.DataFrame
        Index: monthly :class:`pandas.PeriodIndex` from the earliest cost month (or
        go-live, whichever is earlier) to the last horizon month; columns: the categories
        present in the ledger, in :data:`CATEGORIES` order.
    yearly : pandas.DataFrame
        Rows: categories and ``"Total"``; columns ``"Initial"``, ``"Year 1"`` ..
        ``"Year N"``, ``"Total"``.
    lines : pandas.DataFrame
        One row per ledger line: ``item``, ``category``, ``type``, ``frequency``,
        ``start``, ``end``, ``amount`` (per occurrence before overrun), ``overrun``,
        ``Initial``, ``Year 1`` .. ``Year N``, ``total`` (Initial + horizon) and
        ``after_horizon`` (left out).
    initial : float
        Everything dated before go-live (TEI "Initial", t = 0, undiscounted).
    one_time_total, recurring_total : float
        TCO split by the ledger's ``type``.
    tco : float
        Initial plus Years 1..N.
    excluded_after_horizon : float
        Charges dated after the horizon, left out of every other number.
    go_live : pandas.Period
        First month of Year 1.
    horizon_years : int
    annual : str
        How ``annual`` lines were charged ("prorated" or "anniversary").
    """

    monthly: pd.DataFrame
    yearly: pd.DataFrame
    lines: pd.DataFrame
    initial: float
    one_time_total: float
    recurring_total: float
    tco: float
    excluded_after_horizon: float
    go_live: pd.Period
    horizon_years: int
    annual: str

    @property
    def year_labels(self) -> list[str]:
        """``["Year 1", ..., "Year N"]``."""
        return [f"Year {k}" for k in range(1, self.horizon_years + 1)]


def _bad(row: int, column: str, found: object, problem: str, fix: str) -> BadValueError:
    # Ledger row as a spreadsheet shows it: header is row 1, the first line row 2.
    return BadValueError(
        f"cost ledger: {problem}", row=row + 2, column=column, found=found, fix=fix
    )


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


def _overrun_by_category(overrun: float | Mapping[str, float]) -> dict[str, float]:
    if isinstance(overrun, Mapping):
        unknown = set(overrun) - set(CATEGORIES)
        if unknown:
            raise FinanceInputError(
                f"overrun names unknown categories {sorted(unknown)}; categories are "
                f"{', '.join(CATEGORIES)}"
            )
        by_cat = {c: 0.0 for c in CATEGORIES}
        by_cat.update({c: v for c, v in overrun.items()})
    else:
        by_cat = {c: overrun for c in CATEGORIES}
    for cat, value in by_cat.items():
        try:
            value = float(value)
        except (TypeError, ValueError) as exc:
            raise FinanceInputError(
                f"overrun for {cat} must be a number (a fraction, 0.1 = 10%); found {value!r}"
            ) from exc
        if not math.isfinite(value) or value <= -1.0:
            raise FinanceInputError(
                f"overrun for {cat} must be a finite fraction > -1 (0.1 = 10% over budget); "
                f"found {value!r}"
            )
        by_cat[cat] = value
    return by_cat


def _charges(
    frequency: str, amount: float, start: int, end: int, annual: str
) -> tuple[np.ndarray, np.ndarray]:
    """Months (period ordinals) and amounts charged for one ledger line."""
    if frequency == "once":
        return np.array([start]), np.array([amount])
    if frequency == "monthly":
        months = np.arange(start, end + 1)
        return months, np.full(months.size, amount)
    if frequency == "quarterly":
        months = np.arange(start, end + 1, 3)
        return months, np.full(months.size, amount)
    # annual
    if annual == "prorated":
        months = np.arange(start, end + 1)
        return months, np.full(months.size, amount / 12.0)
    months = np.arange(start, end + 1, 12)
    return months, np.full(months.size, amount)


def cost_schedule(
    ledger: pd.DataFrame,
    *,
    go_live: pd.Period | str,
    horizon_years: int,
    overrun: float | Mapping[str, float] = 0.0,
    annual: Literal["prorated", "anniversary"] = "prorated",
) -> CostSchedule:
    """Charge every ledger line to its months and sum the TCO by category and year.

    Parameters
    ----------
    ledger : pandas.DataFrame
        The cost ledger: columns ``item``, ``category`` (one of :data:`CATEGORIES`),
        ``type`` (``one_time`` | ``recurring``), ``amount`` (currency per occurrence, >= 0;
        blank when ``hours`` × ``hourly_rate`` is given), ``frequency`` (``once`` |
        ``monthly`` | ``quarterly`` | ``annual``; an annual amount is per year), ``start``
        (month), ``end`` (month or blank = to the end of the horizon); optional ``hours``
        (per occurrence) and ``hourly_rate`` (currency/hour).
    go_live : pandas.Period or str
        First month the CRM was live ("2024-01"); the first month of Year 1.
    horizon_years : int, >= 1
        Years after go-live in the TCO.
    overrun : float or mapping of category to float, fraction > -1, default 0
        TEI cost risk adjustment: each cost is multiplied by ``1 + overrun`` (0.1 = 10%
        over budget). A mapping sets it per category; categories left out get 0.
    annual : {"prorated", "anniversary"}, default "prorated"
        How ``annual`` lines are charged (see the module notes for why prorated is the
        default).

    Returns
    -------
    CostSchedule

    Raises
    ------
    MissingColumnError
        A required ledger column is missing.
    BadValueError
        A ledger cell is wrong (unknown category, end before start, amount and hours both
        blank ...); the message names the row and column.
    FinanceInputError
        ``go_live``, ``horizon_years``, ``overrun`` or ``annual`` is invalid.

    Examples
    --------
    >>> ledger = pd.DataFrame({
    ...     "item": ["Licences"], "category": ["subscription"], "type": ["recurring"],
    ...     "amount": [12_000.0], "frequency": ["annual"],
    ...     "start": [pd.Period("2024-07", "M")], "end": [pd.Period("2025-12", "M")]})
    >>> s = cost_schedule(ledger, go_live="2024-01", horizon_years=3)
    >>> s.yearly.loc["Total"].tolist()
    [0.0, 6000.0, 12000.0, 0.0, 18000.0]
    """
    if not isinstance(ledger, pd.DataFrame):
        raise FinanceInputError(f"ledger must be a DataFrame; found {type(ledger).__name__}")
    missing = [c for c in _REQUIRED if c not in ledger.columns]
    if missing:
        raise MissingColumnError(
            f"cost ledger has no column {missing[0]!r}",
            column=missing[0],
            fix=f"the ledger needs the columns {', '.join(_REQUIRED)} (hours, hourly_rate "
            "optional)",
        )
    try:
        go = go_live.asfreq("M") if isinstance(go_live, pd.Period) else pd.Period(go_live, "M")
    except (TypeError, ValueError) as exc:
        raise FinanceInputError(
            f"go_live must be a month like '2024-01'; found {go_live!r}"
        ) from exc
    if (
        isinstance(horizon_years, bool)
        or not isinstance(horizon_years, int | np.integer)
        or horizon_years < 1
    ):
        raise FinanceInputError(
            f"horizon_years must be a whole number >= 1; found {horizon_years!r}"
        )
    horizon_years = int(horizon_years)
    if annual not in ("prorated", "anniversary"):
        raise FinanceInputError(f"annual must be 'prorated' or 'anniversary'; found {annual!r}")
    over = _overrun_by_category(overrun)

    go_ord = go.ordinal
    last_ord = go_ord + 12 * horizon_years - 1

    parsed = []
    records = ledger.to_dict("records")
    for row, rec in enumerate(records):
        category = str(rec["category"]).strip() if not _is_blank(rec["category"]) else ""
        if category not in CATEGORIES:
            raise _bad(
                row,
                "category",
                rec["category"],
                "unknown category",
                f"use one of {', '.join(CATEGORIES)}",
            )
        ctype = str(rec["type"]).strip() if not _is_blank(rec["type"]) else ""
        if ctype not in TYPES:
            raise _bad(row, "type", rec["type"], "unknown type", "use one_time or recurring")
        freq = str(rec["frequency"]).strip() if not _is_blank(rec["frequency"]) else ""
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
        if end is not None and end < start and freq != "once":
            raise _bad(
                row,
                "end",
                str(end),
                f"end is before start ({start})",
                "swap them, or leave end blank to run to the end of the horizon",
            )
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
                f"amount disagrees with hours x hourly_rate "
                f"({hours:g} x {rate:g} = {from_hours:g})",
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
        s_ord = start.ordinal
        e_ord = s_ord if freq == "once" else (end.ordinal if end is not None else last_ord)
        months, values = _charges(freq, amount * (1.0 + over[category]), s_ord, e_ord, annual)
        parsed.append((rec, category, ctype, freq, start, end, amount, months, values))

    first_ord = min([go_ord] + [p[7][0] for p in parsed if p[7].size])
    n_months = last_ord - first_ord + 1
    index = pd.period_range(pd.Period(ordinal=first_ord, freq="M"), periods=n_months, freq="M")
    n_pre = go_ord - first_ord

    matrix = np.zeros((len(parsed), n_months))
    after = np.zeros(len(parsed))
    for i, (*_, months, values) in enumerate(parsed):
        inside = months <= last_ord
        np.add.at(matrix[i], months[inside] - first_ord, values[inside])
        after[i] = values[~inside].sum()

    cats = [c for c in CATEGORIES if any(p[1] == c for p in parsed)]
    line_cats = np.array([p[1] for p in parsed], dtype=object)
    monthly = pd.DataFrame(
        {c: matrix[line_cats == c].sum(axis=0) for c in cats}, index=index, columns=cats
    )
    monthly.index.name = "month"

    years = [f"Year {k}" for k in range(1, horizon_years + 1)]
    line_initial = matrix[:, :n_pre].sum(axis=1)
    line_years = matrix[:, n_pre:].reshape(len(parsed), horizon_years, 12).sum(axis=2)

    lines = pd.DataFrame(
        {
            "item": [str(p[0]["item"]) for p in parsed],
            "category": [p[1] for p in parsed],
            "type": [p[2] for p in parsed],
            "frequency": [p[3] for p in parsed],
            "start": [p[4] for p in parsed],
            "end": [p[5] for p in parsed],
            "amount": [p[6] for p in parsed],
            "overrun": [over[p[1]] for p in parsed],
            "Initial": line_initial,
            **{y: line_years[:, k] for k, y in enumerate(years)},
            "total": line_initial + line_years.sum(axis=1),
            "after_horizon": after,
        }
    )

    # Per line: [Initial, Year 1..N], summed by category with numpy: a pandas groupby here
    # doubled the run time of the whole function.
    per_line = np.column_stack([line_initial, line_years])
    by_cat = np.array([per_line[line_cats == c].sum(axis=0) for c in cats]).reshape(
        len(cats), horizon_years + 1
    )
    body = np.vstack([by_cat, by_cat.sum(axis=0, keepdims=True)])
    body = np.column_stack([body, body.sum(axis=1)])
    yearly = pd.DataFrame(
        body,
        index=pd.Index([*cats, "Total"], name="category"),
        columns=["Initial", *years, "Total"],
    )

    totals = lines["total"].to_numpy()
    types = lines["type"].to_numpy(dtype=object)
    return CostSchedule(
        monthly=monthly,
        yearly=yearly,
        lines=lines,
        initial=float(line_initial.sum()),
        one_time_total=float(totals[types == "one_time"].sum()),
        recurring_total=float(totals[types == "recurring"].sum()),
        tco=float(totals.sum()),
        excluded_after_horizon=float(after.sum()),
        go_live=go,
        horizon_years=horizon_years,
        annual=annual,
    )


def _check_schedule(schedule: object) -> CostSchedule:
    if not isinstance(schedule, CostSchedule):
        raise FinanceInputError(
            f"schedule must come from cost_schedule(); found {type(schedule).__name__}"
        )
    return schedule


def yearly_cash_flows(schedule: CostSchedule) -> np.ndarray:
    """Costs per period for the finance core: ``[Initial, Year 1, ..., Year N]``.

    Parameters
    ----------
    schedule : CostSchedule

    Returns
    -------
    ndarray
        Shape ``(N + 1,)``, currency, costs as positive amounts (overrun included).
    """
    s = _check_schedule(schedule)
    return s.yearly.loc["Total", ["Initial", *s.year_labels]].to_numpy(dtype=float)


def monthly_cash_flows(schedule: CostSchedule) -> np.ndarray:
    """Costs per period by month: ``[Initial, Month 1, ..., Month 12N]``.

    Parameters
    ----------
    schedule : CostSchedule

    Returns
    -------
    ndarray
        Shape ``(12 N + 1,)``, currency, costs as positive amounts. ``Initial`` is
        everything before go-live; Month 1 is the go-live month.
    """
    s = _check_schedule(schedule)
    per_month = s.monthly.sum(axis=1).to_numpy(dtype=float)
    n_pre = len(per_month) - 12 * s.horizon_years
    return np.concatenate([[per_month[:n_pre].sum()], per_month[n_pre:]])


def tco_table(schedule: CostSchedule, currency: str) -> pd.DataFrame:
    """The TCO by category and year, labelled for display.

    Parameters
    ----------
    schedule : CostSchedule
    currency : str
        ISO 4217 code, named in the index title.

    Returns
    -------
    pandas.DataFrame
        Rows: categories in words ("Internal staff"), ``"Total"``, then ``"of which
        one-time"`` and ``"of which recurring"``; columns ``"Initial"``, ``"Year 1"`` ..
        ``"Year N"``, ``"Total"``; values in currency. The index is titled
        ``"Cost (<currency>)"``.
    """
    s = _check_schedule(schedule)
    columns = ["Initial", *s.year_labels]
    table = s.yearly.copy()
    split = s.lines.groupby("type")[columns].sum().reindex(list(TYPES), fill_value=0.0)
    split["Total"] = split[columns].sum(axis=1)
    table.loc["of which one-time"] = split.loc["one_time"]
    table.loc["of which recurring"] = split.loc["recurring"]
    table.index = [i.replace("_", " ").capitalize() if i in CATEGORIES else i for i in table.index]
    table.index.name = f"Cost ({currency})"
    return table
