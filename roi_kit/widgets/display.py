"""Showing results in a notebook, and the one report-mode mechanism.

A shared HTML report has no kernel behind it, so every step has two faces: sliders in
JupyterLab, and the same tables and figures displayed statically when the notebook runs
with ``report_mode=True``. :func:`show` is the single switch between the two; every panel
of the kit goes through it (or through :func:`roi_kit.widgets.panel.slider_panel`).
"""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as w
import pandas as pd
from IPython.display import HTML, Image, display
from matplotlib.figure import Figure

from roi_kit.views.style import to_png
from roi_kit.views.tables import NOTE_STYLE, table_html

__all__ = ["Part", "show_figure", "show_table", "show_html", "show", "as_widget"]

#: What a view hands to the display layer: an HTML string (already escaped) or a figure.
Part = str | Figure


def show_figure(fig: Figure) -> None:
    """Display a matplotlib ``Figure`` as an embedded PNG (works in reports too)."""
    display(Image(data=to_png(fig)))


def show_table(table: pd.DataFrame, *, index: bool = False) -> None:
    """Display a table as escaped HTML (works in JupyterLab and in a report page)."""
    display(HTML(table_html(table, index=index)))


def show_html(text: str) -> None:
    """Display already-escaped HTML."""
    display(HTML(text))


def _display_part(part: Part) -> None:
    if isinstance(part, Figure):
        show_figure(part)
    else:
        display(HTML(part))


def as_widget(parts: Sequence[Part]) -> w.Widget:
    """The parts as one widget: HTML strings as ``w.HTML``, figures in an ``Output``."""
    children: list[w.Widget] = [w.HTML(NOTE_STYLE)]
    for part in parts:
        if isinstance(part, Figure):
            out = w.Output()
            with out:
                show_figure(part)
            children.append(out)
        else:
            children.append(w.HTML(part))
    return w.VBox(children)


def show(parts: Sequence[Part], *, report_mode: bool, widget: w.Widget | None = None) -> None:
    """Show a step: the static parts in report mode, else the live ``widget`` (or the parts).

    Parameters
    ----------
    parts : sequence of str or Figure
        The step's static content (escaped HTML and figures), in order.
    report_mode : bool
        The notebook's parameter: True for a headless report (no kernel behind the page).
    widget : ipywidgets.Widget, optional
        The interactive twin shown when ``report_mode`` is False; default: ``parts`` as
        a widget.
    """
    if report_mode:
        display(HTML(NOTE_STYLE))
        for part in parts:
            _display_part(part)
        return
    display(widget if widget is not None else as_widget(parts))
