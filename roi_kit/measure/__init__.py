"""KPI changes with intervals: naive, counterfactual, difference-in-differences, placebo;
adoption. Imports ``case`` and ``io``, never ``money``.

One method per module on a shared base (the layout of CausalPy's ``experiments``):
``base`` (the :class:`Comparison` result, input checks, windows, AR(1) statistics),
``before_after`` (:func:`naive`), ``projection`` (:func:`counterfactual`), ``local_level``
(:func:`state_space`), ``noise_model`` (the AR(1) and
local-level noise models), ``stationarity`` (ADF/KPSS), ``minimum_baseline``
(:func:`baseline_limits`), ``detectable`` (MDE), ``diff_in_diff``
(:func:`did`), ``placebo_check`` (:func:`placebo`), ``words`` (:func:`reading`), ``compare``
(the table of every KPI by every method: :func:`compare_frame`, :func:`compare_all`) and
``adoption``; ``baseline`` (what the baseline supports) and ``progress`` (goals against
their baseline and against the measured effect; the lines a tracking chart draws). The
modules are not named after their functions so that
``roi_kit.measure.counterfactual`` is always the function, never shadowed by a module.
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
from roi_kit.measure.base import (
    MIN_AFTER_MONTHS,
    MIN_BASELINE_MONTHS,
    MIN_SEASONAL_MONTHS,
    CompareInputError,
    Comparison,
)
from roi_kit.measure.baseline import (
    BaselineFacts,
    baseline_facts,
    baseline_headline,
    baseline_means,
    baseline_statement,
)
from roi_kit.measure.before_after import naive
from roi_kit.measure.compare import DEFAULT_METHODS, METHODS, compare_all, compare_frame
from roi_kit.measure.detectable import mde_from_interval, minimum_detectable_effect
from roi_kit.measure.diff_in_diff import did
from roi_kit.measure.local_level import state_space
from roi_kit.measure.minimum_baseline import (
    BaselineLimits,
    baseline_limits,
    case_baseline_limits,
)
from roi_kit.measure.placebo_check import placebo
from roi_kit.measure.progress import (
    TrackingLines,
    goal_progress,
    goal_status,
    goals_table,
    tracking_lines,
    true_effect_check,
)
from roi_kit.measure.projection import MIN_VALID_SEASONAL_MONTHS, counterfactual
from roi_kit.measure.stationarity import Stationarity, stationarity_check
from roi_kit.measure.words import percentage_points, reading

__all__ = [
    "BaselineFacts",
    "baseline_facts",
    "baseline_headline",
    "baseline_means",
    "baseline_statement",
    "TrackingLines",
    "goal_progress",
    "goal_status",
    "goals_table",
    "tracking_lines",
    "true_effect_check",
    "CompareInputError",
    "Comparison",
    "naive",
    "counterfactual",
    "state_space",
    "did",
    "placebo",
    "reading",
    "percentage_points",
    "compare_frame",
    "compare_all",
    "METHODS",
    "DEFAULT_METHODS",
    "minimum_detectable_effect",
    "mde_from_interval",
    "BaselineLimits",
    "baseline_limits",
    "case_baseline_limits",
    "Stationarity",
    "stationarity_check",
    "MIN_VALID_SEASONAL_MONTHS",
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
