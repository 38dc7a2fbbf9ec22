"""The model evaluated: cash flows, discounting and ROI, explained or vectorised.

:func:`evaluate_case` gives the full, explained result for one set of parameters (a slider
position); :func:`case_model` returns a vectorised function of the same model for the
tornado, Monte Carlo and break-even (100,000 draws at once). Both go through the same
benefit lines (:mod:`roi_kit.study.lines`), the same cost schedule and the same discounting
(:mod:`roi_kit.money.finance`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from roi_kit.case import Case
from roi_kit.errors import CaseError
from roi_kit.money import benefits as bn
from roi_kit.money import finance
from roi_kit.study.definitions import roi_definitions
from roi_kit.study.inputs import Inputs, model_inputs
from roi_kit.study.lines import benefit_lines
from roi_kit.study.params import _p, base_params

__all__ = ["CaseResult", "evaluate_case", "case_model"]


def _counted_total(lines: list[bn.BenefitLine]) -> np.ndarray | float:
    """Counted benefits per year, currency (an array over draws when the lines are)."""
    return bn.total_benefits(lines)


def _future(inputs: Inputs) -> np.ndarray:
    """Per period, the share of cost the TEI cost risk applies to (all of it when unknown)."""
    if inputs.cost_future_share is None:
        return np.ones(inputs.years + 1)
    return inputs.cost_future_share


def _flows(
    inputs: Inputs, params: Mapping[str, Any], annual: np.ndarray | float
) -> tuple[np.ndarray, np.ndarray]:
    """Yearly benefit and cost flows [Initial, Year 1..N] (broadcast over draws)."""
    shape = np.r_[0.0, inputs.ramp_year1, np.ones(inputs.years - 1)]
    annual = np.asarray(annual, dtype=float)
    benefits = annual[..., np.newaxis] * shape
    overrun = np.asarray(_p(params, "cost_overrun") if "cost_overrun" in params else 0.0)
    costs = inputs.cost_years * (1.0 + overrun[..., np.newaxis])
    return benefits, costs


@dataclass(frozen=True)
class CaseResult:
    """The full, explained result of the model for one set of parameters.

    Attributes
    ----------
    inputs : Inputs
    params : dict
    lines : list of BenefitLine
    annual_benefit : float, currency/year
        Counted benefits per year, before risk adjustment.
    evaluation : finance.Evaluation
        TEI view: PV, NPV, ROI, IRR, payback, cash-flow table (risk-adjusted).
    definitions : DataFrame
        Every ROI definition with its formula and value
        (:func:`~roi_kit.study.definitions.roi_definitions`).
    """

    inputs: Inputs
    params: dict[str, float]
    lines: list[bn.BenefitLine]
    annual_benefit: float
    evaluation: finance.Evaluation
    definitions: pd.DataFrame


def evaluate_case(
    case: Case,
    params: Mapping[str, float] | None = None,
    *,
    inputs: Inputs | None = None,
    method: str = "counterfactual",
) -> CaseResult:
    """Run the model once: benefit lines, cash flows, every ROI definition.

    Parameters
    ----------
    case : Case
    params : mapping, optional
        Overrides of :func:`base_params` (for example a slider's value).
    inputs : Inputs, optional
        Precomputed :func:`model_inputs` (saves re-measuring on every slider move).
    method : str
        Comparison method for review cases.

    Returns
    -------
    CaseResult
    """
    inputs = inputs if inputs is not None else model_inputs(case, method=method)
    p = base_params(case, inputs)
    if params:
        unknown = set(params) - set(p)
        if unknown:
            raise CaseError(f"unknown model parameter(s): {sorted(unknown)}; known: {sorted(p)}")
        p.update({k: float(v) for k, v in params.items()})
    lines = benefit_lines(inputs, p)
    annual = float(_counted_total(lines))
    b, c = _flows(inputs, p, annual)
    ev = finance.evaluate(
        b,
        c,
        discount_rate=p["discount_rate"],
        risk_benefits=p["risk_benefits"],
        risk_costs=p["risk_costs"] * _future(inputs),
    )
    revenue_view = next((ln for ln in lines if ln.kind == "revenue_as_gain"), None)
    return CaseResult(
        inputs=inputs,
        params=p,
        lines=lines,
        annual_benefit=annual,
        evaluation=ev,
        definitions=roi_definitions(ev, inputs.years, annual, revenue_view),
    )


def case_model(
    case: Case,
    *,
    inputs: Inputs | None = None,
    method: str = "counterfactual",
    risk_adjusted: bool = True,
) -> Callable[[Mapping[str, Any]], dict[str, np.ndarray]]:
    """A vectorised function of the case's model, for tornado and Monte Carlo.

    Parameters
    ----------
    case : Case
    inputs : Inputs, optional
    method : str
    risk_adjusted : bool
        Apply the TEI risk adjustments (True, for the tornado and break-even, so their
        base is the headline NPV). Monte Carlo passes False: it draws the uncertain
        inputs themselves, and a fixed haircut on top would count the risk twice.

    Returns
    -------
    callable
        ``model(params) -> {"npv", "roi", "payback_months"}``; any parameter of
        :func:`base_params` may be an array of draws (others take their likely value).
        Its scalar results equal :func:`evaluate_case`'s.
    """
    inputs = inputs if inputs is not None else model_inputs(case, method=method)
    base = base_params(case, inputs)
    future = _future(inputs)

    def model(params: Mapping[str, Any]) -> dict[str, np.ndarray]:
        p: dict[str, Any] = dict(base)
        p.update(params)
        lines = benefit_lines(inputs, p)
        annual = np.asarray(_counted_total(lines), dtype=float)
        b, c = _flows(inputs, p, annual)
        if risk_adjusted:
            b = b * (1.0 - np.asarray(p["risk_benefits"])[..., np.newaxis])
            c = c * (1.0 + np.asarray(p["risk_costs"])[..., np.newaxis] * future)
        b, c = np.broadcast_arrays(b, c)
        rate = np.asarray(p["discount_rate"], dtype=float)
        pv_b = np.asarray(finance.npv(rate, b))
        pv_c = np.asarray(finance.npv(rate, c))
        net = b - c
        payback = np.asarray(finance.payback_period(net), dtype=float) * 12.0
        npv = pv_b - pv_c
        return {"npv": npv, "roi": npv / pv_c, "payback_months": payback}

    return model
