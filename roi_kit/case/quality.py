"""Data-quality report of a case: gaps, duplicates, outliers, impossible and missing values.

Each check is a plain function on a DataFrame that returns a list of :class:`Finding`;
:func:`check_case` runs them all on a loaded case and scores the result. The checks do not
change or drop any data: they say what to look at, and the analyst decides.

Row numbers in findings are the DataFrame's index labels; tables read by :mod:`roi_kit.io.tables`
(and so every table of a loaded case) carry spreadsheet row numbers there (header = row 1).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd

from roi_kit.case.kpis import CATALOGUE

if TYPE_CHECKING:
    from roi_kit.case.config import Case

__all__ = [
    "Finding",
    "QualityReport",
    "SCORE_RULE",
    "SEVERITIES",
    "OUTLIER_THRESHOLD",
    "MIN_BASELINE_MONTHS",
    "quality_score",
    "robust_z",
    "find_missing_months",
    "find_duplicates",
    "find_outliers",
    "find_impossible_values",
    "find_missing_values",
    "find_control_gaps",
    "check_periods",
    "check_case",
    "format_report",
]

SEVERITIES = ("error", "warning", "info")

#: How the 0-100 score is computed; returned with every report.
SCORE_RULE = "start at 100; minus 25 per error, 5 per warning, 1 per info; floored at 0"
_PENALTY = {"error": 25, "warning": 5, "info": 1}

#: Robust z-score above which a value is flagged (Iglewicz & Hoaglin 1993).
OUTLIER_THRESHOLD = 3.5

#: Fewer baseline months than this cannot separate a season from the CRM's effect.
MIN_BASELINE_MONTHS = 12

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
        if self.severity not in SEVERITIES:
            # A programming error in the kit, not bad user input: a plain ValueError.
            raise ValueError(f"severity must be one of {SEVERITIES} (found {self.severity!r})")


def quality_score(findings: Iterable[Finding]) -> int:
    """Score 0-100 by :data:`SCORE_RULE`.

    Parameters
    ----------
    findings : iterable of Finding

    Returns
    -------
    int
        ``max(0, 100 - 25 * errors - 5 * warnings - 1 * infos)``.
    """
    return max(0, 100 - sum(_PENALTY[f.severity] for f in findings))


@dataclass(frozen=True)
class QualityReport:
    """All findings of a case, most severe first, with a score.

    Parameters
    ----------
    findings : tuple of Finding
    score : int
        0-100, computed by ``rule``.
    rule : str
        The scoring rule in words (:data:`SCORE_RULE`).
    """

    findings: tuple[Finding, ...]
    score: int
    rule: str = SCORE_RULE

    @property
    def has_errors(self) -> bool:
        """Whether any finding has severity ``"error"``."""
        return any(f.severity == "error" for f in self.findings)

    def count(self, severity: str) -> int:
        """Number of findings of one severity."""
        return sum(f.severity == severity for f in self.findings)

    def to_frame(self) -> pd.DataFrame:
        """The findings as a table: severity, check, table, column, rows, message."""
        columns = ["severity", "check", "table", "column", "rows", "message"]
        return pd.DataFrame(
            [[getattr(f, c) for c in columns] for f in self.findings], columns=columns
        )


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


def find_control_gaps(
    df: pd.DataFrame,
    *,
    group: str,
    treated: str,
    control: str,
    month: str = "month",
    table: str = "kpis",
) -> list[Finding]:
    """Months the treated group has but the control group lacks.

    Difference-in-differences compares the two groups month by month, so each month the
    control lacks is a month the comparison cannot use.

    Returns
    -------
    list of Finding
        A ``warning`` listing the months, or an ``error`` when the control group has none
        of the treated group's months.
    """
    labels = df[group].astype(str)
    treated_months = set(df.loc[labels == treated, month].dropna())
    control_months = set(df.loc[labels == control, month].dropna())
    missing = sorted(treated_months - control_months)
    if not missing:
        return []
    if len(missing) == len(treated_months):
        return [
            Finding(
                "error",
                "control_gaps",
                f"control group {control!r} has none of the months of {treated!r}; no "
                "comparison with a control group is possible",
                table,
                group,
            )
        ]
    return [
        Finding(
            "warning",
            "control_gaps",
            f"control group {control!r} lacks {len(missing)} month(s) that {treated!r} has: "
            f"{_listed([str(m) for m in missing])}; the control comparison leaves them out",
            table,
            group,
        )
    ]


def check_periods(
    months: Iterable[pd.Period],
    *,
    go_live: pd.Period,
    baseline: tuple[pd.Period, pd.Period],
    after: tuple[pd.Period, pd.Period] | None = None,
    kind: str = "review",
) -> list[Finding]:
    """Go-live against the data, and a baseline long enough to see a season.

    Parameters
    ----------
    months : iterable of pandas.Period
        The months with data (of the treated group, when there are groups).
    go_live : pandas.Period
    baseline : tuple of pandas.Period
        (start, end), inclusive.
    after : tuple of pandas.Period, optional
    kind : {"review", "projection"}

    Returns
    -------
    list of Finding
        ``error`` when go-live lies outside the data (a review needs data on both sides;
        a projection needs baseline data before it), ``info`` when a projection's go-live
        is more than one month after the data ends, ``warning`` when the baseline has
        fewer than :data:`MIN_BASELINE_MONTHS` months.
    """
    findings = []
    months = sorted(set(months))
    if months:
        first, last = months[0], months[-1]
        if kind == "review" and not first < go_live <= last:
            findings.append(
                Finding(
                    "error",
                    "go_live",
                    f"go-live {go_live} is outside the data ({first} to {last}); a review needs "
                    "months before and after go-live",
                    "case",
                    "go_live",
                )
            )
        elif kind == "projection":
            if go_live <= first:
                findings.append(
                    Finding(
                        "error",
                        "go_live",
                        f"go-live {go_live} is not after the first data month {first}; a "
                        "projection needs baseline months before go-live",
                        "case",
                        "go_live",
                    )
                )
            elif (go_live - last).n > 1:
                findings.append(
                    Finding(
                        "info",
                        "go_live",
                        f"go-live {go_live} is {(go_live - last).n - 1} month(s) after the last "
                        f"data month {last}; the baseline level is assumed to hold until then",
                        "case",
                        "go_live",
                    )
                )
    n_baseline = (baseline[1] - baseline[0]).n + 1
    if n_baseline < MIN_BASELINE_MONTHS:
        findings.append(
            Finding(
                "warning",
                "short_baseline",
                f"the baseline has {n_baseline} month(s), under {MIN_BASELINE_MONTHS}: a "
                "seasonal pattern cannot be told apart from the CRM's effect; use 12 months "
                "or more (24 is better)",
                "case",
                "baseline",
            )
        )
    return findings


_ORDER = {"error": 0, "warning": 1, "info": 2}


def check_case(case: Case) -> QualityReport:
    """Run every data-quality check on a loaded case.

    The checks: missing months and duplicates (kpis per group, adoption), outliers by
    robust z-score per KPI and group, impossible values, missing values per KPI, go-live
    against the data, baseline length, months the control group lacks, and whether the
    control group has baseline (and, for a review, after-period) data.

    Parameters
    ----------
    case : Case
        A case from :func:`roi_kit.case.config.load_case`.

    Returns
    -------
    QualityReport
        Findings sorted errors first; score by :data:`SCORE_RULE`: start at 100, minus 25
        per error, 5 per warning, 1 per info, floored at 0.
    """
    from roi_kit.case.config import kpi_columns

    findings: list[Finding] = []
    kpis = case.kpis
    group = case.groups.column if case.groups is not None else None
    key = ["month"] + ([group] if group else [])
    columns = kpi_columns(case)
    kinds = {c: k.kind for c, k in ((k.name, k) for k in CATALOGUE.values())}
    kinds.update({k.name: k.kind for k in case.custom_kpis})

    findings += find_missing_months(kpis, group=group, table="kpis")
    findings += find_duplicates(kpis, key, table="kpis")
    findings += find_impossible_values(kpis, table="kpis", kinds=kinds)
    findings += find_missing_values(kpis, columns, table="kpis")
    findings += find_outliers(kpis, columns, group=group, table="kpis")

    if case.groups is not None:
        spec = case.groups
        findings += find_control_gaps(
            kpis, group=spec.column, treated=spec.treated, control=spec.control
        )
        labels = kpis[spec.column].astype(str)
        treated_months = kpis.loc[labels == spec.treated, "month"]
        control_months = kpis.loc[labels == spec.control, "month"]
        periods = [("baseline", case.baseline)] + ([("after", case.after)] if case.after else [])
        for label, (start, end) in periods:
            if not ((control_months >= start) & (control_months <= end)).any():
                findings.append(
                    Finding(
                        "error",
                        "control_gaps",
                        f"control group {spec.control!r} has no data in the {label} period "
                        f"({start} to {end}); difference-in-differences needs both periods",
                        "kpis",
                        spec.column,
                    )
                )
        others = sorted(set(labels) - {spec.treated, spec.control})
        if others:
            findings.append(
                Finding(
                    "info",
                    "other_groups",
                    f"{spec.column} also holds {_listed(others)}; these rows are neither "
                    "treated nor control and are not used in comparisons",
                    "kpis",
                    spec.column,
                )
            )
    else:
        treated_months = kpis["month"]
    findings += check_periods(
        treated_months,
        go_live=case.go_live,
        baseline=case.baseline,
        after=case.after,
        kind=case.kind,
    )

    if case.adoption is not None:
        adoption = case.adoption
        findings += find_missing_months(adoption, table="adoption")
        findings += find_duplicates(adoption, ["month"], table="adoption")
        findings += find_impossible_values(adoption, table="adoption", kinds=_ADOPTION_KINDS)
        findings += find_missing_values(
            adoption, [c for c in _ADOPTION_KINDS if c in adoption.columns], table="adoption"
        )
    else:
        findings.append(
            Finding(
                "info",
                "no_adoption",
                "no adoption table: the rollout step cannot show active users per seat",
                "adoption",
            )
        )
    findings.sort(key=lambda f: _ORDER[f.severity])
    return QualityReport(tuple(findings), quality_score(findings), SCORE_RULE)


def format_report(report: QualityReport) -> str:
    """The report as plain text for the terminal.

    Parameters
    ----------
    report : QualityReport

    Returns
    -------
    str
        A score line with its rule, a count line, then one line per finding.
    """
    lines = [
        f"Data quality score: {report.score}/100 (rule: {report.rule})",
        f"{report.count('error')} error(s), {report.count('warning')} warning(s), "
        f"{report.count('info')} note(s)",
    ]
    if not report.findings:
        lines.append("No problems found.")
    for f in report.findings:
        where = ".".join(p for p in (f.table, f.column) if p)
        rows = f" rows {_listed(list(f.rows), 10)}" if f.rows else ""
        lines.append(f"{f.severity.upper():<8} {f.check:<17} {where}{rows}: {f.message}")
    return "\n".join(lines)
