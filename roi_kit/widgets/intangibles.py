"""The intangibles step's live panel (notebooks 08 and 10): score, add, remove, save.

Per item a row of sliders and a text box; a row to add an item of one's own; the score,
table and chart updating live; and a button that saves the items to a *new* ``case.yml``
through :func:`roi_kit.case.save_case_config`. The table and chart are
:mod:`roi_kit.views.intangibles`; in report mode they are shown statically.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from functools import partial
from pathlib import Path

import ipywidgets as w

from roi_kit.case import Case, load_case, save_case_config
from roi_kit.errors import RoiKitError
from roi_kit.money import SCORE_MAX, SCORE_MIN, IntangibleItem, items_to_config, scorecard
from roi_kit.views.intangibles import (
    UNSCORED,
    case_items,
    no_items_html,
    scorecard_figure,
    scorecard_summary_html,
    scorecard_table,
    scorecard_table_html,
)
from roi_kit.views.style import PALETTE
from roi_kit.views.tables import table_html
from roi_kit.widgets.display import show, show_figure

__all__ = ["save_items", "intangibles_panel", "show_intangibles"]

_STYLE = {"description_width": "4em"}

#: A row of the panel: (label, score, weight, evidence, remove button).
_Row = tuple[w.Label, w.IntSlider, w.FloatSlider, w.Text, w.Button]


def _resolve(case: Case, new_path: str | Path) -> Path:
    path = Path(new_path).expanduser()
    # A bare name is meant beside the case's tables, not beside the notebook.
    return path if path.is_absolute() else Path(case.path) / path


def save_items(case: Case, items: Iterable[IntangibleItem], new_path: str | Path) -> Path:
    """Save the items as the ``intangibles`` of a copy of the case's ``case.yml``.

    Parameters
    ----------
    case : Case
        The loaded case; its other settings are copied unchanged.
    items : iterable of IntangibleItem
    new_path : str or Path
        A new ``.yml`` file. A relative path is taken inside the case folder. It must not
        exist and must not be in the sample case (see :func:`roi_kit.case.save_case_config`).

    Returns
    -------
    Path
        The written file.

    Raises
    ------
    CaseError
        As :func:`roi_kit.case.save_case_config`: the file exists, is in the sample case,
        is not ``.yml``, or the result would not be valid (nothing is written then).
    """
    return save_case_config(
        case, _resolve(case, new_path), updates={"intangibles": items_to_config(items)}
    )


def _message(text: str, ok: bool) -> str:
    color = PALETTE["good"] if ok else PALETTE["bad"]
    return f'<p style="color:{color}; white-space:pre-wrap">{html.escape(text)}</p>'


def _save_message(case: Case, items: Sequence[IntangibleItem], new_path: str) -> str:
    if not new_path.strip():
        return _message(
            "Type a new file name first, e.g. case_v2.yml (saved in the case folder) or a "
            "full path into a folder holding a copy of the case's tables.",
            ok=False,
        )
    try:
        written = save_items(case, items, new_path.strip())
    except RoiKitError as exc:
        return _message(f"Not saved: {exc}", ok=False)
    try:
        load_case(written)
    except RoiKitError as exc:
        return _message(
            f"Saved to {written}, but it does not load there yet: {exc}\n"
            "Copy the case's tables (kpis.csv, costs.csv, adoption.csv) into that folder.",
            ok=False,
        )
    return _message(f"Saved to {written}. Load it with load_case({str(written)!r}).", ok=True)


def _score_slider(value: int, description: str = "Score") -> w.IntSlider:
    return w.IntSlider(
        value=value,
        min=SCORE_MIN,
        max=SCORE_MAX,
        description=description,
        style=_STYLE,
        layout=w.Layout(width="16em"),
        continuous_update=False,
    )


def _weight_slider(value: float) -> w.FloatSlider:
    return w.FloatSlider(
        value=value,
        min=0.1,
        max=max(3.0, value),
        step=0.1,
        description="Weight",
        readout_format=".1f",
        style=_STYLE,
        layout=w.Layout(width="16em"),
        continuous_update=False,
    )


def _evidence_box(value: str) -> w.Text:
    return w.Text(
        value=value,
        placeholder="what the score rests on",
        description="Evidence",
        style={"description_width": "5.5em"},
        layout=w.Layout(width="30em"),
        continuous_update=False,
    )


def _text_box(placeholder: str, description: str, width: str) -> w.Text:
    return w.Text(
        placeholder=placeholder,
        description=description,
        style={"description_width": "5em"},
        layout=w.Layout(width=width),
    )


def _build(panel: w.VBox) -> None:
    """The panel's widgets, as attributes, and its children in their fixed order."""
    panel.rows_box, panel.summary, panel.table_out = w.VBox(), w.HTML(), w.HTML()
    panel.fig_out, panel.add_message, panel.status = w.Output(), w.HTML(), w.HTML()
    panel.rows = []
    panel.add_name = _text_box(
        "an intangible of your own, e.g. brand reputation", "New item", "28em"
    )
    panel.add_score, panel.add_weight = _score_slider(UNSCORED), _weight_slider(1.0)
    panel.add_evidence = _evidence_box("")
    panel.add_button = w.Button(description="Add item", icon="plus")
    panel.path_box = _text_box(
        "new file, e.g. case_v2.yml (in the case folder) or a full path", "Save as", "40em"
    )
    panel.save_button = w.Button(description="Save to a new case file", icon="save")
    panel.save_button.layout.width = "16em"
    # Tests and notebooks find the live table at children[7] and messages at children[5].
    panel.children = [
        w.HTML("<b>Score each intangible</b> (1 = no improvement, 5 = transformed)"),
        panel.rows_box,
        w.HTML("<b>Add an intangible of your own</b>"),
        w.HBox([panel.add_name, panel.add_score]),
        w.HBox([panel.add_weight, panel.add_evidence, panel.add_button]),
        panel.add_message,
        panel.summary,
        panel.table_out,
        panel.fig_out,
        w.HTML("<b>Save these scores</b> (a new file; the case's own files are not changed)"),
        w.HBox([panel.path_box, panel.save_button]),
        panel.status,
    ]


def _current(panel: w.VBox) -> tuple[IntangibleItem, ...]:
    return tuple(
        IntangibleItem(label.value, score.value, weight.value, evidence.value)
        for label, score, weight, evidence, _ in panel.rows
    )


def _update(panel: w.VBox, case: Case, _change=None) -> None:
    """Rescore the current items and redraw the summary, table and chart."""
    panel.items = _current(panel)
    panel.fig_out.clear_output(wait=True)
    if not panel.items:
        panel.card = None
        panel.summary.value = _message("No items: add at least one to score.", ok=False)
        panel.table_out.value = ""
        return
    panel.card = scorecard(panel.items)
    panel.summary.value = scorecard_summary_html(panel.card)
    panel.table_out.value = table_html(scorecard_table(panel.card))
    with panel.fig_out:
        show_figure(scorecard_figure(panel.card, title=f"Intangible value: {case.name}"))


def _show_rows(panel: w.VBox) -> None:
    panel.rows_box.children = [w.HBox(list(r)) for r in panel.rows]


def _remove_row(panel: w.VBox, case: Case, row: _Row, _button=None) -> None:
    panel.rows.remove(row)
    _show_rows(panel)
    _update(panel, case)


def _add_row(panel: w.VBox, case: Case, item: IntangibleItem) -> None:
    label = w.Label(item.name, tooltip=item.name, layout=w.Layout(width="17em"))
    score, weight = _score_slider(int(item.score)), _weight_slider(float(item.weight))
    evidence = _evidence_box(item.evidence)
    remove = w.Button(description="Remove", layout=w.Layout(width="6em"))
    row = (label, score, weight, evidence, remove)
    for widget in (score, weight, evidence):
        widget.observe(partial(_update, panel, case), names="value")
    remove.on_click(partial(_remove_row, panel, case, row))
    panel.rows.append(row)
    _show_rows(panel)


def _on_add(panel: w.VBox, case: Case, _button=None) -> None:
    try:
        item = IntangibleItem(
            panel.add_name.value.strip(),
            panel.add_score.value,
            panel.add_weight.value,
            panel.add_evidence.value,
        )
        scorecard((*_current(panel), item))  # refuses a duplicate name, with the reason
    except RoiKitError as exc:
        panel.add_message.value = _message(f"Not added: {exc}", ok=False)
        return
    panel.add_message.value = ""
    panel.add_name.value = ""
    panel.add_evidence.value = ""
    _add_row(panel, case, item)
    _update(panel, case)


def _on_save(panel: w.VBox, case: Case, _button=None) -> None:
    panel.status.value = _save_message(case, _current(panel), panel.path_box.value)


def intangibles_panel(case: Case, items: Sequence[IntangibleItem] | None = None) -> w.Widget:
    """Score the intangibles live and save them to a new case file.

    Parameters
    ----------
    case : Case
        The loaded case (used for saving; its items are the start unless ``items`` is given).
    items : sequence of IntangibleItem, optional
        Starting items; default :func:`~roi_kit.views.intangibles.case_items`.

    Returns
    -------
    ipywidgets.Widget
        A VBox. Per item a row (name, score slider, weight slider, evidence box, remove
        button); an add row (``panel.add_name``, ``panel.add_score``, ``panel.add_button``);
        the weighted score, table and chart; and the save row (``panel.path_box``,
        ``panel.save_button``, ``panel.status``, which shows success or the error message).
        ``panel.items`` and ``panel.card`` hold the current items and
        :class:`~roi_kit.money.intangibles.Scorecard`; ``panel.rows`` the per-item widgets as
        ``(label, score, weight, evidence, remove)`` tuples.
    """
    panel = w.VBox()
    _build(panel)
    panel.add_button.on_click(partial(_on_add, panel, case))
    panel.save_button.on_click(partial(_on_save, panel, case))
    for item in case_items(case) if items is None else items:
        _add_row(panel, case, item)
    _update(panel, case)
    return panel


def show_intangibles(case: Case, *, report_mode: bool = False) -> None:
    """Display the intangibles step: the live panel, or in report mode the table and chart.

    Parameters
    ----------
    case : Case
        The loaded case.
    report_mode : bool
        True renders the escaped table, the weighted score and the chart as static output (for
        HTML reports with no kernel).
    """
    if not report_mode:
        show([], report_mode=False, widget=intangibles_panel(case))
        return
    if not case.intangibles:
        show([no_items_html(case)], report_mode=True)
        return
    card = scorecard(case_items(case))
    title = f"Intangible value: {case.name}"
    show([scorecard_table_html(card), scorecard_figure(card, title=title)], report_mode=True)
