"""Tests for roi_kit.measure.noise_model (the AR(1) / local-level noise models) and
roi_kit.measure.stationarity: checked against statsmodels (OLS, GLS), scipy's t
distribution and simulations with a known truth."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats

from roi_kit.measure.noise_model import (
    fit_ar1,
    interval,
    mean_difference_sds,
    predict,
)
from roi_kit.measure.stationarity import stationarity_check

__all__: list[str] = []


def _design(n: int) -> np.ndarray:
    t = np.arange(n, dtype=float)
    return np.column_stack([np.ones(n), t / 12.0, np.sin(2 * np.pi * t / 12)])


def test_rho_zero_is_the_ols_prediction_interval():
    # Independent route: statsmodels' OLS prediction of the after months; the after mean's
    # error variance is s^2 (1/n_a + abar' (X'X)^-1 abar) with s^2 = RSS / (n - p).
    rng = np.random.default_rng(3)
    X = _design(42)
    y = X @ [50.0, 6.0, 4.0] + rng.normal(0, 2, 42)
    t = np.arange(42.0)
    fit = fit_ar1(y[:24], X[:24], t[:24], estimate_rho=False)
    pred = predict(fit, X[24:], t[24:])
    ols = sm.OLS(y[:24], X[:24]).fit()
    abar = X[24:].mean(axis=0)
    var = ols.scale * (1 / 18 + abar @ np.linalg.inv(X[:24].T @ X[:24]) @ abar)
    assert pred.mean == pytest.approx(float(abar @ ols.params), rel=1e-10)
    assert pred.sds[0] ** 2 == pytest.approx(var, rel=1e-10)
    frame = ols.get_prediction(X[24:]).summary_frame(alpha=0.05)
    np.testing.assert_allclose(pred.per_month, frame["mean"], rtol=1e-10)
    # one month's band: obs_ci_lower is the OLS prediction interval of a single value
    lo, hi = interval(pred.weights, pred.month_means, pred.month_sds, pred.df, 0.95)
    np.testing.assert_allclose(lo, frame["obs_ci_lower"], rtol=1e-9)
    np.testing.assert_allclose(hi, frame["obs_ci_upper"], rtol=1e-9)


@pytest.mark.slow
def test_kriging_error_variance_matches_simulation_at_a_known_rho():
    # With rho and s^2 known (0.6 and 1), the predictor's error variance is exact; compare
    # with the empirical variance of actual - predicted over 1,000 simulated AR(1) series
    # (GLS beta from statsmodels). Relative standard error of a variance from 1,000 draws:
    # sqrt(2 / 1000) = 4.5%, so 15% is over 3 standard errors.
    rng = np.random.default_rng(8)
    n, n_b, rho = 36, 24, 0.6
    X, t = _design(n), np.arange(float(n))
    R = rho ** np.abs(t[:, None] - t[None, :])
    chol = np.linalg.cholesky(R)
    errors, model_var = [], None
    for _ in range(1000):
        y = X @ [10.0, 2.0, 3.0] + chol @ rng.standard_normal(n)
        gls = sm.GLS(y[:n_b], X[:n_b], sigma=R[:n_b, :n_b]).fit()
        fit = fit_ar1(y[:n_b], X[:n_b], t[:n_b])
        fixed = dataclasses.replace(
            fit,
            rhos=np.array([rho]),
            weights=np.ones(1),
            betas=np.asarray(gls.params)[None, :],
            sigma2s=np.ones(1),
        )
        pred = predict(fixed, X[n_b:], t[n_b:])
        errors.append(y[n_b:].mean() - pred.mean)
        model_var = float(pred.sds[0] ** 2)
    assert np.mean(errors) == pytest.approx(0.0, abs=4 * np.sqrt(model_var / 1000))
    assert np.var(errors) == pytest.approx(model_var, rel=0.15)


@pytest.mark.slow
def test_rho_agrees_with_statsmodels_ml_on_a_long_series():
    # 400 months of AR(1) noise around a trend: with this many months the posterior mean of
    # rho and the exact ML estimate of statsmodels' SARIMAX (regression with AR(1) errors)
    # agree within the grid step (0.035) plus their sampling sd (about 0.036).
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    rng = np.random.default_rng(11)
    e = np.zeros(400)
    for i in range(1, 400):
        e[i] = 0.7 * e[i - 1] + rng.normal()
    t = np.arange(400.0)
    X = np.column_stack([np.ones(400), t])
    y = 5 + 0.1 * t + e
    fit = fit_ar1(y, X, t)
    ml = SARIMAX(y, exog=X, order=(1, 0, 0), trend="n").fit(disp=False, maxiter=200)
    assert fit.rho == pytest.approx(float(ml.params[2]), abs=0.07)
    assert fit.rho == pytest.approx(0.7, abs=0.15)
    assert fit.weights.sum() == pytest.approx(1.0)


def test_negative_autocorrelation_agrees_with_statsmodels_ml():
    # 400 months of AR(1) noise with rho -0.5 (a month above the line is followed by one
    # below): inside the stationary range the grid covers, so the posterior mean and
    # SARIMAX's exact ML agree within the grid step plus their sampling sd (about 0.045).
    # With a grid floored at 0 the posterior mean could not go below 0.
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    rng = np.random.default_rng(13)
    e = np.zeros(400)
    for i in range(1, 400):
        e[i] = -0.5 * e[i - 1] + rng.normal()
    t = np.arange(400.0)
    X = np.column_stack([np.ones(400), t])
    fit = fit_ar1(5 + 0.1 * t + e, X, t)
    ml = SARIMAX(5 + 0.1 * t + e, exog=X, order=(1, 0, 0), trend="n").fit(disp=False)
    assert fit.rho == pytest.approx(float(ml.params[2]), abs=0.07)
    assert fit.rho == pytest.approx(-0.5, abs=0.15)


@pytest.mark.slow
def test_independent_months_are_not_read_as_autocorrelated():
    # Issue 12: on 24 months of independent noise around a trend + season (13 coefficients,
    # the counterfactual's design) a grid over rho >= 0 gave a posterior mean rho of 0.35 on
    # average, and the interval covered 0.995. The truth is 0; the REML posterior of rho on
    # 11 residual degrees of freedom has an sd of about 1 / sqrt(11) = 0.3, so over 300
    # series its average must be within 0.1 of 0 (its Monte Carlo error is about
    # 0.3 / sqrt(300) = 0.02, plus REML's small-sample bias).
    # The after mean's 95% interval (18 months) then covers the truth in 0.90-0.98 of runs
    # (Monte Carlo error sqrt(.95 x .05 / 300) = 0.013; 0.995 before).
    rng = np.random.default_rng(21)
    t = np.arange(42.0)
    month = t % 12
    X = np.column_stack([np.ones(42), t / 12] + [(month == m).astype(float) for m in range(1, 12)])
    rhos, hits = [], 0
    for _ in range(300):
        y = rng.normal(0, 1, 42)
        fit = fit_ar1(y[:24], X[:24], t[:24])
        pred = predict(fit, X[24:], t[24:])
        lo, hi = interval(pred.weights, pred.means, pred.sds, pred.df, 0.95)
        rhos.append(fit.rho)
        hits += lo <= y[24:].mean() <= hi
    assert np.mean(rhos) == pytest.approx(0.0, abs=0.1)
    assert 0.90 <= hits / 300 <= 0.98


def test_mixture_interval_quantiles_are_exact():
    # Two t components (df 7): at the bounds the mixture cdf, computed with scipy, is
    # 0.025 and 0.975.
    w, m, s = np.array([0.3, 0.7]), np.array([-1.0, 2.0]), np.array([1.0, 3.0])
    lo, hi = interval(w, m, s, 7.0, 0.95)
    cdf = lambda x: float(w @ stats.t.cdf((x - m) / s, 7.0))  # noqa: E731
    assert cdf(lo) == pytest.approx(0.025, abs=1e-9)
    assert cdf(hi) == pytest.approx(0.975, abs=1e-9)


def test_mean_difference_sd_of_independent_months():
    # rho = 0: Var(mean_a - mean_b) = s^2 (1/n_a + 1/n_b); s^2 = RSS / (n - p) of OLS.
    rng = np.random.default_rng(4)
    t = np.arange(30.0)
    X = np.column_stack([np.ones(18), t[:18]])
    y = 3 + 0.2 * t[:18] + rng.normal(0, 1, 18)
    fit = fit_ar1(y, X, t[:18], estimate_rho=False)
    s2 = sm.OLS(y, X).fit().scale
    assert mean_difference_sds(fit, t[18:])[0] ** 2 == pytest.approx(s2 * (1 / 12 + 1 / 18))


def test_level_kernel_widens_with_the_horizon():
    # A random-walk level: the error of one month's forecast grows with its distance from
    # the baseline (variance + q s^2 a month).
    rng = np.random.default_rng(2)
    t = np.arange(60.0)
    y = 20 + np.cumsum(rng.normal(0, 1, 60)) + rng.normal(0, 1, 60)
    X = np.column_stack([np.ones(36), t[:36]])
    fit = fit_ar1(y[:36], X, t[:36], kind="level")
    pred = predict(fit, np.column_stack([np.ones(24), t[36:]]), t[36:])
    sds = pred.weights @ pred.month_sds
    assert np.all(np.diff(sds) > 0)
    assert fit.rho > 0.1  # the level's variance ratio (true 1) is found non-zero


def test_stationarity_check_reads_both_tests():
    rng = np.random.default_rng(5)
    walk = np.cumsum(rng.normal(0, 1, 80))
    noise = rng.normal(0, 1, 80)
    w, n = stationarity_check(walk), stationarity_check(noise)
    assert w.unit_root and "random walk" in w.note
    assert not n.unit_root and n.note == ""
    assert n.adf_p < 0.01  # white noise: ADF rejects a unit root
    # Too short to test: nothing suspected.
    assert not stationarity_check(noise[:5]).unit_root
    # The noise model's weight on rho > 0.9 suspects a unit root only when ADF agrees.
    assert not stationarity_check(noise, high_rho_share=0.9).unit_root
