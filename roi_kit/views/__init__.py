"""Figures and tables by topic. Views take results and never compute a model;
figures accept ``ax=``.
"""

# The package's public names; modules inside import each other directly, never through
# this file, so the order below is free.

from roi_kit.views.plots import (
    cumulative_cash_flow,
    monte_carlo_histogram,
    roi_to_date,
    scenario_bars,
    tornado,
)
from roi_kit.views.style import (
    CATEGORY_COLORS,
    PALETTE,
    money_axis,
    new_figure,
    to_png,
)
from roi_kit.views.tables import (
    NOTE_STYLE,
    note_html,
    table_html,
)

__all__ = [
    "PALETTE",
    "CATEGORY_COLORS",
    "money_axis",
    "new_figure",
    "to_png",
    "table_html",
    "NOTE_STYLE",
    "note_html",
    "cumulative_cash_flow",
    "tornado",
    "monte_carlo_histogram",
    "scenario_bars",
    "roi_to_date",
]
