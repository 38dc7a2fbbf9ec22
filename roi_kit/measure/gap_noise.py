"""The noise of a monthly series around a regression, fitted by restricted maximum likelihood.

Difference-in-differences works on the gap ``d = treated - control``: the control removes
whatever moves both groups, and what is left is a level, the CRM step and noise. How wide the
DiD interval must be depends on that noise, so it is modelled, not assumed:

- ``"ar1"``, a stationary AR(1): ``Cov(u_i, u_j) = s^2 rho^|t_i - t_j|``, the noise of a
  gap that returns to its level (autocorrelated months);
- ``"local-level"``, a random walk plus noise (the local level model of [2]_):
  ``Cov(u_i, u_j) = s^2 (1[i = j] + q (min(t_i, t_j) - t_0))``, the noise of a gap that
  wanders and does not come back.

``t`` are calendar month ordinals, so missing months are allowed. Both families contain
independent noise (``rho = 0``, ``q = 0``) and have one shape parameter besides the scale.
Each is fitted by restricted maximum likelihood (REML, [1]_): the likelihood of the residuals
once the regression's own coefficients are integrated out. Why REML and not plain maximum
likelihood (statsmodels ``SARIMAX``) or the lag-1 correlation of OLS residuals (statsmodels
``GLSAR``): on 24-42 months both of those estimate rho far too low (0.5-0.6 for a true 0.8),
which is exactly the interval-too-narrow failure this module exists to fix; REML removes most
of that small-sample bias. statsmodels has no REML for regression with AR(1) errors, so the
profile likelihood is written out here (a Cholesky factor per candidate shape; the shape is
found on a grid, the scale is profiled out). The family with the higher restricted likelihood
is used (equal parameter counts make that the AIC choice).

The result gives the covariance of the noise at the given months, from which any linear
estimate ``c' d`` gets its variance ``c' Sigma c`` (:func:`contrast_se`).

References
----------
.. [1] Harville, D. A. (1977). Maximum likelihood approaches to variance component estimation
   and to related problems. *JASA* 72(358), 320-338.
.. [2] Durbin, J. and Koopman, S. J. (2012). *Time Series Analysis by State Space Methods*,
   2nd ed., ch. 2 (the local level model).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["GapNoise", "contrast_se", "fit_gap_noise", "fit_gap_noises", "noise_words"]

#: Candidate AR(1) coefficients (stationary, non-negative: monthly KPIs do not alternate).
_RHO_GRID = np.r_[np.linspace(0.0, 0.9, 31), np.linspace(0.91, 0.99, 9)]
#: Candidate random-walk-to-noise variance ratios q (0 = independent noise).
_Q_GRID = np.r_[0.0, np.geomspace(1e-3, 1e2, 36)]


@dataclass(frozen=True)
class GapNoise:
    """A fitted noise model for a monthly series around a regression.

    Attributes
    ----------
    model : str
        ``"ar1"``, ``"local-level"`` or ``"independent"`` (the shape parameter at 0, or
        ``autocorrelation="none"``).
    rho : float
        AR(1) coefficient (0 for the other models).
    q : float
        Random-walk step variance over the noise variance (0 unless ``"local-level"``).
    scale : float, KPI units squared
        ``s^2``: the month-to-month noise variance (the AR(1) marginal variance).
    cov : numpy.ndarray
        The fitted covariance of the noise at the months of the fit, KPI units squared.
    df : float
        Residual degrees of freedom for t intervals: months minus coefficients minus the
        shape parameter.
    loglik : float
        The restricted log-likelihood at the fit (constants dropped; NaN when not fitted).
    """

    model: str
    rho: float
    q: float
    scale: float
    cov: np.ndarray
    df: float
    loglik: float = math.nan


def _shape(t: np.ndarray, model: str, value: float) -> np.ndarray:
    """The correlation shape ``R`` (covariance over ``s^2``) at months ``t``."""
    if model == "ar1":
        return value ** np.abs(t[:, None] - t[None, :])
    walk = np.minimum(t[:, None], t[None, :]) - t.min()
    return np.eye(len(t)) + value * walk


def _profile(
    yry: np.ndarray, xry: np.ndarray, xrx: np.ndarray, logdet_r: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Profile restricted log-likelihoods (constants dropped) and REML scales on a grid.

    Inputs per grid point ``g``: ``y' R^-1 y``, ``X' R^-1 y``, ``X' R^-1 X`` and ``log|R|``.
    With ``beta = (X' R^-1 X)^-1 X' R^-1 y`` and ``SSR = y' R^-1 y - beta' X' R^-1 y``:
    ``l = -((n - k) log(SSR / (n - k)) + log|R| + log|X' R^-1 X|) / 2``.
    """
    k = xrx.shape[-1]
    beta = np.linalg.solve(xrx, xry[..., None])[..., 0]
    ssr = yry - np.einsum("gk,gk->g", xry, beta)
    sign, logdet_x = np.linalg.slogdet(xrx)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = ssr / (n - k)
        ll = -0.5 * ((n - k) * np.log(scale) + logdet_r + logdet_x)
    ll = np.where((ssr > 0) & (sign > 0) & np.isfinite(ll), ll, -np.inf)
    return ll, scale


def _ar1_grid(y: np.ndarray, X: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Restricted log-likelihoods and scales of the AR(1) family on ``_RHO_GRID``.

    Whitening by the Prais-Winsten transform, exact for AR(1) with calendar gaps: a month
    ``g`` months after the previous one has innovation ``(u_t - rho^g u_prev) /
    sqrt(1 - rho^(2g))`` of unit variance, the first month ``u_0``; ``log|R|`` is the sum of
    ``log(1 - rho^(2g))``.
    """
    rho = _RHO_GRID[:, None]
    lag = np.diff(t)[None, :]
    phi = rho**lag
    norm = np.sqrt(1.0 - phi**2)
    ys = np.concatenate(
        [np.broadcast_to(y[:1], (len(_RHO_GRID), 1)), (y[1:] - phi * y[:-1]) / norm], axis=1
    )
    Xs = np.concatenate(
        [
            np.broadcast_to(X[:1], (len(_RHO_GRID), 1, X.shape[1])),
            (X[None, 1:] - phi[..., None] * X[None, :-1]) / norm[..., None],
        ],
        axis=1,
    )
    logdet_r = 2.0 * np.sum(np.log(norm), axis=1)
    return _profile(
        np.einsum("gn,gn->g", ys, ys),
        np.einsum("gnk,gn->gk", Xs, ys),
        np.einsum("gnk,gnj->gkj", Xs, Xs),
        logdet_r,
        len(y),
    )


def _local_level_grid(y: np.ndarray, X: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Restricted log-likelihoods and scales of the local-level family on ``_Q_GRID``.

    ``R = I + q W`` with ``W = U diag(lam) U'`` (one eigendecomposition), so
    ``R^-1 = U diag(1 / (1 + q lam)) U'`` and ``log|R| = sum log(1 + q lam)`` for every ``q``.
    """
    walk = np.minimum(t[:, None], t[None, :]) - t.min()
    lam, U = np.linalg.eigh(walk)
    lam = np.clip(lam, 0.0, None)
    inv = 1.0 / (1.0 + _Q_GRID[:, None] * lam[None, :])
    uy, uX = U.T @ y, U.T @ X
    return _profile(
        inv @ uy**2,
        np.einsum("gn,nk,n->gk", inv, uX, uy),
        np.einsum("gn,nk,nj->gkj", inv, uX, uX),
        np.sum(np.log1p(_Q_GRID[:, None] * lam[None, :]), axis=1),
        len(y),
    )


def fit_gap_noise(
    y: np.ndarray, X: np.ndarray, t: np.ndarray, autocorrelation: str = "ar1"
) -> GapNoise:
    """Fit the noise of ``y`` around the regression on ``X`` (rows at month ordinals ``t``).

    Parameters
    ----------
    y : numpy.ndarray
        The series (the treated-minus-control gap), KPI units.
    X : numpy.ndarray
        Regressors, one row per month (constant, go-live step, trend ...).
    t : numpy.ndarray
        Calendar month ordinals of the rows (gaps allowed).
    autocorrelation : {"ar1", "none"}
        ``"ar1"``: choose between the AR(1) and local-level families by REML (default);
        ``"none"``: independent months (the textbook OLS interval).

    Returns
    -------
    GapNoise
        The chosen model, its parameters and the noise covariance at ``t``.

    Examples
    --------
    Independent noise: the scale is the OLS residual variance, n - k degrees of freedom.

    >>> import numpy as np
    >>> t = np.arange(6.0)
    >>> X = np.column_stack([np.ones(6), t >= 3])
    >>> y = np.array([1.0, -1, 0, 5, 6, 4])  # residuals 1 -1 0 0 1 -1: SSR 4 on 4 df
    >>> fit = fit_gap_noise(y, X, t, "none")
    >>> fit.model, fit.scale, fit.df
    ('independent', 1.0, 4.0)
    """
    t = np.asarray(t, dtype=float)
    n, k = X.shape
    resid = y - X @ np.linalg.lstsq(X, y, rcond=None)[0]
    ols_scale = float(resid @ resid) / max(n - k, 1)
    # Why 1e-12 of the level: a noiseless gap (a test, a constant KPI) has no shape to fit.
    tiny = 1e-12 * max(float(np.mean(y**2)), 1.0)
    if autocorrelation == "none" or n - k < 3 or ols_scale <= tiny:
        return GapNoise("independent", 0.0, 0.0, ols_scale, ols_scale * np.eye(n), float(n - k))
    return fit_gap_noises(y, X, t)[0]


def fit_gap_noises(y: np.ndarray, X: np.ndarray, t: np.ndarray) -> tuple[GapNoise, GapNoise]:
    """Both fitted families, the better restricted likelihood first (see the module docstring).

    A family whose shape parameter lands on 0 is reported as ``"independent"``.
    """
    n, k = X.shape
    t = np.asarray(t, dtype=float)
    df = float(n - k - 1)
    ar_lls, ar_scales = _ar1_grid(y, X, t)
    ll_lls, ll_scales = _local_level_grid(y, X, t)
    a, b = int(np.argmax(ar_lls)), int(np.argmax(ll_lls))
    rho, q = float(_RHO_GRID[a]), float(_Q_GRID[b])
    s_ar, s_ll = float(ar_scales[a]), float(ll_scales[b])
    ar = GapNoise("ar1" if rho > 0 else "independent", rho, 0.0, s_ar,
                  s_ar * _shape(t, "ar1", rho), df, float(ar_lls[a]))  # fmt: skip
    ll = GapNoise("local-level" if q > 0 else "independent", 0.0, q, s_ll,
                  s_ll * _shape(t, "local-level", q), df, float(ll_lls[b]))  # fmt: skip
    return (ll, ar) if ll_lls[b] > ar_lls[a] else (ar, ll)


def contrast_se(noise: GapNoise, weights: np.ndarray) -> float:
    """Standard error of the linear estimate ``weights' y`` under the fitted noise.

    >>> import numpy as np
    >>> noise = GapNoise("independent", 0.0, 0.0, 4.0, 4.0 * np.eye(4), 2.0)
    >>> contrast_se(noise, np.array([-0.5, -0.5, 0.5, 0.5]))  # sqrt(4 x 4 x 0.25) = 2
    2.0
    """
    return math.sqrt(max(float(weights @ noise.cov @ weights), 0.0))


def noise_words(noise: GapNoise) -> str:
    """The noise model in words, for a result's note."""
    if noise.model == "ar1":
        return f"interval from an AR(1) noise model fitted by REML (rho {noise.rho:.2f})"
    if noise.model == "local-level":
        return (
            "the gap wanders like a random walk: interval from a local-level noise model "
            f"fitted by REML (step-to-noise variance ratio {noise.q:.2g}), wider the further "
            "the after months lie from the baseline"
        )
    return ""
