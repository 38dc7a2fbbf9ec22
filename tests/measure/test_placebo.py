"""Tests for the rolling placebo: its windows, its binomial test, what it refuses, and its
false-alarm and hit rates on simulated series with a known truth."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from roi_kit.measure import CompareInputError, placebo
from roi_kit.measure.placebo_check import placebo_test, rolling_fake_go_lives

IDX = pd.period_range("2022-01", periods=36, freq="M")
GO = pd.Period("2024-01", "M")


def test_binomial_test_against_scipy():
    # 5 runs of 3 months cover 7 months: floor(2 x 7 / 3) = 4 half-overlapping windows;
    # 2 flags = share 0.4 -> 1.6 -> 2 of 4.
    too_many, p, k = placebo_test(2, 5, 3)
    assert k == 4
    assert p == pytest.approx(stats.binom.sf(1, 4, 0.05))  # 0.0140
    assert too_many
    assert placebo_test(0, 16, 6) == (False, 1.0, 7)


def test_short_baseline_is_not_run_and_says_why():
    months = pd.period_range("2023-01", periods=6, freq="M")
    with pytest.raises(CompareInputError, match="6 baseline months are too few.*not run"):
        rolling_fake_go_lives(months, "did")
    idx = pd.period_range("2023-01", periods=24, freq="M")
    treated = pd.Series(np.arange(24.0), index=idx)
    with pytest.raises(CompareInputError, match="too few for a placebo check of did"):
        placebo(treated, idx[6], method="did", control=treated * 0.5)


def test_every_did_window_leaves_five_degrees_of_freedom():
    for n in (8, 12, 24, 36):
        months = pd.period_range("2021-01", periods=n, freq="M")
        fakes, length = rolling_fake_go_lives(months, "did")
        first = months.get_loc(fakes[0])
        assert first + length - 3 >= 5  # months - (level, step) - noise shape
        assert months.get_loc(fakes[-1]) + length == n  # the last window ends with the baseline


def _pair(rng: np.random.Generator, drift: float = 0.0):
    season = 10 * np.sin(2 * np.pi * np.arange(36) / 12)
    control = 80 + season + rng.normal(0, 5, 36)
    treated = 100 + season + drift * np.arange(36) + rng.normal(0, 5, 36)
    return pd.Series(treated, index=IDX), pd.Series(control, index=IDX)


def test_rolling_did_placebo_row_fields():
    treated, control = _pair(np.random.default_rng(0))
    r = placebo(treated, GO, method="did", control=control)
    assert r.method == "placebo-did"
    assert r.placebo_runs == 16 and 0 <= r.placebo_flags <= 16
    assert r.low <= r.change <= r.high  # mean of the placebo estimates within their range
    assert not r.improvement
    assert "rolling placebo inside the baseline: 16 fake go-lives 2022-04..2023-07" in r.note


def test_a_control_that_stops_tracking_is_flagged():
    # The gap steps by +20 (4 noise sd of the gap) in 2022-10 and again in 2023-04, inside
    # the baseline: the windows around the steps find "effects" where the CRM was not live.
    treated, control = _pair(np.random.default_rng(1))
    steps = 20.0 * (IDX >= pd.Period("2022-10", "M")) + 20.0 * (IDX >= pd.Period("2023-04", "M"))
    r = placebo(treated + steps, GO, method="did", control=control)
    assert r.excludes_zero and r.placebo_flags >= 4
    assert "more often than chance allows" in r.note
    clean = placebo(treated, GO, method="did", control=control)
    assert not clean.excludes_zero


@pytest.mark.slow
def test_false_alarm_rate_near_nominal_on_no_effect_series():
    rng = np.random.default_rng(12)
    flags = []
    for _ in range(80):
        treated, control = _pair(rng)
        flags.append(placebo(treated, GO, method="did", control=control).excludes_zero)
    rate = float(np.mean(flags))
    print(f"\nrolling DiD placebo false-alarm rate, independent noise: {rate:.3f}")
    assert rate <= 0.10  # nominal 5%; 80 runs: 0.10 is about two Monte Carlo errors above
