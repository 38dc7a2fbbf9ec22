"""Difference-in-differences: the KPI change against a group that did not get the CRM.

The control group absorbs whatever moved both groups (market, season, prices); what is left
is credited to the CRM, provided the two groups moved in parallel before go-live. Everything
is computed on the monthly gap ``d = treated - control``:

- ``did``: ``change = mean(d, after) - mean(d, baseline)`` (the 2x2 estimate);
- ``did-trend`` (``trend=True``): the baseline gap's linear trend is fitted and extrapolated
  over the after months, ``change = mean(d, after) - mean(fitted trend, after)``: DiD with a
  group-specific linear trend, for groups that were already drifting apart.

Both are linear in ``d`` (``change = c' d``), so their standard error is ``sqrt(c' S c)`` with
``S`` the covariance of the gap's noise, fitted by REML as an AR(1) or as a random walk plus
noise (:mod:`roi_kit.measure.gap_noise`); the same ``S`` gives the pre-trend test, the bias a
pre-trend implies, and the minimum detectable effect.

Pre-trends: the plain DiD is biased by whatever the baseline trend of the gap would add over
the after period; that bias is ``did - did-trend`` and is reported with its interval
(``pretrend_bias``, ``pretrend_bias_low``, ``pretrend_bias_high``). Plain DiD is marked not
valid when that interval excludes zero and the bias is material: larger than half the DiD
interval's half-width (a bias of about one standard error, which would already pull a 95%
interval's coverage to about 83%). The pre-trend slope and bias are judged with the noise
fitted around a level, a step *and a trend*, because around a level only a drifting gap
looks like a random walk, whose wide noise would hide the drift.

Parallel trends, shown or assumed: passing that check is not evidence of parallel trends
([4]_). A drift the baseline cannot detect can still bias plain DiD: on the calibration
benchmark of issue 12 a drift of 0.2 a month (one standard error of the baseline slope on 24
months) pulled coverage to 0.74 while the check fired in 15% of runs, and a random-walk gap
to 0.86. So plain DiD counts as valid only when the baseline *bounds* the bias: the bias of
the smallest drift the check would find with 80% power (``pretrend_mde``) is at most
``BOUNDED_BIAS`` of the estimate's own standard error, so that no drift it can miss pulls the
interval's coverage below 0.90. Monthly baselines of realistic length (24-60 months) rarely
bound it; then plain DiD is valid only where the analyst states why the groups move in
parallel (``measurement.parallel_trends`` in case.yml, passed as ``parallel_trends``), and
the result says what that assumption hides. ``did-trend`` needs no such assumption.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from roi_kit.errors import GapError
from roi_kit.measure.base import (
    Comparison,
    _check_options,
    _check_series,
    _finish,
    _join,
    _split,
)
from roi_kit.measure.detectable import minimum_detectable_effect
from roi_kit.measure.gap_noise import (
    GapNoise,
    contrast_se,
    fit_gap_noise,
    fit_gap_noises,
    noise_words,
)

__all__ = [
    "did",
    "choose_noise",
    "gap_estimate",
    "GapEstimate",
    "BOUNDED_BIAS",
    "MATERIAL_BIAS",
    "MIN_TREND_BASELINE",
    "NOISE_LOGLIK_TOLERANCE",
]

#: A pre-trend bias counts as material beyond this share of the DiD interval's half-width.
MATERIAL_BIAS = 0.5
#: The baseline bounds the pre-trend when the bias of the smallest drift it detects (80%
#: power, 5% two-sided) is at most this many standard errors of the DiD estimate. Why 0.6:
#: a bias of b standard errors leaves a 95% interval covering
#: Phi(1.96 - b) - Phi(-1.96 - b), which is 0.908 at b = 0.6 (0.921 at 0.5, 0.874 at 0.8).
BOUNDED_BIAS = 0.6
#: Fewest baseline months from which DiD with group trends is presented as valid. Why 12:
#: measured on the calibration benchmark (400 runs), on 12 months it covers 0.98-0.99 at
#: 3.8-3.9 effects wide; on 6 months it extrapolates each group's trend two to three
#: baselines ahead, its interval is 8.6-8.8 effects wide (power 0.04) and covers up to
#: 0.993, outside 0.90-0.98: an answer that cannot find anything.
MIN_TREND_BASELINE = 12
#: Restricted log-likelihood margin within which the two noise families count as fitting
#: equally well; the one giving the wider interval is then used. Why 1: measured on the
#: random-walk scenario of the calibration benchmark, where the model choice is often a
#: coin toss, it lifts coverage by about 0.04 at the cost of width under AR(1) noise.
NOISE_LOGLIK_TOLERANCE = 1.0
#: Fewest residual degrees of freedom for a fitted noise model to be trusted.
_MIN_DF = 5


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
    trend: bool = False,
    parallel_trends: str = "",
) -> Comparison:
    """Difference-in-differences against a group that did not get the CRM.

    ``change = (treated_after - treated_before) - (control_after - control_before)`` on
    monthly means (with ``trend=True``: against the extrapolated baseline trend of the gap).
    With two groups this is the two-way model with group and month fixed effects and the
    group x after interaction ([1]_): the month effects cancel in the gap.

    The interval is ``change +- t * se`` with ``se = sqrt(c' S c)``: ``c`` the weights that
    make ``change = c' d`` from the gap ``d``, ``S`` the gap's noise covariance fitted by REML
    (AR(1) or random walk plus noise, :func:`~roi_kit.measure.gap_noise.fit_gap_noise`),
    because serially correlated months make plain DiD standard errors far too small ([2]_);
    ``t`` is the t quantile on the months left after the coefficients and the noise shape.

    Pre-trend check (plain DiD): the baseline gap's slope (KPI units per month) with its
    two-sided p-value, and the bias it implies over the after period with an interval. When
    that interval excludes zero and the bias is material (over ``MATERIAL_BIAS`` of the
    interval's half-width) the result is not valid: ``valid=False``, ``validity`` and
    ``note`` say "pre-trends differ" and point to ``trend=True``. When the check passes but
    the baseline cannot bound the bias of an undetected drift (see the module docstring),
    plain DiD is valid only with ``parallel_trends`` given; without it ``validity`` says
    "parallel trends not shown" with the drift and bias that could go unseen.

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
        ``"ar1"``: the fitted noise model (default); ``"none"``: independent months.
    kpi : str
        KPI name stored in the result.
    trend : bool
        Allow the groups their own linear trends (``method="did-trend"``): needs at least 3
        baseline months, and its interval includes the uncertainty of the extrapolation.
    parallel_trends : str
        Plain DiD: the analyst's reason to assume that the groups would have moved in
        parallel without the CRM (``measurement.parallel_trends`` in case.yml). Empty (the
        default): plain DiD is valid only where the baseline itself bounds the bias of an
        undetected drift. Ignored with ``trend=True``.

    Returns
    -------
    Comparison
        ``method="did"`` or ``"did-trend"``; ``baseline``/``after`` are the treated group's
        means; ``pretrend_slope``, ``pretrend_p``, ``mde`` and (plain DiD) the
        ``pretrend_bias`` fields are set.

    Raises
    ------
    GapError
        The control lacks months that the treated series has (the months are named).

    References
    ----------
    .. [1] Angrist, J. D. and Pischke, J.-S. (2009). *Mostly Harmless Econometrics*, ch. 5.
    .. [2] Bertrand, M., Duflo, E. and Mullainathan, S. (2004). How much should we trust
       differences-in-differences estimates? *QJE* 119(1), 249-275.
    .. [3] Bloom, H. S. (1995). Minimum detectable effects. *Evaluation Review* 19(5).
    .. [4] Roth, J. (2022). Pretest with caution: event-study estimates after testing for
       parallel trends. *AER: Insights* 4(3), 305-322.

    Examples
    --------
    Treated 12 -> 21 (+9), control 6 -> 9 (+3): the CRM is credited with 9 - 3 = 6. Gap
    5 6 7 | 11 13, residuals -1 0 1 | -1 1, s^2 = 4/3 on 3 df,
    se = sqrt(4/3 x (1/3 + 1/2)) = 1.054, t(3) = 3.182: 6 +- 3.35.

    >>> import pandas as pd
    >>> idx = pd.period_range("2023-01", periods=5, freq="M")
    >>> treated = pd.Series([10.0, 12, 14, 20, 22], index=idx)
    >>> control = pd.Series([5.0, 6, 7, 9, 9], index=idx)
    >>> r = did(treated, control, pd.Period("2023-04", "M"), autocorrelation="none")
    >>> r.change, round(r.low, 2), round(r.high, 2)
    (6.0, 2.65, 9.35)
    """
    go_live = _check_options(direction, level, go_live, autocorrelation)
    t_before, t_after, gap = _gap(treated, control, go_live, baseline, after, kpi)
    n_b = len(t_before)
    fit = gap_estimate(
        gap.to_numpy(), gap.index.asi8.astype(float), n_b, level, autocorrelation, trend
    )
    bias = fit.bias
    note, validity = _words(fit.noise, fit.slope, fit.p_value, bias, trend, parallel_trends)
    if trend and n_b < MIN_TREND_BASELINE:
        short = (
            f"only {n_b} baseline months: too few to extrapolate each group's trend over the "
            f"after period (DiD with group trends counts from {MIN_TREND_BASELINE})"
        )
        validity, note = _join(validity, short), _join(short, note)
    return _finish(
        kpi=kpi,
        method="did-trend" if trend else "did",
        direction=direction,
        baseline=float(t_before.mean()),
        after=float(t_after.mean()),
        change=fit.change,
        low=fit.change - fit.half,
        high=fit.change + fit.half,
        level=level,
        note=note,
        n_baseline=n_b,
        n_after=len(t_after),
        pretrend_slope=fit.slope,
        pretrend_p=fit.p_value,
        mde=minimum_detectable_effect(fit.se, fit.noise.df),
        valid=not validity,
        validity=validity,
        **{k: v for k, v in bias.items() if k.startswith("pretrend_bias")},
    )


@dataclass(frozen=True)
class GapEstimate:
    """DiD on a gap series, in numbers (what :func:`did` reports, before the words).

    Attributes
    ----------
    change, se, half : float, KPI units
        The estimate, its standard error and the interval's half-width.
    noise : GapNoise
        The fitted noise model.
    slope, p_value : float
        Baseline slope of the gap (KPI units a month) and its two-sided p-value.
    bias : dict
        Plain DiD only (empty with a trend): ``pretrend_bias``, ``pretrend_bias_low``,
        ``pretrend_bias_high`` (KPI units), ``material`` (bool), ``drift_mde`` (KPI units a
        month: the smallest baseline drift the check finds with 80% power), ``bias_mde``
        (KPI units: the bias that drift adds over the after period) and ``bounded`` (bool:
        ``bias_mde <= BOUNDED_BIAS * se``).
    """

    change: float
    se: float
    half: float
    noise: GapNoise
    slope: float
    p_value: float
    bias: dict[str, float | bool]


def gap_estimate(
    d: np.ndarray,
    months: np.ndarray,
    n_b: int,
    level: float = 0.95,
    autocorrelation: str = "ar1",
    trend: bool = False,
) -> GapEstimate:
    """DiD (``trend=False``) or DiD with a group trend on the gap ``d`` (baseline first).

    ``months`` are calendar month ordinals of ``d``, the first ``n_b`` the baseline. No input
    checks: :func:`did` and the placebo check call it on checked data.
    """
    n = len(d)
    post = (np.arange(n) >= n_b).astype(float)
    w_did = np.where(post > 0, 1.0 / (n - n_b), -1.0 / n_b)
    w_trend, w_slope = _trend_weights(months, n_b)
    X_step = np.column_stack([np.ones(n), post])
    X_trend = np.column_stack([np.ones(n), months - months[0], post])
    weights = w_trend if trend else w_did
    noise = choose_noise(d, X_trend if trend else X_step, months, autocorrelation, weights)
    se = contrast_se(noise, weights)
    half = _tq(level, noise.df) * se
    # Why the trend model's noise for the pre-trend tests: fitted around a level only, a
    # drifting gap looks like a wandering (random-walk) noise, which would hide the drift.
    # Why the narrower of two equally good fits there: a false alarm only withholds the
    # money (the conservative side), a missed drift counts a biased estimate.
    w_bias = w_did - w_trend
    t_noise = (
        noise if trend else choose_noise(d, X_trend, months, autocorrelation, w_bias, widest=False)
    )
    slope, p_value = _slope_test(t_noise, w_slope, d, n_b)
    bias = {} if trend else _bias(t_noise, w_bias, d, level, half)
    if bias:
        bias |= _bound(t_noise, w_slope, w_bias, se)
    return GapEstimate(float(weights @ d), se, half, noise, slope, p_value, bias)


def choose_noise(
    d: np.ndarray,
    X: np.ndarray,
    months: np.ndarray,
    autocorrelation: str,
    weights: np.ndarray,
    widest: bool = True,
) -> GapNoise:
    """The noise model for the estimate ``weights' d``: the best by restricted likelihood, or
    of the families within ``NOISE_LOGLIK_TOLERANCE`` of it the one with the larger
    variance of the estimate (the data cannot tell them apart, so the wider is honest;
    ``widest=False``: the narrower, for a check whose false alarm is the safe side)."""
    first = fit_gap_noise(d, X, months, autocorrelation)
    if autocorrelation == "none" or not math.isfinite(first.loglik):
        return first
    floor = first.loglik - NOISE_LOGLIK_TOLERANCE
    cands = [nz for nz in fit_gap_noises(d, X, months) if nz.loglik >= floor]
    pick = max if widest else min
    return pick(cands, key=lambda nz: contrast_se(nz, weights))


def _gap(
    treated: pd.Series,
    control: pd.Series,
    go_live: pd.Period,
    baseline: tuple[pd.Period, pd.Period] | None,
    after: tuple[pd.Period, pd.Period] | None,
    kpi: str,
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """The treated baseline and after months, and the treated-minus-control gap over both.

    Refuses a control that lacks months of the treated series (naming them).
    """
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
    gap = pd.concat([t_before, t_after]) - control.reindex(used)
    return t_before, t_after, gap


def _trend_weights(months: np.ndarray, n_b: int) -> tuple[np.ndarray, np.ndarray]:
    """Weights ``c`` of the did-trend estimate and of the baseline slope, over all months.

    The baseline gap is fitted by OLS on ``[1, t]``: ``beta = B d_b`` with
    ``B = (X_b' X_b)^-1 X_b'``. The did-trend estimate is ``mean(d_a) - xbar_a' beta``
    (``xbar_a = [1, mean t_a]``), the slope is ``beta[1]``.
    """
    n = len(months)
    Xb = np.column_stack([np.ones(n_b), months[:n_b] - months[0]])
    B = np.linalg.pinv(Xb)
    xbar_a = np.array([1.0, float(np.mean(months[n_b:] - months[0]))])
    w_trend = np.full(n, 1.0 / (n - n_b))
    w_trend[:n_b] = -(xbar_a @ B)
    w_slope = np.zeros(n)
    w_slope[:n_b] = B[1]
    return w_trend, w_slope


def _tq(level: float, df: float) -> float:
    """The two-sided t quantile at ``level`` (the normal one without degrees of freedom)."""
    return float(stats.t.ppf(0.5 + level / 2, df)) if df >= 1 else math.inf


def _slope_test(
    noise: GapNoise, w_slope: np.ndarray, d: np.ndarray, n_b: int
) -> tuple[float, float]:
    """Baseline slope of the gap (per month) and its two-sided p-value under ``noise``."""
    slope = float(w_slope @ d)
    if n_b < 3:
        return slope, math.nan
    se = contrast_se(noise, w_slope)
    if se == 0.0:
        # A perfectly straight gap: no noise to test against.
        return slope, 0.0 if slope != 0 else 1.0
    return slope, float(2 * stats.t.sf(abs(slope / se), max(noise.df, 1.0)))


def _bias(
    noise: GapNoise, w_bias: np.ndarray, d: np.ndarray, level: float, half: float
) -> dict[str, float | bool]:
    """The bias the baseline pre-trend implies over the after period, its interval, and
    whether it is material (interval excludes zero, size over ``MATERIAL_BIAS * half``)."""
    bias = float(w_bias @ d)
    bias_half = _tq(level, noise.df) * contrast_se(noise, w_bias)
    low, high = bias - bias_half, bias + bias_half
    material = bool((low > 0 or high < 0) and abs(bias) > MATERIAL_BIAS * half)
    return {
        "pretrend_bias": bias,
        "pretrend_bias_low": low,
        "pretrend_bias_high": high,
        "material": material,
    }


def _bound(
    noise: GapNoise, w_slope: np.ndarray, w_bias: np.ndarray, se: float
) -> dict[str, float | bool]:
    """How large a drift the pre-trend check can miss, and whether its bias is bounded.

    The check's minimum detectable slope (80% power, 5% two-sided, [3]_) is
    ``(t_.975 + t_.80) x se(slope)``; a drift of that size adds
    ``(t_.975 + t_.80) x se(bias)`` over the after period (the bias is linear in the slope).
    Bounded when that bias is at most ``BOUNDED_BIAS`` standard errors of the estimate.
    """
    drift = minimum_detectable_effect(contrast_se(noise, w_slope), noise.df)
    bias = minimum_detectable_effect(contrast_se(noise, w_bias), noise.df)
    bounded = bool(math.isfinite(bias) and bias <= BOUNDED_BIAS * se)
    return {"drift_mde": drift, "bias_mde": bias, "bounded": bounded}


def _words(
    noise: GapNoise,
    slope: float,
    p_value: float,
    bias: dict[str, float | bool],
    trend: bool,
    parallel_trends: str = "",
) -> tuple[str, str]:
    """The result's ``note`` and ``validity`` (empty when valid)."""
    validity = ""
    if noise.df < _MIN_DF:
        validity = (
            f"only {noise.df:g} residual degrees of freedom: too few months to fit the noise "
            "of the treated-control gap"
        )
    if bias.get("material"):
        validity = _join(
            validity,
            f"pre-trends differ: DiD assumption doubtful (baseline gap drifts {slope:+.3g} a "
            f"month, p = {p_value:.3f}; that trend alone would add "
            f"{bias['pretrend_bias']:+.3g} over the after period, interval "
            f"{bias['pretrend_bias_low']:+.3g} to {bias['pretrend_bias_high']:+.3g}); "
            "use DiD with a group trend (trend=True)",
        )
    unseen = ""
    if bias and not bias.get("material") and not bias.get("bounded"):
        unseen = (
            f"a drift between the groups of up to {bias['drift_mde']:.3g} a month would go "
            f"unseen on this baseline and bias the estimate by up to {bias['bias_mde']:.3g}"
        )
        if not parallel_trends:
            validity = _join(
                validity,
                f"parallel trends not shown: {unseen}; DiD with group trends (did-trend) does "
                "not assume them, or state why the groups move in parallel in case.yml "
                "(measurement.parallel_trends)",
            )
    note = _join(validity, noise_words(noise))
    if unseen and parallel_trends:
        note = _join(note, f"parallel trends assumed ({parallel_trends.strip()}): {unseen}")
    if trend:
        note = _join(
            note,
            f"groups allowed their own linear trends (baseline gap slope {slope:+.3g} a month, "
            "extrapolated over the after period)",
        )
    return note, validity
