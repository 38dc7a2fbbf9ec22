"""Slider panels and display helpers for the notebooks."""

# The package's public names; modules inside import each other directly, never through
# this file, so the order below is free.

from roi_kit.widgets.display import (
    Part,
    as_widget,
    show,
    show_figure,
    show_html,
    show_table,
)
from roi_kit.widgets.panel import (
    int_slider,
    slider,
    slider_panel,
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
]
