"""The value checks of the data-quality report: each returns a list of :class:`Finding`.

Missing months, duplicate keys, outliers by robust z-score, impossible values and missing
values, each on one table; the study-design checks (go-live, baseline, control-group months)
are in :mod:`roi_kit.case.quality_periods`. No check changes or drops data: they say what to
look at, and the analyst decides. :mod:`roi_kit.case.quality` runs them all on a loaded case
and scores the result.

Row numbers in findings are the DataFrame's index labels; tables read by :mod:`roi_kit.io.tables`
(and so every table of a loaded case) carry spreadsheet row numbers there (header = row 1).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from roi_kit.case.checks import _choice
from roi_kit.case.kpis import CATALOGUE

__all__ = [
    "Finding",
    "SEVERITIES",
    "OUTLIER_THRESHOLD",
    "robust_z",
    "find_missing_months",
    "find_duplicates",
    "find_outliers",
    "find_impossible_values",
    "find_missing_values",
    "MAX_MAGNITUDE",
    "find_too_large",
    "find_cost_problems",
]

SEVERITIES = ("error", "warning", "info")

#: Robust z-score above which a value is flagged (Iglewicz & Hoaglin 1993).
OUTLIER_THRESHOLD = 3.5

#: The largest size (absolute value) of any number the kit computes with: a money amount,
#: a count or a rate per hour. Far above any real CRM budget or monthly revenue (1e12 is a
#: million million), and far enough below the float limit (about 1.8e308) that sums over
#: months, years and Monte Carlo draws cannot overflow into infinity or NaN.
MAX_MAGNITUDE = 1e12

# Columns of adoption.csv, which the KPI catalogue does not hold.
_ADOPTION_KINDS = {"licensed_users": "count", "active_users": "count", "trained_users": "count"}


@dataclass(frozen=True)
class Finding:
    """One thing the data-quality report wants the analyst to look at.

    Parameters
    ----------
    severity : {"error", "warning", "info"}
        ``error``: results would be wrong; ``warning``: results may mislead;
        ``info``: worth knowing.
    check : str
        Which check found it (``"outlier"``, ``"missing_months"``...).
    message : str
        What was found, in plain words, with the fix where there is one.
    table : str
        ``"kpis"``, ``"costs"``, ``"adoption"`` or ``"case"``.
    column : str
        The column concerned, or ``""``.
    rows : tuple of int
        Row labels concerned (spreadsheet row numbers for tables read by the kit).
    """

    severity: str
    check: str
    message: str
    table: str = ""
    column: str = ""
    rows: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        # Finding is public (roi_kit.case.Finding): a notebook's own check can build one, so
        # a bad severity is the user's to fix and raises the case layer's CaseError (a
        # ValueError too, so callers catching ValueError still catch it).
        _choice(self.severity, SEVERITIES, "Finding.severity")


def _rows(index: Iterable) -> tuple[int, ...]:
    out = []
    for label in index:
        try:
            out.append(int(label))
        except (TypeError, ValueError):
            continue
    return tuple(out)


def _listed(items: Sequence[object], limit: int = 12) -> str:
    text = ", ".join(str(i) for i in items[:limit])
    return text + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _groups(df: pd.DataFrame, group: str | None) -> list[tuple[str, pd.DataFrame]]:
    if group is None or group not in df.columns:
        return [("", df)]
    return [(str(g), part) for g, part in df.groupby(group, sort=True)]


def _label(group_value: str, group: str | None) -> str:
    return f" for {group} {group_value!r}" if group_value else ""


def robust_z(values: npt.ArrayLike) -> np.ndarray:
    """Modified z-score of each value: ``|x - median| / (1.4826 * MAD)``.

    Parameters
    ----------
    values : array_like of float
        The series; NaN values get NaN and are left out of the median and MAD.

    Returns
    -------
    numpy.ndarray of float
        Robust z-scores (>= 0). 1.4826 scales the median absolute deviation (MAD) to the
        standard deviation for normal data. When MAD is 0 (more than half the values are
        equal) the mean absolute deviation times 1.2533 is used instead (the same scaling
        for the mean deviation); when that is 0 too, every value is equal and all scores
        are 0.

    References
    ----------
    B. Iglewicz and D. C. Hoaglin, *How to Detect and Handle Outliers*, ASQC Quality
    Press, 1993 (modified z-score, threshold 3.5).

    Examples
    --------
    >>> robust_z([1.0, 2.0, 3.0]).round(3).tolist()
    [0.674, 0.0, 0.674]
    """
    x = np.asarray(values, dtype=float)
    out = np.full(x.shape, np.nan)
    ok = ~np.isnan(x)
    if not ok.any():
        return out
    centre = np.median(x[ok])
    deviation = np.abs(x[ok] - centre)
    scale = 1.4826 * np.median(deviation)
    if scale == 0:
        scale = 1.2533 * np.mean(deviation)
    out[ok] = 0.0 if scale == 0 else deviation / scale
    return out


def find_missing_months(
    df: pd.DataFrame, *, month: str = "month", group: str | None = None, table: str = "kpis"
) -> list[Finding]:
    """Months missing between the first and last month (per group).

    Parameters
    ----------
    df : pandas.DataFrame
        A table with a monthly ``Period`` column.
    month : str
        The month column.
    group : str, optional
        Check each value of this column separately.
    table : str
        Table name for the findings.

    Returns
    -------
    list of Finding
        One ``error`` per group with gaps, listing the missing months.
    """
    findings = []
    for value, part in _groups(df, group):
        present = set(pd.PeriodIndex(part[month].dropna(), freq="M"))
        if not present:
            continue
        full = pd.period_range(min(present), max(present), freq="M")
        missing = [str(p) for p in full if p not in present]
        if missing:
            findings.append(
                Finding(
                    "error",
                    "missing_months",
                    f"{len(missing)} month(s) missing{_label(value, group)}: {_listed(missing)}; "
                    "add a row per month (leave unknown KPI cells empty)",
                    table,
                    month,
                )
            )
    return findings


def find_duplicates(df: pd.DataFrame, key: Sequence[str], *, table: str = "kpis") -> list[Finding]:
    """Rows sharing the same key (e.g. the same month, or month and group).

    Parameters
    ----------
    df : pandas.DataFrame
    key : sequence of str
        The columns that together must be unique; absent ones are left out of the key
        (no key column present: nothing to check).
    table : str
        Table name for the findings.

    Returns
    -------
    list of Finding
        One ``error`` per duplicated key value, citing all rows that share it.
    """
    key = [k for k in key if k in df.columns]
    if not key:
        return []
    dup = df[df.duplicated(key, keep=False)]
    findings = []
    for values, part in dup.groupby(key, sort=True):
        values = values if isinstance(values, tuple) else (values,)
        what = ", ".join(f"{k} {v}" for k, v in zip(key, values))
        findings.append(
            Finding(
                "error",
                "duplicate",
                f"{len(part)} rows have {what}; keep one row per {' and '.join(key)}",
                table,
                key[0],
                _rows(part.index),
            )
        )
    return findings


def find_outliers(
    df: pd.DataFrame,
    columns: Iterable[str],
    *,
    group: str | None = None,
    threshold: float = OUTLIER_THRESHOLD,
    month: str = "month",
    table: str = "kpis",
    min_values: int = 5,
) -> list[Finding]:
    """Values far from the rest of their series by robust z-score (see :func:`robust_z`).

    Parameters
    ----------
    df : pandas.DataFrame
    columns : iterable of str
        Numeric columns to check; absent ones are skipped.
    group : str, optional
        Check each group's series separately (a large region is not an outlier of a
        small one).
    threshold : float, default 3.5
        Flag ``robust_z > threshold`` (Iglewicz & Hoaglin).
    month : str
        Month column, used to name the months in the message.
    table : str
    min_values : int, default 5
        Series with fewer non-missing values are not checked: a median of three says
        little.

    Returns
    -------
    list of Finding
        One ``warning`` per column and group with outliers, citing their rows.
    """
    findings = []
    for column in columns:
        if column not in df.columns:
            continue
        for value, part in _groups(df, group):
            series = pd.to_numeric(part[column], errors="coerce").astype(float)
            if series.notna().sum() < min_values:
                continue
            z = robust_z(series.to_numpy())
            flagged = part[np.nan_to_num(z, nan=0.0) > threshold]
            if flagged.empty:
                continue
            when = ([str(m) for m in flagged[month]] if month in flagged.columns else []) or [
                str(i) for i in flagged.index
            ]
            findings.append(
                Finding(
                    "warning",
                    "outlier",
                    f"{column}{_label(value, group)}: {len(flagged)} value(s) far from the rest "
                    f"(robust z > {threshold:g}) in {_listed(when)}; check them for typos, "
                    "one-off events or a change of definition",
                    table,
                    column,
                    _rows(flagged.index),
                )
            )
    return findings


def find_impossible_values(
    df: pd.DataFrame, *, table: str = "kpis", kinds: Mapping[str, str] | None = None
) -> list[Finding]:
    """Values that cannot be true: fractions outside 0-1, negative counts, active > licensed.

    Parameters
    ----------
    df : pandas.DataFrame
    table : str
    kinds : Mapping[str, str], optional
        Column -> ``roi_kit.io.tables`` kind (``"fraction"``, ``"count"``, ``"nonneg"``...).
        Default: the KPI catalogue's kinds and the adoption columns (counts).

    Returns
    -------
    list of Finding
        ``error`` findings, one per column and problem.
    """
    if kinds is None:
        kinds = {**{k.name: k.kind for k in CATALOGUE.values()}, **_ADOPTION_KINDS}
    findings = []
    for column, kind in kinds.items():
        if column not in df.columns:
            continue
        values = pd.to_numeric(df[column], errors="coerce").astype(float)
        if kind == "fraction":
            bad = values[(values < 0) | (values > 1)]
            problem = "outside 0-1, but it is a share (write 12% as 0.12)"
        elif kind in ("count", "nonneg"):
            bad = values[values < 0]
            problem = "negative, but it cannot be below zero"
        else:
            continue
        if len(bad):
            findings.append(
                Finding(
                    "error",
                    "impossible_value",
                    f"{column}: {len(bad)} value(s) {problem}",
                    table,
                    column,
                    _rows(bad.index),
                )
            )
        if kind == "count":
            frac = values[(values >= 0) & (values != np.floor(values))]
            if len(frac):
                findings.append(
                    Finding(
                        "error",
                        "impossible_value",
                        f"{column}: {len(frac)} value(s) not whole numbers, but it counts things",
                        table,
                        column,
                        _rows(frac.index),
                    )
                )
    if {"active_users", "licensed_users"} <= set(df.columns):
        active = pd.to_numeric(df["active_users"], errors="coerce").astype(float)
        licensed = pd.to_numeric(df["licensed_users"], errors="coerce").astype(float)
        over = df[active > licensed]
        if len(over):
            findings.append(
                Finding(
                    "error",
                    "impossible_value",
                    f"active_users exceeds licensed_users in {len(over)} row(s); more people "
                    "cannot use the CRM than have a seat (check the columns are not swapped)",
                    table,
                    "active_users",
                    _rows(over.index),
                )
            )
    return findings


def find_missing_values(
    df: pd.DataFrame, columns: Iterable[str], *, table: str = "kpis"
) -> list[Finding]:
    """Empty cells per column.

    Parameters
    ----------
    df : pandas.DataFrame
    columns : iterable of str
        Columns to check; absent ones are skipped.
    table : str
        Table name for the findings.

    Returns
    -------
    list of Finding
        One ``warning`` per column with empty cells (citing the rows), saying when the
        column is empty throughout.
    """
    findings = []
    for column in columns:
        if column not in df.columns:
            continue
        empty = df[df[column].isna()]
        if empty.empty:
            continue
        if len(empty) == len(df):
            message = f"{column}: every value is empty; fill it in or delete the column"
        else:
            message = (
                f"{column}: {len(empty)} of {len(df)} value(s) empty; comparisons use the "
                "months that have a value"
            )
        findings.append(
            Finding("warning", "missing_values", message, table, column, _rows(empty.index))
        )
    return findings


def find_too_large(
    df: pd.DataFrame,
    columns: Iterable[str],
    *,
    table: str,
    file: str = "",
    limit: float = MAX_MAGNITUDE,
) -> list[Finding]:
    """Numbers too large for the model: beyond ``limit`` its sums would overflow.

    Parameters
    ----------
    df : pandas.DataFrame
    columns : iterable of str
        Numeric columns to check; absent ones are skipped.
    table : str
        Table name for the findings.
    file : str
        File name for the messages (``"kpis.csv"``).
    limit : float, default :data:`MAX_MAGNITUDE`
        Largest allowed absolute value, in the column's unit.

    Returns
    -------
    list of Finding
        One ``error`` (check ``too_large``) per column with such values, citing the rows.

    Examples
    --------
    >>> df = pd.DataFrame({"revenue": [1.0, 2e300]}, index=[2, 3])
    >>> [(f.check, f.rows) for f in find_too_large(df, ["revenue"], table="kpis")]
    [('too_large', (3,))]
    """
    where = f"{file}: " if file else ""
    findings = []
    for column in columns:
        if column not in df.columns:
            continue
        values = pd.to_numeric(df[column], errors="coerce").astype(float)
        bad = values[values.abs() > limit]
        if len(bad):
            findings.append(
                Finding(
                    "error",
                    "too_large",
                    f"{where}{column}: {len(bad)} value(s) larger than {limit:g} in size "
                    f"(first {bad.iloc[0]:g}); the ROI model would overflow. Check the unit "
                    "and the decimal mark (amounts in currency units, not cents)",
                    table,
                    column,
                    _rows(bad.index),
                )
            )
    return findings


def _cost_amounts(costs: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Per ledger row: the amount as written and hours x hourly_rate (NaN when absent)."""
    nan = pd.Series(np.nan, index=costs.index)

    def col(name: str) -> pd.Series:
        if name not in costs.columns:
            return nan
        return pd.to_numeric(costs[name], errors="coerce").astype(float)

    return col("amount"), col("hours") * col("hourly_rate")


def find_cost_problems(
    costs: pd.DataFrame,
    *,
    file: str = "costs.csv",
    last_month: pd.Period | None = None,
    scenarios: Mapping[str, Mapping] | None = None,
) -> list[Finding]:
    """The cost ledger's rules that the cost schedule enforces, as ``error`` findings.

    The same rules as :func:`roi_kit.money.cost_ledger.ledger_lines` (which the case layer
    cannot import): an amount is not negative, agrees with ``hours x hourly_rate`` when
    both are given and is not too large for the model, every line has a start month, and
    there is a cost to divide by - in the ledger and in every scenario. Checked here so
    that ``roi-kit validate`` reports them all at once, with the file, before ``summary``
    or ``report`` stop at the first.

    Parameters
    ----------
    costs : pandas.DataFrame
        The ledger as :func:`roi_kit.case.load_case` reads it (index: spreadsheet rows).
    file : str
        File name for the messages.
    last_month : pandas.Period, optional
        The last month of the horizon: lines starting later cost nothing in the TCO.
    scenarios : Mapping, optional
        ``case.scenarios``: a scenario whose cost multipliers (category, else ``all``)
        are 0 for every line with a cost leaves nothing to divide by.

    Returns
    -------
    list of Finding
        ``error`` findings (checks ``cost_value``, ``too_large``, ``no_costs``), one per
        rule broken.
    """
    amount, from_hours = _cost_amounts(costs)
    findings = []

    def add(check: str, mask: pd.Series, column: str, message: str) -> None:
        if mask.any():
            rows = _rows(costs.index[mask.to_numpy()])
            findings.append(Finding("error", check, f"{file}: {message}", "costs", column, rows))

    negative = amount < 0
    add(
        "cost_value",
        negative,
        "amount",
        f"{int(negative.sum())} amount(s) negative; costs are positive amounts: record a "
        "credit or refund as a benefit, or subtract it from the line it belongs to",
    )
    differs = amount.notna() & from_hours.notna() & ~np.isclose(amount, from_hours, rtol=1e-9)
    add(
        "cost_value",
        differs,
        "amount",
        f"{int(differs.sum())} amount(s) disagree with hours x hourly_rate; give either the "
        "amount or hours and hourly_rate, not both",
    )
    if "start" in costs.columns:
        add(
            "cost_value",
            costs["start"].isna(),
            "start",
            "a start month is blank; write the first month each cost is paid, as YYYY-MM",
        )
    total = amount.where(amount.notna(), from_hours)
    add(
        "too_large",
        amount.isna() & (from_hours.abs() > MAX_MAGNITUDE),
        "hours",
        f"hours x hourly_rate is larger than {MAX_MAGNITUDE:g}; the ROI model would overflow. "
        "Check the units (hours per occurrence, currency per hour)",
    )
    paid = total > 0
    if last_month is not None and "start" in costs.columns:
        paid &= ~(costs["start"] > last_month).fillna(False).astype(bool)
    findings += _zero_cost_findings(costs, paid, file, scenarios or {})
    return findings


def _zero_cost_findings(
    costs: pd.DataFrame, paid: pd.Series, file: str, scenarios: Mapping[str, Mapping]
) -> list[Finding]:
    """An error when no line costs anything in the horizon, in the case or in a scenario."""
    if not paid.any():
        return [
            Finding(
                "error",
                "no_costs",
                f"{file}: no line has a cost inside the horizon; ROI divides by the cost of "
                "the CRM, so add its costs (licences, implementation, training, staff time)",
                "costs",
                "amount",
            )
        ]
    findings = []
    categories = costs.loc[paid, "category"].astype(str) if "category" in costs.columns else None
    for name, body in scenarios.items():
        factors = body.get("costs")
        if not factors or categories is None:
            continue
        # A category's multiplier overrides "all", as the scenarios apply them.
        if all(factors.get(c, factors.get("all", 1.0)) == 0 for c in categories):
            findings.append(
                Finding(
                    "error",
                    "no_costs",
                    f"case.yml scenarios.{name}.costs: the multipliers make every cost in {file} "
                    "zero; ROI divides by the cost. Use a multiplier above 0 (1.2 = 20% more)",
                    "case",
                    "scenarios",
                )
            )
    return findings
