"""Tests for roi_kit.study.break_even_search: the value of one assumption at which NPV = target.

Expected values come from hand calculation (in the comments), scipy.stats distributions'
own moments and percentiles, and numpy-financial (npv per draw, irr), never from the code
under test.
"""

from __future__ import annotations

import warnings

import numpy as np
import numpy_financial as npf
import pytest

from roi_kit.errors import CaseError, FinanceInputError
from roi_kit.study.break_even_search import BreakEven, break_even
from roi_kit.study.distributions import (
    Distribution,
)
from tests.study.toy_models import (
    ANNUITY,
    CRM_SPECS,
    LINEAR_SPECS,
    RATE,
    crm_flows,
    crm_model,
    linear_model,
)

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
