"""roi_kit.study.uncertainty: the one namespace of the uncertainty modules.

The behaviour is tested per topic: test_distributions.py, test_sensitivity.py,
test_simulation.py and test_break_even_search.py. Here: ``uncertainty.<name>`` still reaches every
name that callers use (``from roi_kit.study import uncertainty``).
"""

from __future__ import annotations

import importlib

import pytest

from roi_kit.study import uncertainty

TOPICS = ["distributions", "vectorised", "sensitivity", "simulation", "break_even_search"]


@pytest.mark.parametrize("topic", TOPICS)
def test_uncertainty_re_exports_every_public_name(topic):
    module = importlib.import_module(f"roi_kit.study.{topic}")
    for name in module.__all__:
        assert name in uncertainty.__all__
        assert getattr(uncertainty, name) is getattr(module, name)


def test_the_names_callers_use_are_there():
    # The names used as uncertainty.<name> in views, notebooks and benchmarks.
    for name in ("Distribution", "MonteCarloResult", "draw", "monte_carlo", "tornado"):
        assert name in uncertainty.__all__
    assert callable(uncertainty.break_even)
