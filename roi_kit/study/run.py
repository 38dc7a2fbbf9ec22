"""One pass of the decision step over a case: measure, value, evaluate and stress it.

:func:`run_study` computes everything once and returns a frozen :class:`Study`, which the
JSON summary (:mod:`roi_kit.study.summary`), the formatted tables
(:mod:`roi_kit.study.readout`), the views and the report all reuse.

A report computes the study once: its kernels name a shared cache folder in
``ROI_KIT_STUDY_CACHE`` (:data:`CACHE_ENV`; the report's private work folder), and
:func:`run_study` then keeps each result there (:func:`roi_kit.case.memo.memoised`), keyed
by a fingerprint of the case's content and the study's arguments, so the summary page, the
ROI page and the front page compute it once between them (and the comparison table inside
it is cached the same way by :func:`roi_kit.measure.compare_all`). Without the variable
(JupyterLab, scripts) nothing is cached.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from roi_kit.case import Case, quality
from roi_kit.case.memo import CACHE_ENV, case_fingerprint, memoised
from roi_kit.measure import compare_all
from roi_kit.study.distributions import Distribution
from roi_kit.study.evaluation import CaseResult, case_model, evaluate_case
from roi_kit.study.inputs import Inputs, model_inputs
from roi_kit.study.params import uncertain_specs
from roi_kit.study.scenarios import evaluate_scenarios
from roi_kit.study.sensitivity import tornado as tornado_frame
from roi_kit.study.simulation import MonteCarloResult, monte_carlo

# CACHE_ENV and case_fingerprint live in roi_kit.case.memo (the comparison table is cached
# too, a layer below); re-exported here, where the report and older code look for them.
__all__ = ["CACHE_ENV", "Study", "run_study", "case_fingerprint"]


@dataclass(frozen=True)
class Study:
    """Everything the decision step computes for one case (one pass, reused by views).

    Attributes
    ----------
    case : Case
    comparison : DataFrame
        :func:`roi_kit.measure.compare.compare_all` (empty for a projection).
    inputs : Inputs
    result : CaseResult
    specs : dict of str to Distribution
    monte_carlo : MonteCarloResult
    tornado : DataFrame
    scenarios : DataFrame
    quality : QualityReport
    """

    case: Case
    comparison: pd.DataFrame
    inputs: Inputs
    result: CaseResult
    specs: dict[str, Distribution]
    monte_carlo: MonteCarloResult
    tornado: pd.DataFrame
    scenarios: pd.DataFrame
    quality: quality.QualityReport


def run_study(case: Case, *, n: int = 100_000, seed: int = 0, method: str | None = None) -> Study:
    """Measure, value, evaluate and stress one case.

    Parameters
    ----------
    case : Case
    n : int
        Monte Carlo draws.
    seed : int
        Seed of the Monte Carlo (and the naive bootstrap): same seed, same numbers.
    method : str, optional
        Which comparison's estimates become benefits: ``"auto"`` or None (case.yml's
        ``measurement.method``, default auto) or a method name
        (:mod:`roi_kit.study.selection`).

    Returns
    -------
    Study
        Frozen; amounts in the case currency, ratios as fractions.
    """
    # Cached only inside a report (CACHE_ENV set); elsewhere memoised just computes.
    return memoised(
        "study", case, (n, seed, method), lambda: _compute(case, n=n, seed=seed, method=method)
    )


def _compute(case: Case, *, n: int, seed: int, method: str | None) -> Study:
    comparison = compare_all(case, seed=seed) if case.after is not None else pd.DataFrame()
    inputs = model_inputs(case, method=method, comparison=comparison if len(comparison) else None)
    result = evaluate_case(case, inputs=inputs)
    specs = uncertain_specs(case, inputs)
    fn = case_model(case, inputs=inputs)
    # Monte Carlo draws the uncertain inputs themselves; the TEI haircut (a fixed stand-in
    # for that same uncertainty) on top would count the risk twice.
    mc = monte_carlo(
        case_model(case, inputs=inputs, risk_adjusted=False),
        specs,
        n=n,
        seed=seed,
        horizon_months=12 * case.horizon_years,
    )
    # The tornado keeps the risk adjustment, so its base is the headline NPV.
    tornado = tornado_frame(fn, specs) if specs else pd.DataFrame()
    return Study(
        case=case,
        comparison=comparison,
        inputs=inputs,
        result=result,
        specs=specs,
        monte_carlo=mc,
        tornado=tornado,
        scenarios=evaluate_scenarios(case, inputs),
        quality=quality.check_case(case),
    )
