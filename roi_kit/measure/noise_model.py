"""The noise model of the regression methods: a regression with AR(1) errors, rho averaged out.

Monthly KPIs are autocorrelated. Estimating the autocorrelation from the lag-1 correlation
of OLS residuals comes out far too low on 24-36 months (issue 12: 0.36 for a true 0.5, 0.54
for 0.8), and intervals built on it cover 75-89% instead of 95%. A better point estimate is
not enough either: with 13 coefficients on 24 months the data pin rho down only loosely
(restricted ML alone still covered 0.89 at rho 0.8 and 0.79 on a random-walk level).

This module fits ``y = X beta + u`` with ``u`` a stationary AR(1) process
(``Cov(u_i, u_j) = s^2 rho^|t_i - t_j|``, ``t`` in calendar months, so missing months are
allowed) and *averages over rho* instead of plugging one value in: on a grid over the
stationary range ``[-RHO_MAX, RHO_MAX]`` each rho is weighted by its restricted likelihood
([1]_; ``s^2`` integrated out under the reference prior ``1/s^2``, ``beta`` under a flat
prior) times Jeffreys' prior ``(1 - rho^2)^-1/2``, and for each rho the after period is
predicted by the best linear unbiased predictor (universal kriging, [2]_): the GLS trend
projection plus what the last baseline residuals say about the first after months, with a
Student t error on ``n - p`` degrees of freedom. The prediction is the
mixture of those t distributions (the posterior predictive, rho integrated out); its
quantiles give the interval and its spread the minimum detectable effect. With
``estimate_rho=False`` the grid is the single point rho = 0: the textbook OLS prediction
interval for independent months.

Measured on the calibration scenarios of ``benchmarks/calibration_scenarios.py`` (24
baseline + 18 after months, 400 runs per arm, counterfactual): coverage 0.973 and 0.980
(no effect, effect) for independent noise, 0.975 and 0.964 for AR(1) noise of rho 0.5, 0.915
and 0.951 for rho 0.8, 0.914 and 0.927 on a random-walk level (the full table: README,
calibration). Over ``[0, RHO_MAX]`` only, independent noise covered 0.995.

``kind="level"`` swaps the AR(1) kernel for a random-walk level plus independent noise,
``s^2 ([i = j] + q min(i, j))`` (months counted from the first baseline month), averaged
over ``q`` the same way: the local-level model of :mod:`local_level`.

References
----------
.. [1] Harville, D. A. (1974). Bayesian inference for variance components using only error
   contrasts. *Biometrika* 61(2), 383-385.
.. [2] Goldberger, A. S. (1962). Best linear unbiased prediction in the generalized linear
   regression model. *JASA* 57(298), 369-375.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import special

__all__ = [
    "RHO_MAX",
    "Q_MAX",
    "NoiseFit",
    "Prediction",
    "fit_ar1",
    "predict",
    "interval",
    "mean_difference_sds",
    "combine",
    "prediction_cov",
]

#: Ends of the rho grid, ``[-RHO_MAX, RHO_MAX]`` (0.98: a noise that behaves like a random
#: walk over the study).
RHO_MAX = 0.98
# The whole stationary range, not [0, RHO_MAX]: with rho >= 0 independent months sit on the
# edge of the prior, where the posterior can only err upwards (issue 12: posterior mean rho
# 0.35 on independent noise, 12% of the weight above 0.8, coverage 0.995). Step 0.035,
# mirrored so that rho = 0 is exactly a grid point (the OLS fit).
_HALF_GRID = np.linspace(0.0, RHO_MAX, 29)
_GRID = np.concatenate([-_HALF_GRID[:0:-1], _HALF_GRID])
#: Largest random-walk variance ratio of the local-level kernel (level step variance over
#: noise variance; 4: a level that moves twice the noise sd each month).
Q_MAX = 4.0
_Q_GRID = np.concatenate([[0.0], np.geomspace(0.002, Q_MAX, 28)])
# Exponent of the AR(1) prior (1 - rho^2)^-a: a = 1/2 is Jeffreys' prior for the AR(1)
# coefficient. Why not flat: with 24 months the restricted likelihood barely separates
# rho 0.5 from 0.9, and a flat prior covered 0.89 at a true rho of 0.8 (Jeffreys': 0.935;
# independent noise 0.98 and 0.985; 200 runs each, benchmarks/calibration_scenarios.py; both
# measured on the earlier grid over [0, RHO_MAX]).
_PRIOR_POWER = 0.5
# Prior probability that the local level is fixed (q = 0) rather than wandering: even odds.
_FIXED_LEVEL_ODDS = 0.5
# Grid points whose weight is below this share of the total are skipped when predicting.
_NEGLIGIBLE = 1e-6


@dataclass(frozen=True)
class NoiseFit:
    """A regression with AR(1) errors fitted on the baseline, one component per rho.

    Attributes
    ----------
    kind : {"ar1", "level"}
        The noise kernel: AR(1) (parameter rho) or a random-walk level plus independent
        noise (parameter q, the level step variance over the noise variance).
    rhos, weights : numpy.ndarray
        The kernel parameter's grid points kept (rho or q) and their posterior weights
        (summing to 1).
    betas : numpy.ndarray
        GLS coefficients per rho (``len(rhos) x p``), KPI units per regressor unit.
    sigma2s : numpy.ndarray
        Noise variance per rho, ``RSS / (n - p)`` of the whitened fit, squared KPI units.
    X, t, y : numpy.ndarray
        The baseline design, month ordinals and values the fit used.
    t0 : float
        Month ordinal where the random-walk level starts (the first baseline month).
    df : float
        Degrees of freedom of each component's t distribution, ``n - p``.
    log_evidence : float
        Log marginal restricted likelihood of the kernel (prior-weighted over its grid), up
        to a constant shared by every kernel fitted to the same ``y`` and ``X``.
    """

    kind: str
    rhos: np.ndarray
    weights: np.ndarray
    betas: np.ndarray
    sigma2s: np.ndarray
    X: np.ndarray
    t: np.ndarray
    y: np.ndarray
    t0: float
    df: float
    log_evidence: float = 0.0

    @property
    def rho(self) -> float:
        """Posterior mean of the kernel parameter (rho, or q for ``kind="level"``)."""
        return float(self.weights @ self.rhos)

    @property
    def beta(self) -> np.ndarray:
        """Posterior mean of the coefficients."""
        return self.weights @ self.betas

    @property
    def resid(self) -> np.ndarray:
        """Baseline residuals around the posterior-mean fit, KPI units."""
        return self.y - self.X @ self.beta


@dataclass(frozen=True)
class Prediction:
    """The no-effect prediction of the after months, as a mixture over rho.

    Attributes
    ----------
    weights : numpy.ndarray
        Mixture weights (one per rho component).
    means, sds : numpy.ndarray
        Per component: predicted after mean and the scale of its t error, KPI units.
    month_means, month_sds : numpy.ndarray
        Per component (rows) and after month (columns): one month's prediction and scale.
    df : float
        Degrees of freedom of the components' t errors.
    """

    weights: np.ndarray
    means: np.ndarray
    sds: np.ndarray
    month_means: np.ndarray
    month_sds: np.ndarray
    df: float

    @property
    def mean(self) -> float:
        """Predicted after-period mean with no effect, KPI units."""
        return float(self.weights @ self.means)

    @property
    def per_month(self) -> np.ndarray:
        """Predicted KPI for each after month, KPI units."""
        return self.weights @ self.month_means


def _kernel(kind: str, params: np.ndarray, t1: np.ndarray, t2: np.ndarray, t0: float) -> np.ndarray:
    """Noise covariance over ``s^2`` between months ``t1`` and ``t2``, per parameter (axis 0).

    ``"ar1"``: ``rho^|t1_i - t2_j|`` (1 at lag 0). ``"level"``: independent noise plus a
    random walk started at ``t0``, ``[i == j] + q min(t1_i - t0, t2_j - t0)`` (the level at
    ``t0`` itself is the regression constant).
    """
    lag = np.abs(t1[:, None] - t2[None, :])
    if kind == "ar1":
        # |rho|^lag with the sign of rho^lag (lags are whole months): numpy's power of a
        # negative base is 15 times slower than of a positive one. numpy: 0.0 ** 0 == 1.0.
        power = np.power(np.abs(params)[:, None, None], lag[None, :, :])
        odd = (params < 0)[:, None, None] & (lag % 2 == 1)[None, :, :]
        return np.where(odd, -power, power)
    steps = np.minimum(t1[:, None] - t0, t2[None, :] - t0)
    return (lag == 0)[None, :, :] + params[:, None, None] * steps[None, :, :]


def _prior(kind: str, grid: np.ndarray) -> np.ndarray:
    """Prior weight of each grid point: Jeffreys' for rho; for q, even odds that the level
    is fixed (q = 0) or wanders, the wandering half spread evenly over the log-spaced q grid.

    Why even odds and not uniform over the grid points: uniform gave a fixed level 1/29 of
    the prior, a share set by how densely the grid was drawn; with it the state-space
    interval covered 0.993 on independent noise (400 runs, above 0.98 + 0.011). With even
    odds, measured on the same seed: 0.985 / 0.985 (independent), 0.895 / 0.912 (AR(1)
    0.8), 0.925 / 0.912 (random-walk level), no effect / effect.
    """
    if kind == "ar1":
        return (1.0 - grid**2) ** -_PRIOR_POWER
    fixed = grid == 0
    if fixed.all() or not fixed.any():
        return np.ones(len(grid))
    return np.where(
        fixed, _FIXED_LEVEL_ODDS / fixed.sum(), (1 - _FIXED_LEVEL_ODDS) / (~fixed).sum()
    )


def fit_ar1(
    y: np.ndarray, X: np.ndarray, t: np.ndarray, *, estimate_rho: bool = True, kind: str = "ar1"
) -> NoiseFit:
    """Fit ``y = X beta + noise``: restricted-likelihood weights over the kernel's grid.

    For each rho the fit is GLS; its weight is the restricted likelihood with ``s^2``
    integrated out, ``RSS^-(n-p)/2 |R|^-1/2 |X' R^-1 X|^-1/2`` (the whitened fit's residual
    sum of squares, the correlation matrix, the GLS information).

    Parameters
    ----------
    y : numpy.ndarray
        Baseline values, KPI units.
    X : numpy.ndarray
        Baseline design (full column rank, fewer columns than rows).
    t : numpy.ndarray
        Month ordinals of the rows (gaps allowed).
    estimate_rho : bool
        False fixes the parameter at 0 (independent months: OLS with the textbook
        variance). Also used when fewer than 2 residual degrees of freedom leave nothing to
        estimate it.
    kind : {"ar1", "level"}
        The noise kernel: AR(1) over rho in ``[-RHO_MAX, RHO_MAX]``, or a random-walk level plus
        independent noise over q in ``{0} + [0.002, Q_MAX]`` (geometric grid: q's scale is
        unknown), a local-level model as in [1]_ of :mod:`local_level`.

    Returns
    -------
    NoiseFit

    Examples
    --------
    A straight line without noise: the fit is exact whatever rho.

    >>> import numpy as np
    >>> t = np.arange(8.0)
    >>> fit = fit_ar1(3 + 2 * t, np.column_stack([np.ones(8), t]), t)
    >>> [round(float(b), 6) for b in fit.beta]
    [3.0, 2.0]
    """
    y, X, t = (np.asarray(a, dtype=float) for a in (y, X, t))
    n, p = X.shape
    t0 = float(t.min())
    full = _GRID if kind == "ar1" else _Q_GRID
    grid = full if estimate_rho and n - p >= 2 else np.zeros(1)
    chol = np.linalg.cholesky(_kernel(kind, grid, t, t, t0))
    Xw = np.linalg.solve(chol, np.broadcast_to(X, (len(grid), n, p)))
    yw = np.linalg.solve(chol, np.broadcast_to(y[:, None], (len(grid), n, 1)))[:, :, 0]
    info = np.einsum("gni,gnj->gij", Xw, Xw)
    betas = np.linalg.solve(info, np.einsum("gni,gn->gi", Xw, yw)[:, :, None])[:, :, 0]
    rss = np.sum((yw - np.einsum("gni,gi->gn", Xw, betas)) ** 2, axis=1)
    logdet_r = 2.0 * np.sum(np.log(np.diagonal(chol, axis1=1, axis2=2)), axis=1)
    crit = (n - p) * np.log(np.maximum(rss, 1e-300)) + logdet_r + np.linalg.slogdet(info)[1]
    prior = _prior(kind, grid)
    prior = prior / prior.sum()
    weights = np.exp(-(crit - crit.min()) / 2.0) * prior
    # log of the marginal restricted likelihood (up to a constant shared by every kernel on
    # the same y and X): compares kernels for model averaging (:func:`combine`).
    log_evidence = float(np.log(weights.sum()) - crit.min() / 2.0)
    weights /= weights.sum()
    keep = weights >= _NEGLIGIBLE
    return NoiseFit(
        kind=kind,
        rhos=grid[keep],
        weights=weights[keep] / weights[keep].sum(),
        betas=betas[keep],
        sigma2s=rss[keep] / (n - p),
        X=X,
        t=t,
        y=y,
        t0=t0,
        df=float(max(n - p, 1)),
        log_evidence=log_evidence,
    )


def predict(fit: NoiseFit, Xa: np.ndarray, ta: np.ndarray) -> Prediction:
    """Kriging prediction of the after months (design rows ``Xa``, ordinals ``ta``) per rho.

    With ``R`` the baseline correlation, ``c`` the correlations of a target (an after month,
    or the after mean) with the baseline months, ``x`` its design row and ``s_aa`` its own
    variance over ``s^2``: prediction ``x' beta + c' R^-1 (y - X beta)``, error variance
    ``s^2 [s_aa - c' R^-1 c + d' (X' R^-1 X)^-1 d]`` with ``d = x - X' R^-1 c``.

    Returns
    -------
    Prediction
        One component per rho of ``fit``.
    """
    Xa, ta = np.asarray(Xa, dtype=float), np.asarray(ta, dtype=float)
    X, s2 = fit.X, fit.sigma2s
    kind, t0 = fit.kind, fit.t0
    r_inv = np.linalg.inv(_kernel(kind, fit.rhos, fit.t, fit.t, t0))  # g x n x n
    # Matrix products, not three-operand einsums: numpy's einsum loops over every index
    # at once (g n^2 p^2 products for X' R^-1 X), 3 times slower on the 57-point rho grid.
    xtrx_inv = np.linalg.inv(X.T @ r_inv @ X)
    c_month = _kernel(kind, fit.rhos, fit.t, ta, t0)  # g x n x n_a
    resid = fit.y[None, :] - fit.betas @ X.T  # g x n
    rc = r_inv @ c_month  # g x n x n_a; R^-1 is symmetric, so c' R^-1 r = (R^-1 c)' r
    month = fit.betas @ Xa.T + np.einsum("gna,gn->ga", rc, resid)
    d_month = Xa[None, :, :] - np.einsum("ni,gna->gai", X, rc)
    k_aa = _kernel(kind, fit.rhos, ta, ta, t0)
    own = np.diagonal(k_aa, axis1=1, axis2=2)
    var_month = s2[:, None] * (
        own
        - np.einsum("gna,gna->ga", c_month, rc)
        + np.einsum("gai,gai->ga", d_month @ xtrx_inv, d_month)
    )
    c_mean, rc_mean = c_month.mean(axis=2), rc.mean(axis=2)
    d_mean = Xa.mean(axis=0)[None, :] - rc_mean @ X
    s_aa = k_aa.mean(axis=(1, 2))
    var_mean = s2 * (
        s_aa
        - np.einsum("gn,gn->g", c_mean, rc_mean)
        + np.einsum("gi,gij,gj->g", d_mean, xtrx_inv, d_mean)
    )
    return Prediction(
        weights=fit.weights,
        means=month.mean(axis=1),
        sds=np.sqrt(np.maximum(var_mean, 0.0)),
        month_means=month,
        month_sds=np.sqrt(np.maximum(var_month, 0.0)),
        df=fit.df,
    )


def interval(
    weights: np.ndarray, means: np.ndarray, sds: np.ndarray, df: float, level: float
) -> tuple:
    """Central ``level`` interval of a mixture of t distributions (location, scale, ``df``).

    ``means`` and ``sds`` are per component (axis 0); a second axis holds several targets
    at once (one per after month), and then ``low`` and ``high`` are arrays. The quantiles
    are found by Newton's method (bisection when it does not converge).

    Examples
    --------
    One component, scale 1, df 10: the t quantile 2.228 either side.

    >>> lo, hi = interval(np.ones(1), np.zeros(1), np.ones(1), 10.0, 0.95)
    >>> round(float(lo), 3), round(float(hi), 3)
    (-2.228, 2.228)
    """
    means = np.asarray(means, dtype=float)
    sds = np.maximum(np.asarray(sds, dtype=float), 1e-12)
    single = means.ndim == 1
    if single:
        means, sds = means[:, None], sds[:, None]
    out = [_quantile(weights, means, sds, df, q) for q in (0.5 - level / 2, 0.5 + level / 2)]
    return (float(out[0][0]), float(out[1][0])) if single else (out[0], out[1])


def _quantile(
    weights: np.ndarray, means: np.ndarray, sds: np.ndarray, df: float, q: float
) -> np.ndarray:
    """The ``q`` quantile of each column's t mixture: Newton steps, bisection if needed."""
    const = special.gamma((df + 1) / 2) / (math.sqrt(df * math.pi) * special.gamma(df / 2))

    def cdf(x: np.ndarray) -> np.ndarray:
        return weights @ special.stdtr(df, (x[None, :] - means) / sds)

    # Why Newton: each mixture cdf costs a t cdf per component and month; from the
    # moment-matched start 6 steps reach 1e-12 where bisection needs 45.
    centre = weights @ means
    spread = np.sqrt(weights @ (sds**2 + (means - centre) ** 2))
    span = 60.0 * sds.max(axis=0) + 1.0
    lo, hi = means.min(axis=0) - span, means.max(axis=0) + span
    x = centre + float(special.stdtrit(df, q)) * spread
    for _ in range(6):
        z = (x[None, :] - means) / sds
        pdf = weights @ (const * (1 + z**2 / df) ** (-(df + 1) / 2) / sds)
        # Kept inside the bracket the quantile lies in: where the density is nearly 0 (a
        # component of almost no spread, as rho near -1 gives the after mean) a raw Newton
        # step would overflow.
        x = np.clip(x - (cdf(x) - q) / np.maximum(pdf, 1e-300), lo, hi)
    if np.all(np.abs(cdf(x) - q) < 1e-9):
        return x
    for _ in range(60):  # 60 halvings of 120 scales: 1e-16 of the scale
        mid = (lo + hi) / 2
        below = cdf(mid) < q
        lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
    return (lo + hi) / 2


def mean_difference_sds(fit: NoiseFit, ta: np.ndarray) -> np.ndarray:
    """Per component: sd of ``mean(noise over ta) - mean(noise over the baseline months)``.

    The error of a plain after-minus-baseline difference of means (the naive comparison)
    when the KPI is its expected path plus this noise: ``s^2 (mean K_aa + mean K_bb - 2 mean
    K_ab)`` with ``K`` the kernel, in KPI units.
    """
    ta = np.asarray(ta, dtype=float)
    k = fit.kind, fit.rhos
    var = fit.sigma2s * (
        _kernel(*k, ta, ta, fit.t0).mean(axis=(1, 2))
        + _kernel(*k, fit.t, fit.t, fit.t0).mean(axis=(1, 2))
        - 2.0 * _kernel(*k, fit.t, ta, fit.t0).mean(axis=(1, 2))
    )
    return np.sqrt(np.maximum(var, 0.0))


def combine(fits: list[NoiseFit], predictions: list[Prediction]) -> Prediction:
    """Bayesian model average of predictions from several kernels fitted to the same data.

    Each kernel gets the weight of its marginal restricted likelihood (equal prior odds);
    the components of all kernels form one mixture.

    Examples
    --------
    Two fits of the same straight line: equal evidence, half the weight each.

    >>> t = np.arange(8.0)
    >>> X = np.column_stack([np.ones(8), t])
    >>> y = 1 + t + np.r_[0.1, -0.1] .repeat(4)
    >>> fits = [fit_ar1(y, X, t, estimate_rho=False) for _ in range(2)]
    >>> preds = [predict(f, X[:2], t[:2]) for f in fits]
    >>> [float(w) for w in combine(fits, preds).weights]
    [0.5, 0.5]
    """
    evidence = np.array([f.log_evidence for f in fits])
    model_w = np.exp(evidence - evidence.max())
    model_w /= model_w.sum()
    return Prediction(
        weights=np.concatenate([w * p.weights for w, p in zip(model_w, predictions)]),
        means=np.concatenate([p.means for p in predictions]),
        sds=np.concatenate([p.sds for p in predictions]),
        month_means=np.concatenate([p.month_means for p in predictions]),
        month_sds=np.concatenate([p.month_sds for p in predictions]),
        df=predictions[0].df,
    )


def prediction_cov(fit: NoiseFit, Xa: np.ndarray, ta: np.ndarray) -> np.ndarray:
    """Per component: covariance across the after months of ``actual - prediction``, no effect.

    The full matrix whose diagonal is :func:`predict`'s ``month_sds ** 2``: entry ``(a, b)``
    is ``s^2 [k_ab - c_a' R^-1 c_b + d_a' (X' R^-1 X)^-1 d_b]`` (notation of
    :func:`predict`), the after months' own noise plus the error of the projection they all
    share (the estimated trend and season, and the baseline residuals carried forward). A
    linear estimate ``w' gap`` over the after months has variance ``w' S w`` per component.

    Returns
    -------
    numpy.ndarray
        ``len(fit.rhos) x n_a x n_a``, KPI units squared.
    """
    Xa, ta = np.asarray(Xa, dtype=float), np.asarray(ta, dtype=float)
    X, kind, t0 = fit.X, fit.kind, fit.t0
    # Batched matmul, not einsum: a three-operand einsum without a contraction path is
    # several times slower here, and the adoption check calls this once per KPI.
    r_inv = np.linalg.inv(_kernel(kind, fit.rhos, fit.t, fit.t, t0))
    xtrx_inv = np.linalg.inv(X.T @ r_inv @ X)
    c = _kernel(kind, fit.rhos, fit.t, ta, t0)  # g x n x n_a
    rc = r_inv @ c
    d = Xa[None, :, :] - np.swapaxes(rc, 1, 2) @ X  # g x n_a x p
    shape = (
        _kernel(kind, fit.rhos, ta, ta, t0)
        - np.swapaxes(c, 1, 2) @ rc
        + d @ xtrx_inv @ np.swapaxes(d, 1, 2)
    )
    return fit.sigma2s[:, None, None] * shape
