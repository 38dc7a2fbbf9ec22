"""Honest before/after measurement of KPIs around a CRM go-live.

A plain before/after difference credits the CRM with every trend and season that happens to
fall across go-live. This module offers, side by side, each with an interval:

- :func:`naive` - baseline mean vs after mean, with a moving-block bootstrap interval. Shown
  because everyone computes it, and labelled for what it is.
- :func:`counterfactual` - a linear trend plus month-of-year effects fitted on the baseline
  months only and projected over the after months; the effect is the mean gap between what
  happened and that projection.
- :func:`did` - difference-in-differences against a team or region that did not get the CRM,
  with a check that the two moved in parallel before go-live.
- :func:`placebo` - any of the above run with a fake go-live inside the baseline, where a sound
  method should find nothing.

:func:`reading` turns a result into one plain-language sentence, and :func:`compare_frame`
runs everything over a table of KPIs and returns one tidy row per KPI and method.

Inputs are monthly: a KPI is a :class:`pandas.Series` indexed by a :class:`pandas.PeriodIndex`
of frequency ``"M"``, one value per month.

Autocorrelation
---------------
Monthly business KPIs are autocorrelated: a good month tends to follow a good month. Intervals
that assume independent months are then too narrow. The regression-based methods here
(:func:`counterfactual`, :func:`did` and the DiD pre-trend test) therefore use an AR(1)
sandwich covariance: the OLS point estimates are kept, and their covariance is computed as
``(X'X)^-1 X' S X (X'X)^-1`` with ``S[i, j] = s^2 rho^|t_i - t_j|``, where ``s^2`` is the
residual variance and ``rho`` the lag-1 autocorrelation of the residuals, corrected for the
bias OLS residuals have under independence and floored at zero (the correction only ever
widens an interval). Unlike a Newey-West (HAC) kernel, which is unreliable with 24-36 points
and a dozen parameters, the one-parameter AR(1) form stays stable on short series, handles
missing months (lags are counted in calendar months) and covers the noise of the after months
and its correlation with the baseline fit in one formula. Pass ``autocorrelation="none"`` for
the textbook independent-errors interval.

References
----------
.. [1] Angrist, J. D. and Pischke, J.-S. (2009). *Mostly Harmless Econometrics*, ch. 5
   (differences-in-differences). Princeton University Press.
.. [2] Brodersen, K. H. et al. (2015). Inferring causal impact using Bayesian structural
   time-series models. *Annals of Applied Statistics* 9(1), 247-274.
.. [3] Kunsch, H. R. (1989). The jackknife and the bootstrap for general stationary
   observations. *Annals of Statistics* 17(3), 1217-1241 (moving-block bootstrap).
.. [4] Box, G. E. P. and Tiao, G. C. (1975). Intervention analysis with applications to
   economic and environmental problems. *JASA* 70(349), 70-79.
.. [5] Bertrand, M., Duflo, E. and Mullainathan, S. (2004). How much should we trust
   differences-in-differences estimates? *QJE* 119(1), 249-275 (serial correlation in DiD).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from roi_kit.errors import GapError, RoiKitError

__all__ = [
    "CompareInputError",
    "Comparison",
    "naive",
    "counterfactual",
    "did",
    "placebo",
    "reading",
    "percentage_points",
    "compare_frame",
    "compare_all",
    "MIN_BASELINE_MONTHS",
    "MIN_AFTER_MONTHS",
    "MIN_SEASONAL_MONTHS",
]

#: Fewest baseline months any method accepts.
MIN_BASELINE_MONTHS = 3
#: Fewest after months any method accepts.
MIN_AFTER_MONTHS = 2
#: Fewest baseline months for month-of-year effects: 13 parameters (level, trend, 11 month
#: effects) need at least 4 residual degrees of freedom for a usable noise estimate.
MIN_SEASONAL_MONTHS = 17

# KPIs that are fractions in the data contract (data/README.md); they speak in percentage
# points unless the caller passes its own formatter.
_FRACTION_KPIS = frozenset({"win_rate", "lead_conversion"})

_NAIVE_NOTE = "naive: credits the CRM with every trend and season"

# Why a warning at 0.6: in simulations with 24 baseline months the AR(1) correction keeps
# 95% intervals near 90% coverage up to an autocorrelation of about 0.4-0.5; beyond it the
# series behaves like a running total (a customer count) and intervals run too narrow.
_STRONG_RHO = 0.6
_STRONG_RHO_NOTE = (
    "strongly autocorrelated months: the interval may still be too narrow; a running total "
    "such as a customer count is better judged by its flows (new and lost customers)"
)


class CompareInputError(RoiKitError, ValueError):
    """A KPI series, window or option cannot give a meaningful comparison."""


@dataclass(frozen=True, eq=False)
class Comparison:
    """One KPI's change around go-live by one method.

    Attributes
    ----------
    kpi : str
        KPI name (column name), may be empty.
    method : str
        ``"naive"``, ``"counterfactual"``, ``"did"`` or ``"placebo-<method>"``.
    direction : str
        ``"higher"`` or ``"lower"``: which way is better for this KPI.
    baseline : float
        Mean of the (treated) KPI over the baseline months, in KPI units.
    after : float
        Mean of the (treated) KPI over the after months, in KPI units.
    change : float
        The method's estimate of the after-period effect, in KPI units (for ``naive``:
        ``after - baseline``).
    pct_change : float
        ``change / baseline``, fraction (NaN when the baseline mean is zero).
    low, high : float
        Interval for ``change`` at ``level``, in KPI units.
    level : float
        Interval level, fraction (0.95 for a 95% interval).
    excludes_zero : bool
        The interval lies entirely on one side of zero.
    improvement : bool
        The change is in the better direction and its interval excludes zero.
    note : str
        Caveats in words (method limits, fallbacks, dropped months, pre-trend warning).
    n_baseline, n_after : int
        Months used in each period.
    projected : pandas.Series or None
        ``counterfactual`` only: the projected KPI for each after month, had nothing changed.
    band_low, band_high : pandas.Series or None
        ``counterfactual`` only: per-month prediction band of ``projected`` at ``level`` (where
        a single month's actual value would fall with no effect).
    pretrend_slope : float or None
        ``did`` only: slope of the treated-minus-control gap over the baseline, KPI units per
        month.
    pretrend_p : float or None
        ``did`` only: two-sided p-value of that slope (0 slope = parallel pre-trends).
    fake_go_live : pandas.Period or None
        ``placebo`` only: the fake go-live month used.
    """

    kpi: str
    method: str
    direction: str
    baseline: float
    after: float
    change: float
    pct_change: float
    low: float
    high: float
    level: float
    excludes_zero: bool
    improvement: bool
    note: str
    n_baseline: int
    n_after: int
    projected: pd.Series | None = None
    band_low: pd.Series | None = None
    band_high: pd.Series | None = None
    pretrend_slope: float | None = None
    pretrend_p: float | None = None
    fake_go_live: pd.Period | None = None


# --------------------------------------------------------------------------------------------
# input checks and windows


def _check_direction(direction: str) -> None:
    if direction not in ("higher", "lower"):
        raise CompareInputError(
            f"direction must be 'higher' or 'lower' (found {direction!r}). Fix: say which way "
            "is better for this KPI, e.g. 'lower' for sales_cycle_days"
        )


def _check_level(level: float) -> None:
    if not (isinstance(level, int | float) and 0.5 <= float(level) < 1.0):
        raise CompareInputError(
            f"level must be a fraction in [0.5, 1) (found {level!r}). Fix: 0.95 for a 95% interval"
        )


def _as_period(value: object, what: str) -> pd.Period:
    try:
        period = pd.Period(value, freq="M")
    except (ValueError, TypeError) as exc:
        raise CompareInputError(
            f"{what} must be a month (found {value!r}). Fix: give it as pd.Period('2024-01', 'M')"
        ) from exc
    return period


def _check_series(series: pd.Series, what: str) -> pd.Series:
    """Return ``series`` as float, sorted by month; refuse anything that is not monthly data."""
    if not isinstance(series, pd.Series):
        raise CompareInputError(f"{what} must be a pandas Series (found {type(series).__name__})")
    index = series.index
    if not isinstance(index, pd.PeriodIndex) or index.freqstr != "M":
        found = index.freqstr if isinstance(index, pd.PeriodIndex) else type(index).__name__
        raise CompareInputError(
            f"{what} must be indexed by monthly periods (PeriodIndex, freq 'M'; found {found}). "
            "Fix: series.index = pd.PeriodIndex(dates, freq='M'), or series.to_period('M')"
        )
    if index.hasnans:
        raise CompareInputError(f"{what} has a missing month label (NaT) in its index")
    if index.has_duplicates:
        dup = sorted({str(p) for p in index[index.duplicated()]})
        raise CompareInputError(
            f"{what} has the same month more than once: {', '.join(dup)}. Fix: one value a month"
        )
    try:
        values = pd.to_numeric(series, errors="raise").astype(float)
    except (ValueError, TypeError) as exc:
        raise CompareInputError(f"{what} must hold numbers ({exc})") from exc
    bad = ~np.isfinite(values.to_numpy())
    if bad.any():
        months = ", ".join(str(p) for p in index[bad])
        raise CompareInputError(
            f"{what} has missing or infinite values in {months}. Fix: drop those months (the "
            "methods accept missing months) or fill them from the source"
        )
    return values.sort_index()


def _windows(
    index: pd.PeriodIndex,
    go_live: pd.Period,
    baseline: tuple[object, object] | None,
    after: tuple[object, object] | None,
) -> tuple[pd.Period, pd.Period, pd.Period, pd.Period]:
    """Resolve the baseline and after windows (inclusive month bounds)."""
    if baseline is None:
        b0, b1 = index.min(), go_live - 1
    else:
        b0, b1 = (_as_period(p, "baseline bound") for p in baseline)
    if after is None:
        a0, a1 = go_live, index.max()
    else:
        a0, a1 = (_as_period(p, "after bound") for p in after)
    if b0 > b1 or a0 > a1:
        raise CompareInputError(
            f"a window ends before it starts (baseline {b0}..{b1}, after {a0}..{a1})"
        )
    if b1 >= go_live:
        raise CompareInputError(
            f"the baseline must end before go-live {go_live} (it ends {b1}). Fix: end it at "
            f"{go_live - 1} or earlier"
        )
    if a0 < go_live:
        raise CompareInputError(
            f"the after period must start at or after go-live {go_live} (it starts {a0})"
        )
    return b0, b1, a0, a1


def _split(
    series: pd.Series,
    go_live: pd.Period,
    baseline: tuple[object, object] | None,
    after: tuple[object, object] | None,
    what: str,
) -> tuple[pd.Series, pd.Series]:
    b0, b1, a0, a1 = _windows(series.index, go_live, baseline, after)
    idx = series.index
    before = series[(idx >= b0) & (idx <= b1)]
    later = series[(idx >= a0) & (idx <= a1)]
    if len(before) < MIN_BASELINE_MONTHS:
        raise CompareInputError(
            f"{what}: only {len(before)} baseline month(s) with data between {b0} and {b1}; "
            f"at least {MIN_BASELINE_MONTHS} are needed (12 or more for seasonality)"
        )
    if len(later) < MIN_AFTER_MONTHS:
        raise CompareInputError(
            f"{what}: only {len(later)} after month(s) with data between {a0} and {a1}; "
            f"at least {MIN_AFTER_MONTHS} are needed"
        )
    return before, later


# --------------------------------------------------------------------------------------------
# shared statistics


def _ar1_cov(
    X: np.ndarray, t: np.ndarray, resid: np.ndarray, scale: float, autocorrelation: str
) -> tuple[np.ndarray, float]:
    """Covariance of OLS coefficients under AR(1) errors, and the rho used.

    ``t`` are month ordinals of the rows (gaps allowed). Returns ``(cov, rho)``.
    """
    xtx_inv = np.linalg.pinv(X.T @ X)
    if autocorrelation == "none":
        return scale * xtx_inv, 0.0
    rho = _residual_rho(X, t, resid)
    sigma = scale * rho ** np.abs(t[:, None] - t[None, :])
    bread = xtx_inv @ X.T
    return bread @ sigma @ bread.T, rho


def _residual_rho(X: np.ndarray, t: np.ndarray, resid: np.ndarray) -> float:
    """Lag-1 residual autocorrelation, bias-corrected, in [0, 0.95].

    OLS residuals are negatively autocorrelated even when the errors are independent (they
    must sum to zero against every regressor), more so the more parameters per point. Why the
    correction: with 24 months and 13 parameters that bias is about -0.3 and would hide real
    autocorrelation. Under independent errors ``E[r'Lr] / E[r'r] = tr(M L) / tr(M)`` with
    ``M = I - H`` the residual maker, so that ratio is subtracted.
    """
    n = len(t)
    lag = (np.abs(t[:, None] - t[None, :]) == 1).astype(float) / 2.0
    denom = float(resid @ resid)
    if n < 3 or denom <= 0 or not lag.any():
        return 0.0
    raw = float(resid @ lag @ resid) / denom
    resid_maker = np.eye(n) - X @ np.linalg.pinv(X.T @ X) @ X.T
    # tr(M L) as an elementwise sum (L is symmetric): no n x n matrix product needed.
    null = float(np.sum(resid_maker * lag)) / float(np.trace(resid_maker))
    return float(np.clip(raw - null, 0.0, 0.95))


def _check_autocorrelation(autocorrelation: str) -> None:
    if autocorrelation not in ("ar1", "none"):
        raise CompareInputError(
            f"autocorrelation must be 'ar1' or 'none' (found {autocorrelation!r})"
        )


def _finish(
    *,
    kpi: str,
    method: str,
    direction: str,
    baseline: float,
    after: float,
    change: float,
    low: float,
    high: float,
    level: float,
    note: str,
    n_baseline: int,
    n_after: int,
    **extras: object,
) -> Comparison:
    excludes_zero = bool(low > 0 or high < 0)
    better = change > 0 if direction == "higher" else change < 0
    pct = change / baseline if baseline != 0 else math.nan
    return Comparison(
        kpi=kpi,
        method=method,
        direction=direction,
        baseline=float(baseline),
        after=float(after),
        change=float(change),
        pct_change=float(pct),
        low=float(low),
        high=float(high),
        level=float(level),
        excludes_zero=excludes_zero,
        improvement=bool(better and excludes_zero),
        note=note,
        n_baseline=int(n_baseline),
        n_after=int(n_after),
        **extras,
    )


def _autocorrelation_note(note: str, rho: float) -> str:
    """Say when the interval allowed for autocorrelation, and warn when it is strong."""
    if rho > 0:
        note = _join(note, f"AR(1)-robust interval (residual autocorrelation {rho:.2f})")
    if rho >= _STRONG_RHO:
        note = _join(note, _STRONG_RHO_NOTE)
    return note


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


# --------------------------------------------------------------------------------------------
# methods


def naive(
    series: pd.Series,
    go_live: pd.Period,
    *,
    baseline: tuple[pd.Period, pd.Period] | None = None,
    after: tuple[pd.Period, pd.Period] | None = None,
    direction: str = "higher",
    level: float = 0.95,
    n_boot: int = 2000,
    block: int = 3,
    seed: int = 0,
    kpi: str = "",
) -> Comparison:
    """Baseline mean vs after mean, with a moving-block bootstrap interval.

    This is the spreadsheet comparison. It credits the CRM with every trend and season that
    crosses go-live; it is shown so that the honest methods can be set beside it.

    Parameters
    ----------
    series : pandas.Series
        The KPI, one value a month, indexed by a monthly ``PeriodIndex``. Missing months are
        allowed; NaN values are refused.
    go_live : pandas.Period
        First month the CRM was live.
    baseline, after : tuple of two pandas.Period, optional
        Inclusive first and last month of each window. Defaults: every month before go-live,
        and every month from go-live on.
    direction : {"higher", "lower"}
        Which way is better for this KPI.
    level : float, fraction
        Interval level (0.95 for 95%).
    n_boot : int
        Bootstrap replicates.
    block : int, months
        Block length of the moving-block bootstrap; blocks are drawn within each period
        separately so that a block never straddles go-live. Shortened to half a period when a
        period is too short for it.
    seed : int
        Seed of the numpy random generator (results are reproducible).
    kpi : str
        KPI name stored in the result.

    Returns
    -------
    Comparison
        ``method="naive"``; ``change = after - baseline``; percentile bootstrap interval.

    References
    ----------
    .. [1] Kunsch, H. R. (1989). The jackknife and the bootstrap for general stationary
       observations. *Annals of Statistics* 17(3), 1217-1241.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.Series([10.0, 12, 11, 15, 17, 16],
    ...               index=pd.period_range("2024-01", periods=6, freq="M"))
    >>> naive(s, pd.Period("2024-04", "M")).change
    5.0
    """
    _check_direction(direction)
    _check_level(level)
    go_live = _as_period(go_live, "go_live")
    if n_boot < 100:
        raise CompareInputError(f"n_boot must be at least 100 (found {n_boot})")
    if block < 1:
        raise CompareInputError(f"block must be at least 1 month (found {block})")
    series = _check_series(series, f"KPI {kpi!r}" if kpi else "the KPI series")
    before, later = _split(series, go_live, baseline, after, kpi or "KPI")
    rng = np.random.default_rng(seed)
    boot = _block_means(later.to_numpy(), block, n_boot, rng) - _block_means(
        before.to_numpy(), block, n_boot, rng
    )
    alpha = 1.0 - level
    low, high = np.quantile(boot, [alpha / 2, 1 - alpha / 2])
    b_mean, a_mean = float(before.mean()), float(later.mean())
    return _finish(
        kpi=kpi,
        method="naive",
        direction=direction,
        baseline=b_mean,
        after=a_mean,
        change=a_mean - b_mean,
        low=low,
        high=high,
        level=level,
        note=_NAIVE_NOTE,
        n_baseline=len(before),
        n_after=len(later),
    )


def _block_means(
    values: np.ndarray, block: int, n_boot: int, rng: np.random.Generator
) -> np.ndarray:
    """Means of ``n_boot`` moving-block bootstrap resamples of ``values``."""
    n = len(values)
    # Why shorten: a block as long as the series resamples the same series every time and
    # would report no uncertainty at all.
    length = min(block, max(1, n // 2))
    n_blocks = -(-n // length)
    starts = rng.integers(0, n - length + 1, size=(n_boot, n_blocks))
    idx = (starts[:, :, None] + np.arange(length)).reshape(n_boot, -1)[:, :n]
    return values[idx].mean(axis=1)


def _design(t: np.ndarray, months: np.ndarray, t0: int, seasonal: bool) -> np.ndarray:
    """Columns: constant, trend (years since the first baseline month), 11 month dummies."""
    cols = [np.ones(len(t)), (t - t0) / 12.0]
    if seasonal:
        cols += [(months == m).astype(float) for m in range(2, 13)]
    return np.column_stack(cols)


def counterfactual(
    series: pd.Series,
    go_live: pd.Period,
    *,
    baseline: tuple[pd.Period, pd.Period] | None = None,
    after: tuple[pd.Period, pd.Period] | None = None,
    direction: str = "higher",
    level: float = 0.95,
    seasonal: bool | None = None,
    autocorrelation: str = "ar1",
    kpi: str = "",
) -> Comparison:
    """Effect = actual minus a trend-and-season projection fitted on the baseline only.

    An OLS model ``y = a + b * t + month-of-year effects`` is fitted on the baseline months
    and projected over the after months. The effect is the mean of ``actual - projected``
    over the after months.

    Its interval combines the uncertainty of the fitted line (``a' Cov(beta) a`` with ``a``
    the mean after design row) and the noise of the after months around it (``s^2 / n_after``
    for independent months), with a t distribution on the residual degrees of freedom. By
    default both terms, and their covariance, come from an AR(1) error model estimated on
    the baseline residuals (see the module notes), so autocorrelated months widen it.

    Parameters
    ----------
    series : pandas.Series
        The KPI, one value a month, indexed by a monthly ``PeriodIndex``.
    go_live : pandas.Period
        First month the CRM was live.
    baseline, after : tuple of two pandas.Period, optional
        Inclusive windows; defaults as in :func:`naive`.
    direction : {"higher", "lower"}
        Which way is better for this KPI.
    level : float, fraction
        Interval level.
    seasonal : bool, optional
        Fit month-of-year effects. Default: when the baseline has at least
        ``MIN_SEASONAL_MONTHS`` (17) months covering all twelve calendar months; otherwise
        the model is trend-only and ``note`` says so. Forcing ``True`` without enough months
        is refused.
    autocorrelation : {"ar1", "none"}
        ``"ar1"``: AR(1)-robust interval (default); ``"none"``: independent months.
    kpi : str
        KPI name stored in the result.

    Returns
    -------
    Comparison
        ``method="counterfactual"``, with ``projected``, ``band_low`` and ``band_high``
        (per-month prediction band: where one month's value would fall with no effect).

    References
    ----------
    .. [1] Box, G. E. P. and Tiao, G. C. (1975). Intervention analysis with applications to
       economic and environmental problems. *JASA* 70(349), 70-79.
    .. [2] Brodersen, K. H. et al. (2015). Inferring causal impact using Bayesian structural
       time-series models. *Annals of Applied Statistics* 9(1), 247-274.
    """
    _check_direction(direction)
    _check_level(level)
    _check_autocorrelation(autocorrelation)
    go_live = _as_period(go_live, "go_live")
    series = _check_series(series, f"KPI {kpi!r}" if kpi else "the KPI series")
    before, later = _split(series, go_live, baseline, after, kpi or "KPI")
    tb, ta = before.index.asi8.astype(float), later.index.asi8.astype(float)
    mb, ma = before.index.month.to_numpy(), later.index.month.to_numpy()
    n_b, n_a = len(before), len(later)

    all_months = len(set(mb.tolist())) == 12
    can_season = n_b >= MIN_SEASONAL_MONTHS and all_months
    if seasonal is None:
        seasonal = can_season
    elif seasonal and not can_season:
        raise CompareInputError(
            f"{kpi or 'KPI'}: month-of-year effects need at least {MIN_SEASONAL_MONTHS} baseline "
            f"months covering all 12 calendar months (found {n_b} months, "
            f"{len(set(mb.tolist()))} calendar months). Fix: seasonal=False or a longer baseline"
        )
    note = ""
    if not seasonal:
        why = (
            f"fewer than 12 baseline months ({n_b})"
            if n_b < 12
            else f"{n_b} baseline months are too few for 11 month-of-year effects "
            f"(need {MIN_SEASONAL_MONTHS})"
            if n_b < MIN_SEASONAL_MONTHS
            else "the baseline does not cover all 12 calendar months"
        )
        note = f"trend-only: {why}; seasonal swings are not removed"

    t0 = int(tb[0])
    Xb = _design(tb, mb, t0, seasonal)
    Xa = _design(ta, ma, t0, seasonal)
    fit = sm.OLS(before.to_numpy(), Xb).fit()
    df = float(fit.df_resid)
    if df < 1:
        raise CompareInputError(f"{kpi or 'KPI'}: the baseline is too short to fit a trend")
    beta, scale = fit.params, float(fit.scale)
    cov, rho = _ar1_cov(Xb, tb, fit.resid, scale, autocorrelation)

    projected = Xa @ beta
    gap = later.to_numpy() - projected
    change = float(gap.mean())

    # Var(mean(e_after) - abar' beta_hat): noise of the after months + error of the fitted
    # line - 2 x their covariance (nonzero only when the months are autocorrelated).
    abar = Xa.mean(axis=0)
    if autocorrelation == "ar1":
        s_aa = scale * rho ** np.abs(ta[:, None] - ta[None, :])
        s_ba = scale * rho ** np.abs(tb[:, None] - ta[None, :])
        noise = float(s_aa.sum()) / n_a**2
        bread = np.linalg.pinv(Xb.T @ Xb) @ Xb.T
        cross = float(abar @ bread @ s_ba.sum(axis=1)) / n_a
    else:
        noise, cross = scale / n_a, 0.0
    var = noise + float(abar @ cov @ abar) - 2.0 * cross
    tq = float(stats.t.ppf(0.5 + level / 2, df))
    half = tq * math.sqrt(max(var, 0.0))

    per_month = np.sqrt(np.einsum("ij,jk,ik->i", Xa, cov, Xa) + scale)
    idx = later.index
    note = _autocorrelation_note(note, rho)
    return _finish(
        kpi=kpi,
        method="counterfactual",
        direction=direction,
        baseline=float(before.mean()),
        after=float(later.mean()),
        change=change,
        low=change - half,
        high=change + half,
        level=level,
        note=note,
        n_baseline=n_b,
        n_after=n_a,
        projected=pd.Series(projected, index=idx, name="projected"),
        band_low=pd.Series(projected - tq * per_month, index=idx, name="band_low"),
        band_high=pd.Series(projected + tq * per_month, index=idx, name="band_high"),
    )


def did(
    treated: pd.Series,
    control: pd.Series,
    go_live: pd.Period,
    *,
    baseline: tuple[pd.Period, pd.Period] | None = None,
    after: tuple[pd.Period, pd.Period] | None = None,
    direction: str = "higher",
    level: float = 0.95,
    autocorrelation: str = "ar1",
    kpi: str = "",
) -> Comparison:
    """Difference-in-differences against a group that did not get the CRM.

    ``change = (treated_after - treated_before) - (control_after - control_before)`` on
    monthly means. The control absorbs whatever moved both groups (market, season, prices);
    what is left is credited to the CRM, provided the two groups moved in parallel before
    go-live.

    The interval comes from the OLS regression on the monthly gap ``d = treated - control``:
    ``d = alpha + delta * after``. With two groups this is exactly the two-way model with
    group, month fixed effects and the group x after interaction (the month effects cancel in
    the gap), and ``delta`` equals the 2x2 estimate above. Its standard error uses the AR(1)
    sandwich of the module notes, because serially correlated months make plain DiD standard
    errors far too small ([2]_); a t distribution on the residual degrees of freedom gives the
    interval.

    Pre-trend check: on the baseline only, the gap is regressed on a linear trend; its slope
    (KPI units per month) and two-sided p-value are returned, and ``note`` says
    "pre-trends differ: DiD assumption doubtful" when p < 0.05.

    Parameters
    ----------
    treated, control : pandas.Series
        The KPI in the group with the CRM and in the group without, monthly ``PeriodIndex``.
        The control must have every month the treated series has in the windows.
    go_live : pandas.Period
        First month the CRM was live.
    baseline, after : tuple of two pandas.Period, optional
        Inclusive windows; defaults as in :func:`naive` (from the treated series).
    direction : {"higher", "lower"}
        Which way is better for this KPI.
    level : float, fraction
        Interval level.
    autocorrelation : {"ar1", "none"}
        ``"ar1"``: AR(1)-robust interval (default); ``"none"``: independent months.
    kpi : str
        KPI name stored in the result.

    Returns
    -------
    Comparison
        ``method="did"``; ``baseline``/``after`` are the treated group's means;
        ``pretrend_slope`` and ``pretrend_p`` are set.

    Raises
    ------
    GapError
        The control lacks months that the treated series has (the months are named).

    References
    ----------
    .. [1] Angrist, J. D. and Pischke, J.-S. (2009). *Mostly Harmless Econometrics*, ch. 5.
    .. [2] Bertrand, M., Duflo, E. and Mullainathan, S. (2004). How much should we trust
       differences-in-differences estimates? *QJE* 119(1), 249-275.
    """
    _check_direction(direction)
    _check_level(level)
    _check_autocorrelation(autocorrelation)
    go_live = _as_period(go_live, "go_live")
    name = kpi or "KPI"
    treated = _check_series(treated, f"treated {name!r}")
    control = _check_series(control, f"control {name!r}")
    t_before, t_after = _split(treated, go_live, baseline, after, f"treated {name}")
    used = t_before.index.append(t_after.index)
    missing = used.difference(control.index)
    if len(missing):
        shown = ", ".join(str(p) for p in missing[:24]) + (" ..." if len(missing) > 24 else "")
        raise GapError(
            f"the control series for {name} is missing {len(missing)} month(s) the treated "
            f"series has: {shown}",
            column=kpi or None,
            fix="add those months to the control group's data, or drop them from the treated "
            "series too",
        )
    c_before, c_after = control.reindex(t_before.index), control.reindex(t_after.index)
    change = float((t_after.mean() - t_before.mean()) - (c_after.mean() - c_before.mean()))

    gap = pd.concat([t_before - c_before, t_after - c_after])
    t = gap.index.asi8.astype(float)
    post = (gap.index >= t_after.index.min()).astype(float)
    X = np.column_stack([np.ones(len(t)), post])
    fit = sm.OLS(gap.to_numpy(), X).fit()
    cov, rho = _ar1_cov(X, t, fit.resid, float(fit.scale), autocorrelation)
    df = float(fit.df_resid)
    tq = float(stats.t.ppf(0.5 + level / 2, df))
    half = tq * math.sqrt(max(float(cov[1, 1]), 0.0))

    slope, p_value = _pretrend(gap.iloc[: len(t_before)], autocorrelation)
    note = ""
    if p_value < 0.05:
        note = (
            f"pre-trends differ: DiD assumption doubtful (baseline gap drifts {slope:+.3g} a "
            f"month, p = {p_value:.3f})"
        )
    note = _autocorrelation_note(note, rho)
    return _finish(
        kpi=kpi,
        method="did",
        direction=direction,
        baseline=float(t_before.mean()),
        after=float(t_after.mean()),
        change=change,
        low=change - half,
        high=change + half,
        level=level,
        note=note,
        n_baseline=len(t_before),
        n_after=len(t_after),
        pretrend_slope=slope,
        pretrend_p=p_value,
    )


def _pretrend(gap: pd.Series, autocorrelation: str) -> tuple[float, float]:
    """Slope (per month) of the baseline treated-control gap and its two-sided p-value."""
    t = gap.index.asi8.astype(float)
    X = np.column_stack([np.ones(len(t)), t - t[0]])
    fit = sm.OLS(gap.to_numpy(), X).fit()
    cov, _ = _ar1_cov(X, t, fit.resid, float(fit.scale), autocorrelation)
    se = math.sqrt(max(float(cov[1, 1]), 0.0))
    slope = float(fit.params[1])
    if se == 0.0:
        # A perfectly straight gap: no noise to test against.
        return slope, 0.0 if slope != 0 else 1.0
    p_value = float(2 * stats.t.sf(abs(slope / se), fit.df_resid))
    return slope, p_value


def placebo(
    series: pd.Series,
    go_live: pd.Period,
    *,
    method: str = "counterfactual",
    control: pd.Series | None = None,
    fake_go_live: pd.Period | None = None,
    baseline: tuple[pd.Period, pd.Period] | None = None,
    direction: str = "higher",
    level: float = 0.95,
    kpi: str = "",
    **options: object,
) -> Comparison:
    """Run a method with a fake go-live inside the baseline, where nothing happened.

    Only baseline data are used. A sound method should find no effect here: its interval
    should include zero. If it finds one, its real result deserves suspicion too (a seasonal
    or trend pattern the method does not capture, or a control that does not track).

    Parameters
    ----------
    series : pandas.Series
        The KPI (the treated group's for DiD), monthly ``PeriodIndex``.
    go_live : pandas.Period
        The real go-live; only months before it (within ``baseline``) are used.
    method : {"counterfactual", "did", "naive"}
        The method to test.
    control : pandas.Series, optional
        The control series; required for ``method="did"``.
    fake_go_live : pandas.Period, optional
        Default: the baseline is split so that the fake after period has ``min(12, half)``
        months, shortened when the fit would otherwise lose the months it needs (for the
        counterfactual: ``MIN_SEASONAL_MONTHS`` when the baseline allows a seasonal fit at
        all, so the placebo tests the same model as the real run).
    baseline : tuple of two pandas.Period, optional
        Inclusive baseline window (default: every month before go-live).
    direction, level, kpi
        As in the methods.
    **options
        Passed on to the method (e.g. ``autocorrelation``, ``n_boot``, ``seed``).

    Returns
    -------
    Comparison
        ``method="placebo-<method>"``, ``fake_go_live`` set.
    """
    if method not in ("counterfactual", "did", "naive"):
        raise CompareInputError(
            f"placebo method must be 'counterfactual', 'did' or 'naive' (found {method!r})"
        )
    if method == "did" and control is None:
        raise CompareInputError("a DiD placebo needs the control series (control=...)")
    go_live = _as_period(go_live, "go_live")
    series = _check_series(series, f"KPI {kpi!r}" if kpi else "the KPI series")
    b0, b1, _, _ = _windows(series.index, go_live, baseline, None)
    base = series[(series.index >= b0) & (series.index <= b1)]
    n_b = len(base)
    if fake_go_live is None:
        n_fake = min(12, n_b // 2)
        if method == "counterfactual":
            seasonal_ok = n_b - 3 >= MIN_SEASONAL_MONTHS
            min_fit = MIN_SEASONAL_MONTHS if seasonal_ok else MIN_BASELINE_MONTHS
            n_fake = min(n_fake, n_b - min_fit)
        if n_fake < MIN_AFTER_MONTHS or n_b - n_fake < MIN_BASELINE_MONTHS:
            raise CompareInputError(
                f"{kpi or 'KPI'}: {n_b} baseline months are too few for a placebo test "
                f"(need at least {MIN_BASELINE_MONTHS + MIN_AFTER_MONTHS})"
            )
        fake = base.index[n_b - n_fake]
    else:
        fake = _as_period(fake_go_live, "fake_go_live")
        if not (b0 < fake <= b1):
            raise CompareInputError(
                f"fake_go_live {fake} must lie inside the baseline ({b0}..{b1}), after its "
                "first month"
            )
    windows = {"baseline": (b0, fake - 1), "after": (fake, b1)}
    if method == "counterfactual":
        result = counterfactual(
            base, fake, direction=direction, level=level, kpi=kpi, **windows, **options
        )
    elif method == "did":
        result = did(
            base, control, fake, direction=direction, level=level, kpi=kpi, **windows, **options
        )
    else:
        result = naive(base, fake, direction=direction, level=level, kpi=kpi, **windows, **options)
    verdict = (
        "placebo found an 'effect' where there is none: treat the real result with caution"
        if result.excludes_zero
        else "placebo finds no effect, as it should"
    )
    return replace(
        result,
        method=f"placebo-{method}",
        note=_join(f"fake go-live {fake} inside the baseline; {verdict}", result.note),
        fake_go_live=fake,
    )


# --------------------------------------------------------------------------------------------
# words


def percentage_points(value: float) -> str:
    """Format a change in a fraction (0.031) as percentage points ("3.1 points")."""
    return f"{value * 100:.1f} points"


def _number(value: float) -> str:
    """A KPI-unit number with sensible precision (3 significant digits, at least 1 decimal)."""
    mag = abs(value)
    if mag >= 1000:
        return f"{value:,.0f}"
    if mag >= 10:
        return f"{value:.1f}"
    if mag >= 0.1 or mag == 0:
        return f"{value:.2f}"
    return f"{value:.3g}"


def _signed(text: str, value: float) -> str:
    return text if text.startswith("-") or value == 0 else "+" + text


def _span(fmt: Callable[[float], str], low: float, high: float) -> str:
    """``"+1.2 to +5.0 points"``: the unit once when both ends share it."""
    lo, hi = _signed(fmt(low), low), _signed(fmt(high), high)
    lo_num, _, lo_unit = lo.partition(" ")
    hi_num, _, hi_unit = hi.partition(" ")
    if lo_unit and lo_unit == hi_unit:
        return f"{lo_num} to {hi_num} {hi_unit}"
    return f"{lo} to {hi}"


def reading(
    comparison: Comparison,
    *,
    label: str,
    unit_formatter: Callable[[float], str] | None = None,
    target: float | None = None,
    target_kind: str = "absolute",
) -> str:
    """One plain-language line reading a comparison, aware of which direction is better.

    An interval that includes zero is said so in words and never called a gain.

    Parameters
    ----------
    comparison : Comparison
        The result to read.
    label : str
        The KPI's name in words ("Win rate").
    unit_formatter : callable, optional
        Formats a signed value in KPI units (e.g. :func:`percentage_points` for fractions,
        ``lambda v: f"{v:.1f} days"``). Default: a plain number.
    target : float, optional
        The goal for ``change``: in KPI units (``target_kind="absolute"``, e.g. 0.05 for +5
        points of win rate) or as a fraction of the baseline (``"relative"``, e.g. -0.20 for
        20% shorter). Its sign says which way the goal points.
    target_kind : {"absolute", "relative"}
        How to read ``target``.

    Returns
    -------
    str
        For example ``"Win rate rose 3.1 points (95% interval +1.2 to +5.0 points); the
        target was +5.0 points: not yet met"``.
    """
    if target_kind not in ("absolute", "relative"):
        raise CompareInputError(
            f"target_kind must be 'absolute' or 'relative' (found {target_kind!r})"
        )
    c = comparison
    fmt = unit_formatter or _number
    if not np.isfinite(c.change):
        return f"{label}: not measured ({c.note})" if c.note else f"{label}: not measured"
    pct_level = f"{c.level * 100:g}%"
    interval = f"{pct_level} interval {_span(fmt, c.low, c.high)}"
    if c.method.startswith("placebo"):
        found = "finds" if c.excludes_zero else "finds no effect"
        if c.excludes_zero:
            return (
                f"{label}, placebo check (fake go-live {c.fake_go_live}): the method {found} "
                f"{_signed(fmt(c.change), c.change)} ({interval}) where nothing happened; "
                "treat the real result with caution"
            )
        return (
            f"{label}, placebo check (fake go-live {c.fake_go_live}): the method {found} "
            f"({_signed(fmt(c.change), c.change)}, {interval}), as it should"
        )
    verb = "rose" if c.change > 0 else "fell" if c.change < 0 else "did not change"
    size = fmt(abs(c.change)) if c.change != 0 else ""
    head = f"{label} {verb}" + (f" {size}" if size else "")
    if c.method != "naive" and c.method != "did":
        head += " compared with its baseline trend" if c.method == "counterfactual" else ""
    elif c.method == "did":
        head += " relative to the control group"
    text = f"{head} ({interval})"
    if not c.excludes_zero:
        text += "; the interval includes zero, so this is not yet evidence of a change"
    elif c.improvement:
        text += "; an improvement"
    else:
        text += "; a change for the worse"
    if target is not None and np.isfinite(target):
        text += "; " + _target_words(c, fmt, float(target), target_kind)
    if c.method == "naive":
        text += " (naive before/after: includes any trend and season)"
    return text


def _target_words(c: Comparison, fmt: Callable[[float], str], target: float, kind: str) -> str:
    if kind == "relative":
        if not np.isfinite(c.pct_change):
            return f"the target was {target:+.0%}: cannot be judged (baseline mean is zero)"
        scale = c.baseline
        shown = f"{target * 100:+.0f}%"
        estimate, low, high = c.pct_change, c.low / scale, c.high / scale
        if scale < 0:
            low, high = high, low
    else:
        shown = _signed(fmt(target), target)
        estimate, low, high = c.change, c.low, c.high
    if target >= 0:
        met_all, met_point = low >= target, estimate >= target
    else:
        met_all, met_point = high <= target, estimate <= target
    if met_all:
        verdict = "met"
    elif met_point:
        verdict = "met by the estimate, but the interval does not rule out falling short"
    else:
        verdict = "not yet met"
    return f"the target was {shown}: {verdict}"


# --------------------------------------------------------------------------------------------
# many KPIs at once

_FRAME_COLUMNS = [
    "kpi",
    "method",
    "baseline",
    "after",
    "change",
    "pct_change",
    "low",
    "high",
    "excludes_zero",
    "improvement",
    "reading",
    "note",
]


def compare_frame(
    kpis: pd.DataFrame,
    *,
    go_live: pd.Period,
    baseline: tuple[pd.Period, pd.Period],
    after: tuple[pd.Period, pd.Period],
    directions: Mapping[str, str],
    labels: Mapping[str, str] | None = None,
    group_column: str | None = None,
    treated: str | None = None,
    control: str | None = None,
    targets: Mapping[str, tuple[float, str]] | None = None,
    methods: Sequence[str] = ("naive", "counterfactual", "did"),
    level: float = 0.95,
    seed: int = 0,
    formatters: Mapping[str, Callable[[float], str]] | None = None,
) -> pd.DataFrame:
    """Compare every KPI by every method; one tidy row per KPI and method.

    Parameters
    ----------
    kpis : pandas.DataFrame
        A ``month`` column (Period[M]) and one column per KPI; plus ``group_column`` when a
        control group exists (the treated group's rows are the ones measured).
    go_live : pandas.Period
        First month the CRM was live.
    baseline, after : tuple of two pandas.Period
        Inclusive windows.
    directions : mapping of str to {"higher", "lower"}
        The KPIs to compare (its keys, in order) and which way is better for each.
    labels : mapping of str to str, optional
        Words for each KPI in the readings (default: the column name).
    group_column, treated, control : str, optional
        The column naming the group, and its values for the CRM group and the control group.
        Without a control, DiD rows are left out.
    targets : mapping of str to (float, str), optional
        Per KPI ``(target, target_kind)`` as in :func:`reading`.
    methods : sequence of str
        Any of ``"naive"``, ``"counterfactual"``, ``"did"``. A placebo row is added for the
        counterfactual and for DiD.
    level : float, fraction
        Interval level.
    seed : int
        Seed of the naive bootstrap.
    formatters : mapping of str to callable, optional
        Per KPI unit formatter for the readings. Default: :func:`percentage_points` for the
        fraction KPIs of the data contract (``win_rate``, ``lead_conversion``), plain numbers
        otherwise.

    Returns
    -------
    pandas.DataFrame
        Columns ``kpi, method, baseline, after, change, pct_change, low, high, excludes_zero,
        improvement, reading, note``. A KPI with missing values in the windows has those
        months dropped (named in ``note``); one left with too few months gets a row of NaN
        whose ``note`` says why.
    """
    unknown = [m for m in methods if m not in ("naive", "counterfactual", "did")]
    if unknown:
        raise CompareInputError(
            f"unknown method(s) {unknown}; choose from 'naive', 'counterfactual', 'did'"
        )
    if "month" not in kpis.columns:
        raise CompareInputError("the KPI table needs a 'month' column")
    go_live = _as_period(go_live, "go_live")
    b0, b1 = (_as_period(p, "baseline bound") for p in baseline)
    a0, a1 = (_as_period(p, "after bound") for p in after)
    labels = labels or {}
    targets = targets or {}
    formatters = formatters or {}
    missing_cols = [k for k in directions if k not in kpis.columns]
    if missing_cols:
        raise CompareInputError(f"KPI column(s) not in the table: {', '.join(missing_cols)}")

    treated_rows, control_rows = _groups(kpis, group_column, treated, control)
    has_control = control_rows is not None
    rows: list[dict[str, object]] = []
    for kpi, direction in directions.items():
        _check_direction(direction)
        label = labels.get(kpi, kpi)
        fmt = formatters.get(kpi, percentage_points if kpi in _FRACTION_KPIS else None)
        target = targets.get(kpi)
        t_series, t_note = _window_series(treated_rows, kpi, (b0, b1), (a0, a1), "")
        c_series, c_note = (None, "")
        if has_control:
            c_series, c_note = _window_series(control_rows, kpi, (b0, b1), (a0, a1), "control ")
        names = _row_methods(methods, has_control)
        pair_note = ""
        if has_control:
            # DiD needs both groups each month: months the control lacks are dropped here
            # (named in the note); did() itself refuses such a control outright.
            no_ctl = t_series.index.difference(c_series.index)
            if len(no_ctl):
                pair_note = f"dropped {len(no_ctl)} month(s) without control data: " + ", ".join(
                    str(p) for p in no_ctl
                )
            both = t_series.index.intersection(c_series.index)
            pair = (t_series.reindex(both), c_series.reindex(both))
        for name in names:
            note = _join(t_note, c_note, pair_note) if name.endswith("did") else t_note
            common = {"direction": direction, "level": level, "kpi": kpi}
            try:
                if name == "naive":
                    result = naive(
                        t_series, go_live, baseline=(b0, b1), after=(a0, a1), seed=seed, **common
                    )
                elif name == "counterfactual":
                    result = counterfactual(
                        t_series, go_live, baseline=(b0, b1), after=(a0, a1), **common
                    )
                elif name == "placebo-counterfactual":
                    result = placebo(t_series, go_live, baseline=(b0, b1), **common)
                elif name == "did":
                    result = did(*pair, go_live, baseline=(b0, b1), after=(a0, a1), **common)
                else:
                    result = placebo(
                        pair[0], go_live, method="did", control=pair[1], baseline=(b0, b1), **common
                    )
            except RoiKitError as exc:
                rows.append(_failed_row(kpi, name, _join(note, f"not computed: {exc}"), label))
                continue
            result = _noted(result, note)
            tgt, kind = target if target is not None else (None, "absolute")
            text = reading(
                result,
                label=label,
                unit_formatter=fmt,
                target=None if name.startswith("placebo") else tgt,
                target_kind=kind,
            )
            rows.append(_row(result, text))
    return pd.DataFrame(rows, columns=_FRAME_COLUMNS)


def _row_methods(methods: Sequence[str], has_control: bool) -> list[str]:
    """Row methods in display order: each method, then its placebo; DiD only with a control."""
    names: list[str] = []
    for method in methods:
        if method == "did" and not has_control:
            continue
        names.append(method)
        if method in ("counterfactual", "did"):
            names.append(f"placebo-{method}")
    return names


def _groups(
    kpis: pd.DataFrame, group_column: str | None, treated: str | None, control: str | None
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    if group_column is None:
        if treated is not None or control is not None:
            raise CompareInputError("treated/control need group_column (the column naming them)")
        return kpis, None
    if group_column not in kpis.columns:
        raise CompareInputError(f"group column {group_column!r} is not in the KPI table")
    if treated is None:
        raise CompareInputError(
            f"group_column {group_column!r} is set: name the CRM group with treated=..."
        )
    groups = set(kpis[group_column].dropna().astype(str))
    for name in (treated, control):
        if name is not None and name not in groups:
            raise CompareInputError(
                f"group {name!r} is not in column {group_column!r} (found {sorted(groups)})"
            )
    t_rows = kpis[kpis[group_column].astype(str) == treated]
    c_rows = None if control is None else kpis[kpis[group_column].astype(str) == control]
    return t_rows, c_rows


def _window_series(
    rows: pd.DataFrame,
    kpi: str,
    baseline: tuple[pd.Period, pd.Period],
    after: tuple[pd.Period, pd.Period],
    who: str,
) -> tuple[pd.Series, str]:
    """The KPI over the two windows as a monthly Series, NaN months dropped and named."""
    try:
        index = pd.PeriodIndex(rows["month"], freq="M")
    except (ValueError, TypeError) as exc:
        raise CompareInputError(f"the 'month' column must hold months ({exc})") from exc
    values = pd.to_numeric(rows[kpi], errors="coerce").astype(float)
    series = pd.Series(values.to_numpy(), index=index, name=kpi)
    inside = ((index >= baseline[0]) & (index <= baseline[1])) | (
        (index >= after[0]) & (index <= after[1])
    )
    series = series[inside]
    bad = ~np.isfinite(series.to_numpy())
    note = ""
    if bad.any():
        months = ", ".join(str(p) for p in series.index[bad])
        note = f"dropped {int(bad.sum())} {who}month(s) with missing values: {months}"
        series = series[~bad]
    return series, note


def _noted(result: Comparison, note: str) -> Comparison:
    return replace(result, note=_join(result.note, note)) if note else result


def _row(c: Comparison, text: str) -> dict[str, object]:
    return {
        "kpi": c.kpi,
        "method": c.method,
        "baseline": c.baseline,
        "after": c.after,
        "change": c.change,
        "pct_change": c.pct_change,
        "low": c.low,
        "high": c.high,
        "excludes_zero": c.excludes_zero,
        "improvement": c.improvement,
        "reading": text,
        "note": c.note,
    }


def _failed_row(kpi: str, method: str, note: str, label: str) -> dict[str, object]:
    nan = math.nan
    return {
        "kpi": kpi,
        "method": method,
        "baseline": nan,
        "after": nan,
        "change": nan,
        "pct_change": nan,
        "low": nan,
        "high": nan,
        "excludes_zero": False,
        "improvement": False,
        "reading": f"{label}: not measured ({note})",
        "note": note,
    }


def compare_all(
    case: Any,
    *,
    methods: Sequence[str] = ("naive", "counterfactual", "did"),
    level: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Compare every KPI of a case by every method (the case-level entry point).

    Directions and labels come from the KPI catalogue (and the case's custom KPIs),
    targets from the case's goals, the control group from ``case.groups``. Fractions
    (win rate) speak in percentage points; other KPIs in their own unit.

    Parameters
    ----------
    case : roi_kit.case.config.Case
        A review case (a projection has no after period to measure).
    methods : sequence of str
        Any of ``"naive"``, ``"counterfactual"``, ``"did"`` (DiD needs a control group).
    level : float, fraction
        Interval level.
    seed : int
        Seed of the naive bootstrap.

    Returns
    -------
    pandas.DataFrame
        As :func:`compare_frame`: one row per KPI and method, placebo rows included.
    """
    # Imported here: roi_kit.case.config imports the loaders, which need not load for pure
    # DataFrame use of this module.
    from roi_kit.case import format_value, get_kpi, kpi_columns

    if case.after is None:
        raise CompareInputError(
            f"case {case.name!r} is a projection: there is no after period to measure; "
            "its changes are the expected_changes in case.yml"
        )
    directions: dict[str, str] = {}
    labels: dict[str, str] = {}
    formatters: dict[str, Callable[[float], str]] = {}
    for name in kpi_columns(case):
        kpi = get_kpi(name, case.custom_kpis)
        directions[name] = kpi.direction
        labels[name] = kpi.label
        if name not in _FRACTION_KPIS:
            formatters[name] = partial(format_value, kpi=kpi, currency=case.currency)
    targets = {g.kpi: (g.target, g.target_kind) for g in case.goals}
    group = case.groups
    wanted = [m for m in methods if m != "did" or group is not None]
    return compare_frame(
        case.kpis,
        go_live=case.go_live,
        baseline=case.baseline,
        after=case.after,
        directions=directions,
        labels=labels,
        group_column=None if group is None else group.column,
        treated=None if group is None else group.treated,
        control=None if group is None else group.control,
        targets=targets,
        methods=wanted,
        level=level,
        seed=seed,
        formatters=formatters,
    )
