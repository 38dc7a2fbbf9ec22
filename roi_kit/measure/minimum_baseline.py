"""How many baseline months each comparison method needs, and what a given baseline allows.

A seasonal counterfactual must separate the month-of-year season from the trend. Fitting
the 13 coefficients (level, trend, 11 month effects) takes ``MIN_SEASONAL_MONTHS`` (17)
baseline months; *keeping its coverage and bias within bounds* takes more, measured with
the calibration scenarios (``benchmarks/calibration_scenarios.py``, 18 after months, trend +
season, seasonal fit forced, 100 runs per arm and scenario; coverage of the 95% interval of
the counterfactual, and its mean width in effects):

========================  ============  ============  ============
baseline months            20            22            24
========================  ============  ============  ============
independent noise          1.000 (4.9)   1.000 (4.1)   0.985 (3.3)
AR(1) noise, rho 0.5       0.995 (4.2)   0.980 (3.8)   0.985 (3.4)
AR(1) noise, rho 0.8       0.935 (3.0)   0.950 (2.9)   0.935 (2.7)
random-walk level          0.990 (5.8)   0.975 (5.2)   0.970 (4.5)
========================  ============  ============  ============

Below 24 months the interval over-covers (up to 5 effects wide: with 13 coefficients on
20-22 months the noise model cannot be pinned down and the prediction averages over it);
from 24 on every scenario lies within 0.90-0.98 give or take the Monte Carlo error
(0.012 at 200 runs), and the bias stays under 5% of the effect. (At 17 months, with a flat
prior on the autocorrelation: 1.000 for independent noise, 0.895 at rho 0.8.)
With fewer months than a seasonal fit needs at all, a trend-only fit of a
seasonal series is biased by +90% (12 months) to +185% (6 months) of the effect (issue 12),
so it is not presented as valid unless the KPI is said to have no season; DiD, which needs
no season model (the control absorbs it), stayed honest on 6-12 months.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from roi_kit.measure.base import MIN_BASELINE_MONTHS, MIN_SEASONAL_MONTHS
from roi_kit.measure.diff_in_diff import MIN_TREND_BASELINE
from roi_kit.measure.projection import MIN_VALID_SEASONAL_MONTHS

__all__ = ["BaselineLimits", "baseline_limits", "case_baseline_limits"]


@dataclass(frozen=True)
class BaselineLimits:
    """What a baseline of ``n_baseline`` months supports.

    Attributes
    ----------
    n_baseline : int, months
        Baseline months with data.
    seasonal_fit_months : int, months
        Fewest months for which a seasonal model can be fitted at all (17).
    seasonal_valid_months : int, months
        Fewest months for which the seasonal counterfactual and state-space rows are
        presented as valid (24, measured).
    usable : tuple of str
        The methods whose result can count on this baseline (``"counterfactual"``,
        ``"state-space"``, ``"did"``, ``"did-trend"``); empty when the data cannot answer.
    message : str
        The limit for this baseline in one or two sentences.
    """

    n_baseline: int
    seasonal_fit_months: int
    seasonal_valid_months: int
    usable: tuple[str, ...]
    message: str


def baseline_limits(
    n_baseline: int,
    *,
    has_control: bool,
    seasonal: bool | None = None,
    parallel_trends: bool = False,
) -> BaselineLimits:
    """The methods a baseline of ``n_baseline`` months supports, and the limit in words.

    Parameters
    ----------
    n_baseline : int, months
        Baseline months with data.
    has_control : bool
        Whether a control group without the CRM exists (DiD possible).
    seasonal : bool, optional
        False when the KPI is known to have no season (a trend-only fit is then valid on
        any baseline of at least ``MIN_BASELINE_MONTHS``); None or True: assume it may.
    parallel_trends : bool
        Whether case.yml states why the groups move in parallel
        (``measurement.parallel_trends``): plain DiD counts only then
        (:func:`~roi_kit.measure.did`); DiD with group trends needs ``MIN_TREND_BASELINE``.

    Returns
    -------
    BaselineLimits

    Examples
    --------
    >>> baseline_limits(12, has_control=True).usable
    ('did-trend',)
    >>> baseline_limits(6, has_control=True, parallel_trends=True).usable
    ('did',)
    >>> baseline_limits(24, has_control=False).usable
    ('counterfactual', 'state-space')
    """
    plain = parallel_trends and n_baseline >= MIN_BASELINE_MONTHS
    trend = n_baseline >= MIN_TREND_BASELINE
    did: tuple[str, ...] = ()
    if has_control:
        did = (("did",) if plain else ()) + (("did-trend",) if trend else ())
    need = MIN_VALID_SEASONAL_MONTHS
    if seasonal is False:
        ok = n_baseline >= MIN_BASELINE_MONTHS
        projections = ("counterfactual", "state-space") if ok else ()
    else:
        projections = ("counterfactual", "state-space") if n_baseline >= need else ()
    usable = projections + did
    if projections:
        message = (
            f"{n_baseline} baseline months: enough for the trend + season counterfactual "
            f"(it needs {need})"
        )
    else:
        message = (
            f"{n_baseline} baseline months: too few to separate a month-of-year season from "
            f"the trend (the counterfactual needs {need}, measured); "
            + _did_words(did, has_control)
        )
    return BaselineLimits(n_baseline, MIN_SEASONAL_MONTHS, need, usable, message)


def case_baseline_limits(case: Any) -> BaselineLimits:
    """:func:`baseline_limits` for a case: its baseline months and whether it has a control.

    Counts the months of ``case.baseline`` present in ``case.kpis`` (the treated group's
    rows when the case has groups).
    """
    kpis = case.kpis
    groups = case.groups
    if groups is not None and groups.column in kpis.columns:
        kpis = kpis[kpis[groups.column].astype(str) == str(groups.treated)]
    start, end = case.baseline
    months = kpis["month"]
    n = int(months[(months >= start) & (months <= end)].nunique())
    has_control = groups is not None and getattr(groups, "control", None) is not None
    stated = bool(getattr(getattr(case, "measurement", None), "parallel_trends", ""))
    return baseline_limits(n, has_control=has_control, parallel_trends=stated)


def _did_words(did: tuple[str, ...], has_control: bool) -> str:
    """What DiD can still do on a baseline too short for the counterfactual."""
    if not has_control:
        return (
            "without a control group the data cannot answer; add a control group or wait "
            "for a longer baseline"
        )
    if "did" in did:
        return "only DiD against the control group can count"
    if did:
        return (
            "only DiD against the control group can count: with group trends, or plain DiD "
            "where case.yml states why the groups move in parallel (measurement.parallel_trends)"
        )
    return (
        "only DiD against the control group could count, and only where case.yml states why "
        "the groups move in parallel (measurement.parallel_trends): DiD with group trends "
        f"needs {MIN_TREND_BASELINE} baseline months"
    )
