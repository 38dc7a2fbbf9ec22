"""The intangibles step: the qualitative scorecard as a table, a chart and a live panel.

The source articles end their ROI method with the value a formula misses: customer
experience, data insight, a stronger sales team, team efficiency, long-term relationship
value. :mod:`roi_kit.money.intangibles` scores them (1-5, a weight, the evidence); this module shows
that scorecard in notebook ``08_intangibles``:

- :func:`scorecard_table_html` and :func:`scorecard_figure`: the static table and chart;
- :func:`intangibles_panel`: sliders and text boxes per item, a row to add an item of one's
  own, the score and chart updating live, and a button that saves the items to a *new*
  ``case.yml`` through :func:`roi_kit.case.config.save_case_config`;
- :func:`show_intangibles`: the panel, or in report mode the table and chart.

Item names and evidence notes are the user's text: the HTML table escapes them, and the chart
escapes ``$`` so matplotlib never reads a name as math. The score is never money: every view
says it is shown beside the ROI, never added to it.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Iterable, Sequence
from pathlib import Path

import ipywidgets as w
import pandas as pd
from IPython.display import HTML, display
from matplotlib.figure import Figure

from roi_kit.case import Case, load_case, save_case_config
from roi_kit.errors import RoiKitError
from roi_kit.money import (
    DEFAULT_ITEMS,
    SCORE_MAX,
    SCORE_MIN,
    IntangibleItem,
    Scorecard,
    items_to_config,
    scorecard,
)
from roi_kit.widgets.display import show_figure

__all__ = [
    "NOT_MONEY",
    "case_items",
    "scorecard_summary",
    "scorecard_table",
    "scorecard_table_html",
    "scorecard_figure",
    "save_items",
    "intangibles_panel",
    "show_intangibles",
]

#: The one sentence every view of the scorecard carries.
NOT_MONEY = "Not money: shown beside the ROI, never added to it"

#: Score a default item starts at when the case scores no intangibles yet (the midpoint).
_UNSCORED = 3

_BLUE = "#1f4e79"
_GREY = "#555555"
_STYLE = {"description_width": "4em"}
# Scoped to the scorecard table: text left-aligned and padded, in a widget as in a report.
# Two classes + two elements outrank JupyterLab's `:not(...).jp-RenderedHTMLCommon td`.
_TABLE_CSS = (
    "<style>table.dataframe.roi-kit-intangibles th, table.dataframe.roi-kit-intangibles td "
    "{text-align: left; padding: 0.25em 0.8em; vertical-align: top}</style>"
)


def case_items(case: Case) -> tuple[IntangibleItem, ...]:
    """The intangibles a case scores, as scorecard items.

    Parameters
    ----------
    case : Case
        A loaded case.

    Returns
    -------
    tuple of IntangibleItem
        The case's ``intangibles`` in file order. A case that scores none gets the five items
        the source articles name (:data:`~roi_kit.money.intangibles.DEFAULT_ITEMS`), each at score 3
        (the midpoint), weight 1 and no evidence, for the user to score.
    """
    if not case.intangibles:
        return tuple(IntangibleItem(name, _UNSCORED, 1.0, "") for name in DEFAULT_ITEMS)
    # load_case already checked each entry with IntangibleItem: whole scores, weights > 0.
    return tuple(
        IntangibleItem(i.name, int(i.score), float(i.weight), i.evidence) for i in case.intangibles
    )


def scorecard_summary(card: Scorecard) -> str:
    """The headline as short, stable text lines (used by the notebook's checked cell).

    Parameters
    ----------
    card : Scorecard

    Returns
    -------
    str
        Weighted score on the 1-5 scale (2 decimals), on the 0-100 index (1 decimal), the
        label, and :data:`NOT_MONEY`.

    Examples
    --------
    >>> card = scorecard([IntangibleItem("a", 4, 2.0), IntangibleItem("b", 2, 1.0)])
    >>> print(scorecard_summary(card))
    Weighted score (1-5): 3.33
    Index (0-100): 58.3
    Label: moderate
    Not money: shown beside the ROI, never added to it
    """
    return "\n".join(
        [
            f"Weighted score (1-5): {float(card.weighted_score):.2f}",
            f"Index (0-100): {float(card.score_0_100):.1f}",
            f"Label: {card.label}",
            NOT_MONEY,
        ]
    )


def scorecard_table(card: Scorecard) -> pd.DataFrame:
    """The scorecard's items with reader-facing column names.

    Parameters
    ----------
    card : Scorecard

    Returns
    -------
    pandas.DataFrame
        Columns ``Intangible``, ``Score (1-5)``, ``Weight``, ``Share of weight`` (percent
        text), ``Score x weight`` and ``Evidence``.
    """
    t = card.table
    total = float(t["weight"].sum())
    return pd.DataFrame(
        {
            "Intangible": t["name"].astype(str),
            "Score (1-5)": t["score"].astype(int),
            "Weight": [f"{v:g}" for v in t["weight"]],
            "Share of weight": [f"{v / total:.0%}" for v in t["weight"]],
            "Score x weight": [f"{v:.2f}" for v in t["weighted"]],
            "Evidence": t["evidence"].astype(str),
        }
    )


def scorecard_table_html(card: Scorecard) -> str:
    """The scorecard table as HTML, with the user's names and evidence escaped.

    Parameters
    ----------
    card : Scorecard

    Returns
    -------
    str
        An HTML ``<table>`` (``escape=True``: ``<script>`` in a name shows as text), followed
        by the weighted score and :data:`NOT_MONEY`.
    """
    return _table_html(card) + _summary_html(card)


def _table_html(card: Scorecard) -> str:
    table = scorecard_table(card).to_html(
        index=False, escape=True, border=0, classes="roi-kit-intangibles"
    )
    return _TABLE_CSS + table


def _summary_html(card: Scorecard) -> str:
    return (
        f"<p><b>Weighted score: {float(card.weighted_score):.2f} of 5 "
        f"({float(card.score_0_100):.1f} of 100), {html.escape(card.label)}.</b> "
        f"<i>{html.escape(NOT_MONEY)}.</i></p>"
    )


def _plain_text(text: str, width: int = 30) -> str:
    """User text for a matplotlib label: ``$`` escaped (never mathtext), long text wrapped."""
    wrapped = "\n".join(textwrap.wrap(text, width=width, max_lines=3, placeholder="...")) or text
    return wrapped.replace("$", r"\$")


def scorecard_figure(card: Scorecard, *, title: str | None = None) -> Figure:
    """Horizontal bars: each item's score (1-5) with its weight, and the weighted score.

    Parameters
    ----------
    card : Scorecard
    title : str, optional
        First title line; the second line is always :data:`NOT_MONEY`.

    Returns
    -------
    Figure
        Items top to bottom in scorecard order. Bar opacity follows the item's share of the
        total weight; the text at each bar's end gives the score and weight; a dashed line
        marks the weighted score. Item names are shown as plain text (``$`` escaped).
    """
    t = card.table
    n = len(t)
    fig = Figure(figsize=(8.0, 1.6 + 0.55 * n), layout="constrained")
    ax = fig.add_subplot()
    y = list(range(n))[::-1]
    top = float(t["weight"].max())
    for yi, score, weight in zip(y, t["score"], t["weight"]):
        ax.barh(yi, score, color=_BLUE, alpha=0.35 + 0.55 * float(weight) / top, height=0.6)
        ax.text(
            score + 0.05,
            yi,
            f"{int(score)}  (weight {float(weight):g})",
            va="center",
            color=_GREY,
            fontsize=9,
            zorder=3,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
        )
    ws = float(card.weighted_score)
    ax.axvline(ws, color="black", linestyle="--", linewidth=1, zorder=2)
    ax.text(
        ws,
        n - 0.45,
        f"weighted {ws:.2f} ({float(card.score_0_100):.0f}/100, {card.label})",
        ha="center",
        va="bottom",
        fontsize=9,
        zorder=3,
        bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
    )
    ax.set_yticks(y, [_plain_text(str(name)) for name in t["name"]])
    ax.set_xlim(0, SCORE_MAX + 1.0)
    ax.set_ylim(-0.6, n + 0.1)
    ax.set_xticks(range(SCORE_MIN, SCORE_MAX + 1))
    ax.set_xlabel("Score: 1 = no improvement, 3 = somewhat better, 5 = transformed")
    ax.grid(axis="x", alpha=0.3)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    first = _plain_text(title, width=80) if title else "Intangible value scorecard"
    ax.set_title(f"{first}\n{NOT_MONEY}", loc="left", fontsize=11, fontweight="bold")
    return fig


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
        exist and must not be in the sample case (see :func:`roi_kit.case.config.save_case_config`).

    Returns
    -------
    Path
        The written file.

    Raises
    ------
    CaseError
        As :func:`roi_kit.case.config.save_case_config`: the file exists, is in the sample case,
        is not
        ``.yml``, or the result would not be valid (nothing is written then).
    """
    return save_case_config(
        case, _resolve(case, new_path), updates={"intangibles": items_to_config(items)}
    )


def _message(text: str, ok: bool) -> str:
    color = "#2e7d32" if ok else "#c62828"
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


def intangibles_panel(case: Case, items: Sequence[IntangibleItem] | None = None) -> w.Widget:
    """Score the intangibles live and save them to a new case file.

    Parameters
    ----------
    case : Case
        The loaded case (used for saving; its items are the start unless ``items`` is given).
    items : sequence of IntangibleItem, optional
        Starting items; default :func:`case_items`.

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
    start = tuple(case_items(case) if items is None else items)
    rows_box = w.VBox()
    summary = w.HTML()
    table_out = w.HTML()
    fig_out = w.Output()
    add_message = w.HTML()
    status = w.HTML()
    rows: list[tuple[w.Label, w.IntSlider, w.FloatSlider, w.Text, w.Button]] = []

    add_name = w.Text(
        placeholder="an intangible of your own, e.g. brand reputation",
        description="New item",
        style={"description_width": "5em"},
        layout=w.Layout(width="28em"),
    )
    add_score = _score_slider(_UNSCORED)
    add_weight = _weight_slider(1.0)
    add_evidence = _evidence_box("")
    add_button = w.Button(description="Add item", icon="plus")
    path_box = w.Text(
        placeholder="new file, e.g. case_v2.yml (in the case folder) or a full path",
        description="Save as",
        style={"description_width": "5em"},
        layout=w.Layout(width="40em"),
    )
    save_button = w.Button(description="Save to a new case file", icon="save")
    save_button.layout.width = "16em"

    panel = w.VBox(
        [
            w.HTML("<b>Score each intangible</b> (1 = no improvement, 5 = transformed)"),
            rows_box,
            w.HTML("<b>Add an intangible of your own</b>"),
            w.HBox([add_name, add_score]),
            w.HBox([add_weight, add_evidence, add_button]),
            add_message,
            summary,
            table_out,
            fig_out,
            w.HTML("<b>Save these scores</b> (a new file; the case's own files are not changed)"),
            w.HBox([path_box, save_button]),
            status,
        ]
    )
    panel.rows = rows
    panel.add_name, panel.add_score, panel.add_weight = add_name, add_score, add_weight
    panel.add_evidence, panel.add_button = add_evidence, add_button
    panel.path_box, panel.save_button, panel.status = path_box, save_button, status

    def current() -> tuple[IntangibleItem, ...]:
        return tuple(
            IntangibleItem(label.value, score.value, weight.value, evidence.value)
            for label, score, weight, evidence, _ in rows
        )

    def update(_change=None) -> None:
        panel.items = current()
        fig_out.clear_output(wait=True)
        if not panel.items:
            panel.card = None
            summary.value = _message("No items: add at least one to score.", ok=False)
            table_out.value = ""
            return
        panel.card = scorecard(panel.items)
        summary.value = _summary_html(panel.card)
        table_out.value = _table_html(panel.card)
        with fig_out:
            show_figure(scorecard_figure(panel.card, title=f"Intangible value: {case.name}"))

    def add_row(item: IntangibleItem) -> None:
        label = w.Label(item.name, tooltip=item.name, layout=w.Layout(width="17em"))
        score = _score_slider(int(item.score))
        weight = _weight_slider(float(item.weight))
        evidence = _evidence_box(item.evidence)
        remove = w.Button(description="Remove", layout=w.Layout(width="6em"))
        row = (label, score, weight, evidence, remove)
        for widget in (score, weight, evidence):
            widget.observe(update, names="value")

        def on_remove(_button) -> None:
            rows.remove(row)
            rows_box.children = [w.HBox(list(r)) for r in rows]
            update()

        remove.on_click(on_remove)
        rows.append(row)
        rows_box.children = [w.HBox(list(r)) for r in rows]

    def on_add(_button) -> None:
        try:
            item = IntangibleItem(
                add_name.value.strip(), add_score.value, add_weight.value, add_evidence.value
            )
            scorecard((*current(), item))  # refuses a duplicate name, with the reason
        except RoiKitError as exc:
            add_message.value = _message(f"Not added: {exc}", ok=False)
            return
        add_message.value = ""
        add_name.value = ""
        add_evidence.value = ""
        add_row(item)
        update()

    def on_save(_button) -> None:
        status.value = _save_message(case, current(), path_box.value)

    add_button.on_click(on_add)
    save_button.on_click(on_save)
    for item in start:
        add_row(item)
    update()
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
        display(intangibles_panel(case))
        return
    if not case.intangibles:
        # Default items at the midpoint would read as a judgement nobody made.
        names = ", ".join(html.escape(name) for name in DEFAULT_ITEMS)
        display(
            HTML(
                "<p>This case scores no intangibles yet (<code>intangibles</code> in case.yml). "
                f"The source articles name: {names}.</p>"
            )
        )
        return
    card = scorecard(case_items(case))
    display(HTML(scorecard_table_html(card)))
    show_figure(scorecard_figure(card, title=f"Intangible value: {case.name}"))
