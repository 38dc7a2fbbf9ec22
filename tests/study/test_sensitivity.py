"""Tests for roi_kit.study.sensitivity: one-at-a-time sensitivity.

Expected values come from hand calculation (in the comments), scipy.stats distributions'
own moments and percentiles, and numpy-financial (npv per draw, irr), never from the code
under test.
"""

from __future__ import annotations

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roi_kit.errors import CaseError, FinanceInputError
from roi_kit.study.distributions import (
    Distribution,
)
from roi_kit.study.sensitivity import tornado
from tests.study.toy_models import (
    CRM_SPECS,
    LINEAR_SPECS,
    RATE,
    crm_flows,
    crm_model,
    linear_model,
)

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
