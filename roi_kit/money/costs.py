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

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from roi_kit.case import CATEGORIES, FREQUENCIES, TYPES
from roi_kit.errors import FinanceInputError
from roi_kit.money.checks import whole_number
from roi_kit.money.cost_ledger import LedgerLine, check_ledger, ledger_lines

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


def _go_live_month(go_live: object) -> pd.Period:
    try:
        return go_live.asfreq("M") if isinstance(go_live, pd.Period) else pd.Period(go_live, "M")
    except (TypeError, ValueError) as exc:
        raise FinanceInputError(
            f"go_live must be a month like '2024-01'; found {go_live!r}"
        ) from exc


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


def _line_charges(
    lines: list[LedgerLine], over: Mapping[str, float], annual: str, last_ord: int
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per line: the months it is paid in (ordinals) and the amounts, overrun included."""
    charged = []
    for line in lines:
        s_ord = line.start.ordinal
        if line.frequency == "once":
            e_ord = s_ord
        else:
            e_ord = line.end.ordinal if line.end is not None else last_ord
        amount = line.amount * (1.0 + over[line.category])
        charged.append(_charges(line.frequency, amount, s_ord, e_ord, annual))
    return charged


def _month_matrix(
    charged: list[tuple[np.ndarray, np.ndarray]], first_ord: int, last_ord: int
) -> tuple[np.ndarray, np.ndarray]:
    """Lines x months (``first_ord`` .. ``last_ord``) and, per line, what falls after it."""
    matrix = np.zeros((len(charged), last_ord - first_ord + 1))
    after = np.zeros(len(charged))
    for i, (months, values) in enumerate(charged):
        inside = months <= last_ord
        np.add.at(matrix[i], months[inside] - first_ord, values[inside])
        after[i] = values[~inside].sum()
    return matrix, after


def _lines_table(
    lines: list[LedgerLine],
    over: Mapping[str, float],
    per_line: np.ndarray,
    after: np.ndarray,
    years: list[str],
) -> pd.DataFrame:
    """:attr:`CostSchedule.lines`; ``per_line`` columns are ``[Initial, Year 1..N]``."""
    return pd.DataFrame(
        {
            "item": [str(ln.item) for ln in lines],
            "category": [ln.category for ln in lines],
            "type": [ln.type for ln in lines],
            "frequency": [ln.frequency for ln in lines],
            "start": [ln.start for ln in lines],
            "end": [ln.end for ln in lines],
            "amount": [ln.amount for ln in lines],
            "overrun": [over[ln.category] for ln in lines],
            "Initial": per_line[:, 0],
            **{y: per_line[:, k + 1] for k, y in enumerate(years)},
            "total": per_line[:, 0] + per_line[:, 1:].sum(axis=1),
            "after_horizon": after,
        }
    )


def _yearly_table(
    per_line: np.ndarray, line_cats: np.ndarray, cats: list[str], years: list[str]
) -> pd.DataFrame:
    """:attr:`CostSchedule.yearly`: categories and Total by Initial, Year 1..N, Total."""
    # Summed by category with numpy: a pandas groupby here doubled the run time of the
    # whole schedule.
    by_cat = np.array([per_line[line_cats == c].sum(axis=0) for c in cats]).reshape(
        len(cats), len(years) + 1
    )
    body = np.vstack([by_cat, by_cat.sum(axis=0, keepdims=True)])
    body = np.column_stack([body, body.sum(axis=1)])
    return pd.DataFrame(
        body,
        index=pd.Index([*cats, "Total"], name="category"),
        columns=["Initial", *years, "Total"],
    )


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
    check_ledger(ledger)
    go = _go_live_month(go_live)
    horizon_years = whole_number(horizon_years, "horizon_years", minimum=1)
    if annual not in ("prorated", "anniversary"):
        raise FinanceInputError(f"annual must be 'prorated' or 'anniversary'; found {annual!r}")
    over = _overrun_by_category(overrun)
    lines = ledger_lines(ledger)

    go_ord = go.ordinal
    last_ord = go_ord + 12 * horizon_years - 1
    charged = _line_charges(lines, over, annual, last_ord)
    # The schedule starts at the earliest charge (pre-go-live months are the Initial column).
    first_ord = min([go_ord] + [months[0] for months, _ in charged if months.size])
    n_pre = go_ord - first_ord
    matrix, after = _month_matrix(charged, first_ord, last_ord)

    cats = [c for c in CATEGORIES if any(ln.category == c for ln in lines)]
    line_cats = np.array([ln.category for ln in lines], dtype=object)
    index = pd.period_range(
        pd.Period(ordinal=first_ord, freq="M"), periods=matrix.shape[1], freq="M"
    )
    monthly = pd.DataFrame(
        {c: matrix[line_cats == c].sum(axis=0) for c in cats}, index=index, columns=cats
    )
    monthly.index.name = "month"

    # Per line: [Initial, Year 1..N]; Year k is the k-th 12-month block from go-live.
    years = [f"Year {k}" for k in range(1, horizon_years + 1)]
    line_years = matrix[:, n_pre:].reshape(len(lines), horizon_years, 12).sum(axis=2)
    per_line = np.column_stack([matrix[:, :n_pre].sum(axis=1), line_years])
    table = _lines_table(lines, over, per_line, after, years)

    totals = table["total"].to_numpy()
    types = table["type"].to_numpy(dtype=object)
    return CostSchedule(
        monthly=monthly,
        yearly=_yearly_table(per_line, line_cats, cats, years),
        lines=table,
        initial=float(per_line[:, 0].sum()),
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
