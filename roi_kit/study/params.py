"""The model's parameters: their readable names, likely values and uncertain ranges.

:func:`base_params` gives the likely value of every parameter (the slider start positions);
:func:`uncertain_specs` the :class:`~roi_kit.study.distributions.Distribution` of every
uncertain one, for the tornado, Monte Carlo and break-even.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from roi_kit.case import Case
from roi_kit.study.distributions import Distribution, spec_from_assumption
from roi_kit.study.inputs import MEASURED_KPIS, Inputs

__all__ = ["PARAM_LABELS", "base_params", "uncertain_specs"]

#: Readable names of the model parameters (for sliders, tornado and tables).
PARAM_LABELS: Mapping[str, str] = {
    "gross_margin": "Gross margin",
    "attribution_share": "Attribution to the CRM",
    "recapture_factor": "Time recapture factor",
    "loaded_hourly_rate": "Loaded hourly rate",
    "hours_saved_per_user_week": "Hours saved per user-week",
    "cost_of_capital": "Cost of capital",
    "cost_overrun": "Cost overrun",
    "customer_annual_margin": "Annual margin per customer",
    "discount_rate": "Discount rate",
    "risk_benefits": "Benefit risk adjustment",
    "risk_costs": "Cost risk adjustment",
    "revenue_change": "Revenue change (per month)",
    "cycle_days_change": "Sales-cycle change (days)",
    "churn_change": "Churned customers change (per month)",
    "opex_change": "Operating cost change (per month)",
}

#: Assumptions the model reads (likely values from case.yml, ranges for Monte Carlo).
_MODEL_ASSUMPTIONS = (
    "gross_margin",
    "attribution_share",
    "recapture_factor",
    "loaded_hourly_rate",
    "hours_saved_per_user_week",
    "cost_of_capital",
    "cost_overrun",
    "customer_annual_margin",
)

#: Assumptions that feed only the productivity line.
_PRODUCTIVITY_ONLY = frozenset(
    {"recapture_factor", "loaded_hourly_rate", "hours_saved_per_user_week"}
)

# A 95% two-sided interval spans 2 x 1.959964 standard errors; a normal Distribution's
# low/high are its 5th/95th percentiles (2 x 1.644854 standard errors).
_Z95 = 1.959963984540054
_Z90 = 1.6448536269514722


def base_params(case: Case, inputs: Inputs) -> dict[str, float]:
    """The likely value of every model parameter (the slider start positions).

    Parameters
    ----------
    case : Case
    inputs : Inputs

    Returns
    -------
    dict of str to float
        Assumptions (gross_margin, attribution_share, ...), ``discount_rate``,
        ``risk_benefits``, ``risk_costs``, and the measured changes per month
        (``revenue_change``, ``cycle_days_change``, ``churn_change``, ``opex_change``).
    """
    params: dict[str, float] = {}
    for name in _MODEL_ASSUMPTIONS:
        if name in case.assumptions:
            params[name] = float(case.assumptions[name].likely)
    params.setdefault("customer_annual_margin", 0.0)
    params["discount_rate"] = float(case.discount_rate)
    params["risk_benefits"] = float(case.risk_benefits)
    params["risk_costs"] = float(case.risk_costs)
    for kpi, name in MEASURED_KPIS.items():
        params[name] = inputs.changes[kpi].change if kpi in inputs.changes else 0.0
    return params


def _p(params: Mapping[str, Any], name: str) -> np.ndarray | float:
    """Parameter ``name`` as given when scalar, else as a float array (draws)."""
    value = params[name]
    return value if np.ndim(value) == 0 else np.asarray(value, dtype=float)


def uncertain_specs(case: Case, inputs: Inputs) -> dict[str, Distribution]:
    """Distributions for every uncertain parameter of the model.

    Assumptions with a range in ``case.yml`` keep their distribution (PERT by default).
    Each measured change becomes a normal distribution matching its comparison
    interval (the 95% interval converted to the 5th/95th percentiles), so the Monte
    Carlo carries the measurement's own uncertainty into the ROI.

    Parameters
    ----------
    case : Case
    inputs : Inputs

    Returns
    -------
    dict of str to Distribution
    """
    specs: dict[str, Distribution] = {}
    for name in _MODEL_ASSUMPTIONS:
        if name == "customer_annual_margin":
            continue  # feeds only the retention line, shown but never counted
        if name in _PRODUCTIVITY_ONLY and inputs.productivity_reason:
            continue  # the productivity line is not counted: drawing these moves nothing
        a = case.assumptions.get(name)
        if a is not None and a.high > a.low:
            specs[name] = spec_from_assumption(a)
    for kpi, name in MEASURED_KPIS.items():
        change = inputs.changes.get(kpi)
        if change is None or not inputs.counted.get(kpi, False):
            continue
        if change.source == "projected":
            specs[name] = Distribution(
                name,
                "pert",
                min(change.low, change.change),
                change.change,
                max(change.high, change.change),
            )
            continue
        half = (change.high - change.low) / 2.0 * _Z90 / _Z95
        specs[name] = Distribution(
            name, "normal", change.change - half, change.change, change.change + half
        )
    return specs
