"""The naive comparison: baseline mean vs after mean, with an interval for what it estimates.

This is the spreadsheet comparison everyone computes. It credits the CRM with every trend and
season that crosses go-live, and is shown (labelled for what it is, never counted as money:
``valid`` is False) so that the honest methods can be set beside it. Its own interval is
honest for what it estimates, the expected after mean minus the expected baseline mean: by
default the noise model of the counterfactual (AR(1) noise around the baseline's trend and
season, the autocorrelation averaged out, :mod:`noise_model`) gives the variance of the
difference of the two means; ``interval="bootstrap"`` uses the stationary bootstrap
(``arch.bootstrap.StationaryBootstrap``) with the data-driven block length of
``arch.bootstrap.optimal_block_length``, drawn within each period.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from roi_kit.measure.base import (
    CompareInputError,
    Comparison,
    _check_options,
    _check_series,
    _finish,
    _series_name,
    _split,
)
from roi_kit.measure.detectable import mde_from_interval
from roi_kit.measure.noise_model import fit_ar1, interval, mean_difference_sds
from roi_kit.measure.projection import _design, _seasonality

__all__ = ["naive"]

_NAIVE_NOTE = "naive: credits the CRM with every trend and season"
_NAIVE_VALIDITY = (
    "naive before/after: includes any trend and season, so it is not an estimate of the "
    "CRM's effect; never counted as money"
)


def naive(
    series: pd.Series,
    go_live: pd.Period,
    *,
    baseline: tuple[pd.Period, pd.Period] | None = None,
    after: tuple[pd.Period, pd.Period] | None = None,
    direction: str = "higher",
    level: float = 0.95,
    n_boot: int = 2000,
    block: float | None = None,
    seed: int = 0,
    interval_method: str = "model",
    kpi: str = "",
) -> Comparison:
    """Baseline mean vs after mean, with an interval for that difference of expected means.

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
        Bootstrap replicates (``interval_method="bootstrap"``).
    block : float, months, optional
        Mean block length of the stationary bootstrap; default: ``optimal_block_length``
        of each period (Politis and White). Blocks are drawn within each period, so that a
        block never straddles go-live.
    seed : int
        Seed of the bootstrap's random generator (results are reproducible).
    interval_method : {"model", "bootstrap"}
        ``"model"`` (default): the variance of the difference of means under the
        counterfactual's noise model (AR(1) around the baseline's trend and season, see
        :mod:`noise_model`); ``"bootstrap"``: the stationary bootstrap.
    kpi : str
        KPI name stored in the result.

    Returns
    -------
    Comparison
        ``method="naive"``; ``change = after - baseline``; ``valid`` is False (never money).

    References
    ----------
    .. [1] Politis, D. N. and Romano, J. P. (1994). The stationary bootstrap. *JASA*
       89(428), 1303-1313.
    .. [2] Politis, D. N. and White, H. (2004). Automatic block-length selection for the
       dependent bootstrap. *Econometric Reviews* 23(1), 53-70.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.Series([10.0, 12, 11, 15, 17, 16],
    ...               index=pd.period_range("2024-01", periods=6, freq="M"))
    >>> naive(s, pd.Period("2024-04", "M")).change
    5.0
    """
    go_live = _check_options(direction, level, go_live)
    if interval_method not in ("model", "bootstrap"):
        raise CompareInputError(
            f"interval_method must be 'model' or 'bootstrap' (found {interval_method!r})"
        )
    if n_boot < 100:
        raise CompareInputError(f"n_boot must be at least 100 (found {n_boot})")
    if block is not None and block < 1:
        raise CompareInputError(f"block must be at least 1 month (found {block})")
    series = _check_series(series, _series_name(kpi))
    before, later = _split(series, go_live, baseline, after, kpi or "KPI")
    b_mean, a_mean = float(before.mean()), float(later.mean())
    change = a_mean - b_mean
    if interval_method == "model":
        low, high, df = _model_interval(before, later, change, level, kpi)
    else:
        low, high = _bootstrap_interval(before, later, level, n_boot, block, seed)
        df = None
    return _finish(
        kpi=kpi,
        method="naive",
        direction=direction,
        baseline=b_mean,
        after=a_mean,
        change=change,
        low=low,
        high=high,
        level=level,
        note=_NAIVE_NOTE,
        n_baseline=len(before),
        n_after=len(later),
        mde=mde_from_interval(low, high, level, df),
        valid=False,
        validity=_NAIVE_VALIDITY,
    )


def _model_interval(
    before: pd.Series, later: pd.Series, change: float, level: float, kpi: str
) -> tuple[float, float, float]:
    """Interval for ``change`` from the baseline's noise model: (low, high, df).

    The noise is fitted around the baseline's trend (and season when the baseline allows
    it); the difference of means then has the error ``mean(e_after) - mean(e_baseline)``.
    """
    tb, ta = before.index.asi8.astype(float), later.index.asi8.astype(float)
    mb = before.index.month.to_numpy()
    seasonal, _ = _seasonality(None, len(before), mb, kpi)
    Xb = _design(tb, mb, int(tb[0]), seasonal)
    fit = fit_ar1(before.to_numpy(), Xb, tb, estimate_rho=len(before) - Xb.shape[1] >= 2)
    sds = mean_difference_sds(fit, ta)
    low, high = interval(fit.weights, np.full(len(sds), change), sds, fit.df, level)
    return low, high, fit.df


def _bootstrap_interval(
    before: pd.Series, later: pd.Series, level: float, n_boot: int, block: float | None, seed: int
) -> tuple[float, float]:
    """Percentile interval of the stationary bootstrap, resampling each period apart."""
    from arch.bootstrap import StationaryBootstrap, optimal_block_length

    rng = np.random.default_rng(seed)
    means = []
    for part in (before.to_numpy(), later.to_numpy()):
        size = block if block is not None else _block_length(part, optimal_block_length)
        boot = StationaryBootstrap(max(size, 1.0), part, seed=rng)
        means.append(np.array([d[0][0].mean() for d in boot.bootstrap(n_boot)]))
    diff = means[1] - means[0]
    alpha = 1.0 - level
    low, high = np.quantile(diff, [alpha / 2, 1 - alpha / 2])
    return float(low), float(high)


def _block_length(values: np.ndarray, optimal_block_length) -> float:
    """Politis-White mean block length of ``values``; 1 where it cannot be estimated.

    Why the fallback: arch's estimate needs some autocorrelations to work with and fails on
    a handful of months (3 or 4); a block of 1 is then the plain bootstrap.
    """
    if len(values) < 8 or float(np.std(values)) == 0.0:
        return 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        size = float(optimal_block_length(values)["stationary"].iloc[0])
    return size if np.isfinite(size) and size >= 1.0 else 1.0
