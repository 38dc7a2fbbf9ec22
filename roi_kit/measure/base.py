"""What every comparison method shares: the result type, input checks, windows, statistics.

The methods themselves live one per module (:mod:`~roi_kit.measure.before_after`,
:mod:`~roi_kit.measure.projection`, :mod:`~roi_kit.measure.diff_in_diff`,
:mod:`~roi_kit.measure.placebo_check`); this module holds the pieces they have in common, so
each input is checked one way and each result is built one way (:func:`_finish`).

Inputs are monthly: a KPI is a :class:`pandas.Series` indexed by a :class:`pandas.PeriodIndex`
of frequency ``"M"``, one value a month. Every refusal is a :class:`CompareInputError` (a
:class:`~roi_kit.errors.RoiKitError`) that names the input, what was found and the fix.

Autocorrelation
---------------
Monthly business KPIs are autocorrelated: a good month tends to follow a good month. Intervals
that assume independent months are then too narrow. The regression-based methods
(:func:`~roi_kit.measure.counterfactual`, :func:`~roi_kit.measure.did` and the DiD pre-trend
test) therefore use an AR(1) sandwich covariance (:func:`_ar1_cov`): the OLS point estimates
are kept, and their covariance is computed as ``(X'X)^-1 X' S X (X'X)^-1`` with
``S[i, j] = s^2 rho^|t_i - t_j|``, where ``s^2`` is the residual variance and ``rho`` the
lag-1 autocorrelation of the residuals, corrected for the bias OLS residuals have under
independence and floored at zero (the correction only ever widens an interval). Unlike a
Newey-West (HAC) kernel, which is unreliable with 24-36 points and a dozen parameters, the
one-parameter AR(1) form stays stable on short series, handles missing months (lags are
counted in calendar months) and covers the noise of the after months and its correlation
with the baseline fit in one formula. Pass ``autocorrelation="none"`` for the textbook
independent-errors interval.

References
----------
.. [1] Bertrand, M., Duflo, E. and Mullainathan, S. (2004). How much should we trust
   differences-in-differences estimates? *QJE* 119(1), 249-275 (serial correlation in DiD).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from roi_kit.errors import RoiKitError

__all__ = [
    "CompareInputError",
    "Comparison",
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
        ``placebo`` only: the fake go-live month used (the last one for a rolling placebo).
    mde : float
        Minimum detectable effect: the smallest change (absolute, in KPI units) that this
        method on these data detects with 80% power at a 5% two-sided level, from the same
        noise model as the interval. NaN when not computed.
    valid : bool
        False when a check found that the method's assumptions fail on these data (a random
        walk for a fixed-trend model, diverging pre-trends for DiD, too few months ...): the
        row is shown with its reason but its estimate is never counted as money.
    validity : str
        Why ``valid`` is False, in words (empty when valid).
    pretrend_bias, pretrend_bias_low, pretrend_bias_high : float or None
        DiD only: the bias over the after period that the baseline pre-trend implies if it
        continued, in KPI units, with its interval at ``level``.
    placebo_runs, placebo_flags : int or None
        Placebo only: how many fake go-lives were run and how many of them flagged an effect
        (interval excluding zero).
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
    mde: float = math.nan
    valid: bool = True
    validity: str = ""
    pretrend_bias: float | None = None
    pretrend_bias_low: float | None = None
    pretrend_bias_high: float | None = None
    placebo_runs: int | None = None
    placebo_flags: int | None = None


# --------------------------------------------------------------------------------------------
# input checks and windows (the one input-check idiom of this layer: a _check_* function or
# _as_period per input, raising CompareInputError with what, where and the fix)


def _check_direction(direction: str) -> None:
    """Refuse a ``direction`` other than ``"higher"`` or ``"lower"``."""
    if direction not in ("higher", "lower"):
        raise CompareInputError(
            f"direction must be 'higher' or 'lower' (found {direction!r}). Fix: say which way "
            "is better for this KPI, e.g. 'lower' for sales_cycle_days"
        )


def _check_level(level: float) -> None:
    """Refuse an interval level outside [0.5, 1) (a fraction, not a percentage)."""
    if not (isinstance(level, int | float) and 0.5 <= float(level) < 1.0):
        raise CompareInputError(
            f"level must be a fraction in [0.5, 1) (found {level!r}). Fix: 0.95 for a 95% interval"
        )


def _as_period(value: object, what: str) -> pd.Period:
    """``value`` as a monthly :class:`pandas.Period`; ``what`` names it in the error."""
    try:
        period = pd.Period(value, freq="M")
    except (ValueError, TypeError) as exc:
        raise CompareInputError(
            f"{what} must be a month (found {value!r}). Fix: give it as pd.Period('2024-01', 'M')"
        ) from exc
    return period


def _check_autocorrelation(autocorrelation: str) -> None:
    """Refuse an error model other than ``"ar1"`` or ``"none"``."""
    if autocorrelation not in ("ar1", "none"):
        raise CompareInputError(
            f"autocorrelation must be 'ar1' or 'none' (found {autocorrelation!r})"
        )


def _check_options(
    direction: str, level: float, go_live: object, autocorrelation: str | None = None
) -> pd.Period:
    """Check the options every method takes, in one order; return ``go_live`` as a month.

    ``autocorrelation`` is checked only when given (the bootstrap has no error model).
    """
    _check_direction(direction)
    _check_level(level)
    if autocorrelation is not None:
        _check_autocorrelation(autocorrelation)
    return _as_period(go_live, "go_live")


def _series_name(kpi: str) -> str:
    """How a KPI series is named in an input error."""
    return f"KPI {kpi!r}" if kpi else "the KPI series"


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
    """The baseline and after parts of ``series``; refuse windows with too few months."""
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
# shared statistics and the result builder


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
    """Build the :class:`Comparison`: derive ``pct_change``, ``excludes_zero`` and ``improvement``.

    ``extras`` are the method-specific fields (``projected``, ``pretrend_p`` ...).
    """
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
    """Join the non-empty note parts with ``"; "``."""
    return "; ".join(p for p in parts if p)
