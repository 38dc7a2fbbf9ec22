"""Tests for roi_kit.study.simulation: percentiles, probabilities, reproducibility.

Expected values come from hand calculation (in the comments), scipy.stats distributions'
own moments and percentiles, and numpy-financial (npv per draw, irr), never from the code
under test.
"""

from __future__ import annotations

import math

import numpy as np
import numpy_financial as npf
import pytest
from scipy import stats

from roi_kit.errors import CaseError, FinanceInputError, RoiKitError
from roi_kit.study.distributions import (
    Distribution,
)
from roi_kit.study.simulation import MonteCarloResult, monte_carlo
from tests.study.toy_models import (
    CRM_SPECS,
    RATE,
    N,
    crm_flows,
    crm_model,
    identity_model,
    mc_tol,
)

# ---------------------------------------------------------------- Monte Carlo


def test_monte_carlo_percentiles_of_a_uniform():
    specs = {"x": Distribution("x", "uniform", 10.0, 30.0, 50.0)}
    res = monte_carlo(identity_model, specs, n=N, seed=4)
    ref = stats.uniform(loc=10.0, scale=40.0)
    for p, got in ((0.05, res.npv_p5), (0.50, res.npv_p50), (0.95, res.npv_p95)):
        # SE of a sample quantile: sqrt(p (1-p) / n) / density, density = 1/40.
        tol = 5 * math.sqrt(p * (1 - p) / N) * 40.0
        assert got == pytest.approx(ref.ppf(p), abs=tol)
    assert res.roi_p5 == pytest.approx(10.0 + 0.05 * 40.0, abs=0.2)  # the brief's check


def test_monte_carlo_percentiles_of_a_normal():
    specs = {"x": Distribution("x", "normal", 80.0, 100.0, 120.0)}
    res = monte_carlo(identity_model, specs, n=N, seed=5)
    ref = stats.norm(100.0, 20.0 / stats.norm.ppf(0.95))
    for p, got in ((0.05, res.roi_p5), (0.50, res.roi_p50), (0.95, res.roi_p95)):
        tol = 5 * math.sqrt(p * (1 - p) / N) / ref.pdf(ref.ppf(p))
        assert got == pytest.approx(ref.ppf(p), abs=tol)
    assert res.roi_p5 == pytest.approx(80.0, abs=0.3)
    assert res.roi_p95 == pytest.approx(120.0, abs=0.3)


def test_prob_roi_positive_matches_analytic_uniform():
    # roi ~ U(-1, 3): P(roi > 0) = 3 / 4
    specs = {"x": Distribution("x", "uniform", -1.0, 0.0, 3.0)}
    res = monte_carlo(identity_model, specs, n=N, seed=6)
    assert res.prob_roi_positive == pytest.approx(0.75, abs=mc_tol(0.75))
    assert res.prob_npv_positive == pytest.approx(0.75, abs=mc_tol(0.75))


def test_assumptions_are_drawn_independently():
    # roi = a - b with a, b ~ U(0, 1) independent: P(a > b) = 1/2, corr(a, b) = 0.
    # (Identical streams would give a == b and P = 0.)
    specs = {
        "a": Distribution("a", "uniform", 0.0, 0.5, 1.0),
        "b": Distribution("b", "uniform", 0.0, 0.5, 1.0),
    }

    def model(p):
        return {"npv": p["a"] - p["b"], "roi": p["a"] - p["b"]}

    res = monte_carlo(model, specs, n=N, seed=7)
    assert res.prob_roi_positive == pytest.approx(0.5, abs=mc_tol(0.5))
    assert abs(np.corrcoef(res.draws["a"], res.draws["b"])[0, 1]) < 5 / math.sqrt(N)


def test_monte_carlo_outputs_match_numpy_financial_per_draw():
    res = monte_carlo(crm_model, CRM_SPECS, n=2_000, seed=8)
    assert list(res.draws.columns) == list(CRM_SPECS)
    assert res.draws.shape == (2_000, 4)
    for i in range(0, 2_000, 97):
        row = res.draws.iloc[i]
        flows = crm_flows(row["cost"], row["revenue"], row["margin"], row["attribution"])
        expected = npf.npv(RATE, flows)
        assert res.npv[i] == pytest.approx(expected, rel=1e-10)
        assert res.roi[i] == pytest.approx(expected / row["cost"], rel=1e-10)
    assert np.all(res.draws["margin"] == 0.4)
    assert res.npv_p5 == pytest.approx(np.percentile(res.npv, 5))
    assert res.npv_p5 < res.npv_p50 < res.npv_p95


def test_monte_carlo_is_reproducible_and_seed_dependent():
    a = monte_carlo(crm_model, CRM_SPECS, n=5_000, seed=11)
    b = monte_carlo(crm_model, CRM_SPECS, n=5_000, seed=11)
    c = monte_carlo(crm_model, CRM_SPECS, n=5_000, seed=12)
    np.testing.assert_array_equal(a.npv, b.npv)
    np.testing.assert_array_equal(a.roi, b.roi)
    assert a.summary_frame().equals(b.summary_frame())
    assert (a.seed, a.n) == (11, 5_000)
    assert not np.array_equal(a.npv, c.npv)
    assert a.npv_p50 != c.npv_p50


def test_adding_an_assumption_keeps_the_others_draws():
    one = monte_carlo(identity_model, {"x": Distribution("x", "pert", 0, 1, 3)}, n=1000, seed=3)
    two = monte_carlo(
        identity_model,
        {"y": Distribution("y", "uniform", 0, 1, 2), "x": Distribution("x", "pert", 0, 1, 3)},
        n=1000,
        seed=3,
    )
    np.testing.assert_array_equal(one.draws["x"], two.draws["x"])


def test_monte_carlo_calls_the_model_once_with_arrays():
    calls = []

    def model(params):
        calls.append({k: np.shape(v) for k, v in params.items()})
        return crm_model(params)

    monte_carlo(model, CRM_SPECS, n=N, seed=0)
    assert calls == [{k: (N,) for k in CRM_SPECS}]


def test_payback_within_horizon():
    # payback ~ U(0, 48) months, NaN (never) above 40.
    # P(payback <= 36) = 36/48 = 0.75; P(payback <= 44) = 40/48 (NaN counts as never).
    specs = {"x": Distribution("x", "uniform", 0.0, 24.0, 48.0)}

    def model(p):
        x = p["x"]
        return {"npv": x, "roi": x, "payback_months": np.where(x > 40, np.nan, x)}

    res36 = monte_carlo(model, specs, n=N, seed=9, horizon_months=36)
    assert res36.prob_payback_within_horizon == pytest.approx(0.75, abs=mc_tol(0.75))
    res44 = monte_carlo(model, specs, n=N, seed=9, horizon_months=44)
    assert res44.prob_payback_within_horizon == pytest.approx(40 / 48, abs=mc_tol(40 / 48))
    assert np.isnan(res44.payback_months).any()
    no_horizon = monte_carlo(model, specs, n=100, seed=9)
    assert no_horizon.prob_payback_within_horizon is None
    with pytest.raises(FinanceInputError, match="payback_months"):
        monte_carlo(identity_model, specs, n=100, horizon_months=36)


def test_summary_frame_and_text():
    specs = {"x": Distribution("x", "uniform", -1.0, 0.0, 3.0)}

    def model(p):
        return {"npv": 1000 * p["x"], "roi": p["x"], "payback_months": 12 + 0 * p["x"]}

    res = monte_carlo(model, specs, n=10_000, seed=1, horizon_months=24)
    table = res.summary_frame().set_index("statistic")["value"]
    assert table["ROI P5"] == res.roi_p5
    assert table["NPV P95"] == res.npv_p95
    assert table["NPV mean"] == pytest.approx(1000 * res.roi.mean())
    assert table["P(ROI > 0)"] == res.prob_roi_positive
    assert table["P(payback within 24 months)"] == 1.0
    assert table["draws"] == 10_000
    # ROI 90% interval is about -0.8 .. 2.8: it includes zero and the text must say so.
    assert "includes zero" in res.summary_text()
    sure = monte_carlo(model, {"x": Distribution("x", "uniform", 1.0, 2.0, 3.0)}, n=1000)
    assert "includes zero" not in sure.summary_text()
    assert isinstance(sure, MonteCarloResult)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"n": 1}, FinanceInputError),
        ({"n": 10.5}, FinanceInputError),
        ({"seed": -1}, FinanceInputError),
        ({"seed": 1.5}, FinanceInputError),
        ({"horizon_months": 0}, FinanceInputError),
        ({"horizon_months": float("nan")}, FinanceInputError),
    ],
)
def test_monte_carlo_refuses_bad_arguments(kwargs, error):
    with pytest.raises(error):
        monte_carlo(identity_model, {"x": Distribution("x", "uniform", 0, 1, 2)}, **kwargs)


def test_monte_carlo_refuses_non_finite_outputs_and_empty_specs():
    def model(p):
        return {"npv": p["x"], "roi": p["x"] / (p["x"] > 0.5)}  # division by zero -> inf

    with np.errstate(divide="ignore"):
        with pytest.raises(FinanceInputError, match="non-finite 'roi'"):
            monte_carlo(model, {"x": Distribution("x", "uniform", 0, 0.5, 1)}, n=100)
    with pytest.raises(CaseError):
        monte_carlo(identity_model, {}, n=100)
    with pytest.raises(RoiKitError):
        monte_carlo(lambda p: [1, 2], {"x": Distribution("x", "uniform", 0, 1, 2)}, n=100)
