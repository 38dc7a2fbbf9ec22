"""Minimum detectable effect: the smallest change a comparison could have told from noise.

A comparison whose estimate has standard error ``se`` (on ``df`` degrees of freedom) detects a
true effect ``delta`` at two-sided level ``alpha`` with power ``1 - beta`` when
``delta >= (t[1 - alpha/2] + t[1 - beta]) * se`` (the normal-theory power formula with t
quantiles, [1]_). At 5% and 80% the multiplier is 1.96 + 0.84 = 2.80 for large ``df``.

References
----------
.. [1] Bloom, H. S. (1995). Minimum detectable effects: a simple way to report the statistical
   power of experimental designs. *Evaluation Review* 19(5), 547-556.
"""

from __future__ import annotations

import math

from scipy import stats

__all__ = ["minimum_detectable_effect", "mde_from_interval"]


def minimum_detectable_effect(
    se: float, df: float | None = None, *, alpha: float = 0.05, power: float = 0.80
) -> float:
    """Smallest true effect detected with probability ``power`` by a two-sided test.

    Parameters
    ----------
    se : float
        Standard error of the effect estimate, in KPI units.
    df : float, optional
        Degrees of freedom of the t reference distribution; None (or inf) for the normal.
    alpha : float, fraction
        Two-sided significance level.
    power : float, fraction
        Wanted probability of detecting the effect.

    Returns
    -------
    float
        The minimum detectable effect in KPI units (NaN when ``se`` is not finite).

    Examples
    --------
    With a standard error of 10 and the normal reference: (1.95996 + 0.84162) * 10 = 28.02.

    >>> round(minimum_detectable_effect(10.0), 2)
    28.02
    """
    if not math.isfinite(se) or se < 0:
        return math.nan
    dist = stats.norm if df is None or not math.isfinite(df) else stats.t(df)
    return float((dist.ppf(1 - alpha / 2) + dist.ppf(power)) * se)


def mde_from_interval(
    low: float, high: float, level: float, df: float | None = None, *, power: float = 0.80
) -> float:
    """The minimum detectable effect implied by a symmetric interval ``[low, high]``.

    The standard error is the half-width over the ``level`` quantile; the MDE then follows
    :func:`minimum_detectable_effect` at ``alpha = 1 - level``.

    Examples
    --------
    A 95% normal interval of +-19.6 has se 10, so the MDE is 28.02 as above.

    >>> round(mde_from_interval(-19.6, 19.6, 0.95), 2)
    28.02
    """
    if not (math.isfinite(low) and math.isfinite(high)):
        return math.nan
    dist = stats.norm if df is None or not math.isfinite(df) else stats.t(df)
    se = (high - low) / 2 / dist.ppf(0.5 + level / 2)
    return minimum_detectable_effect(se, df, alpha=1 - level, power=power)
