"""Panel difference-in-differences: many units, unit and month fixed effects, clustered intervals.

A rollout region with 12 sales reps holds twelve series, not one: each rep's months before
and after go-live, against the reps of the control groups in the same months. The model is
the two-way fixed-effects regression

    y[u, t] = a[u] + m[t] + beta * d[u, t] + e[u, t]

with a level ``a[u]`` per unit (rep, team, store), an effect ``m[t]`` per month shared by
every unit (the market, the season, a price change), and ``d[u, t] = 1`` in the months a
treated unit used the CRM. Several control groups are pooled: every control unit informs
``m[t]``. Ratio KPIs (win rate, average deal size) are weighted by their denominators
(:mod:`roi_kit.measure.panel_data`), so ``beta`` is the change in the group's ratio.

With one go-live month this regression is the textbook DiD and unbiased under parallel
trends. With staggered go-lives it is not (already-treated units serve as controls;
Goodman-Bacon 2021): :func:`panel_did` refuses them and :func:`roi_kit.measure.staggered_did`
estimates them instead.

Intervals are clustered by unit: a unit's months are correlated with each other (a strong rep
stays strong), not with other units' once the month effects are removed.

- With 40 or more clusters: the cluster-robust (CRV1) standard error from pyfixest with
  t(G - 1) quantiles (Cameron & Miller 2015).
- With fewer: the wild cluster bootstrap (restricted, WCR; Cameron, Gelbach & Miller 2008)
  of the ``wildboottest`` package, inverted into an interval: the set of effects ``b0`` the
  bootstrap test does not reject at ``1 - level``, found by bisection on the regression of
  the fixed-effects-demeaned KPI (Frisch-Waugh-Lovell). Webb's six-point weights with 12
  clusters or fewer (Webb 2023), Rademacher weights otherwise.
- Fewer than :data:`MIN_TREATED_CLUSTERS` treated or control clusters, or fewer than
  :data:`MIN_CLUSTERS` in all: no cluster-robust method is reliable (MacKinnon & Webb 2017:
  with one treated cluster the bootstrap over- or under-rejects badly), and the row says so
  (``valid`` False). The thresholds come from ``benchmarks/calibration_panels.py``.

Why pyfixest and wildboottest: pyfixest fits fixed-effects regressions with clustered
errors, weights, Gardner's two-stage DiD and event studies in one API, on pandas frames, and
calls the ``wildboottest`` package for the bootstrap; linearmodels' ``PanelOLS`` has the
clustered fit but neither the bootstrap nor a staggered estimator.

References
----------
.. [1] Cameron, A. C., Gelbach, J. B. and Miller, D. L. (2008). Bootstrap-based improvements
   for inference with clustered errors. *REStat* 90(3), 414-427.
.. [2] Cameron, A. C. and Miller, D. L. (2015). A practitioner's guide to cluster-robust
   inference. *J. Human Resources* 50(2), 317-372.
.. [3] MacKinnon, J. G. and Webb, M. D. (2017). Wild bootstrap inference for wildly different
   cluster sizes. *J. Applied Econometrics* 32(2), 233-254.
.. [4] Goodman-Bacon, A. (2021). Difference-in-differences with variation in treatment
   timing. *J. Econometrics* 225(2), 254-277.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from roi_kit.measure.base import (
    CompareInputError,
    Comparison,
    _check_direction,
    _check_level,
    _finish,
    _join,
)
from roi_kit.measure.detectable import mde_from_interval
from roi_kit.measure.panel_data import check_panel

__all__ = [
    "MIN_CLUSTERS",
    "MIN_TREATED_CLUSTERS",
    "BOOTSTRAP_BELOW",
    "PanelFit",
    "panel_did",
    "panel_levels",
    "cluster_validity",
]

#: Fewest clusters (units) for a cluster-robust interval to be presented as valid.
MIN_CLUSTERS = 10
#: Fewest treated clusters, and fewest control clusters, likewise.
MIN_TREATED_CLUSTERS = 3
#: Below this many clusters the interval is the wild cluster bootstrap's.
BOOTSTRAP_BELOW = 40
#: Bootstrap draws (Webb weights with few clusters enumerate fewer distinct draws).
_REPS = 999
_WEBB_UP_TO = 12


@dataclass(frozen=True)
class PanelFit:
    """The effect on units and how its interval was found.

    Attributes
    ----------
    beta : float
        Effect per unit and month, in KPI units.
    se : float
        Cluster-robust (CRV1) standard error of ``beta``.
    low, high : float
        Interval for ``beta`` at ``level``.
    clusters, treated_clusters : int
        Units in all, and units in treated groups.
    method : str
        ``"CRV1"`` or ``"wild bootstrap"`` (how ``low`` and ``high`` were found).
    p_value : float
        Two-sided p-value of ``beta = 0`` by the same method.
    """

    beta: float
    se: float
    low: float
    high: float
    clusters: int
    treated_clusters: int
    method: str
    p_value: float


def cluster_validity(clusters: int, treated: int, control: int) -> str:
    """Why cluster-robust inference is not reliable with these cluster counts ("" if it is)."""
    if treated < MIN_TREATED_CLUSTERS or control < MIN_TREATED_CLUSTERS:
        return (
            f"only {treated} treated and {control} control unit(s): with fewer than "
            f"{MIN_TREATED_CLUSTERS} on either side no cluster-robust interval holds its level "
            "(MacKinnon & Webb 2017); use units inside the groups (groups.unit) or read the "
            "single-series DiD"
        )
    if clusters < MIN_CLUSTERS:
        return (
            f"only {clusters} units: with fewer than {MIN_CLUSTERS} clusters the interval does "
            "not hold its level in the kit's calibration; use units inside the groups"
        )
    return ""


def _fe_codes(panel: pd.DataFrame) -> np.ndarray:
    """Unit and month fixed effects as integer codes, one column each."""
    return np.column_stack([pd.factorize(panel["unit"])[0], pd.factorize(panel["t"])[0]]).astype(
        np.uint64
    )


def _demeaned(panel: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """``y`` and ``d`` with the unit and month effects removed (weighted), times sqrt(w)."""
    from pyfixest.core.demean import demean

    w = panel["w"].to_numpy(dtype=float)
    both = panel[["y", "d"]].to_numpy(dtype=float)
    out, converged = demean(both, _fe_codes(panel), w)
    if not converged:  # pragma: no cover - alternating projections on a month x unit grid
        raise CompareInputError("the fixed effects could not be removed (no convergence)")
    root = np.sqrt(w)
    return out[:, 0] * root, out[:, 1] * root


def _wild_draws(groups: int, seed: int) -> np.ndarray:
    """Bootstrap weights, clusters x draws, from the ``wildboottest`` package."""
    from wildboottest.weights import draw_weights

    kind = "webb" if groups <= _WEBB_UP_TO else "rademacher"
    full = kind == "rademacher" and 2**groups < _REPS  # every sign pattern, as wildboottest
    draws, _ = draw_weights(kind, full, groups, _REPS, np.random.default_rng(seed))
    return np.asarray(draws, dtype=float)


def _wild_p(dy: np.ndarray, dd: np.ndarray, draws: np.ndarray, b0: float) -> float:
    """Wild cluster bootstrap (WCR, "11") p-value of ``beta = b0`` in ``y = beta d + e``.

    ``dy`` and ``dd`` are the per-cluster sums of ``d * y`` and ``d * d`` of the demeaned
    regression. With one regressor the restricted residuals are ``u = y - b0 d``, so each
    draw's estimate and cluster scores are sums over clusters: the same statistic as
    ``wildboottest.WildboottestCL`` (checked against it in tests/measure/test_panel.py) for
    all draws at once, which the test inversion needs (about 60 tests per interval; the
    package's loop over draws takes a second each). The CRV1 small-sample factor is left
    out: it scales the statistic and every draw alike.
    """
    total = dd.sum()
    scores = dy - b0 * dd  # cluster scores d'u under the null
    beta = dy.sum() / total
    se = np.sqrt(np.sum((dy - beta * dd) ** 2)) / total
    t_stat = (beta - b0) / se
    delta = draws.T @ scores / total  # each draw's estimate minus b0
    boot = draws * scores[:, None] - delta[None, :] * dd[:, None]
    t_boot = delta / (np.sqrt(np.sum(boot**2, axis=0)) / total)
    # A draw as extreme as the data counts against the null (p = share of |t*| >= |t|): the
    # draws of all +1 or all -1 reproduce t exactly, and rounding must not decide them.
    return float(np.mean(np.abs(t_boot) >= np.abs(t_stat) * (1 - 1e-9)))


def _invert(p_of, beta: float, step: float, alpha: float, side: float) -> float:
    """The bound on ``side`` (-1 or +1) where ``p_of(b)`` falls below ``alpha``."""
    inner, outer = beta, beta + side * step
    for _ in range(12):  # widen until the test rejects (p falls with distance from beta)
        if p_of(outer) < alpha:
            break
        inner, outer = outer, outer + side * step * 2
    else:
        return side * math.inf
    for _ in range(18):  # bisection: |outer - inner| shrinks to step / 2**18
        mid = (inner + outer) / 2
        inner, outer = (mid, outer) if p_of(mid) >= alpha else (inner, mid)
    return (inner + outer) / 2


def _fit(panel: pd.DataFrame, level: float, seed: int) -> PanelFit:
    """Fit the two-way fixed-effects DiD and its interval (CRV1 or wild bootstrap)."""
    import pyfixest as pf

    data = panel.assign(month_id=pd.factorize(panel["t"])[0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = pf.feols("y ~ d | unit + month_id", data=data, weights="w", vcov={"CRV1": "unit"})
    beta, se = float(fit.coef()["d"]), float(fit.se()["d"])
    clusters = int(panel["unit"].nunique())
    treated = int(panel.loc[panel["treated"], "unit"].nunique())
    q = stats.t.ppf(0.5 + level / 2, clusters - 1)
    if clusters >= BOOTSTRAP_BELOW or not math.isfinite(se) or se == 0:
        p = float(2 * stats.t.sf(abs(beta / se), clusters - 1)) if se > 0 else math.nan
        return PanelFit(beta, se, beta - q * se, beta + q * se, clusters, treated, "CRV1", p)
    y, d = _demeaned(panel)
    cluster = pd.factorize(panel["unit"], sort=True)[0]
    dy = np.bincount(cluster, weights=d * y)
    dd = np.bincount(cluster, weights=d * d)
    draws = _wild_draws(len(dd), seed)

    def p_of(b0: float) -> float:
        return _wild_p(dy, dd, draws, b0)

    alpha = 1 - level
    low = _invert(p_of, beta, q * se, alpha, -1.0)
    high = _invert(p_of, beta, q * se, alpha, +1.0)
    return PanelFit(beta, se, low, high, clusters, treated, "wild bootstrap", p_of(0.0))


def panel_levels(panel: pd.DataFrame, total: bool) -> tuple[float, float, int, int]:
    """Treated units' mean KPI per month before and after go-live, and the month counts.

    ``total``: the monthly sum over treated units (an amount or count); else the weighted
    mean (a ratio: the treated groups' ratio).
    """
    rows = panel[panel["treated"]]
    rows = rows.assign(wy=rows["w"] * rows["y"])
    levels = []
    months = []
    for part in (rows[rows["d"] == 0], rows[rows["d"] == 1]):
        by_month = part.groupby("t")[["wy", "w"]].sum()
        per_month = by_month["wy"] if total else by_month["wy"] / by_month["w"]
        levels.append(float(per_month.mean()))
        months.append(len(by_month))
    return levels[0], levels[1], months[0], months[1]


def panel_did(
    panel: pd.DataFrame,
    *,
    kpi: str = "",
    direction: str = "higher",
    level: float = 0.95,
    total: bool = False,
    seed: int = 0,
) -> Comparison:
    """Panel DiD of one KPI: unit and month fixed effects, intervals clustered by unit.

    Parameters
    ----------
    panel : pandas.DataFrame
        As :func:`roi_kit.measure.panel_data.case_panel` builds it; one go-live month.
    kpi, direction, level
        As for :func:`roi_kit.measure.did`.
    total : bool
        Report the change as the treated units' monthly total (the effect per unit times
        the number of treated units: for amounts and counts), not per unit.
    seed : int
        Seed of the wild bootstrap.

    Returns
    -------
    Comparison
        Method ``"panel-did"``; ``valid`` False (with the reason) when the cluster counts are
        below :data:`MIN_CLUSTERS` / :data:`MIN_TREATED_CLUSTERS`.

    Raises
    ------
    CompareInputError
        A malformed panel, or staggered go-lives (use
        :func:`roi_kit.measure.staggered.staggered_did`).
    """
    _check_direction(direction)
    _check_level(level)
    check_panel(panel)
    go_lives = panel.loc[panel["treated"], "go_live"].unique()
    if len(go_lives) > 1:
        raise CompareInputError(
            "the treated groups went live in different months: a two-way fixed-effects DiD is "
            "biased on staggered timing (Goodman-Bacon 2021); use staggered_did"
        )
    fit = _fit(panel, level, seed)
    control = fit.clusters - fit.treated_clusters
    scale = float(fit.treated_clusters) if total else 1.0
    before, after, n_before, n_after = panel_levels(panel, total)
    validity = cluster_validity(fit.clusters, fit.treated_clusters, control)
    low, high = fit.low * scale, fit.high * scale
    note = _join(
        f"{fit.clusters} units ({fit.treated_clusters} treated, {control} control), unit and "
        f"month fixed effects; interval by {fit.method} clustered by unit "
        f"(p = {fit.p_value:.3f})",
        "per treated unit" if not total else f"total of {fit.treated_clusters} treated units",
    )
    return _finish(
        kpi=kpi,
        method="panel-did",
        direction=direction,
        baseline=before,
        after=after,
        change=fit.beta * scale,
        low=low,
        high=high,
        level=level,
        note=note,
        n_baseline=n_before,
        n_after=n_after,
        mde=mde_from_interval(low, high, level, fit.clusters - 1)
        if math.isfinite(low) and math.isfinite(high)
        else math.nan,
        valid=not validity,
        validity=validity,
    )
