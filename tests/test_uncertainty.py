"""Tests for roi_kit.study.uncertainty: distributions, tornado, Monte Carlo, break-even.

Expected values come from hand calculation (in the comments), scipy.stats distributions'
own moments and percentiles, and numpy-financial (npv per draw, irr), never from the code
under test.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from roi_kit.errors import CaseError, FinanceInputError, RoiKitError
from roi_kit.study.uncertainty import (
    BreakEven,
    Distribution,
    MonteCarloResult,
    break_even,
    draw,
    monte_carlo,
    spec_from_assumption,
    spec_from_config,
    tornado,
)

N = 100_000


def mc_tol(p: float, n: int = N, sigmas: float = 5.0) -> float:
    """Tolerance for a Monte Carlo proportion: `sigmas` binomial standard errors."""
    return sigmas * math.sqrt(p * (1 - p) / n)


# ---------------------------------------------------------------- toy models


def linear_model(params):
    # npv = 1000 a - 2 c + 50 + 0 d; roi = npv / 100
    npv = 1000 * np.asarray(params["a"]) - 2 * np.asarray(params["c"]) + 50 + 0 * params["d"]
    return {"npv": npv, "roi": npv / 100}


LINEAR_SPECS = {
    "a": Distribution("a", "pert", 0.2, 0.4, 0.6, unit="fraction"),
    "c": Distribution("c", "uniform", 10.0, 20.0, 40.0),
    "d": Distribution("d", "fixed", 5.0, 5.0, 5.0),
}

RATE = 0.10
YEARS = 3
# PV of 1 a year for 3 years at 10%: 1/1.1 + 1/1.21 + 1/1.331 = 2.486851991...
ANNUITY = sum(1 / (1 + RATE) ** t for t in range(1, YEARS + 1))


def crm_model(params):
    """Cash flows [-cost, revenue * margin * attribution] * 3 years, vectorised."""
    cost = np.asarray(params["cost"], dtype=float)
    annual = (
        np.asarray(params["revenue"], dtype=float)
        * np.asarray(params["margin"], dtype=float)
        * np.asarray(params["attribution"], dtype=float)
    )
    npv = -cost + annual * ANNUITY
    return {"npv": npv, "roi": npv / cost}


def crm_flows(cost, revenue, margin, attribution):
    return [-cost] + [revenue * margin * attribution] * YEARS


CRM_SPECS = {
    "cost": Distribution("cost", "triangular", 80_000.0, 100_000.0, 140_000.0),
    "revenue": Distribution("revenue", "pert", 150_000.0, 200_000.0, 260_000.0),
    "margin": Distribution("margin", "fixed", 0.4, 0.4, 0.4, unit="fraction"),
    "attribution": Distribution("attribution", "pert", 0.3, 0.5, 0.7, unit="fraction"),
}


def identity_model(params):
    return {"npv": np.asarray(params["x"]), "roi": np.asarray(params["x"])}


# ---------------------------------------------------------------- specs


def test_spec_from_scalar_is_fixed():
    d = spec_from_config("discount_rate", 0.1)
    assert (d.kind, d.low, d.likely, d.high) == ("fixed", 0.1, 0.1, 0.1)


def test_spec_from_dict_defaults_to_pert_and_keeps_hints():
    d = spec_from_config(
        "attribution", {"low": 0.2, "likely": 0.4, "high": 0.6, "unit": "fraction"}
    )
    assert d == Distribution("attribution", "pert", 0.2, 0.4, 0.6, unit="fraction")
    assert d.natural_bounds == (0.0, 1.0)
    t = spec_from_config("cost", {"low": 1, "likely": 2, "high": 3, "distribution": "triangular"})
    assert t.kind == "triangular"
    b = spec_from_config("x", {"low": 1, "likely": 2, "high": 3, "bounds": [0, None]})
    assert b.natural_bounds == (0.0, math.inf)
    f = spec_from_config("y", {"distribution": "fixed", "likely": 7})
    assert (f.low, f.likely, f.high) == (7.0, 7.0, 7.0)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ({"low": 0.5, "likely": 0.4, "high": 0.6}, "low <= likely <= high"),
        ({"low": 0.2, "likely": 0.7, "high": 0.6}, "low <= likely <= high"),
        ({"low": 0.2, "likely": float("nan"), "high": 0.6}, "finite"),
        ({"low": 0.2, "likely": float("inf"), "high": 0.6}, "finite"),
        ({"low": 0.2, "likely": 0.4}, "missing high"),
        ({"low": 0.2, "likely": 0.4, "high": 0.6, "mode": 1}, "unknown key"),
        ({"low": 0.2, "likely": 0.4, "high": 0.6, "distribution": "lognormal"}, "lognormal"),
        ({"low": "20%", "likely": 0.4, "high": 0.6}, "must be a number"),
        ({"low": 20, "likely": 40, "high": 60, "unit": "fraction"}, "0.3 for 30%"),
        ({"low": 1, "likely": 2, "high": 3, "distribution": "fixed"}, "one value"),
        ({"low": 1, "likely": 2, "high": 3, "bounds": [5, 1]}, "bounds"),
        ("0.3", "expected a number or a mapping"),
        (True, "expected a number or a mapping"),
        (None, "expected a number or a mapping"),
    ],
)
def test_bad_specs_are_refused_naming_the_assumption(value, fragment):
    with pytest.raises(CaseError) as info:
        spec_from_config("attribution_share", value)
    assert "attribution_share" in str(info.value)
    assert fragment in str(info.value)


def test_mismatched_spec_key_is_refused():
    specs = {"a": Distribution("b", "uniform", 0, 1, 2)}
    with pytest.raises(CaseError, match="named 'b'"):
        tornado(identity_model, specs)


# ---------------------------------------------------------------- draws


def test_pert_mean_variance_support_and_shape():
    a, m, c = 10.0, 14.0, 30.0
    x = draw(Distribution("x", "pert", a, m, c), 200_000, np.random.default_rng(1))
    mean = (a + 4 * m + c) / 6  # = 96 / 6 = 16.0
    # Beta-PERT variance (lambda = 4): (mean - a)(c - mean) / 7 = 6 * 14 / 7 = 12.0
    var = (mean - a) * (c - mean) / 7
    se = math.sqrt(var / x.size)
    assert abs(x.mean() - mean) < 5 * se
    assert x.var() == pytest.approx(var, rel=0.03)
    assert x.min() >= a and x.max() <= c
    # Shape: alpha = 1 + 4 (14 - 10)/20 = 1.8, beta = 1 + 4 (30 - 14)/20 = 4.2
    ref = stats.beta(1.8, 4.2, loc=a, scale=c - a)
    assert stats.kstest(x[:20_000], ref.cdf).pvalue > 1e-3


def test_triangular_uniform_normal_moments():
    rng = np.random.default_rng(2)
    tri = draw(Distribution("t", "triangular", 0.0, 1.0, 5.0), N, rng)
    ref = stats.triang(c=0.2, loc=0.0, scale=5.0)  # mode at 0 + 0.2 * 5 = 1
    assert abs(tri.mean() - ref.mean()) < 5 * ref.std() / math.sqrt(N)
    uni = draw(Distribution("u", "uniform", 2.0, 3.0, 6.0), N, rng)
    assert abs(uni.mean() - 4.0) < 5 * math.sqrt(16 / 12 / N)  # var of U(2, 6) = 4^2 / 12
    # Normal: likely = mean, low/high = 5th/95th percentiles.
    nor = draw(Distribution("n", "normal", 80.0, 100.0, 120.0), N, rng)
    sd = 20.0 / stats.norm.ppf(0.95)
    assert abs(nor.mean() - 100.0) < 5 * sd / math.sqrt(N)
    assert np.mean(nor < 80.0) == pytest.approx(0.05, abs=mc_tol(0.05))
    assert np.mean(nor > 120.0) == pytest.approx(0.05, abs=mc_tol(0.05))


def test_normal_draws_are_clipped_to_natural_bounds():
    x = draw(Distribution("s", "normal", 0.0, 0.05, 0.1, unit="fraction"), N, 3)
    assert x.min() == 0.0  # P(x < 0) is about 5%, so some draws hit the bound
    assert x.max() <= 1.0


def test_fixed_and_zero_width_draws_are_constant():
    assert np.all(draw(Distribution("f", "fixed", 2.5, 2.5, 2.5), 10, 0) == 2.5)
    assert np.all(draw(Distribution("p", "pert", 3.0, 3.0, 3.0), 10, 0) == 3.0)


@pytest.mark.parametrize("n", [0, -5, 2.5, True])
def test_draw_refuses_bad_n(n):
    with pytest.raises(FinanceInputError):
        draw(Distribution("u", "uniform", 0.0, 0.5, 1.0), n, 0)


@st.composite
def three_points(draw_, kinds=("triangular", "pert", "uniform")):
    vals = sorted(
        draw_(st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)) for _ in range(3)
    )
    kind = draw_(st.sampled_from(kinds))
    return Distribution("x", kind, *vals)


@settings(max_examples=60, deadline=None)
@given(dist=three_points(), seed=st.integers(0, 2**32 - 1))
def test_bounded_draws_stay_in_range(dist, seed):
    x = draw(dist, 500, np.random.default_rng(seed))
    assert x.shape == (500,)
    assert np.all(x >= dist.low) and np.all(x <= dist.high)


# ---------------------------------------------------------------- tornado


def test_tornado_linear_model_by_hand():
    frame = tornado(linear_model, LINEAR_SPECS)
    # base: 1000*0.4 - 2*20 + 50 = 410
    # a: 0.2 -> 200 - 40 + 50 = 210; 0.6 -> 610; swing 400
    # c: 10 -> 400 - 20 + 50 = 430; 40 -> 400 - 80 + 50 = 370; swing 60
    # d is fixed: no bar.
    assert list(frame.columns) == [
        "assumption",
        "low_value",
        "high_value",
        "output_at_low",
        "output_at_high",
        "swing",
        "base",
    ]
    assert list(frame["assumption"]) == ["a", "c"]
    np.testing.assert_allclose(frame["low_value"], [0.2, 10.0])
    np.testing.assert_allclose(frame["high_value"], [0.6, 40.0])
    np.testing.assert_allclose(frame["output_at_low"], [210.0, 430.0])
    np.testing.assert_allclose(frame["output_at_high"], [610.0, 370.0])
    np.testing.assert_allclose(frame["swing"], [400.0, 60.0])
    np.testing.assert_allclose(frame["base"], [410.0, 410.0])


def test_tornado_on_roi_and_unknown_output():
    frame = tornado(linear_model, LINEAR_SPECS, output="roi")
    np.testing.assert_allclose(frame["swing"], [4.0, 0.6])  # the npv swings / 100
    with pytest.raises(CaseError, match="no output 'irr'"):
        tornado(linear_model, LINEAR_SPECS, output="irr")


def test_tornado_matches_numpy_financial():
    frame = tornado(crm_model, CRM_SPECS).set_index("assumption")
    likely = {k: d.likely for k, d in CRM_SPECS.items()}
    for name in ("cost", "revenue", "attribution"):
        for end, column in (("low", "output_at_low"), ("high", "output_at_high")):
            point = dict(likely, **{name: getattr(CRM_SPECS[name], end)})
            expected = npf.npv(RATE, crm_flows(**point))
            assert frame.loc[name, column] == pytest.approx(expected, rel=1e-12)
    assert "margin" not in frame.index


def test_tornado_refuses_non_vectorised_model():
    def scalar_model(params):
        return {"npv": 1.0 * float(np.asarray(params["a"]).sum()), "roi": 0.0}

    # A scalar output is broadcast, but a wrong-length output is refused.
    def wrong_shape(params):
        return {"npv": np.zeros(2), "roi": np.zeros(2)}

    with pytest.raises(FinanceInputError, match="vectorised"):
        tornado(wrong_shape, {"a": Distribution("a", "uniform", 0, 1, 2)})
    frame = tornado(scalar_model, {"a": Distribution("a", "uniform", 0, 1, 2)})
    assert frame["swing"].iloc[0] == 0.0


@settings(max_examples=40, deadline=None)
@given(
    coefs=st.lists(st.floats(-100, 100, allow_nan=False), min_size=1, max_size=5),
    square=st.floats(-10, 10, allow_nan=False),
    data=st.data(),
)
def test_tornado_swing_non_negative_sorted_and_consistent(coefs, square, data):
    names = [f"x{i}" for i in range(len(coefs))]
    specs = {}
    for name in names:
        vals = sorted(data.draw(st.floats(-50, 50, allow_nan=False)) for _ in range(3))
        specs[name] = Distribution(name, "pert", *vals)

    def model(params):
        npv = sum(c * np.asarray(params[n]) for c, n in zip(coefs, names, strict=True))
        npv = npv + square * np.asarray(params[names[0]]) ** 2
        return {"npv": npv, "roi": npv}

    frame = tornado(model, specs)
    swing = frame["swing"].to_numpy()
    assert np.all(swing >= 0)
    assert np.all(np.diff(swing) <= 0)
    likely = {n: specs[n].likely for n in names}
    for row in frame.itertuples():
        low_point = dict(likely, **{row.assumption: row.low_value})
        assert row.output_at_low == pytest.approx(
            float(model(low_point)["npv"]), rel=1e-9, abs=1e-9
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


# ---------------------------------------------------------------- break-even


def test_break_even_linear_by_hand():
    specs = {"a": Distribution("a", "pert", 0.2, 0.4, 0.6, unit="fraction")}

    def model(p):
        return {"npv": 1000 * np.asarray(p["a"]) - 300, "roi": 0 * np.asarray(p["a"])}

    be = break_even(model, specs, "a")
    # 1000 a - 300 = 0  ->  a = 0.3
    assert isinstance(be, BreakEven)
    assert be.value == pytest.approx(0.3, abs=1e-10)
    assert be.inside_range
    assert be.direction == "above"
    assert be.message.startswith("the CRM pays for itself if a stays above 30%")
    assert be.searched == (0.0, 1.0)  # widened from [0.2, 0.6] to the fraction's bounds


def test_break_even_falling_output_says_below():
    # npv = 500 - 2 c = 0 -> c = 250; npv falls with c.
    specs = {"c": Distribution("c", "triangular", 100.0, 200.0, 300.0)}
    be = break_even(lambda p: {"npv": 500 - 2 * np.asarray(p["c"])}, specs, "c")
    assert be.value == pytest.approx(250.0, abs=1e-8)
    assert be.direction == "below"
    assert "stays below 250 " in be.message


def test_break_even_with_target_on_roi():
    # roi = npv / 100 with npv = 1000 a - 2 c + 50 at c = 20: roi = 10 a + 0.1;
    # roi = 2.5 -> a = 0.24.
    be = break_even(linear_model, LINEAR_SPECS, "a", output="roi", target=2.5)
    assert be.value == pytest.approx(0.24, abs=1e-10)
    assert be.message.startswith("roi stays above 2.5 if a stays above 24%")


def test_break_even_of_numpy_financial_model_matches_brute_force_grid():
    # npv(attribution) = -100,000 + 200,000 * 0.4 * attribution * annuity(10%, 3y)
    be = break_even(crm_model, CRM_SPECS, "attribution")
    grid = np.linspace(0.0, 1.0, 20_001)  # step 5e-5
    npvs = np.array([npf.npv(RATE, crm_flows(100_000.0, 200_000.0, 0.4, a)) for a in grid])
    first_positive = grid[np.argmax(npvs > 0)]
    assert first_positive - 5e-5 <= be.value <= first_positive
    assert be.value == pytest.approx(100_000 / (80_000 * ANNUITY), rel=1e-9)  # = 0.50264...
    assert be.inside_range and be.direction == "above"
    assert "attribution stays above 50.3%" in be.message


def test_break_even_of_discount_rate_is_the_irr():
    # NPV = 0 at rate = IRR, and NPV falls as the rate rises.
    flows = [-100_000.0, 30_000.0, 45_000.0, 50_000.0]
    specs = {"rate": Distribution("rate", "pert", 0.05, 0.10, 0.15, unit="fraction")}

    def model(p):
        r = np.asarray(p["rate"], dtype=float)
        npv = sum(f / (1 + r) ** t for t, f in enumerate(flows))
        return {"npv": npv, "roi": npv / 100_000}

    be = break_even(model, specs, "rate")
    assert be.value == pytest.approx(npf.irr(flows), abs=1e-9)
    assert be.direction == "below"
    assert be.inside_range == (0.05 <= npf.irr(flows) <= 0.15)


def test_break_even_outside_range_and_without_crossing():
    # npv = 1000 a - 100: break-even a = 0.1, outside [0.2, 0.6], so always positive there.
    specs = {"a": Distribution("a", "pert", 0.2, 0.4, 0.6)}
    be = break_even(lambda p: {"npv": 1000 * np.asarray(p["a"]) - 100}, specs, "a")
    assert be.value == pytest.approx(0.1, abs=1e-10)
    assert not be.inside_range
    assert "outside the assumed range" in be.message and "stays positive" in be.message
    # With a bracket that excludes 0.1 there is no crossing: positive throughout.
    be2 = break_even(
        lambda p: {"npv": 1000 * np.asarray(p["a"]) - 100}, specs, "a", bracket=(0.15, 0.9)
    )
    assert be2.value is None and not be2.inside_range and be2.direction is None
    assert "stays positive over the whole range" in be2.message
    assert be2.searched == (0.15, 0.9)
    # Always negative: 1000 a - 5000 never reaches zero for a in [0, 1].
    neg = break_even(
        lambda p: {"npv": 1000 * np.asarray(p["a"]) - 5000},
        {"a": Distribution("a", "pert", 0.2, 0.4, 0.6, unit="fraction")},
        "a",
    )
    assert neg.value is None
    assert neg.message.startswith("the CRM does not pay for itself for any a from 0% to 100%")


def test_break_even_fraction_names_and_non_negative_search():
    specs = {"a": Distribution("a", "pert", 0.2, 0.4, 0.6)}
    model = lambda p: {"npv": 1000 * np.asarray(p["a"]) - 300}  # noqa: E731
    assert "above 0.3 " in break_even(model, specs, "a").message
    assert "above 30% " in break_even(model, specs, "a", fraction_names={"a"}).message
    # A non-negative assumption without bounds is not searched below zero:
    # [0.2 - 4*0.4, 0.6 + 4*0.4] -> [0, 2.2].
    assert break_even(model, specs, "a").searched == pytest.approx((0.0, 2.2))


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"name": "nope"}, CaseError),
        ({"name": "a", "bracket": (1.0, 0.0)}, CaseError),
        ({"name": "a", "bracket": (0.0, float("inf"))}, CaseError),
        ({"name": "a", "output": "irr"}, CaseError),
        ({"name": "a", "target": float("nan")}, FinanceInputError),
    ],
)
def test_break_even_refuses_bad_arguments(kwargs, error):
    with pytest.raises(error):
        break_even(linear_model, LINEAR_SPECS, **kwargs)


def test_break_even_on_cost_probes_zero_without_warnings():
    # npv = -cost + 200,000 * 0.4 * 0.5 * annuity = 0 -> cost = 40,000 * 2.48685... = 99,474.08
    # The search starts at cost = 0, where roi = npv / cost divides by zero: that output is
    # not the one solved for and must not leak a RuntimeWarning.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        be = break_even(crm_model, CRM_SPECS, "cost")
    assert be.value == pytest.approx(40_000 * ANNUITY, rel=1e-9)
    assert be.direction == "below"
    assert be.searched == (0.0, 380_000.0)  # [80k - 4*60k, 140k + 4*60k] clipped at 0
    assert "cost stays below 99,474 " in be.message


def test_break_even_ignores_non_finite_stretches():
    # Undefined (NaN) below a = 0.1, npv = 1000 a - 300 above: the crossing is still a = 0.3.
    specs = {"a": Distribution("a", "pert", 0.2, 0.4, 0.6, unit="fraction")}

    def model(p):
        a = np.asarray(p["a"], dtype=float)
        return {"npv": np.where(a < 0.1, np.nan, 1000 * a - 300)}

    assert break_even(model, specs, "a").value == pytest.approx(0.3, abs=1e-10)
    with pytest.raises(FinanceInputError, match="not finite anywhere"):
        break_even(lambda p: {"npv": np.full(np.shape(p["a"]), np.nan)}, specs, "a")


def test_spec_from_assumption_reads_attributes():
    from types import SimpleNamespace

    a = SimpleNamespace(
        name="gross_margin",
        likely=0.3,
        low=0.2,
        high=0.45,
        distribution="triangular",
        unit="fraction",
        source="assumed",
    )
    d = spec_from_assumption(a)
    assert d == Distribution("gross_margin", "triangular", 0.2, 0.3, 0.45, unit="fraction")
    assert d.natural_bounds == (0.0, 1.0)
    rate = SimpleNamespace(name="rate", likely=50.0, low=40.0, high=60.0, distribution="pert")
    assert spec_from_assumption(rate, bounds=(0.0, 100.0)).natural_bounds == (0.0, 100.0)
    with pytest.raises(CaseError, match="distribution"):
        spec_from_assumption(SimpleNamespace(name="x", likely=1.0, low=0.0, high=2.0))
    with pytest.raises(CaseError, match="'x'"):
        spec_from_assumption(
            SimpleNamespace(name="x", likely=3.0, low=0.0, high=2.0, distribution="pert")
        )
