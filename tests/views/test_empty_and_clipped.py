"""Figures with nothing to show say so in words; bands respect the KPI's range (issue 14, 4-5).

Inputs are built by hand (a tornado frame, Monte Carlo draws, a prediction band), so each
expected value is written here: which words appear, where a band is cut.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from roi_kit.case import get_kpi
from roi_kit.study import Distribution, monte_carlo, tornado
from roi_kit.views import tracking as tracking_view
from roi_kit.views import uncertainty as uncertainty_views
from roi_kit.views.roi import roi_to_date


def _texts(fig) -> str:
    return " ".join(t.get_text() for ax in fig.axes for t in ax.texts)


def _bars(fig) -> int:
    return sum(len(ax.patches) for ax in fig.axes)


def test_tornado_with_no_swing_says_so():
    specs = {"a": Distribution("a", "pert", 1.0, 2.0, 3.0)}
    flat = tornado(lambda p: {"npv": 0.0 * p["a"] + 5.0}, specs)  # "a" moves nothing
    assert float(flat["swing"].max()) == 0.0
    fig = uncertainty_views.tornado(flat, currency="EUR")
    assert "every swing is 0" in _texts(fig) and _bars(fig) == 0
    empty = uncertainty_views.tornado(flat.iloc[0:0], currency="EUR")
    assert "No assumption has a range" in _texts(empty)
    # A real swing still draws its two bars.
    moving = tornado(lambda p: {"npv": 10.0 * p["a"]}, specs)
    assert _bars(uncertainty_views.tornado(moving, currency="EUR")) == 2


def test_monte_carlo_with_nothing_uncertain_says_so():
    specs = {"a": Distribution("a", "fixed", 1.0, 1.0, 1.0)}
    mc = monte_carlo(lambda p: {"npv": p["a"] * 0 - 10.0, "roi": p["a"] * 0 - 0.5}, specs, n=50)
    assert not mc.has_spread and mc.varied == ()
    fig = uncertainty_views.monte_carlo_histogram(mc, currency="EUR")
    assert "Nothing is uncertain" in _texts(fig) and _bars(fig) == 0


def test_roi_to_date_without_quarters_says_so():
    fig = roi_to_date(pd.DataFrame({"quarter": [], "roi_to_date": []}))
    assert "No quarter since go-live is complete" in _texts(fig)


@pytest.mark.parametrize(
    ("kpi", "low", "high", "want_low", "want_high", "note"),
    [
        # revenue (money) cannot be negative: -50 -> 0, the top is left alone.
        ("revenue", [-50.0, 10.0], [90.0, 120.0], [0.0, 10.0], [90.0, 120.0], "clipped at 0"),
        # a win rate lies in 0-100%: 1.2 -> 1.0 and -0.1 -> 0.
        ("win_rate", [-0.1, 0.2], [0.5, 1.2], [0.0, 0.2], [0.5, 1.0], "clipped to 0-100%"),
        # inside the range: untouched, nothing said.
        ("win_rate", [0.1, 0.2], [0.5, 0.6], [0.1, 0.2], [0.5, 0.6], ""),
    ],
)
def test_band_is_clipped_to_the_kpi_range(kpi, low, high, want_low, want_high, note):
    lo, hi, said = tracking_view.clipped_band(get_kpi(kpi), np.array(low), np.array(high))
    assert lo.tolist() == want_low and hi.tolist() == want_high
    assert said.startswith(note) if note else said == ""


def test_invalid_method_says_so_beside_its_estimate():
    frame = pd.DataFrame(
        [
            {"kpi": "revenue", "method": "did", "change": 5.0, "reading": "Revenue rose 5.",
             "valid": False, "validity": "pre-trends diverge"},
            {"kpi": "revenue", "method": "counterfactual", "change": 4.0,
             "reading": "Revenue rose 4.", "valid": True, "validity": ""},
        ]
    )  # fmt: skip
    html = tracking_view.readings_html(frame, "revenue", ["did", "counterfactual"])
    assert "Revenue rose 5. Not valid here, never counted as money: pre-trends diverge" in html
    assert "Revenue rose 4.</li>" in html
