"""Difference-in-differences: the KPI change against a group that did not get the CRM.

The control group absorbs whatever moved both groups (market, season, prices); what is left
is credited to the CRM, provided the two groups moved in parallel before go-live, which
:func:`did` checks with a pre-trend test on the baseline.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

# The OLS class itself, not statsmodels.api: the api module loads every model family and
# costs about a second at import.
from statsmodels.regression.linear_model import OLS

from roi_kit.errors import GapError
from roi_kit.measure.base import (
    Comparison,
    _ar1_cov,
    _autocorrelation_note,
    _check_options,
    _check_series,
    _finish,
    _split,
)

__all__ = ["did"]


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
    sandwich of :mod:`roi_kit.measure.base`, because serially correlated months make plain DiD
    standard errors far too small ([2]_); a t distribution on the residual degrees of freedom
    gives the interval.

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

    Examples
    --------
    Treated 12 -> 21 (+9), control 6 -> 9 (+3): the CRM is credited with 9 - 3 = 6.

    >>> import pandas as pd
    >>> idx = pd.period_range("2023-01", periods=5, freq="M")
    >>> treated = pd.Series([10.0, 12, 14, 20, 22], index=idx)
    >>> control = pd.Series([5.0, 6, 7, 9, 9], index=idx)
    >>> r = did(treated, control, pd.Period("2023-04", "M"), autocorrelation="none")
    >>> r.change, round(r.low, 2), round(r.high, 2)
    (6.0, 2.65, 9.35)
    """
    go_live = _check_options(direction, level, go_live, autocorrelation)
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
    fit = OLS(gap.to_numpy(), X).fit()
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
    fit = OLS(gap.to_numpy(), X).fit()
    cov, _ = _ar1_cov(X, t, fit.resid, float(fit.scale), autocorrelation)
    se = math.sqrt(max(float(cov[1, 1]), 0.0))
    slope = float(fit.params[1])
    if se == 0.0:
        # A perfectly straight gap: no noise to test against.
        return slope, 0.0 if slope != 0 else 1.0
    p_value = float(2 * stats.t.sf(abs(slope / se), fit.df_resid))
    return slope, p_value
