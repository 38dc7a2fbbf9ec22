"""Tests for roi_kit.study.distributions: specs from case.yml and from assumptions, draws.

Expected values come from hand calculation (in the comments), scipy.stats distributions'
own moments and percentiles, and numpy-financial (npv per draw, irr), never from the code
under test.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from roi_kit.errors import CaseError, FinanceInputError
from roi_kit.study.distributions import (
    Distribution,
    draw,
    spec_from_assumption,
    spec_from_config,
)
from roi_kit.study.sensitivity import tornado
from tests.study.toy_models import (
    N,
    identity_model,
    mc_tol,
)

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
