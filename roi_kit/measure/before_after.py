"""The naive comparison: baseline mean vs after mean, with a moving-block bootstrap interval.

This is the spreadsheet comparison everyone computes. It credits the CRM with every trend and
season that crosses go-live, and is shown (labelled for what it is) so that the honest methods
can be set beside it.
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

__all__ = ["naive"]

_NAIVE_NOTE = "naive: credits the CRM with every trend and season"


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
    go_live = _check_options(direction, level, go_live)
    if n_boot < 100:
        raise CompareInputError(f"n_boot must be at least 100 (found {n_boot})")
    if block < 1:
        raise CompareInputError(f"block must be at least 1 month (found {block})")
    series = _check_series(series, _series_name(kpi))
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
