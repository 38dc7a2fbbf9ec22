"""The counterfactual comparison: actual KPI minus a trend-and-season projection.

A linear trend plus month-of-year effects is fitted on the baseline months only and projected
over the after months; the effect is the mean gap between what happened and that projection
(intervention analysis; the idea behind CausalImpact).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from roi_kit.measure.base import (
    MIN_SEASONAL_MONTHS,
    CompareInputError,
    Comparison,
    _check_options,
    _check_series,
    _finish,
    _join,
    _series_name,
    _split,
)
from roi_kit.measure.detectable import mde_from_interval
from roi_kit.measure.noise_model import fit_ar1, interval, predict, prediction_cov
from roi_kit.measure.stationarity import stationarity_check

__all__ = ["counterfactual", "MIN_VALID_SEASONAL_MONTHS", "projection_error_cov"]

#: Fewest baseline months for which the trend + season counterfactual is presented as valid
#: (measured with benchmarks/calibration_scenarios.py; see :func:`_validity`).
MIN_VALID_SEASONAL_MONTHS = 24


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

    The noise is modelled as AR(1) and the model fitted by restricted likelihood, averaging
    over the autocorrelation instead of plugging one estimate in (:mod:`noise_model`): the
    projection is the GLS trend and season plus what the last baseline residuals say about
    the first after months, and the interval is that prediction's error (the uncertainty of
    the fitted line, the noise of the after months and their correlation). The minimum
    detectable effect comes from the same interval. A stationarity check (ADF/KPSS,
    :mod:`stationarity`) on the baseline residuals warns when the level may wander like a
    random walk.

    ``valid`` is False (and ``validity`` says why) when the model cannot be trusted on this
    baseline: a trend-only fit chosen because the baseline is too short to separate the
    season from the trend, a seasonal fit on fewer than ``MIN_VALID_SEASONAL_MONTHS``, or
    a baseline whose level may wander like a random walk (:func:`stationarity_check`).

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
        the model is trend-only, ``note`` says so and the result is not valid (it cannot
        tell a season from a trend). ``False``: the caller says the KPI has no season, and a
        trend-only fit is valid. Forcing ``True`` without enough months is refused.
    autocorrelation : {"ar1", "none"}
        ``"ar1"``: AR(1) noise with the autocorrelation averaged out (default); ``"none"``:
        independent months (the textbook OLS prediction interval).
    kpi : str
        KPI name stored in the result.

    Returns
    -------
    Comparison
        ``method="counterfactual"``, with ``projected``, ``band_low`` and ``band_high``
        (per-month prediction band: where one month's value would fall with no effect),
        ``mde``, ``valid`` and ``validity``.

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
    >>> round(r.change, 6), "trend-only" in r.note, r.valid
    (4.0, True, False)

    Said to have no season, the same fit is valid:

    >>> counterfactual(y, pd.Period("2023-11", "M"), seasonal=False).valid
    True
    """
    go_live = _check_options(direction, level, go_live, autocorrelation)
    series = _check_series(series, _series_name(kpi))
    before, later = _split(series, go_live, baseline, after, kpi or "KPI")
    tb, ta = before.index.asi8.astype(float), later.index.asi8.astype(float)
    mb, ma = before.index.month.to_numpy(), later.index.month.to_numpy()
    n_b, n_a = len(before), len(later)
    auto = seasonal is None
    seasonal, note = _seasonality(seasonal, n_b, mb, kpi)

    t0 = int(tb[0])
    Xb = _design(tb, mb, t0, seasonal)
    Xa = _design(ta, ma, t0, seasonal)
    if n_b - Xb.shape[1] < 1:
        raise CompareInputError(f"{kpi or 'KPI'}: the baseline is too short to fit a trend")
    fit = fit_ar1(before.to_numpy(), Xb, tb, estimate_rho=autocorrelation == "ar1")
    pred = predict(fit, Xa, ta)
    actual = float(later.mean())
    change = actual - pred.mean
    # The effect is actual - prediction: its interval is the prediction's, mirrored.
    p_low, p_high = interval(pred.weights, pred.means, pred.sds, pred.df, level)
    low, high = actual - p_high, actual - p_low
    band = interval(pred.weights, pred.month_means, pred.month_sds, pred.df, level)
    check = stationarity_check(fit.resid, high_rho_share=float(fit.weights[fit.rhos > 0.9].sum()))
    valid, validity = _validity(auto, seasonal, n_b, kpi)
    if valid and check.unit_root:
        valid, validity = (
            False,
            (
                f"not valid: {check.note}, and a fixed trend cannot be trusted on a wandering "
                "level; use the state-space or DiD row"
            ),
        )
    note = _join(note, _noise_note(fit.rho, autocorrelation), "" if validity else check.note)
    idx = later.index
    return _finish(
        kpi=kpi,
        method="counterfactual",
        direction=direction,
        baseline=float(before.mean()),
        after=actual,
        change=change,
        low=low,
        high=high,
        level=level,
        note=_join(validity, note),
        n_baseline=n_b,
        n_after=n_a,
        projected=pd.Series(pred.per_month, index=idx, name="projected"),
        band_low=pd.Series(band[0], index=idx, name="band_low"),
        band_high=pd.Series(band[1], index=idx, name="band_high"),
        mde=mde_from_interval(low, high, level, pred.df),
        valid=valid,
        validity=validity,
    )


def _noise_note(rho: float, autocorrelation: str) -> str:
    """What the interval allowed for, in words."""
    if autocorrelation == "none":
        return "independent-months interval (autocorrelation='none')"
    return (
        f"interval allows for autocorrelated months (AR(1) noise, autocorrelation about "
        f"{rho:.2f}, averaged over its uncertainty)"
    )


def _validity(auto: bool, seasonal: bool, n_b: int, kpi: str) -> tuple[bool, str]:
    """Whether the fitted model can be valid on this baseline, and why not.

    A trend-only fit chosen because the baseline is too short for month-of-year effects
    cannot tell a season from a trend (issue 12: biased by +90% and +185% of the effect on
    12 and 6 seasonal months); it is valid only when the caller says the KPI has no season
    (``seasonal=False``). A seasonal fit needs ``MIN_VALID_SEASONAL_MONTHS`` (measured).
    """
    if auto and not seasonal:
        return False, (
            f"not valid: {n_b} baseline months cannot separate a month-of-year season from "
            f"the trend (a seasonal fit needs {MIN_VALID_SEASONAL_MONTHS}); use DiD against "
            "a control group, or pass seasonal=False if this KPI has no season"
        )
    if seasonal and n_b < MIN_VALID_SEASONAL_MONTHS:
        return False, (
            f"not valid: {n_b} baseline months are too few for a trend + season fit to keep "
            f"its coverage (measured: {MIN_VALID_SEASONAL_MONTHS} needed); use DiD against a "
            "control group"
        )
    return True, ""


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


def _design(t: np.ndarray, months: np.ndarray, t0: int, seasonal: bool) -> np.ndarray:
    """Columns: constant, trend (years since the first baseline month), 11 month dummies."""
    cols = [np.ones(len(t)), (t - t0) / 12.0]
    if seasonal:
        cols += [(months == m).astype(float) for m in range(2, 13)]
    return np.column_stack(cols)


def projection_error_cov(
    series: pd.Series,
    go_live: pd.Period,
    *,
    baseline: tuple[pd.Period, pd.Period] | None = None,
    after: tuple[pd.Period, pd.Period] | None = None,
    seasonal: bool | None = None,
    autocorrelation: str = "ar1",
    kpi: str = "",
) -> tuple[pd.PeriodIndex, np.ndarray, np.ndarray, float]:
    """Covariance across the after months of ``actual - projected`` when there is no effect.

    The same fit as :func:`counterfactual` (same arguments, same defaults), kept as its
    mixture over the noise parameter: every after month's gap shares the estimated trend
    and season, so the gaps are correlated and a linear estimate ``w' gap`` (such as the
    slope of the gap on adoption) has variance ``w' S w``, not the independent-months one.

    Returns
    -------
    months : pandas.PeriodIndex
        The after months (the order of the matrices' rows and columns).
    weights : numpy.ndarray
        Mixture weights of the components (sum 1).
    covs : numpy.ndarray
        Per component, ``n_a x n_a`` covariance (KPI units squared,
        :func:`~roi_kit.measure.noise_model.prediction_cov`).
    df : float
        Degrees of freedom of each component's t error.
    """
    go_live = _check_options("higher", 0.95, go_live, autocorrelation)
    series = _check_series(series, _series_name(kpi))
    before, later = _split(series, go_live, baseline, after, kpi or "KPI")
    tb, ta = before.index.asi8.astype(float), later.index.asi8.astype(float)
    mb, ma = before.index.month.to_numpy(), later.index.month.to_numpy()
    seasonal, _ = _seasonality(seasonal, len(before), mb, kpi)
    t0 = int(tb[0])
    Xb, Xa = _design(tb, mb, t0, seasonal), _design(ta, ma, t0, seasonal)
    fit = fit_ar1(before.to_numpy(), Xb, tb, estimate_rho=autocorrelation == "ar1")
    return later.index, fit.weights, prediction_cov(fit, Xa, ta), fit.df
