"""The source articles' three worked examples, reproduced, checked and redone in money.

The kit's three source articles each end with a worked example:

1. Sales +100,000 for an implementation and training cost of 20,000: ROI = 4 (400%).
2. A B2B company: sales +20%, sales cycle -30%, satisfaction +15%, operating cost -10%;
   the article computes ``((20% - 10%) / 10%) x 100% = 100%``.
3. A healthcare company: deals +20%, average order +15%, cycle -25%, retention +10%;
   "an ROI of about 250%", with no baseline, margin or cost given.

Each is reproduced literally, shown for what is wrong or missing, and redone in money with
stated assumptions through :mod:`roi_kit.money.finance`. The code lives in one module per
example; this module is the one name the views, widgets and notebook ``09_case_studies``
import (``from roi_kit.study import worked_examples``), and re-exports them all:

- :mod:`roi_kit.study.example_simple`: example 1.
- :mod:`roi_kit.study.example_b2b`: example 2, and both case studies' stated changes.
- :mod:`roi_kit.study.example_definitions`: the ROI definitions "about 250%" is read
  against, and the cost and margin solvers.
- :mod:`roi_kit.study.example_healthcare`: example 3.
- :mod:`roi_kit.study.example_checks`: their input checks (the money layer's idiom).

The figures are in :mod:`roi_kit.views.worked_examples`, the sliders in
:mod:`roi_kit.widgets.worked_examples`.

Examples
--------
>>> from roi_kit.study import worked_examples as examples
>>> examples.simple_example_text(examples.simple_example(100_000, 20_000))
'4.00 (400%)'
"""

from __future__ import annotations

from roi_kit.study.example_b2b import (
    B2BAssumptions,
    B2BResult,
    b2b_benefit_lines,
    b2b_example,
    b2b_table,
    literal_percentage_roi,
    literal_vs_money_table,
    stated_changes,
)
from roi_kit.study.example_definitions import (
    HEALTHCARE_DEFINITIONS,
    roi_for_definition,
    solve_crm_cost,
    solve_gross_margin,
)
from roi_kit.study.example_healthcare import (
    HealthcareAssumptions,
    HealthcareResult,
    HealthcareRow,
    healthcare_example,
    healthcare_sensitivity,
    healthcare_table,
    revenue_growth,
    revenue_growth_text,
    sensitivity_table,
    target_text,
)
from roi_kit.study.example_simple import (
    SimpleExample,
    simple_example,
    simple_example_table,
    simple_example_text,
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
]
