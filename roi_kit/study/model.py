"""The CRM ROI model: a case -> measured changes -> benefit lines -> cash flows -> ROI.

One model serves every view. :func:`evaluate_case` gives the full, explained result for
one set of assumptions (a slider position); :func:`case_model` returns a vectorised
function of the same model for sensitivity and Monte Carlo (100,000 draws at once).
Both go through the same benefit functions (:mod:`roi_kit.money.benefits`), the same cost
schedule (:mod:`roi_kit.money.costs`) and the same discounting (:mod:`roi_kit.money.finance`).

How the benefit is built (a review case)
----------------------------------------
1. Each KPI's change is measured on the CRM group by the chosen comparison method
   (counterfactual by default; :mod:`roi_kit.measure.compare`), in KPI units per month.
2. Only changes that are improvements *with an interval excluding zero* are counted;
   the others are shown with the reason. Counting a change the data cannot tell from
   noise would call it a gain.
3. Money: extra revenue x gross margin; a shorter sales cycle at the cost of capital;
   lower operating cost; hours saved x rate x recapture (Nucleus Research). Retention is
   shown but not counted by default, since the revenue change already contains what kept
   customers bought; the articles' revenue-as-gain view is shown, not counted.
4. An attribution share (the part of the measured change credited to the CRM) scales the
   measured lines; the TEI risk adjustments lower benefits and raise costs.
5. The annualised benefit repeats in each year of the horizon (a review measures the
   after period as it was, adoption ramp included, and does not extrapolate further
   adoption); a projection loses half its ramp-up months in year 1.

A projection case takes the changes from ``expected_changes`` (relative to the baseline
level) and labels every line "projected".

Where each step lives
---------------------
This module is the model's one namespace (``from roi_kit.study import model``; then
``model.evaluate_case``, ``model.roi_to_date`` ...); each topic has its own module:

- :mod:`roi_kit.study.inputs`: measured changes, the fixed inputs, the cost-risk shares;
- :mod:`roi_kit.study.params`: parameter labels, likely values and uncertain ranges;
- :mod:`roi_kit.study.lines`: the benefit lines;
- :mod:`roi_kit.study.evaluation`: the explained and the vectorised evaluation;
- :mod:`roi_kit.study.definitions`: every ROI definition and its display table;
- :mod:`roi_kit.study.scenarios`: named scenarios and ROI to date.
"""

from __future__ import annotations

from roi_kit.study.definitions import definitions_table, roi_definitions
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
from roi_kit.study.scenarios import evaluate_scenarios, roi_to_date, scenario_inputs

__all__ = [
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
    "definitions_table",
    "roi_definitions",
    "cost_future_share",
    "scenario_inputs",
    "evaluate_scenarios",
    "roi_to_date",
]
