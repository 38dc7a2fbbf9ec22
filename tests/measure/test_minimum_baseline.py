"""Tests for roi_kit.measure.minimum_baseline (what a baseline supports) and its line in
`roi-kit validate`."""

from __future__ import annotations

import subprocess
import sys

from roi_kit.measure import MIN_VALID_SEASONAL_MONTHS, baseline_limits

__all__: list[str] = []


def test_limits_by_baseline_length():
    # The measured limit (module docstring): 24 months for a seasonal counterfactual.
    assert MIN_VALID_SEASONAL_MONTHS == 24
    # Plain DiD counts only with parallel trends stated; DiD with group trends from 12 months.
    long = baseline_limits(24, has_control=True)
    assert long.usable == ("counterfactual", "state-space", "did-trend")
    stated = baseline_limits(24, has_control=True, parallel_trends=True)
    assert stated.usable == ("counterfactual", "state-space", "did", "did-trend")
    short = baseline_limits(23, has_control=True)
    assert short.usable == ("did-trend",)
    assert "only DiD" in short.message and "24" in short.message
    assert "measurement.parallel_trends" in short.message
    six = baseline_limits(6, has_control=True)
    assert six.usable == ()
    assert "could count" in six.message and "needs 12 baseline months" in six.message
    assert baseline_limits(6, has_control=True, parallel_trends=True).usable == ("did",)
    none = baseline_limits(12, has_control=False)
    assert none.usable == ()
    assert "cannot answer" in none.message
    # A KPI said to have no season: a trend-only fit is fine from 3 months.
    assert baseline_limits(6, has_control=False, seasonal=False).usable == (
        "counterfactual",
        "state-space",
    )
    assert baseline_limits(2, has_control=False, seasonal=False).usable == ()


def test_validate_prints_the_limit_for_the_sample_case(sample_case_path):
    done = subprocess.run(
        [sys.executable, "-m", "roi_kit.cli", "validate", str(sample_case_path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    # The sample case has 24 baseline months (2022-01..2023-12) and a control region.
    assert "Baseline: 24 baseline months: enough for the trend + season counterfactual" in (
        done.stdout
    )
