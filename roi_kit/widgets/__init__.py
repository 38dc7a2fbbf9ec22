"""Slider panels and display helpers for the notebooks."""

# A name equal to a module's is left out (``rollout.rollout``): exporting it would hide
# the module ``roi_kit.widgets.rollout`` behind the function.

# The package's public names; modules inside import each other directly, never through
# this file, so the order below is free.

from roi_kit.widgets.baseline import (
    baseline_panel,
    baseline_widget,
    display_lines,
    quality_panel,
    quality_widget,
)
from roi_kit.widgets.benefits import (
    benefits_panel,
    revenue_views_parts,
    show_benefits_panel,
    show_revenue_views,
)
from roi_kit.widgets.costs import (
    costs_panel,
    show_costs_overview,
    show_costs_panel,
)
from roi_kit.widgets.display import (
    Part,
    as_widget,
    show,
    show_figure,
    show_html,
    show_table,
)
from roi_kit.widgets.goals import (
    GoalRow,
    goal_groups,
    goals_panel,
    goals_widget,
)
from roi_kit.widgets.intangibles import (
    intangibles_panel,
    save_items,
    show_intangibles,
)
from roi_kit.widgets.panel import (
    int_slider,
    slider,
    slider_panel,
)
from roi_kit.widgets.quick import (
    quick_roi_panel,
    show_quick_roi,
)
from roi_kit.widgets.roi import (
    roi_panel,
    roi_slider_specs,
    show_roi,
)
from roi_kit.widgets.rollout import (
    Rollout,
    rollout_panel,
    rollout_widget,
)
from roi_kit.widgets.tracking import (
    available_methods,
    report_kpis,
    tracking_panel,
    tracking_widget,
)
from roi_kit.widgets.worked_examples import (
    b2b_panel,
    healthcare_panel,
    references_panel,
    show_b2b,
    show_healthcare,
    show_references,
)

__all__ = [
    "Part",
    "show_figure",
    "show_table",
    "show_html",
    "show",
    "as_widget",
    "slider",
    "int_slider",
    "slider_panel",
    "GoalRow",
    "goal_groups",
    "goals_widget",
    "goals_panel",
    "quality_widget",
    "quality_panel",
    "baseline_widget",
    "baseline_panel",
    "display_lines",
    "Rollout",
    "rollout_widget",
    "rollout_panel",
    "available_methods",
    "report_kpis",
    "tracking_widget",
    "tracking_panel",
    "quick_roi_panel",
    "show_quick_roi",
    "roi_slider_specs",
    "roi_panel",
    "show_roi",
    "revenue_views_parts",
    "show_revenue_views",
    "benefits_panel",
    "show_benefits_panel",
    "show_costs_overview",
    "costs_panel",
    "show_costs_panel",
    "save_items",
    "intangibles_panel",
    "show_intangibles",
    "b2b_panel",
    "show_b2b",
    "healthcare_panel",
    "show_healthcare",
    "references_panel",
    "show_references",
]
