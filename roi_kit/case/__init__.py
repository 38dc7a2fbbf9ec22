"""The case: its types, ``case.yml`` parsing, loading, writing, the KPI catalogue, the
data-quality report and the sample case.

Modules: ``types`` (frozen types and vocabularies), ``checks`` (the one input-check idiom),
``parse`` (``case.yml`` -> checked values), ``load`` (:func:`load_case`), ``write`` (new
cases and edited copies of ``case.yml``), ``kpis`` (the KPI catalogue), ``goals`` (goals and
their targets), ``facts`` (a generated case's known truth), ``quality`` with
``quality_checks`` and ``quality_periods`` (the data-quality report), ``memo`` (a report's
cache of results computed from a case, keyed by its content), and ``sample`` with
``sample_world`` and ``sample_files`` (the deterministic sample case).
"""

# The sample generator (roi_kit.case.sample) is not imported here: it runs as
# `python -m roi_kit.case.sample`, and importing it from the package first would make that
# warn. Import it by module.

# The package's public names; modules inside import each other directly, never through
# this file, so the order below is free.

from roi_kit.case.kpis import (
    CATALOGUE,
    DIRECTIONS,
    KINDS,
    Kpi,
    format_value,
    get_kpi,
    is_improvement,
)
from roi_kit.case.load import (
    assumption_value,
    crm_mapping,
    kpi_columns,
    kpi_direction,
    load_case,
)
from roi_kit.case.quality import (
    MIN_BASELINE_MONTHS,
    OUTLIER_THRESHOLD,
    SCORE_RULE,
    SEVERITIES,
    Finding,
    QualityReport,
    check_case,
    check_periods,
    find_control_gaps,
    find_duplicates,
    find_impossible_values,
    find_missing_months,
    find_missing_values,
    find_outliers,
    format_report,
    quality_score,
    robust_z,
)
from roi_kit.case.types import (
    ASSUMPTIONS,
    CATEGORIES,
    COST_CATEGORIES,
    FREQUENCIES,
    SCORE_MAX,
    SCORE_MIN,
    TYPES,
    Assumption,
    AssumptionSpec,
    Case,
    Goal,
    GroupSpec,
    Intangible,
    IntangibleItem,
)
from roi_kit.case.write import save_case_config, scaffold_case

__all__ = [
    "CATEGORIES",
    "TYPES",
    "FREQUENCIES",
    "SCORE_MIN",
    "SCORE_MAX",
    "IntangibleItem",
    "Kpi",
    "CATALOGUE",
    "DIRECTIONS",
    "KINDS",
    "get_kpi",
    "is_improvement",
    "format_value",
    "ASSUMPTIONS",
    "AssumptionSpec",
    "Assumption",
    "Goal",
    "GroupSpec",
    "Intangible",
    "Case",
    "COST_CATEGORIES",
    "load_case",
    "scaffold_case",
    "save_case_config",
    "kpi_columns",
    "kpi_direction",
    "assumption_value",
    "crm_mapping",
    "Finding",
    "QualityReport",
    "SCORE_RULE",
    "SEVERITIES",
    "OUTLIER_THRESHOLD",
    "MIN_BASELINE_MONTHS",
    "quality_score",
    "robust_z",
    "find_missing_months",
    "find_duplicates",
    "find_outliers",
    "find_impossible_values",
    "find_missing_values",
    "find_control_gaps",
    "check_periods",
    "check_case",
    "format_report",
]
