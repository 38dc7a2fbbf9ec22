"""What the baseline supports: months, calendar coverage, the control group, data quality.

:class:`BaselineFacts` says whether the seasonal counterfactual can be fitted, whether a
control group covers the baseline, and what the quality report found; :func:`baseline_means`
gives the level each KPI (and so each goal) starts from. The baseline notebook's sentences
(:func:`baseline_statement`) are written from these facts, never typed into the notebook.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from roi_kit.case import (
    MIN_BASELINE_MONTHS,
    QualityReport,
    check_case,
    kpi_columns,
)
from roi_kit.measure.adoption import kpi_series
from roi_kit.measure.compare import MIN_SEASONAL_MONTHS
from roi_kit.measure.projection import MIN_VALID_SEASONAL_MONTHS

if TYPE_CHECKING:
    from roi_kit.case import Case

__all__ = [
    "BaselineFacts",
    "baseline_means",
    "baseline_facts",
    "baseline_statement",
    "baseline_headline",
]


# --------------------------------------------------------------------------------------
# Baseline
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BaselineFacts:
    """What the baseline holds, for the plain statement of what it can support.

    Attributes
    ----------
    start, end : pandas.Period
        The baseline window of ``case.yml``.
    months : int
        Baseline months with a row for the treated group.
    calendar_months : int
        Distinct calendar months (1-12) among them.
    seasonal : bool
        Enough months for the seasonal counterfactual (``MIN_SEASONAL_MONTHS``, all twelve
        calendar months).
    has_control : bool
        A control group is declared.
    control : str
        Its name ("" without one).
    control_months : int
        Baseline months with a control row.
    quality_score : int
        0-100 from :func:`roi_kit.case.quality.check_case`.
    errors, warnings : int
        Counts of quality findings.
    """

    start: pd.Period
    end: pd.Period
    months: int
    calendar_months: int
    seasonal: bool
    has_control: bool
    control: str
    control_months: int
    quality_score: int
    errors: int
    warnings: int


def _in_baseline(series: pd.Series, case: Case) -> pd.Series:
    """The part of a monthly series inside the case's baseline window (inclusive)."""
    b0, b1 = case.baseline
    return series[(series.index >= b0) & (series.index <= b1)]


def baseline_means(case: Case, group: str = "treated") -> dict[str, float]:
    """Mean of every KPI over the baseline months, for one group.

    Parameters
    ----------
    case : roi_kit.case.Case
    group : {"treated", "control"}

    Returns
    -------
    dict of str to float
        KPI name -> mean in KPI units (NaN when no baseline month has a value).
    """
    out: dict[str, float] = {}
    for name in kpi_columns(case):
        inside = _in_baseline(kpi_series(case, name, group), case)
        out[name] = float(inside.mean()) if len(inside) else math.nan
    return out


def _group_months(case: Case, group: str) -> pd.PeriodIndex:
    """Baseline months with a row for one group (a row counts even with empty KPI cells)."""
    rows = case.kpis
    if case.groups is not None:
        value = case.groups.treated if group == "treated" else case.groups.control
        rows = rows[rows[case.groups.column].astype(str) == value]
    months = pd.PeriodIndex(rows["month"], freq="M").unique()
    b0, b1 = case.baseline
    return months[(months >= b0) & (months <= b1)]


def baseline_facts(case: Case, report: QualityReport | None = None) -> BaselineFacts:
    """Count what the baseline holds.

    Parameters
    ----------
    case : roi_kit.case.Case
    report : QualityReport, optional
        Default: :func:`roi_kit.case.quality.check_case` of the case.

    Returns
    -------
    BaselineFacts
    """
    report = report or check_case(case)
    treated = _group_months(case, "treated")
    control = _group_months(case, "control") if case.groups is not None else treated[:0]
    calendar = len(set(treated.month.tolist()))
    return BaselineFacts(
        start=case.baseline[0],
        end=case.baseline[1],
        months=len(treated),
        calendar_months=calendar,
        seasonal=len(treated) >= MIN_SEASONAL_MONTHS and calendar == 12,
        has_control=case.groups is not None,
        control="" if case.groups is None else case.groups.control,
        control_months=len(control),
        quality_score=report.score,
        errors=report.count("error"),
        warnings=report.count("warning"),
    )


def _length_lines(facts: BaselineFacts) -> list[str]:
    """Sentences on the baseline's length: a full year, and the seasonal model's months."""
    if facts.months < MIN_BASELINE_MONTHS:
        year = (
            f"That is under the {MIN_BASELINE_MONTHS} months needed to see one full year: a "
            "seasonal high or low cannot be told apart from the CRM's effect."
        )
    else:
        year = (
            f"That is at least the {MIN_BASELINE_MONTHS} months needed to see a full year of "
            "seasons once."
        )
    if facts.seasonal:
        season = (
            f"It reaches the {MIN_SEASONAL_MONTHS} months the seasonal counterfactual needs "
            "(a level, a trend and 11 month-of-year effects, with noise left to measure), so "
            "notebook 04 can remove both trend and season; "
            + (
                f"at {facts.months} months it also reaches the {MIN_VALID_SEASONAL_MONTHS} "
                "from which that estimate counts as evidence (measured)."
                if facts.months >= MIN_VALID_SEASONAL_MONTHS
                else f"but that estimate counts as evidence only from "
                f"{MIN_VALID_SEASONAL_MONTHS} months (measured: with fewer its interval cannot "
                "be trusted), so "
                + (
                    "only DiD against the control group can count."
                    if facts.has_control
                    else "without a control group no measured change can count yet."
                )
            )
        )
    else:
        season = (
            f"It falls short of the {MIN_SEASONAL_MONTHS} months the seasonal counterfactual "
            "needs: notebook 04 will fit a trend only, and seasonal swings stay in the result."
        )
    return [year, season]


def _control_line(facts: BaselineFacts) -> str:
    if facts.has_control:
        return (
            f"A control group ({facts.control}, without the CRM) has {facts.control_months} "
            "baseline months: difference-in-differences can subtract what moved both groups "
            "(market, season, prices), if the two moved in parallel before go-live."
        )
    return (
        "There is no control group: market-wide changes after go-live cannot be separated "
        "from the CRM's effect; only the trend-and-season counterfactual is available."
    )


def _quality_line(facts: BaselineFacts) -> str:
    if facts.errors:
        return (
            f"The data-quality report has {facts.errors} error(s): fix them first, results "
            "built on these data would be wrong."
        )
    if facts.warnings:
        return (
            f"The data-quality report has {facts.warnings} warning(s): read them before "
            "trusting the results."
        )
    return f"The data-quality score is {facts.quality_score}/100 with no errors or warnings."


def baseline_statement(facts: BaselineFacts) -> list[str]:
    """What the baseline can and cannot support, one plain sentence per point.

    Parameters
    ----------
    facts : BaselineFacts
        From :func:`baseline_facts`.

    Returns
    -------
    list of str
        Length, seasons, control group, data quality, and what no baseline can support.
    """
    return [
        f"The baseline holds {facts.months} months ({facts.start} to {facts.end}) covering "
        f"{facts.calendar_months} of the 12 calendar months.",
        *_length_lines(facts),
        _control_line(facts),
        _quality_line(facts),
        "What it cannot support: any claim about causes. A baseline is a description of the "
        "past; whether a later change is the CRM's doing is judged in notebook 04 against a "
        "counterfactual and a control group, and only for the KPIs measured here.",
    ]


def baseline_headline(case: Case) -> str:
    """Quality score, baseline months, seasonal fit possible, control group: stable text."""
    facts = baseline_facts(case)
    return "\n".join(
        [
            f"data-quality score: {facts.quality_score}/100 ({facts.errors} error(s), "
            f"{facts.warnings} warning(s))",
            f"baseline months: {facts.months} ({facts.start} to {facts.end})",
            f"enough months for the seasonal counterfactual ({MIN_SEASONAL_MONTHS}): "
            + ("yes" if facts.seasonal else "no"),
            f"control group: {facts.control or 'none'}",
        ]
    )
