"""The counterfactual comparison: actual KPI minus a trend-and-season projection.

A linear trend plus month-of-year effects is fitted on the baseline months only and projected
over the after months; the effect is the mean gap between what happened and that projection
(intervention analysis; the idea behind CausalImpact).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

# The OLS class itself, not statsmodels.api: the api module loads every model family and
# costs about a second at import.
from statsmodels.regression.linear_model import OLS

from roi_kit.measure.base import (
    MIN_SEASONAL_MONTHS,
    CompareInputError,
    Comparison,
    _ar1_cov,
    _autocorrelation_note,
    _check_options,
    _check_series,
    _finish,
    _series_name,
    _split,
)

__all__ = ["counterfactual"]


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
    the baseline residuals (see :mod:`roi_kit.measure.base`), so autocorrelated months widen it.

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

    Examples
    --------
    A straight line (+2 a month) with a step of +4 from go-live; ten baseline months are too
    few for seasonality, so the fit is trend-only and recovers the step:

    >>> import numpy as np
    >>> import pandas as pd
    >>> y = pd.Series(20 + 2.0 * np.arange(16),
    ...               index=pd.period_range("2023-01", periods=16, freq="M"))
    >>> y.iloc[10:] += 4
    >>> r = counterfactual(y, pd.Period("2023-11", "M"))
    >>> round(r.change, 6), r.note.startswith("trend-only")
    (4.0, True)
    """
    go_live = _check_options(direction, level, go_live, autocorrelation)
    series = _check_series(series, _series_name(kpi))
    before, later = _split(series, go_live, baseline, after, kpi or "KPI")
    tb, ta = before.index.asi8.astype(float), later.index.asi8.astype(float)
    mb, ma = before.index.month.to_numpy(), later.index.month.to_numpy()
    n_b, n_a = len(before), len(later)
    seasonal, note = _seasonality(seasonal, n_b, mb, kpi)

    t0 = int(tb[0])
    Xb = _design(tb, mb, t0, seasonal)
    Xa = _design(ta, ma, t0, seasonal)
    fit = OLS(before.to_numpy(), Xb).fit()
    df = float(fit.df_resid)
    if df < 1:
        raise CompareInputError(f"{kpi or 'KPI'}: the baseline is too short to fit a trend")
    beta, scale = fit.params, float(fit.scale)
    cov, rho = _ar1_cov(Xb, tb, fit.resid, scale, autocorrelation)

    projected = Xa @ beta
    gap = later.to_numpy() - projected
    change = float(gap.mean())
    var = _effect_variance(Xb, Xa, tb, ta, cov, scale, rho, autocorrelation)
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


def _seasonality(seasonal: bool | None, n_b: int, months: np.ndarray, kpi: str) -> tuple[bool, str]:
    """Whether to fit month-of-year effects, and the note saying why not when not.

    ``months`` are the calendar months (1-12) of the ``n_b`` baseline rows. ``None`` picks
    seasonal when the baseline allows it; forcing ``True`` without enough months is refused.
    """
    all_months = len(set(months.tolist())) == 12
    can_season = n_b >= MIN_SEASONAL_MONTHS and all_months
    if seasonal is None:
        seasonal = can_season
    elif seasonal and not can_season:
        raise CompareInputError(
            f"{kpi or 'KPI'}: month-of-year effects need at least {MIN_SEASONAL_MONTHS} baseline "
            f"months covering all 12 calendar months (found {n_b} months, "
            f"{len(set(months.tolist()))} calendar months). Fix: seasonal=False or a longer "
            "baseline"
        )
    if seasonal:
        return True, ""
    why = (
        f"fewer than 12 baseline months ({n_b})"
        if n_b < 12
        else f"{n_b} baseline months are too few for 11 month-of-year effects "
        f"(need {MIN_SEASONAL_MONTHS})"
        if n_b < MIN_SEASONAL_MONTHS
        else "the baseline does not cover all 12 calendar months"
    )
    return False, f"trend-only: {why}; seasonal swings are not removed"


def _effect_variance(
    Xb: np.ndarray,
    Xa: np.ndarray,
    tb: np.ndarray,
    ta: np.ndarray,
    cov: np.ndarray,
    scale: float,
    rho: float,
    autocorrelation: str,
) -> float:
    """Variance of the estimated effect, in squared KPI units.

    ``Var(mean(e_after) - abar' beta_hat)``: noise of the after months + error of the fitted
    line - 2 x their covariance (nonzero only when the months are autocorrelated). ``tb`` and
    ``ta`` are month ordinals of the baseline and after rows, ``cov`` the coefficient
    covariance and ``scale`` the residual variance of the baseline fit.
    """
    n_a = len(ta)
    abar = Xa.mean(axis=0)
    if autocorrelation == "ar1":
        s_aa = scale * rho ** np.abs(ta[:, None] - ta[None, :])
        s_ba = scale * rho ** np.abs(tb[:, None] - ta[None, :])
        noise = float(s_aa.sum()) / n_a**2
        bread = np.linalg.pinv(Xb.T @ Xb) @ Xb.T
        cross = float(abar @ bread @ s_ba.sum(axis=1)) / n_a
    else:
        noise, cross = scale / n_a, 0.0
    return noise + float(abar @ cov @ abar) - 2.0 * cross


def _design(t: np.ndarray, months: np.ndarray, t0: int, seasonal: bool) -> np.ndarray:
    """Columns: constant, trend (years since the first baseline month), 11 month dummies."""
    cols = [np.ones(len(t)), (t - t0) / 12.0]
    if seasonal:
        cols += [(months == m).astype(float) for m in range(2, 13)]
    return np.column_stack(cols)
