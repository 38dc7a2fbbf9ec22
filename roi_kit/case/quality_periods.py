"""The study-design checks: go-live against the data, baseline length, control-group months.

The value checks of :mod:`roi_kit.case.quality_checks` look at each table alone; these
look at whether the data can answer the study's question: months on both sides of go-live,
a baseline long enough to see a season, and a control group with the treated group's
months. Both return :class:`~roi_kit.case.quality_checks.Finding` lists.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from roi_kit.case.checks import _choice
from roi_kit.case.quality_checks import Finding, _listed, _rows

__all__ = [
    "MIN_BASELINE_MONTHS",
    "find_control_gaps",
    "check_periods",
    "find_cost_dates",
    "find_adoption_coverage",
]

#: Fewer baseline months than this cannot separate a season from the CRM's effect.
MIN_BASELINE_MONTHS = 12


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

    Parameters
    ----------
    df : pandas.DataFrame
        The KPI table with both groups' rows.
    group : str
        The column naming each row's group.
    treated, control : str
        The group labels (compared as text).
    month : str
        The month column.
    table : str
        Table name for the findings.

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

    Raises
    ------
    CaseError
        If ``kind`` is neither ``"review"`` nor ``"projection"`` (it would silently skip
        the go-live checks).
    """
    _choice(kind, ("review", "projection"), "check_periods(kind=...)")
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


def find_cost_dates(
    costs: pd.DataFrame,
    *,
    go_live: pd.Period,
    horizon_years: int,
    baseline_start: pd.Period,
    file: str = "costs.csv",
) -> list[Finding]:
    """Cost lines the TCO leaves out (after the horizon) or moves (before the baseline).

    The cost schedule (:mod:`roi_kit.money.costs`) charges each line to its months: a
    line whose first charge falls after the last horizon month (``go_live`` + 12 x
    ``horizon_years`` - 1) is left out of the TCO and ROI entirely, and anything dated
    before go-live is summed into the undiscounted Initial column, however early. Both are
    what the kit documents; these findings say where it happens, so neither is silent.

    Parameters
    ----------
    costs : pandas.DataFrame
        The ledger as :func:`roi_kit.case.load_case` reads it (index: spreadsheet rows).
    go_live : pandas.Period
    horizon_years : int
    baseline_start : pandas.Period
        First baseline month: a cost before it is most likely a wrong year.
    file : str
        File name for the messages.

    Returns
    -------
    list of Finding
        ``warning`` findings (check ``cost_dates``) naming the rows and what the kit does
        with them.
    """
    if "start" not in costs.columns:
        return []
    last = go_live + (12 * horizon_years - 1)
    start = costs["start"]
    findings = []
    late = costs[start.notna() & (start > last)]
    if len(late):
        findings.append(
            Finding(
                "warning",
                "cost_dates",
                f"{file}: {len(late)} cost line(s) start after the horizon ends ({last}: "
                f"go_live {go_live} + {horizon_years} year(s)); they are left out of the TCO "
                "and the ROI. Correct the start month, or raise horizon_years to include them",
                "costs",
                "start",
                _rows(late.index),
            )
        )
    early = costs[start.notna() & (start < baseline_start)]
    if len(early):
        findings.append(
            Finding(
                "warning",
                "cost_dates",
                f"{file}: {len(early)} cost line(s) start before the baseline "
                f"({_listed([str(m) for m in early['start']])}, baseline from "
                f"{baseline_start}); like every cost before go-live they are counted in "
                "Initial (t = 0, undiscounted). Check the year",
                "costs",
                "start",
                _rows(early.index),
            )
        )
    return findings


def find_adoption_coverage(
    adoption: pd.DataFrame,
    *,
    after: tuple[pd.Period, pd.Period] | None,
    file: str = "adoption.csv",
) -> list[Finding]:
    """Whether the adoption table covers a review's after period, the months it is used for.

    A review's productivity benefit and adoption rate use the active users of the after
    period only. An adoption table with none of those months has nothing to use (the model
    would fall back to rows from other months), so it is an error; one that covers part of
    the period, or has months outside it, is used for the months it covers, as said here.

    Parameters
    ----------
    adoption : pandas.DataFrame
        The adoption table (``month`` as ``Period[M]``; index: spreadsheet rows).
    after : tuple of pandas.Period or None
        The review's after period; None for a projection (nothing to check).
    file : str
        File name for the messages.

    Returns
    -------
    list of Finding
        An ``error`` (no after-period month), a ``warning`` (part of the period missing) or
        an ``info`` (months outside the period, not used), check ``adoption_period``.
    """
    if after is None or "month" not in adoption.columns or not len(adoption):
        return []
    start, end = after
    months = adoption["month"]
    inside = (months >= start) & (months <= end)
    covered = f"{file} has {months.min()} to {months.max()}"
    if not inside.any():
        return [
            Finding(
                "error",
                "adoption_period",
                f"{covered}, none of the after period {start} to {end}: the active users of "
                "those months are what the productivity benefit uses. Add those months or "
                "correct the dates",
                "adoption",
                "month",
            )
        ]
    findings = []
    n_after = (end - start).n + 1
    n_inside = int(months[inside].nunique())
    if n_inside < n_after:
        findings.append(
            Finding(
                "warning",
                "adoption_period",
                f"{covered}, {n_inside} of the {n_after} after-period months ({start} to "
                f"{end}): adoption and the productivity benefit use those {n_inside} months "
                "only. Add the missing months",
                "adoption",
                "month",
            )
        )
    outside = adoption[~inside]
    if len(outside):
        findings.append(
            Finding(
                "info",
                "adoption_period",
                f"{file}: {len(outside)} month(s) outside the after period ({start} to "
                f"{end}) are shown in the rollout step but not used for the adoption rate "
                "or the productivity benefit",
                "adoption",
                "month",
                _rows(outside.index),
            )
        )
    return findings
