"""The KPI catalogue: what each standard ``kpis.csv`` column means and which way is better.

The catalogue holds exactly the standard columns of the case-folder data contract
(``data/README.md``). A case can add its own KPIs under ``custom_kpis`` in ``case.yml``;
those become :class:`Kpi` objects too and are looked up with :func:`get_kpi`.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from roi_kit import formatting
from roi_kit.case.checks import _choice
from roi_kit.errors import CaseError

__all__ = [
    "Kpi",
    "CATALOGUE",
    "DIRECTIONS",
    "KINDS",
    "get_kpi",
    "is_improvement",
    "format_value",
    "unit_rule",
    "unit_weights",
    "aggregate_units",
]

#: Which way a KPI is better.
DIRECTIONS = ("higher", "lower")

#: The ``roi_kit.io.tables`` column kinds a KPI may be parsed as.
KINDS = ("money", "count", "fraction", "nonneg", "number")


@dataclass(frozen=True)
class Kpi:
    """One key performance indicator.

    Parameters
    ----------
    name : str
        Column name in ``kpis.csv`` (snake_case).
    label : str
        Human label for tables and plots.
    unit : str
        Unit of a value: ``"currency"`` (the case's currency), ``"count"``, ``"fraction"``
        (0-1, shown as a percentage), ``"days"``, ``"score"``, or any free text for a
        custom KPI (``"points"``).
    direction : {"higher", "lower"}
        Which way is an improvement.
    kind : {"money", "count", "fraction", "nonneg", "number"}
        The ``roi_kit.io.tables`` kind used to parse the column.
    description : str
        One sentence on what the column holds.
    """

    name: str
    label: str
    unit: str
    direction: str
    kind: str = "number"
    description: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise CaseError(f"a KPI needs a non-empty name (found {self.name!r})")
        # The case layer's one input-check idiom (roi_kit.case.checks), as in case.yml.
        _choice(self.direction, DIRECTIONS, f"KPI {self.name!r}: direction")
        _choice(self.kind, KINDS, f"KPI {self.name!r}: kind")


def _catalogue() -> Mapping[str, Kpi]:
    rows = [
        ("revenue", "Revenue", "currency", "higher", "money", "Revenue booked in the month."),
        ("deals_won", "Deals won", "count", "higher", "count", "Deals closed won in the month."),
        (
            "avg_deal_size",
            "Average deal size",
            "currency",
            "higher",
            "money",
            "Revenue divided by deals won.",
        ),
        ("win_rate", "Win rate", "fraction", "higher", "fraction", "Won / (won + lost)."),
        (
            "lead_conversion",
            "Lead conversion",
            "fraction",
            "higher",
            "fraction",
            "Share of leads that became opportunities.",
        ),
        (
            "sales_cycle_days",
            "Sales cycle",
            "days",
            "lower",
            "nonneg",
            "Median days from opportunity created to closed.",
        ),
        ("customers", "Customers", "count", "higher", "count", "Active customers at month end."),
        (
            "churned_customers",
            "Churned customers",
            "count",
            "lower",
            "count",
            "Customers lost in the month.",
        ),
        (
            "csat",
            "Customer satisfaction",
            "score",
            "higher",
            "number",
            "Customer satisfaction score (1-5 or 0-100 scale).",
        ),
        (
            "operating_cost",
            "Operating cost",
            "currency",
            "lower",
            "money",
            "Sales and service operating cost in the month.",
        ),
        (
            "acquisition_cost",
            "Acquisition cost",
            "currency",
            "lower",
            "money",
            "Cost to acquire one customer.",
        ),
    ]
    return MappingProxyType({r[0]: Kpi(*r) for r in rows})


#: The standard KPI columns of ``kpis.csv``, in the order of ``data/README.md``.
CATALOGUE: Mapping[str, Kpi] = _catalogue()


def get_kpi(name: str, custom: Iterable[Kpi] = ()) -> Kpi:
    """Look up a KPI by column name, in the catalogue or among a case's custom KPIs.

    Parameters
    ----------
    name : str
        The column name, e.g. ``"win_rate"``.
    custom : iterable of Kpi, optional
        The case's custom KPIs (``case.custom_kpis``).

    Returns
    -------
    Kpi

    Raises
    ------
    CaseError
        If the name is unknown; the message names the nearest known KPI.

    Examples
    --------
    >>> get_kpi("win_rate").direction
    'higher'
    """
    known = dict(CATALOGUE)
    for kpi in custom:
        known[kpi.name] = kpi
    if name in known:
        return known[name]
    near = difflib.get_close_matches(str(name), list(known), n=1, cutoff=0.6)
    hint = f"; did you mean {near[0]!r}?" if near else ""
    raise CaseError(
        f"unknown KPI {name!r}{hint} Known KPIs: {', '.join(known)}. "
        "Declare other columns under custom_kpis in case.yml."
    )


def is_improvement(change, direction: str):
    """Whether a KPI change is an improvement, element-wise.

    Parameters
    ----------
    change : float or array_like
        Change of the KPI (after minus before), in the KPI's unit or as a fraction.
    direction : {"higher", "lower"}
        The KPI's better direction.

    Returns
    -------
    bool or numpy.ndarray of bool
        ``True`` where the change goes the better way; a zero or NaN change is not an
        improvement. A scalar in gives a Python ``bool`` out.

    Examples
    --------
    >>> is_improvement([-2.0, 0.0, 3.0], "lower").tolist()
    [True, False, False]
    """
    _choice(direction, DIRECTIONS, "direction")
    values = np.asarray(change, dtype=float)
    # Comparisons with NaN are False, which is what we want: unknown is not an improvement.
    with np.errstate(invalid="ignore"):
        result = values > 0 if direction == "higher" else values < 0
    if result.ndim == 0:
        return bool(result)
    return result


def format_value(value: float | None, kpi: Kpi, currency: str = "") -> str:
    """Format a KPI value for display.

    Parameters
    ----------
    value : float or None
        The value in the KPI's unit (fractions as 0-1).
    kpi : Kpi
        The KPI, whose unit decides the format.
    currency : str, optional
        ISO 4217 code shown before currency amounts, e.g. ``"EUR"``.

    Returns
    -------
    str
        ``"EUR 1,234"`` for currency, ``"31.0%"`` for fractions, ``"42.5 days"``,
        ``"1,234"`` for counts, ``"4.20"`` for scores, ``"12.0 points"`` for a custom unit,
        ``"n/a"`` for a missing value.

    Examples
    --------
    >>> format_value(0.31, get_kpi("win_rate"))
    '31.0%'
    """
    if value is None:
        return "n/a"
    number = float(value)
    if math.isnan(number):
        return "n/a"
    unit = kpi.unit
    if unit == "currency":
        # The kit's one money format: sign before the currency code ("-EUR 54").
        return formatting.money(number, currency)
    if unit == "fraction":
        return formatting.percent(number)
    if unit == "days":
        return f"{number:,.1f} days"
    if unit == "count":
        # Small changes keep a decimal: "fell 0.6", not "fell 1" or "fell 0".
        small = 0 < abs(number) < 10 and not number.is_integer()
        return f"{number:,.1f}" if small else f"{number:,.0f}"
    if unit == "score":
        return f"{number:,.2f}"
    return f"{number:,.1f} {unit}".rstrip()


# --------------------------------------------------------------------------------------
# Units inside groups: how a KPI of several units adds up to the group's value


# Why these rules: a group's win rate is its won deals over its closed deals, not the mean
# of its reps' win rates (a rep with 1 deal would weigh as much as one with 50); likewise
# the average deal size is revenue over deals won. Amounts and counts add up. A KPI with no
# denominator in the table (csat, acquisition_cost, lead conversion, custom scores) is the
# plain mean over the units that have it, as data/README.md says.
_SUMMED_KINDS = ("money", "count")
_BY_DEALS = ("avg_deal_size", "sales_cycle_days")
_MEANS = ("acquisition_cost", "csat", "lead_conversion")


def unit_rule(kpi: Kpi) -> str:
    """How ``kpi`` of several units is combined into one group value.

    Returns
    -------
    str
        ``"sum"`` (amounts and counts), ``"deals"`` (weighted by ``deals_won``: average
        deal size, sales cycle), ``"closed"`` (win rate: weighted by closed deals,
        ``deals_won / win_rate``) or ``"mean"`` (no denominator in the table).

    Examples
    --------
    >>> unit_rule(CATALOGUE["win_rate"]), unit_rule(CATALOGUE["revenue"])
    ('closed', 'sum')
    """
    if kpi.name == "win_rate":
        return "closed"
    if kpi.name in _BY_DEALS:
        return "deals"
    if kpi.name in _MEANS or kpi.kind not in _SUMMED_KINDS:
        return "mean"
    return "sum"


def unit_weights(df, kpi: Kpi):
    """The weight of each unit row of ``kpi`` in its group value (a float Series).

    ``deals_won`` for ``"deals"``, closed deals ``deals_won / win_rate`` for ``"closed"`` (a
    row with no win makes no closed deal known, weight 0, unless ``deals_lost`` is in the
    table: then won + lost), 1 for ``"sum"`` and ``"mean"``.

    Raises
    ------
    CaseError
        The weight column (``deals_won``) is not in the table.
    """
    rule = unit_rule(kpi)
    if rule in ("sum", "mean"):
        return df[kpi.name].astype(float) * 0.0 + 1.0
    if "deals_won" not in df.columns:
        raise CaseError(
            f"{kpi.name} of several units is weighted by deals_won, which the table lacks; "
            f"add a deals_won column per unit, or give {kpi.name} per group (no unit column)"
        )
    won = df["deals_won"].astype(float)
    if rule == "deals":
        return won
    if "deals_lost" in df.columns:
        return won + df["deals_lost"].astype(float)
    rate = df[kpi.name].astype(float)
    return (won / rate.where(rate > 0)).fillna(0.0)


def aggregate_units(df, keys: list[str], kpis: Iterable[Kpi]):
    """Group totals of a unit table: one row per ``keys`` (month, group), KPIs combined.

    Parameters
    ----------
    df : pandas.DataFrame
        Unit rows: the ``keys`` columns, a unit column and the KPI columns.
    keys : list of str
        The columns that identify a group row (``["month", "region"]``).
    kpis : iterable of Kpi
        The KPI columns to combine, each by :func:`unit_rule` (missing cells are skipped;
        a group month with no value stays missing).

    Returns
    -------
    pandas.DataFrame
        ``keys`` then the KPIs, sorted by ``keys``.

    Examples
    --------
    Two reps in one month: 2 wins of 4 closed deals and 1 win of 1; the group's win rate is
    3 / 5 = 0.6, not the mean 0.75 of the reps' rates.

    >>> import pandas as pd
    >>> t = pd.DataFrame({"month": ["2024-01"] * 2, "rep": ["a", "b"], "deals_won": [2, 1],
    ...                   "win_rate": [0.5, 1.0]})
    >>> aggregate_units(t, ["month"], [CATALOGUE["deals_won"], CATALOGUE["win_rate"]])
         month  deals_won  win_rate
    0  2024-01        3.0       0.6
    """
    out = None
    for kpi in kpis:
        value = df[kpi.name].astype(float)
        weight = unit_weights(df, kpi).where(value.notna(), 0.0)
        rule = unit_rule(kpi)
        parts = df[keys].assign(
            _x=(value * weight).fillna(0.0), _w=weight, _n=value.notna().astype(float)
        )
        sums = parts.groupby(keys, sort=True)[["_x", "_w", "_n"]].sum()
        if rule == "sum":
            combined = sums["_x"].where(sums["_n"] > 0)
        else:
            combined = sums["_x"] / sums["_w"].where(sums["_w"] > 0)
        column = combined.rename(kpi.name)
        out = column.to_frame() if out is None else out.join(column)
    return out.reset_index()
