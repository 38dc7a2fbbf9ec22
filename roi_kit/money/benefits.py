"""KPI changes turned into money, one explained line at a time.

Every benefit is a :class:`BenefitLine`: its name, its formula in words and in symbols, the
inputs it was computed from (each tagged measured / assumed / benchmark / projected), its
annual value and, when given a monthly profile, its month-by-month values. The functions are
pure and vectorised: every numeric argument may be a scalar or a numpy array, so a slider
(one value) and a Monte Carlo run (100,000 draws) use the same code and get the same numbers.

Sign conventions, used everywhere in this module:

- an argument named ``delta_*`` is a change **after minus before**, as ``roi_kit.measure.compare``
  reports it; a fall in a cost is therefore negative, and the functions turn it into a
  positive saving themselves;
- an argument named ``*_saved`` or ``*_avoided`` is already "positive is good".

Which lines the total counts (never two views of the same money):

- revenue: the **margin view** ``ΔR × m`` is counted. The source articles' view, the whole
  revenue increase counted as gain, is built by :func:`revenue_as_gain` for comparison and is
  not counted. The deals × deal-size decomposition explains the same revenue change and is
  not counted either (counting it *instead* of the margin view is allowed);
- retention: the **annual margin view** (customers kept × yearly margin) is counted; the
  customer-lifetime-value view is shown beside it and not counted;
- revenue and retention together: booked revenue already includes what the retained
  customers bought, so :func:`total_benefits` refuses to add a counted retention line to a
  counted revenue line unless the caller states the revenue change excludes them.

Where each topic lives (this module gathers them, so ``from roi_kit.money import benefits as
bn`` and ``bn.<name>`` keep working):

- :mod:`~roi_kit.money.benefit_lines`: :class:`BenefitLine`, :class:`Input`,
  :class:`Projected`, :func:`projected`;
- :mod:`~roi_kit.money.benefit_revenue`: revenue (margin view, revenue view, deals × size);
- :mod:`~roi_kit.money.benefit_retention`: retention per year and lifetime value;
- :mod:`~roi_kit.money.benefit_operations`: sales cycle, productivity, cost savings;
- :mod:`~roi_kit.money.realisation`: adoption, attribution, risk, monthly profile;
- :mod:`~roi_kit.money.benefit_totals`: the double-counting check, totals and the table.

References
----------
.. [1] Forrester Research, "The Total Economic Impact (TEI) methodology": benefits are
   risk-adjusted downwards line by line; productivity gains are multiplied by a
   "productivity recapture" share (commonly 50%).
.. [2] Nucleus Research, ROI methodology: productivity benefits carry a correction factor
   because "time saved is not time worked".
.. [3] S. Gupta and D. R. Lehmann, "Customers as assets", Journal of Interactive Marketing
   17(1), 9-24, 2003.
.. [4] V. D. Richards and E. J. Laughlin, "A cash conversion cycle approach to liquidity
   analysis", Financial Management 9(1), 32-38, 1980.
"""

from __future__ import annotations

from roi_kit.money.benefit_lines import (
    SOURCES,
    BenefitLine,
    Input,
    Projected,
    RevenueDecomposition,
    projected,
)
from roi_kit.money.benefit_operations import (
    acquisition_cost_saving,
    cost_saving,
    cycle_time_benefit,
    productivity_benefit,
)
from roi_kit.money.benefit_retention import (
    customer_lifetime_value,
    retention_benefit,
    retention_benefit_clv,
)
from roi_kit.money.benefit_revenue import (
    decompose_revenue_change,
    decomposition_benefits,
    revenue_as_gain,
    revenue_uplift,
)
from roi_kit.money.benefit_totals import (
    benefit_table,
    total_benefits,
)
from roi_kit.money.realisation import (
    monthly_profile,
    realise,
    realise_line,
    with_monthly,
)

__all__ = [
    "SOURCES",
    "Input",
    "BenefitLine",
    "Projected",
    "RevenueDecomposition",
    "projected",
    "revenue_uplift",
    "revenue_as_gain",
    "decompose_revenue_change",
    "decomposition_benefits",
    "retention_benefit",
    "customer_lifetime_value",
    "retention_benefit_clv",
    "cycle_time_benefit",
    "productivity_benefit",
    "cost_saving",
    "acquisition_cost_saving",
    "realise",
    "realise_line",
    "monthly_profile",
    "with_monthly",
    "total_benefits",
    "benefit_table",
]
