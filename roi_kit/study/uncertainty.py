"""How sure is the ROI? Tornado sensitivity, Monte Carlo and break-even, in one namespace.

The work lives in one module per topic; this module re-exports their public names so
``from roi_kit.study import uncertainty`` and ``uncertainty.monte_carlo(...)`` keep working:

- :mod:`roi_kit.study.distributions`: :class:`Distribution`, :func:`spec_from_config`,
  :func:`spec_from_assumption`, :func:`draw`, :func:`check_specs`, :data:`KINDS`;
- :mod:`roi_kit.study.vectorised`: the vectorised model every function below evaluates;
- :mod:`roi_kit.study.sensitivity`: :func:`tornado`;
- :mod:`roi_kit.study.simulation`: :func:`monte_carlo`, :class:`MonteCarloResult`;
- :mod:`roi_kit.study.break_even_search`: :func:`break_even`, :class:`BreakEven`.

Examples
--------
>>> from roi_kit.study import uncertainty
>>> specs = {"a": uncertainty.Distribution("a", "uniform", 0.0, 0.5, 1.0)}
>>> float(uncertainty.tornado(lambda p: {"npv": 10 * p["a"]}, specs)["swing"][0])
10.0
"""

from __future__ import annotations

from roi_kit.study.break_even_search import BreakEven, break_even
from roi_kit.study.distributions import (
    KINDS,
    Distribution,
    check_specs,
    draw,
    spec_from_assumption,
    spec_from_config,
)
from roi_kit.study.sensitivity import tornado
from roi_kit.study.simulation import MonteCarloResult, monte_carlo
from roi_kit.study.vectorised import VectorisedModel, model_output

__all__ = [
    "KINDS",
    "Distribution",
    "spec_from_config",
    "spec_from_assumption",
    "draw",
    "check_specs",
    "VectorisedModel",
    "model_output",
    "tornado",
    "MonteCarloResult",
    "monte_carlo",
    "BreakEven",
    "break_even",
]
