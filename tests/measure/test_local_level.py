"""Tests for the state-space counterfactual (roi_kit.measure.state_space, module local_level):
the closed form against statsmodels' UnobservedComponents Kalman filter, recovery of a known
effect, the control regressor, validity and bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from roi_kit.errors import GapError, RoiKitError
from roi_kit.measure import compare_frame, state_space
from roi_kit.measure.noise_model import _Q_GRID, _prior, fit_ar1, predict
from roi_kit.measure.projection import _design

__all__: list[str] = []

IDX = pd.period_range("2021-01", periods=42, freq="M")
GO = pd.Period("2023-01", "M")


def _walk(seed: int, effect: float = 0.0) -> pd.Series:
    rng = np.random.default_rng(seed)
    t = np.arange(42)
    season = 10 * np.sin(2 * np.pi * t / 12)
    y = 100 + 0.5 * t + season + np.cumsum(rng.normal(0, 2.5, 42)) + rng.normal(0, 5, 42)
    return pd.Series(y + effect * (t >= 24), index=IDX)


@pytest.mark.slow
def test_closed_form_equals_unobserved_components_at_the_same_variances():
    # Independent route: statsmodels' Kalman filter for the same model ("lldtrend": noise, a
    # random-walk level with
    # drift, deterministic 12-month season, diffuse start), with the variances of one grid
    # point fixed; the after months are missing data, so its predictions are the forecasts.
    from statsmodels.tsa.statespace.structural import UnobservedComponents

    y = _walk(3)
    t = IDX.asi8.astype(float)
    X = _design(t, IDX.month.to_numpy(), int(t[0]), True)
    fit = fit_ar1(y.to_numpy()[:24], X[:24], t[:24], kind="level")
    pred = predict(fit, X[24:], t[24:])
    g = int(np.argmax(fit.weights))
    q, s2 = float(fit.rhos[g]), float(fit.sigma2s[g])
    endog = y.to_numpy().copy()
    endog[24:] = np.nan
    model = UnobservedComponents(endog, level="lldtrend", seasonal=12, stochastic_seasonal=False)
    res = model.smooth([s2, q * s2])
    forecast = res.get_prediction(start=24, end=41)
    np.testing.assert_allclose(pred.month_means[g], forecast.predicted_mean, rtol=1e-5)
    np.testing.assert_allclose(pred.month_sds[g] ** 2, forecast.var_pred_mean, rtol=1e-4)


def test_recovers_a_step_on_a_noiseless_line():
    y = pd.Series(20 + 2.0 * np.arange(42), index=IDX)
    y[IDX >= GO] += 5.0
    r = state_space(y, GO, seasonal=False)
    assert r.change == pytest.approx(5.0, abs=1e-6)
    assert r.high - r.low < 1e-3
    assert r.valid and r.method == "state-space"


@pytest.mark.slow
def test_coverage_on_random_walk_levels():
    # 60 simulated random-walk levels with a true effect of 8: the 95% interval should hold
    # it in about 95% of runs (binomial sd 0.028: at least 0.85 and not all but 0-1 runs).
    hits, mdes = 0, []
    for seed in range(60):
        r = state_space(_walk(seed, 8.0), GO)
        hits += r.low <= 8.0 <= r.high
        mdes.append(r.mde)
    assert 0.85 <= hits / 60 <= 1.0
    # MDE = (1.96 + 0.84)-ish x se, se = half-width / ~2: about 1.4 x the half-width.
    assert np.all(np.isfinite(mdes)) and min(mdes) > 0


def test_control_regressor_absorbs_a_shared_market():
    # A market factor moves both groups (a random walk of sd 3 a month) and steps up by 30
    # at go-live. The control co-moves with the treated group in the baseline, so its
    # coefficient (true 1) is learnt there; with it as a regressor the step is absorbed,
    # without it the forecast credits the step to the CRM.
    rng = np.random.default_rng(0)
    t = np.arange(42)
    base = 100 + 0.5 * t + 10 * np.sin(2 * np.pi * t / 12)
    market = np.cumsum(rng.normal(0, 3, 42)) + 30.0 * (t >= 24)
    treated = pd.Series(base + market + rng.normal(0, 1, 42), index=IDX)
    control = pd.Series(0.8 * base + market + rng.normal(0, 1, 42), index=IDX)
    alone = state_space(treated, GO)
    paired = state_space(treated, GO, control=control)
    assert alone.change > 15 and alone.low > 0  # a false 'effect'
    # With the control: most of the step is absorbed (about 41 -> 12 on this draw) and the
    # interval holds the true 0.
    assert abs(paired.change) < alone.change / 2 and paired.low <= 0 <= paired.high
    assert "control group's KPI is a regressor" in paired.note


def test_short_seasonal_baseline_is_not_valid_and_bad_input_is_refused():
    y = _walk(1)
    short = y[IDX >= pd.Period("2022-07", "M")]  # 6 baseline months
    r = state_space(short, GO)
    assert not r.valid and "use DiD" in r.validity
    with pytest.raises(GapError, match="missing 1 month"):
        state_space(y, GO, control=y.drop(IDX[3]))
    with pytest.raises(RoiKitError, match="direction"):
        state_space(y, GO, direction="up")


def test_compare_frame_accepts_state_space_only():
    frame = pd.DataFrame({"month": IDX, "revenue": _walk(2, 8.0).to_numpy()})
    out = compare_frame(
        frame,
        go_live=GO,
        baseline=(IDX[0], GO - 1),
        after=(GO, IDX[-1]),
        directions={"revenue": "higher"},
        methods=["state-space"],
    )
    assert list(out.method) == ["state-space"]
    row = out.iloc[0]
    assert row.valid and row.mde > 0
    assert row.mde_pct == pytest.approx(row.mde / row.baseline)


def test_level_prior_gives_even_odds_to_a_fixed_level():
    # Half the prior on q = 0 (a fixed level), the other half spread evenly over the 28
    # wandering values: 0.5 / 28 = 0.017857 each (by hand), whatever the grid's density.
    w = _prior("level", _Q_GRID)
    assert _Q_GRID[0] == 0.0 and len(_Q_GRID) == 29
    assert w[0] == pytest.approx(0.5)
    assert np.allclose(w[1:], 0.5 / 28)
    # A grid of one point (q not estimated) is that point.
    assert _prior("level", np.zeros(1)).tolist() == [1.0]
