"""Data-quality report of a case: every check run, the findings sorted, a 0-100 score.

:func:`check_case` runs the value checks of :mod:`roi_kit.case.quality_checks` (gaps,
duplicates, outliers, impossible and missing values) and the design checks of
:mod:`roi_kit.case.quality_periods` (go-live, baseline, control-group months) on a loaded
case and scores the result by :data:`SCORE_RULE`; :func:`format_report` prints it. The
checks and :class:`Finding` are re-exported here: ``roi_kit.case.quality`` still offers
every name it offered before the split.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from roi_kit.case.kpis import CATALOGUE
from roi_kit.case.quality_checks import (
    _ADOPTION_KINDS,
    OUTLIER_THRESHOLD,
    SEVERITIES,
    Finding,
    _listed,
    find_cost_problems,
    find_duplicates,
    find_impossible_values,
    find_missing_months,
    find_missing_values,
    find_outliers,
    find_too_large,
    robust_z,
)
from roi_kit.case.quality_periods import (
    MIN_BASELINE_MONTHS,
    check_periods,
    find_adoption_coverage,
    find_control_gaps,
    find_cost_dates,
)

if TYPE_CHECKING:
    from roi_kit.case.types import Case, GroupSpec

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


#: How the 0-100 score is computed; returned with every report.
SCORE_RULE = "start at 100; minus 25 per error, 5 per warning, 1 per info; floored at 0"
_PENALTY = {"error": 25, "warning": 5, "info": 1}


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


_ORDER = {"error": 0, "warning": 1, "info": 2}


def check_case(case: Case) -> QualityReport:
    """Run every data-quality check on a loaded case.

    The checks: missing months and duplicates (kpis per group, adoption), outliers by
    robust z-score per KPI and group, impossible values, missing values per KPI, go-live
    against the data, baseline length, months the control group lacks, and whether the
    control group has baseline (and, for a review, after-period) data. Then the rules the
    ROI model enforces, so that a case with no error finding also runs through
    ``summary`` and ``report``: numbers too large for the model, the cost ledger's rules
    (no negative amount, amount = hours x hourly_rate, a start month, some cost at all),
    and the adoption table against a review's after period. What the kit uses in a
    particular way is said too: cost lines after the horizon (left out) or before the
    baseline (counted in Initial), adoption months outside the after period (not used) and
    text columns of kpis.csv kept aside.

    Parameters
    ----------
    case : Case
        A case from :func:`roi_kit.case.load_case`.

    Returns
    -------
    QualityReport
        Findings sorted errors first; score by :data:`SCORE_RULE`: start at 100, minus 25
        per error, 5 per warning, 1 per info, floored at 0.
    """
    findings = _kpi_findings(case)
    if case.groups is not None:
        group_findings, treated_months = _group_findings(case, case.groups)
        findings += group_findings
    else:
        treated_months = case.kpis["month"]
    findings += check_periods(
        treated_months,
        go_live=case.go_live,
        baseline=case.baseline,
        after=case.after,
        kind=case.kind,
    )
    findings += _adoption_findings(case)
    findings += _cost_findings(case)
    # A stable sort: within a severity the findings keep the order the checks ran in.
    findings.sort(key=lambda f: _ORDER[f.severity])
    return QualityReport(tuple(findings), quality_score(findings), SCORE_RULE)


def _kpi_findings(case: Case) -> list[Finding]:
    """Gaps, duplicates, impossible, missing and outlying values of kpis.csv."""
    from roi_kit.case.load import kpi_columns  # imported here: load imports the io readers

    kpis = case.kpis
    group = case.groups.column if case.groups is not None else None
    key = ["month"] + ([group] if group else [])
    columns = kpi_columns(case)
    kinds = {c: k.kind for c, k in ((k.name, k) for k in CATALOGUE.values())}
    kinds.update({k.name: k.kind for k in case.custom_kpis})

    findings: list[Finding] = []
    findings += find_missing_months(kpis, group=group, table="kpis")
    findings += find_duplicates(kpis, key, table="kpis")
    findings += find_impossible_values(kpis, table="kpis", kinds=kinds)
    findings += find_missing_values(kpis, columns, table="kpis")
    findings += find_outliers(kpis, columns, group=group, table="kpis")
    findings += find_too_large(kpis, columns, table="kpis", file=_file(case, "kpis"))
    findings += _set_aside_findings(case)
    return findings


def _file(case: Case, role: str) -> str:
    """The file name of one of the case's tables, for messages (``"kpis.csv"``)."""
    path = case.files.get(role)
    return path.name if path is not None else f"{role}.csv"


def _set_aside_findings(case: Case) -> list[Finding]:
    """An ``info`` per text column of kpis.csv that the loader kept aside (not a KPI)."""
    findings = []
    for header, example in dict(case.kpis.attrs.get("set_aside", {})).items():
        findings.append(
            Finding(
                "info",
                "text_column",
                f"{_file(case, 'kpis')}: column {header!r} holds text (e.g. {example!r}), not "
                "numbers: it is not a KPI, so it is kept aside and not used",
                "kpis",
                str(header),
            )
        )
    return findings


def _cost_findings(case: Case) -> list[Finding]:
    """The cost ledger's rules, its numbers' size, and lines the TCO moves or leaves out."""
    costs, file = case.costs, _file(case, "costs")
    last = case.go_live + (12 * case.horizon_years - 1)
    findings = find_cost_problems(costs, file=file, last_month=last, scenarios=case.scenarios)
    findings += find_too_large(costs, ("amount", "hours", "hourly_rate"), table="costs", file=file)
    findings += find_cost_dates(
        costs,
        go_live=case.go_live,
        horizon_years=case.horizon_years,
        baseline_start=case.baseline[0],
        file=file,
    )
    return findings


def _group_findings(case: Case, spec: GroupSpec) -> tuple[list[Finding], pd.Series]:
    """The control group's gaps and periods, rows in neither group, and the treated months.

    ``spec`` is ``case.groups`` (a case without groups has no control to check); the
    treated group's months are returned for :func:`check_periods`.
    """
    kpis = case.kpis
    labels = kpis[spec.column].astype(str)
    treated_months = kpis.loc[labels == spec.treated, "month"]
    periods = [("baseline", case.baseline)] + ([("after", case.after)] if case.after else [])
    findings: list[Finding] = []
    # Every control group is checked: DiD pools them, so a gap in any one matters.
    for control in spec.control_groups or (spec.control,):
        findings += find_control_gaps(
            kpis, group=spec.column, treated=spec.treated, control=control
        )
        control_months = kpis.loc[labels == control, "month"]
        for label, (start, end) in periods:
            if not ((control_months >= start) & (control_months <= end)).any():
                findings.append(
                    Finding(
                        "error",
                        "control_gaps",
                        f"control group {control!r} has no data in the {label} period "
                        f"({start} to {end}); difference-in-differences needs both periods",
                        "kpis",
                        spec.column,
                    )
                )
    used = {*(spec.treated_groups or (spec.treated,)), *(spec.control_groups or (spec.control,))}
    others = sorted(set(labels) - used)
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
    return findings, treated_months


def _adoption_findings(case: Case) -> list[Finding]:
    """Gaps, duplicates, impossible and missing values of adoption.csv, or a note it is absent."""
    if case.adoption is None:
        return [
            Finding(
                "info",
                "no_adoption",
                "no adoption table: the rollout step cannot show active users per seat",
                "adoption",
            )
        ]
    adoption = case.adoption
    findings: list[Finding] = []
    findings += find_missing_months(adoption, table="adoption")
    findings += find_duplicates(adoption, ["month"], table="adoption")
    findings += find_impossible_values(adoption, table="adoption", kinds=_ADOPTION_KINDS)
    columns = [c for c in _ADOPTION_KINDS if c in adoption.columns]
    findings += find_missing_values(adoption, columns, table="adoption")
    file = _file(case, "adoption")
    findings += find_too_large(adoption, columns, table="adoption", file=file)
    findings += find_adoption_coverage(adoption, after=case.after, file=file)
    return findings


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
