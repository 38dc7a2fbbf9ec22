"""Tests for DiD's noise model, DiD with a group trend, the pre-trend bias and the MDE.

Expected values come from hand arithmetic, dense-matrix formulas written out here, statsmodels
OLS, or simulations with a known truth.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from roi_kit.measure import did
from roi_kit.measure.diff_in_diff import BOUNDED_BIAS, gap_estimate
from roi_kit.measure.gap_noise import _Q_GRID, _RHO_GRID, _ar1_grid, _local_level_grid

IDX = pd.period_range("2022-01", periods=36, freq="M")
GO = pd.Period("2024-01", "M")


def _dense_reml(y: np.ndarray, X: np.ndarray, R: np.ndarray) -> float:
    """Restricted log-likelihood (constants dropped) with explicit inverses."""
    n, k = X.shape
    Ri = np.linalg.inv(R)
    beta = np.linalg.solve(X.T @ Ri @ X, X.T @ Ri @ y)
    r = y - X @ beta
    s2 = float(r @ Ri @ r) / (n - k)
    return -0.5 * (
        (n - k) * np.log(s2) + np.linalg.slogdet(R)[1] + np.linalg.slogdet(X.T @ Ri @ X)[1]
    )


def test_reml_grids_equal_dense_formula_with_missing_months():
    rng = np.random.default_rng(3)
    t = np.delete(np.arange(20.0), [4, 11])  # two missing months: lags of 2
    X = np.column_stack([np.ones(len(t)), t >= 12])
    y = rng.normal(size=len(t)).cumsum()
    ar, _ = _ar1_grid(y, X, t)
    ll, _ = _local_level_grid(y, X, t)
    for i in (5, 20, 35):
        R = _RHO_GRID[i] ** np.abs(t[:, None] - t[None, :])
        assert ar[i] == pytest.approx(_dense_reml(y, X, R), rel=1e-9)
    for i in (3, 18, 30):
        W = np.minimum(t[:, None], t[None, :]) - t.min()
        assert ll[i] == pytest.approx(_dense_reml(y, X, np.eye(len(t)) + _Q_GRID[i] * W), rel=1e-9)


def test_did_trend_and_pretrend_bias_by_hand_on_noiseless_data():
    # Gap 2 + 0.5 t over months 0..11, and +3 from month 8 (go-live): did-trend finds 3;
    # plain DiD adds the trend between the midpoints 3.5 and 9.5: 3 + 0.5 x 6 = 6.
    idx = pd.period_range("2023-01", periods=12, freq="M")
    t = np.arange(12.0)
    control = pd.Series(50.0 + np.sin(t), index=idx)
    treated = control + 2 + 0.5 * t + 3 * (t >= 8)
    go = idx[8]
    plain = did(treated, control, go)
    trend = did(treated, control, go, trend=True)
    assert trend.method == "did-trend" and trend.change == pytest.approx(3.0)
    assert plain.change == pytest.approx(6.0)
    assert plain.pretrend_bias == pytest.approx(3.0)
    assert plain.pretrend_slope == pytest.approx(0.5)
    assert not plain.valid and "pre-trends differ" in plain.validity
    # 8 baseline months: the estimate is right, but a trend from so few is not counted.
    assert not trend.valid and "only 8 baseline months" in trend.validity


def test_did_trend_interval_equals_statsmodels_dummy_regression_under_independence():
    # did-trend = mean of after-month dummies in d ~ 1 + t + D_after_1..D_after_m (the
    # baseline alone fits the trend); its OLS standard error is statsmodels' t_test.
    rng = np.random.default_rng(7)
    idx = pd.period_range("2022-01", periods=20, freq="M")
    control = pd.Series(rng.normal(80, 3, 20), index=idx)
    treated = control + 10 + 0.3 * np.arange(20) + rng.normal(0, 2, 20)
    r = did(treated, control, idx[14], trend=True, autocorrelation="none")
    d = (treated - control).to_numpy()
    dummies = np.zeros((20, 6))
    dummies[14:, :] = np.eye(6)
    X = np.column_stack([np.ones(20), np.arange(20.0), dummies])
    fit = sm.OLS(d, X).fit()
    contrast = np.r_[0, 0, np.full(6, 1 / 6)]
    test = fit.t_test(contrast)
    se = float(np.squeeze(test.sd))
    assert r.change == pytest.approx(float(np.squeeze(test.effect)))
    # the noise model takes one df fewer only when it fits a shape; none here: n - k = 12.
    half = stats.t.ppf(0.975, 20 - 3) * se
    assert (r.high - r.low) / 2 == pytest.approx(half, rel=0.2)


def test_mde_from_the_same_noise_as_the_interval():
    rng = np.random.default_rng(11)
    control = pd.Series(rng.normal(80, 3, 36), index=IDX)
    treated = control + 20 + rng.normal(0, 3, 36)
    for trend in (False, True):
        r = did(treated, control, GO, trend=trend, autocorrelation="none")
        df = 36 - (3 if trend else 2)
        se = (r.high - r.low) / 2 / stats.t.ppf(0.975, df)
        assert r.mde == pytest.approx((stats.t.ppf(0.975, df) + stats.t.ppf(0.8, df)) * se)


def _ar_gap_pair(rng: np.random.Generator, rho: float, drift: float = 0.0):
    """Treated and control with AR(1) noise of marginal sd 5 each, a shared season."""
    n = 36
    season = 10 * np.sin(2 * np.pi * np.arange(n) / 12)

    def ar():
        e = np.empty(n)
        e[0] = 5 * rng.standard_normal()
        for i in range(1, n):
            e[i] = rho * e[i - 1] + 5 * np.sqrt(1 - rho**2) * rng.standard_normal()
        return e

    control = 80 + season + ar()
    treated = 100 + season + drift * np.arange(n) + ar()
    return pd.Series(treated, index=IDX), pd.Series(control, index=IDX)


@pytest.mark.slow
def test_did_covers_under_strong_autocorrelation():
    # The old lag-1 sandwich covered about 0.79 here (issue 12); REML noise should be ~0.95.
    rng = np.random.default_rng(2024)
    hits = [did(*_ar_gap_pair(rng, 0.8), GO).low <= 0 for _ in range(120)]
    rng = np.random.default_rng(2024)
    highs = [did(*_ar_gap_pair(rng, 0.8), GO).high >= 0 for _ in range(120)]
    rate = np.mean(np.array(hits) & np.array(highs))
    print(f"\nDiD coverage, AR(1) 0.8: {rate:.3f}")
    assert 0.88 <= rate <= 0.99


@pytest.mark.slow
def test_pretrend_rule_flags_strong_drift_and_rarely_parallel_groups():
    # The pre-trend rule alone: parallel trends stated, so only the rule can refuse.
    rng = np.random.default_rng(5)
    stated = {"parallel_trends": "stated for the test"}
    parallel = [not did(*_ar_gap_pair(rng, 0.0), GO, **stated).valid for _ in range(100)]
    drifting = [not did(*_ar_gap_pair(rng, 0.0, drift=1.0), GO, **stated).valid for _ in range(60)]
    print(f"\nnot valid: parallel {np.mean(parallel):.2f}, drift 1.0/month {np.mean(drifting):.2f}")
    assert np.mean(parallel) <= 0.12  # nominal 5% (a 95% bias interval excluding zero)
    assert np.mean(drifting) >= 0.8  # slope 1.0: t about 4.8 over 24 baseline months


def test_drift_the_pretrend_check_can_miss_is_the_hand_formula():
    # Independent noise: the check's noise is the OLS fit of the gap on [1, t, post], s^2 =
    # RSS / (n - 3) on n - 3 df; the baseline slope is OLS on the n_b baseline months, so
    # se(slope) = s / sqrt(Sxx) with Sxx = n_b (n_b^2 - 1) / 12, and the drift found with 80%
    # power at 5% two-sided is (t_.975 + t_.80) x se(slope) (Bloom 1995). Its bias over the
    # after period is that slope times the distance between the after months' mean and the
    # baseline's centre: (mean t_after - mean t_baseline).
    rng = np.random.default_rng(11)
    n, n_b = 36, 24
    t = np.arange(n, dtype=float)
    d = 20 + rng.normal(0, 3, n)
    post = (t >= n_b).astype(float)
    X = np.column_stack([np.ones(n), t, post])
    resid = d - X @ np.linalg.lstsq(X, d, rcond=None)[0]
    s2 = resid @ resid / (n - 3)
    se_slope = np.sqrt(s2 * 12 / (n_b * (n_b**2 - 1)))
    mult = stats.t.ppf(0.975, n - 3) + stats.t.ppf(0.80, n - 3)
    lever = t[n_b:].mean() - t[:n_b].mean()  # 29.5 - 11.5 = 18 months
    fit = gap_estimate(d, t, n_b, autocorrelation="none")
    assert fit.bias["drift_mde"] == pytest.approx(mult * se_slope, rel=1e-9)
    assert fit.bias["bias_mde"] == pytest.approx(mult * se_slope * lever, rel=1e-9)
    # Plain DiD's own se: s_step sqrt(1/24 + 1/12) around a level and a step; far below
    # the unseen bias on 24 months, so the baseline does not bound it.
    assert fit.bias["bias_mde"] > BOUNDED_BIAS * fit.se
    assert not fit.bias["bounded"]


def test_plain_did_needs_stated_or_bounded_parallel_trends():
    rng = np.random.default_rng(3)
    treated, control = _ar_gap_pair(rng, 0.0)
    plain = did(treated, control, GO)
    assert not plain.valid
    assert "parallel trends not shown" in plain.validity
    assert "measurement.parallel_trends" in plain.validity
    stated = did(treated, control, GO, parallel_trends="same products and prices")
    assert stated.valid and stated.validity == ""
    assert "parallel trends assumed (same products and prices)" in stated.note
    # The same estimate and interval either way: the statement changes the verdict only.
    assert (stated.change, stated.low, stated.high) == (plain.change, plain.low, plain.high)
    # A stated assumption does not silence the pre-trend rule on a clear drift.
    drifting = did(*_ar_gap_pair(rng, 0.0, drift=2.0), GO, parallel_trends="stated")
    assert not drifting.valid and "pre-trends differ" in drifting.validity
    # DiD with group trends does not rest on the assumption.
    assert did(treated, control, GO, trend=True).valid


def test_a_long_baseline_and_short_after_period_bounds_the_pretrend():
    # 240 baseline months and 2 after months, independent noise: se(slope) shrinks as
    # n_b^-1.5 while DiD's se stays near s / sqrt(2), so the unseen bias (about
    # 2.8 x s x sqrt(12 / 240^3) x 121 = 0.32 s) falls below 0.6 x 0.71 s: valid as shown.
    idx = pd.period_range("2004-01", periods=242, freq="M")
    rng = np.random.default_rng(8)
    control = pd.Series(50 + rng.normal(0, 3, 242), index=idx)
    treated = pd.Series(70 + rng.normal(0, 3, 242), index=idx)
    r = did(treated, control, idx[240], autocorrelation="none")
    assert r.valid, r.validity


def test_did_trend_needs_twelve_baseline_months():
    # 6 baseline months: each group's trend would be extrapolated two to three baselines
    # ahead; the row says so and is not valid. 12 months: valid.
    rng = np.random.default_rng(4)
    idx = pd.period_range("2023-07", periods=24, freq="M")
    control = pd.Series(80 + rng.normal(0, 2, 24), index=idx)
    treated = pd.Series(100 + rng.normal(0, 2, 24), index=idx)
    six = did(treated, control, idx[6], trend=True)
    assert not six.valid and "only 6 baseline months" in six.validity
    twelve = did(treated, control, idx[12], trend=True)
    assert twelve.valid, twelve.validity
