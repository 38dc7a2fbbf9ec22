"""Rollout and adoption: how many of the paid seats are really used, and does use pay off.

The source articles name employee adoption ("how employees use and accept the CRM") as the
first factor of CRM ROI and tell the reader to train the team and monitor usage. A CRM that
sits unused cannot change a KPI, so before crediting (or blaming) the CRM for a KPI change,
this module answers three questions from ``adoption.csv``:

- :func:`adoption_table` / :func:`adoption_summary` - what share of licensed seats were active
  each month, how long it took to reach a level, how much of the team was trained;
- :func:`adoption_warning` - a plain warning when adoption is too low to expect the benefit;
- :func:`uplift_vs_adoption` - whether the months with more active users are the months with
  a larger KPI gap against the counterfactual (a dose-response check: if the CRM causes the
  change, the gap should grow with use).

The slope of that check is a linear contrast ``c' gap`` of the after months' gaps (OLS
weights), so its variance is ``c' S c`` with ``S`` the gaps' covariance across months, not the
independent-months OLS variance: against the counterfactual, ``S`` is the projection's
prediction error (the after months' own noise plus the trend and season they all share,
:func:`roi_kit.measure.projection.projection_error_cov`); in DiD, the treated-minus-control
gap's noise fitted by REML (:mod:`roi_kit.measure.gap_noise`). A ramp of adoption rises with
time as a trend error does, so leaving the shared error out made the interval too narrow
(issue 12).

Adoption rate = ``active_users / licensed_users`` (fraction 0-1); training coverage =
``trained_users / licensed_users`` (``trained_users`` is cumulative).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import stats

from roi_kit.errors import RoiKitError
from roi_kit.measure.diff_in_diff import choose_noise
from roi_kit.measure.gap_noise import contrast_se
from roi_kit.measure.noise_model import interval
from roi_kit.measure.projection import counterfactual, projection_error_cov

if TYPE_CHECKING:
    from roi_kit.case import Case

__all__ = [
    "AdoptionError",
    "AdoptionSummary",
    "AdoptionUplift",
    "DEFAULT_WARNING_THRESHOLD",
    "DEFAULT_TARGET_RATE",
    "adoption_table",
    "adoption_summary",
    "adoption_warning",
    "kpi_series",
    "uplift_vs_adoption",
]

#: Adoption rate (fraction) below which the benefit should not be expected. Why 0.6: with
#: fewer than six in ten seats in use, most of the team still works outside the CRM, so
#: pipeline data and shared customer history - the mechanisms of the benefit - are partial.
DEFAULT_WARNING_THRESHOLD = 0.6

#: Adoption rate (fraction) a rollout is usually judged "reached" at.
DEFAULT_TARGET_RATE = 0.8


class AdoptionError(RoiKitError, ValueError):
    """The case has no usable adoption data for the question asked."""


@dataclass(frozen=True)
class AdoptionSummary:
    """Adoption of the CRM over the measured months.

    Attributes
    ----------
    first_month, last_month : pandas.Period
        First and last month of ``adoption.csv`` inside ``period`` (every figure here is
        taken over those months only).
    period : tuple of pandas.Period
        Months the summary is taken over (the after period of a review, else every month).
    mean_rate : float, fraction
        Mean adoption rate over ``period``: sum of active users / sum of licensed seats
        (a seat-month weighted mean, equal to the plain mean when seats are constant).
    last_rate : float, fraction
        Adoption rate in the last month.
    threshold : float, fraction
        The level ``first_month_at_threshold`` refers to.
    first_month_at_threshold : pandas.Period or None
        First month whose adoption rate reached ``threshold``; None if never.
    months_to_threshold : int or None
        Months from go-live to ``first_month_at_threshold`` (0 = reached in the go-live
        month); None if never reached.
    training_coverage : float or None, fraction
        Trained users / licensed seats in the last month; None without ``trained_users``.
    months_below_warning : int
        Months in ``period`` whose rate is below :data:`DEFAULT_WARNING_THRESHOLD`.
    licensed_last, active_last : float, users
        Seats and active users in the last month.
    """

    first_month: pd.Period
    last_month: pd.Period
    period: tuple[pd.Period, pd.Period]
    mean_rate: float
    last_rate: float
    threshold: float
    first_month_at_threshold: pd.Period | None
    months_to_threshold: int | None
    training_coverage: float | None
    months_below_warning: int
    licensed_last: float
    active_last: float


@dataclass(frozen=True, eq=False)
class AdoptionUplift:
    """A KPI's monthly gap against the counterfactual, set beside that month's adoption.

    Attributes
    ----------
    kpi : str
        KPI column name.
    method : {"counterfactual", "did"}
        How the monthly gap was measured (see :func:`uplift_vs_adoption`).
    table : pandas.DataFrame
        One row per after month: ``month``, ``adoption_rate`` (fraction), ``gap`` (KPI units).
    slope : float
        Fitted gap per unit of adoption rate (KPI units): the gap the line predicts at full
        adoption minus the gap at none.
    slope_low, slope_high : float
        95% interval of ``slope``, KPI units: the OLS slope's variance ``c' S c`` under the
        gaps' covariance across months (see the module docstring). It assumes the gap is
        linear in adoption plus the modelled noise.
    intercept : float
        Fitted gap at zero adoption (KPI units); near zero when nothing else moved.
    correlation : float
        Pearson correlation of gap and adoption rate.
    """

    kpi: str
    method: str
    table: pd.DataFrame
    slope: float
    slope_low: float
    slope_high: float
    intercept: float
    correlation: float


def _require(case: Case) -> pd.DataFrame:
    """The case's adoption table; refuse a case without one."""
    if case.adoption is None or len(case.adoption) == 0:
        raise AdoptionError(
            f"case {case.name!r} has no adoption table; add adoption.csv (month, "
            "licensed_users, active_users[, trained_users]) to the case folder"
        )
    return case.adoption


def adoption_table(case: Case) -> pd.DataFrame:
    """Monthly adoption with rates.

    Parameters
    ----------
    case : roi_kit.case.Case

    Returns
    -------
    pandas.DataFrame
        ``month`` (Period[M]), ``licensed_users``, ``active_users``, ``trained_users`` (NaN
        when absent), ``adoption_rate`` and ``training_coverage`` (fractions; NaN for a month
        with no seats), sorted by month, index 0..n-1.

    Raises
    ------
    AdoptionError
        The case has no adoption table.
    """
    raw = _require(case)
    out = pd.DataFrame({"month": pd.PeriodIndex(raw["month"], freq="M")})
    for column in ("licensed_users", "active_users", "trained_users"):
        values = raw[column] if column in raw.columns else np.nan
        out[column] = pd.to_numeric(pd.Series(values, index=raw.index), errors="coerce").values
    seats = out["licensed_users"].where(out["licensed_users"] > 0)
    out["adoption_rate"] = out["active_users"] / seats
    out["training_coverage"] = out["trained_users"] / seats
    return out.sort_values("month").reset_index(drop=True)


def adoption_summary(case: Case, *, threshold: float = DEFAULT_TARGET_RATE) -> AdoptionSummary:
    """Mean and last adoption rate, months to reach ``threshold``, training coverage.

    Parameters
    ----------
    case : roi_kit.case.Case
    threshold : float, fraction (0, 1]
        The adoption rate whose first month is reported (default 0.8).

    Returns
    -------
    AdoptionSummary

    Raises
    ------
    AdoptionError
        No adoption table, no seats in the period, or ``threshold`` outside (0, 1].

    Examples
    --------
    Sample case: 743 active user-months over 18 x 60 seat-months, a mean of 68.8%.
    """
    if not (isinstance(threshold, int | float) and 0 < float(threshold) <= 1):
        raise AdoptionError(f"threshold must be a fraction in (0, 1] (found {threshold!r})")
    table = adoption_table(case)
    start, end = (
        case.after if case.after is not None else (table["month"].iloc[0], table["month"].iloc[-1])
    )
    # A review measures the after period, so only its months are used; months outside it
    # are listed by the quality report (check adoption_period), never used silently.
    inside = table[(table["month"] >= start) & (table["month"] <= end)]
    seats = float(inside["licensed_users"].sum())
    if inside.empty or not seats > 0:
        raise AdoptionError(
            f"no licensed seats in adoption.csv between {start} and {end} (it has "
            f"{table['month'].iloc[0]} to {table['month'].iloc[-1]}); add the months of "
            "that period or correct the dates"
        )
    # Seat-month weighting: a month with twice the seats counts twice, as its cost does.
    mean_rate = float(inside["active_users"].sum()) / seats
    reached = inside[inside["adoption_rate"] >= threshold]
    first_hit = reached["month"].iloc[0] if len(reached) else None
    months_to = None if first_hit is None else int((first_hit - case.go_live).n)
    coverage = inside["training_coverage"].iloc[-1]
    below = int((inside["adoption_rate"] < DEFAULT_WARNING_THRESHOLD).sum())
    return AdoptionSummary(
        first_month=inside["month"].iloc[0],
        last_month=inside["month"].iloc[-1],
        period=(start, end),
        mean_rate=mean_rate,
        last_rate=float(inside["adoption_rate"].iloc[-1]),
        threshold=float(threshold),
        first_month_at_threshold=first_hit,
        months_to_threshold=months_to,
        training_coverage=None if pd.isna(coverage) else float(coverage),
        months_below_warning=below,
        licensed_last=float(inside["licensed_users"].iloc[-1]),
        active_last=float(inside["active_users"].iloc[-1]),
    )


def adoption_warning(
    summary: AdoptionSummary, threshold: float = DEFAULT_WARNING_THRESHOLD
) -> str | None:
    """A warning when adoption is too low to expect the CRM's benefit, else None.

    Parameters
    ----------
    summary : AdoptionSummary
    threshold : float, fraction
        Adoption rate below which the benefit should not be expected (default 0.6).

    Returns
    -------
    str or None
        The reason(s) in words: mean or latest adoption rate below ``threshold``, or
        training coverage below it. None when adoption is at or above the threshold.
    """
    if not (isinstance(threshold, int | float) and 0 < float(threshold) <= 1):
        raise AdoptionError(f"threshold must be a fraction in (0, 1] (found {threshold!r})")
    reasons = []
    start, end = summary.period
    if summary.mean_rate < threshold:
        reasons.append(
            f"on average only {summary.mean_rate:.0%} of licensed seats were active "
            f"({start} to {end}), below {threshold:.0%}"
        )
    if summary.last_rate < threshold:
        reasons.append(
            f"in the latest month ({summary.last_month}) only {summary.last_rate:.0%} of seats "
            f"were active ({summary.active_last:,.0f} of {summary.licensed_last:,.0f})"
        )
    if summary.training_coverage is not None and summary.training_coverage < threshold:
        reasons.append(f"only {summary.training_coverage:.0%} of licensed users are trained")
    if not reasons:
        return None
    return (
        "Adoption is too low to expect the CRM's full benefit: "
        + "; ".join(reasons)
        + ". Employee adoption is the first factor of CRM ROI the source articles name: "
        "a KPI change measured while most of the team works outside the CRM is unlikely to "
        "be the CRM's doing, and a missing change may only mean the CRM is not yet used."
    )


def kpi_series(case: Case, kpi: str, group: str = "treated") -> pd.Series:
    """One KPI of a case as a monthly series (the treated or control group's).

    Parameters
    ----------
    case : roi_kit.case.Case
    kpi : str
        KPI column of ``case.kpis``.
    group : {"treated", "control"}
        Which group's rows (without groups in the case, every row is "treated").

    Returns
    -------
    pandas.Series
        Indexed by a monthly ``PeriodIndex``; missing values dropped.

    Raises
    ------
    AdoptionError
        Unknown KPI column, or ``group="control"`` on a case without a control group.
    """
    if kpi not in case.kpis.columns or kpi == "month":
        raise AdoptionError(f"{kpi!r} is not a KPI column of case {case.name!r}")
    rows = case.kpis
    if case.groups is not None:
        value = case.groups.treated if group == "treated" else case.groups.control
        rows = rows[rows[case.groups.column].astype(str) == value]
    elif group != "treated":
        raise AdoptionError(f"case {case.name!r} has no control group")
    series = pd.Series(
        pd.to_numeric(rows[kpi], errors="coerce").to_numpy(dtype=float),
        index=pd.PeriodIndex(rows["month"], freq="M"),
        name=kpi,
    ).sort_index()
    return series[np.isfinite(series.to_numpy())]


def uplift_vs_adoption(case: Case, kpi: str, *, method: str = "counterfactual") -> AdoptionUplift:
    """Each after month's KPI gap against "no CRM", beside that month's adoption rate.

    If the CRM causes the change, months with more active users should show a larger gap
    (a dose-response pattern), and the fitted line should pass near zero at zero adoption.
    The gap is measured two ways:

    - ``"counterfactual"``: actual minus the trend-and-season projection of
      :func:`roi_kit.measure.counterfactual` fitted on the baseline;
    - ``"did"``: (treated - control) that month minus the mean baseline (treated - control)
      gap (needs a control group).

    The line is fitted by OLS; its slope ``c' gap`` gets the variance ``c' S c`` from the
    gaps' covariance ``S`` across the after months (module docstring), with a t interval
    on the noise model's degrees of freedom (a mixture of t over the AR(1) coefficient
    for the counterfactual, as its own interval).

    Parameters
    ----------
    case : roi_kit.case.Case
        A review case with an adoption table.
    kpi : str
        KPI column.
    method : {"counterfactual", "did"}

    Returns
    -------
    AdoptionUplift

    Raises
    ------
    AdoptionError
        No adoption table or after period, fewer than 3 after months with both numbers, or
        ``"did"`` without a control group.

    Notes
    -----
    Why OLS with the modelled covariance and not GLS: the point estimate stays the line
    drawn through the scatter of gaps (the views plot ``intercept + slope * rate``), and it
    does not change with the noise model, whose parameter is only loosely known on a
    baseline of 24-36 months; only its variance uses ``S`` (the sandwich
    ``(Z'Z)^-1 Z' S Z (Z'Z)^-1`` with a model-based ``S``, [1]_). Measured by simulation
    (24 baseline + 18 after months, adoption ramping 20% to 85%, 200 runs each; the
    simulation of tests/measure/test_adoption.py): coverage 0.965 / 0.950 / 0.920 against
    the counterfactual and 0.965 / 0.940 / 0.960 in DiD for independent noise / AR(1) rho
    0.5 / rho 0.8, where the independent-months interval covered 0.955 / 0.765 / 0.485 and
    0.945 / 0.710 / 0.560.

    References
    ----------
    .. [1] White, H. (1980). A heteroskedasticity-consistent covariance matrix estimator
       and a direct test for heteroskedasticity. *Econometrica* 48(4), 817-838 (the
       sandwich form; here ``S`` is modelled, not estimated from the residuals).
    """
    if method not in ("counterfactual", "did"):
        raise AdoptionError(f"method must be 'counterfactual' or 'did' (found {method!r})")
    if case.after is None:
        raise AdoptionError("a projection has no after period: there is no uplift to compare")
    treated = kpi_series(case, kpi)
    if method == "counterfactual":
        gap = _counterfactual_gap(case, treated, kpi)
    else:
        diff = _did_diff(case, treated, kpi)
        base = _window(diff, case.baseline)  # the DiD gap and its interval both need it
        gap = _window(diff, case.after) - float(base.mean())
    table = _gap_table(case, gap, kpi)
    x, y = table["adoption_rate"].to_numpy(), table["gap"].to_numpy()
    # Rows of pinv([1, x]): the OLS intercept and slope as linear contrasts of the gaps.
    w_intercept, w_slope = np.linalg.pinv(np.column_stack([np.ones(len(x)), x]))
    slope = float(w_slope @ y)
    if method == "counterfactual":
        low, high = _counterfactual_interval(case, treated, kpi, table.index, w_slope, slope)
    else:
        low, high = _did_interval(base, table, w_slope, slope)
    return AdoptionUplift(
        kpi=kpi,
        method=method,
        table=table.rename_axis("month").reset_index(),
        slope=slope,
        slope_low=low,
        slope_high=high,
        intercept=float(w_intercept @ y),
        correlation=float(np.corrcoef(x, y)[0, 1]),
    )


def _counterfactual_gap(case: Case, treated: pd.Series, kpi: str) -> pd.Series:
    """Actual minus the counterfactual projection, over the after months."""
    result = counterfactual(
        treated, case.go_live, baseline=case.baseline, after=case.after, kpi=kpi
    )
    return treated.reindex(result.projected.index) - result.projected


def _did_diff(case: Case, treated: pd.Series, kpi: str) -> pd.Series:
    """Treated minus control, every month both have."""
    if case.groups is None:
        raise AdoptionError("the 'did' gap needs a control group (groups: in case.yml)")
    return (treated - kpi_series(case, kpi, "control")).dropna()


def _window(series: pd.Series, window: tuple[pd.Period, pd.Period]) -> pd.Series:
    """The months of ``series`` inside the inclusive ``window``."""
    return series[(series.index >= window[0]) & (series.index <= window[1])]


def _gap_table(case: Case, gap: pd.Series, kpi: str) -> pd.DataFrame:
    """``adoption_rate`` and ``gap`` of the after months that have both, indexed by month."""
    rates = adoption_table(case).set_index("month")["adoption_rate"]
    table = pd.DataFrame({"adoption_rate": rates.reindex(gap.index), "gap": gap}).dropna()
    if len(table) < 3:
        raise AdoptionError(
            f"only {len(table)} after month(s) have both {kpi} and adoption data; 3 are needed"
        )
    if np.ptp(table["adoption_rate"].to_numpy()) == 0:
        raise AdoptionError("adoption did not vary over the after months: no slope to fit")
    return table


def _counterfactual_interval(
    case: Case,
    treated: pd.Series,
    kpi: str,
    months: pd.PeriodIndex,
    w_slope: np.ndarray,
    slope: float,
) -> tuple[float, float]:
    """95% interval of ``slope = w_slope' gap`` under the projection's error covariance."""
    after, weights, covs, df = projection_error_cov(
        treated, case.go_live, baseline=case.baseline, after=case.after, kpi=kpi
    )
    pos = after.get_indexer(months)
    cov = covs[:, pos[:, None], pos[None, :]]
    sds = np.sqrt(np.maximum(np.einsum("a,gab,b->g", w_slope, cov, w_slope), 0.0))
    return interval(weights, np.full(len(weights), slope), sds, df, 0.95)


def _did_interval(
    base: pd.Series, table: pd.DataFrame, w_slope: np.ndarray, slope: float
) -> tuple[float, float]:
    """95% interval of ``slope = w_slope' gap`` under the DiD gap's fitted noise.

    The noise is fitted on the baseline and the tabled after months around ``level + step +
    effect x adoption`` (the line being tested), so the dose-response itself is not read as
    noise. The slope's weights sum to zero, so the baseline mean the gap subtracts drops
    out: over all months they are 0 on the baseline (``base``, the treated-minus-control
    baseline months) and ``w_slope`` after.
    """
    d = np.concatenate([base.to_numpy(), table["gap"].to_numpy()])
    months = np.concatenate([base.index.asi8, table.index.asi8]).astype(float)
    post = np.r_[np.zeros(len(base)), np.ones(len(table))]
    dose = np.r_[np.zeros(len(base)), table["adoption_rate"].to_numpy()]
    X = np.column_stack([np.ones(len(d)), post, dose])
    weights = np.r_[np.zeros(len(base)), w_slope]
    # Of equally likely noise families the wider (the rule of roi_kit.measure.did).
    noise = choose_noise(d, X, months, "ar1", weights)
    tq = float(stats.t.ppf(0.975, noise.df)) if noise.df >= 1 else math.inf
    se = contrast_se(noise, weights)
    return slope - tq * se, slope + tq * se
