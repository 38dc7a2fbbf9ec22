"""The study: the one vectorised model, uncertainty (tornado, Monte Carlo, break-even)
and the summary.

Modules, in the order they build on each other:

- the model: :mod:`~roi_kit.study.inputs`, :mod:`~roi_kit.study.params`,
  :mod:`~roi_kit.study.lines`, :mod:`~roi_kit.study.definitions`,
  :mod:`~roi_kit.study.evaluation`, :mod:`~roi_kit.study.scenarios`, gathered by
  :mod:`~roi_kit.study.model`;
- uncertainty: :mod:`~roi_kit.study.distributions`, :mod:`~roi_kit.study.vectorised`,
  :mod:`~roi_kit.study.sensitivity`, :mod:`~roi_kit.study.simulation`,
  :mod:`~roi_kit.study.break_even_search`, gathered by :mod:`~roi_kit.study.uncertainty`;
- the decision step: :mod:`~roi_kit.study.run` (one pass over a case, :func:`run_study`),
  :mod:`~roi_kit.study.readout` (its tables and verdict for people) and
  :mod:`~roi_kit.study.summary` (its headline figures as JSON).

- the source articles' worked examples: :mod:`~roi_kit.study.example_simple`,
  :mod:`~roi_kit.study.example_b2b`, :mod:`~roi_kit.study.example_healthcare`,
  :mod:`~roi_kit.study.example_definitions` (with :mod:`~roi_kit.study.example_checks`),
  gathered by :mod:`~roi_kit.study.worked_examples`.

No module is named after a function it holds (``sensitivity`` holds :func:`tornado`,
``simulation`` :func:`monte_carlo`, ``break_even_search`` :func:`break_even`), so
``roi_kit.study.tornado`` is always the function.
"""

# The package's public names; modules inside import each other directly, never through
# this file, so the order below is free.

from roi_kit.study.break_even_search import BreakEven, break_even
from roi_kit.study.definitions import definitions_table, roi_definitions
from roi_kit.study.distributions import (
    KINDS,
    Distribution,
    check_specs,
    draw,
    spec_from_assumption,
    spec_from_config,
)
from roi_kit.study.evaluation import CaseResult, case_model, evaluate_case
from roi_kit.study.inputs import (
    MEASURED_KPIS,
    Inputs,
    MeasuredChange,
    cost_future_share,
    measured_changes,
    model_inputs,
)
from roi_kit.study.lines import benefit_lines
from roi_kit.study.params import PARAM_LABELS, base_params, uncertain_specs
from roi_kit.study.readout import (
    assumptions_table,
    break_even_table,
    headline_html,
    roi_to_date_table,
    scenario_table,
    tornado_table,
    verdict,
)
from roi_kit.study.run import Study, run_study
from roi_kit.study.scenarios import evaluate_scenarios, roi_to_date, scenario_inputs
from roi_kit.study.sensitivity import tornado
from roi_kit.study.simulation import MonteCarloResult, monte_carlo
from roi_kit.study.summary import JSON_KEYS, SCHEMA, case_summary, summary_json
from roi_kit.study.vectorised import VectorisedModel, model_output
from roi_kit.study.worked_examples import (
    HEALTHCARE_DEFINITIONS,
    B2BAssumptions,
    B2BResult,
    HealthcareAssumptions,
    HealthcareResult,
    HealthcareRow,
    SimpleExample,
    b2b_benefit_lines,
    b2b_example,
    b2b_table,
    healthcare_example,
    healthcare_sensitivity,
    healthcare_table,
    literal_percentage_roi,
    literal_vs_money_table,
    revenue_growth,
    revenue_growth_text,
    roi_for_definition,
    sensitivity_table,
    simple_example,
    simple_example_table,
    simple_example_text,
    solve_crm_cost,
    solve_gross_margin,
    stated_changes,
    target_text,
)

__all__ = [
    "SimpleExample",
    "simple_example",
    "simple_example_text",
    "simple_example_table",
    "literal_percentage_roi",
    "B2BAssumptions",
    "B2BResult",
    "b2b_example",
    "b2b_table",
    "b2b_benefit_lines",
    "literal_vs_money_table",
    "stated_changes",
    "revenue_growth",
    "revenue_growth_text",
    "HEALTHCARE_DEFINITIONS",
    "HealthcareAssumptions",
    "HealthcareRow",
    "HealthcareResult",
    "roi_for_definition",
    "solve_crm_cost",
    "solve_gross_margin",
    "healthcare_example",
    "healthcare_table",
    "target_text",
    "healthcare_sensitivity",
    "sensitivity_table",
    # the model (roi_kit.study.model)
    "MEASURED_KPIS",
    "PARAM_LABELS",
    "MeasuredChange",
    "measured_changes",
    "Inputs",
    "model_inputs",
    "base_params",
    "benefit_lines",
    "CaseResult",
    "evaluate_case",
    "case_model",
    "uncertain_specs",
    "scenario_inputs",
    "evaluate_scenarios",
    "roi_to_date",
    "definitions_table",
    "roi_definitions",
    "cost_future_share",
    # uncertainty (roi_kit.study.uncertainty)
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
    # the decision step (roi_kit.study.run, .readout, .summary)
    "SCHEMA",
    "JSON_KEYS",
    "Study",
    "run_study",
    "case_summary",
    "summary_json",
    "break_even_table",
    "scenario_table",
    "tornado_table",
    "roi_to_date_table",
    "assumptions_table",
    "verdict",
    "headline_html",
]
