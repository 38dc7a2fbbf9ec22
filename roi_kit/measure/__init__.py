"""KPI changes with intervals: naive, counterfactual, difference-in-differences, placebo;
adoption. Imports ``case`` and ``io``, never ``money``.
"""

# The package's public names; modules inside import each other directly, never through
# this file, so the order below is free.

from roi_kit.measure.adoption import (
    DEFAULT_TARGET_RATE,
    DEFAULT_WARNING_THRESHOLD,
    AdoptionError,
    AdoptionSummary,
    AdoptionUplift,
    adoption_summary,
    adoption_table,
    adoption_warning,
    kpi_series,
    uplift_vs_adoption,
)
from roi_kit.measure.compare import (
    MIN_AFTER_MONTHS,
    MIN_BASELINE_MONTHS,
    MIN_SEASONAL_MONTHS,
    CompareInputError,
    Comparison,
    compare_all,
    compare_frame,
    counterfactual,
    did,
    naive,
    percentage_points,
    placebo,
    reading,
)

__all__ = [
    "CompareInputError",
    "Comparison",
    "naive",
    "counterfactual",
    "did",
    "placebo",
    "reading",
    "percentage_points",
    "compare_frame",
    "compare_all",
    "MIN_BASELINE_MONTHS",
    "MIN_AFTER_MONTHS",
    "MIN_SEASONAL_MONTHS",
    "AdoptionError",
    "AdoptionSummary",
    "AdoptionUplift",
    "DEFAULT_WARNING_THRESHOLD",
    "DEFAULT_TARGET_RATE",
    "adoption_table",
    "adoption_summary",
    "adoption_warning",
    "kpi_series",
    "uplift_vs_adoption",
]
