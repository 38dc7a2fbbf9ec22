"""A reduced run of the panel calibration (benchmarks/bench_calibration_panels.py, issue 13).

Simulated panels with a known effect (units with their own AR(1) noise, a shared monthly
shock): the kit's panel intervals must cover the truth about as often as they claim where
they are presented as valid, flag few no-effect panels, and call the few-cluster designs not
valid. The bounds are loose for the small number of replications: with 40 runs a 95%
interval covers in at least 34 runs (0.85) with probability above 0.99, whereas an interval
that ignores the within-unit correlation (coverage near 0.80 here) usually fails.
"""

from __future__ import annotations

import importlib

import numpy as np
import pytest

from tests.paths import BENCHMARKS

__all__: list[str] = []


@pytest.fixture(scope="module")
def bench():
    with pytest.MonkeyPatch.context() as mp:
        mp.syspath_prepend(str(BENCHMARKS))
        yield (
            importlib.import_module("bench_calibration_panels"),
            importlib.import_module("calibration_panels"),
        )


def _scenario(module, key):
    return next(s for s in module.PANEL_SCENARIOS if s.key == key)


@pytest.mark.slow
def test_many_clusters_cover_and_rarely_flag_no_effect(bench):
    runner, designs = bench
    records = runner.run_scenario(_scenario(designs, "reps-35"), reps=20, seed=7)
    rows = {r["method"]: r for r in runner.summarise(records)}
    did = rows["panel-did"]
    assert did["valid"] == 1.0
    assert did["coverage"] >= 0.85
    assert did["false_positive"] <= 0.20  # 20 no-effect runs: 4 or fewer flagged
    assert did["power"] >= 0.7  # the +10% effect is ~3 standard errors here
    assert abs(did["bias"]) < 0.2


@pytest.mark.slow
def test_staggered_cohorts_are_covered_and_few_clusters_not_valid(bench):
    runner, designs = bench
    records = runner.run_scenario(_scenario(designs, "stagger-36"), reps=15, seed=7)
    rows = {r["method"]: r for r in runner.summarise(records)}
    assert rows["staggered-did"]["coverage"] >= 0.8
    few = runner.run_scenario(_scenario(designs, "few-3"), reps=3, seed=7)
    assert not any(r["valid"] for r in few)
    assert np.isfinite([r["estimate"] for r in few]).all()
