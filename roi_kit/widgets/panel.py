"""The one slider-panel helper: controls and output kept apart, the latest result on the panel.

Built on ipywidgets' own ``interactive_output`` (see the ipywidgets guide "Using Interact"):
the panel re-renders when any control changes; ``panel.result`` holds what the last render
computed, so tests and notebooks can read it without scraping HTML.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import ipywidgets as w

from roi_kit.widgets.display import Part, _display_part

__all__ = ["slider", "int_slider", "slider_panel"]

_STYLE = {"description_width": "14em"}


def slider(
    value: float,
    lo: float,
    hi: float,
    step: float,
    label: str,
    readout: str = ".2f",
    *,
    width: str = "36em",
    label_width: str = "14em",
) -> w.FloatSlider:
    """A float slider in the kit's layout (updates on release, not while dragging).

    ``value`` is clipped into ``[lo, hi]`` so a case value outside the range cannot break
    the widget.
    """
    return w.FloatSlider(
        value=min(max(value, lo), hi),
        min=lo,
        max=hi,
        step=step,
        readout_format=readout,
        description=label,
        style={"description_width": label_width},
        layout=w.Layout(width=width),
        continuous_update=False,
    )


def int_slider(
    value: int, lo: int, hi: int, label: str, *, width: str = "36em", label_width: str = "14em"
) -> w.IntSlider:
    """An integer slider in the kit's layout."""
    return w.IntSlider(
        value=min(max(value, lo), hi),
        min=lo,
        max=hi,
        description=label,
        style={"description_width": label_width},
        layout=w.Layout(width=width),
        continuous_update=False,
    )


def slider_panel(
    controls: Mapping[str, w.ValueWidget],
    render: Callable[..., tuple[object, Sequence[Part]]],
    *,
    header: Sequence[w.Widget] = (),
) -> w.VBox:
    """Controls on top, the rendered parts below, re-rendered on every change.

    Parameters
    ----------
    controls : mapping of str to ipywidgets value widget
        Keyword name -> control; ``render`` is called with ``name=control.value``.
    render : callable
        ``render(**values) -> (result, parts)``: the model result (kept on
        ``panel.result``) and the HTML strings and figures to show.
    header : sequence of ipywidgets.Widget
        Widgets shown between the controls and the output (a title, a note).

    Returns
    -------
    ipywidgets.VBox
        ``panel.children[0]`` is a VBox of the controls; ``panel.result`` the latest result.
    """
    panel = w.VBox()

    def update(**values) -> None:
        result, parts = render(**values)
        panel.result = result
        for part in parts:
            _display_part(part)

    out = w.interactive_output(update, dict(controls))
    panel.children = (w.VBox(list(controls.values())), *header, out)
    return panel
