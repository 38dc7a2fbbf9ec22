"""The intangibles step's views: the qualitative scorecard as a table and a chart.

The source articles end their ROI method with the value a formula misses: customer
experience, data insight, a stronger sales team, team efficiency, long-term relationship
value. :mod:`roi_kit.money.intangibles` scores them (1-5, a weight, the evidence); this
module shows that scorecard (notebooks 08 and 10). The live panel that edits and saves the
scores is :mod:`roi_kit.widgets.intangibles`.

Item names and evidence notes are the user's text: the HTML table escapes them, and the chart
escapes ``$`` so matplotlib never reads a name as math. The score is never money: every view
says it is shown beside the ROI, never added to it.
"""

from __future__ import annotations

import html
import textwrap

import pandas as pd
from matplotlib.figure import Figure

from roi_kit.case import Case
from roi_kit.money import (
    DEFAULT_ITEMS,
    SCORE_MAX,
    SCORE_MIN,
    IntangibleItem,
    Scorecard,
    scorecard,
)
from roi_kit.views.style import PALETTE, new_figure, plain
from roi_kit.views.tables import table_html

__all__ = [
    "NOT_MONEY",
    "UNSCORED",
    "case_items",
    "scorecard_summary",
    "scorecard_table",
    "scorecard_table_html",
    "scorecard_summary_html",
    "scorecard_figure",
    "no_items_html",
    "no_items_text",
    "intangibles_headline",
]

#: The one sentence every view of the scorecard carries.
NOT_MONEY = "Not money: shown beside the ROI, never added to it"

#: Score a default item starts at when the case scores no intangibles yet (the midpoint).
UNSCORED = 3


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
        return tuple(IntangibleItem(name, UNSCORED, 1.0, "") for name in DEFAULT_ITEMS)
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
    >>> from roi_kit.money import scorecard
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
    return table_html(scorecard_table(card)) + scorecard_summary_html(card)


def scorecard_summary_html(card: Scorecard) -> str:
    """The weighted score, its label and :data:`NOT_MONEY`, as one escaped HTML line."""
    return (
        f"<p><b>Weighted score: {float(card.weighted_score):.2f} of 5 "
        f"({float(card.score_0_100):.1f} of 100), {html.escape(card.label)}.</b> "
        f"<i>{html.escape(NOT_MONEY)}.</i></p>"
    )


def _plain_text(text: str, width: int = 30) -> str:
    """User text for a matplotlib label: long text wrapped, then :func:`plain` (no math)."""
    wrapped = "\n".join(textwrap.wrap(text, width=width, max_lines=3, placeholder="...")) or text
    return plain(wrapped)


def scorecard_figure(card: Scorecard, *, title: str | None = None, ax=None) -> Figure:
    """Horizontal bars: each item's score (1-5) with its weight, and the weighted score.

    Parameters
    ----------
    card : Scorecard
    title : str, optional
        First title line; the second line is always :data:`NOT_MONEY`.
    ax : matplotlib.axes.Axes, optional
        Default: a new figure, 0.55 in per item tall.

    Returns
    -------
    Figure
        Items top to bottom in scorecard order. Bar opacity follows the item's share of the
        total weight; the text at each bar's end gives the score and weight; a dashed line
        marks the weighted score. Item names are shown as plain text (``$`` escaped).
    """
    t = card.table
    n = len(t)
    fig, ax = new_figure(ax, figsize=(8.0, 1.6 + 0.55 * n))
    y = list(range(n))[::-1]
    top = float(t["weight"].max())
    for yi, score, weight in zip(y, t["score"], t["weight"]):
        ax.barh(
            yi, score, color=PALETTE["treated"], alpha=0.35 + 0.55 * float(weight) / top, height=0.6
        )
        ax.text(
            score + 0.05,
            yi,
            f"{int(score)}  (weight {float(weight):g})",
            va="center",
            color=PALETTE["text"],
            fontsize=9,
            zorder=3,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
        )
    ws = float(card.weighted_score)
    ax.axvline(ws, color="black", linestyle="--", linewidth=1, zorder=2)
    ax.text(
        ws,
        n - 0.45,
        plain(f"weighted {ws:.2f} ({float(card.score_0_100):.0f}/100, {card.label})"),
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


def no_items_text(case: Case | None = None) -> list[str]:
    """What a case that scores no intangibles is missing, and what scoring them would add.

    Parameters
    ----------
    case : Case, optional
        Named in the first sentence when given.

    Returns
    -------
    list of str
        Plain sentences (escape before putting into HTML).
    """
    # Default items at the midpoint would read as a judgement nobody made: name them only.
    names = ", ".join(DEFAULT_ITEMS)
    who = f"{case.name!r}" if case is not None else "this case"
    return [
        f"Missing: {who} scores no intangibles yet (intangibles: in case.yml), so there is "
        "no weighted score.",
        "What it would add: a score from 1 to 5, a weight and the evidence for each value "
        f"the money leaves out (the source articles name {names}), shown beside the ROI "
        "and never added to it.",
    ]


def no_items_html(case: Case | None = None) -> str:
    """What a report says for a case that scores no intangibles yet (escaped HTML)."""
    return "".join(f"<p>{html.escape(t)}</p>" for t in no_items_text(case))


def intangibles_headline(case: Case) -> str:
    """The notebook's checked headline: the case's scorecard, or what is missing.

    Parameters
    ----------
    case : Case

    Returns
    -------
    str
        :func:`scorecard_summary` of the case's items; for a case with none,
        :func:`no_items_text` and :data:`NOT_MONEY` (never a score of default items).
    """
    if not case.intangibles:
        return "\n".join([*no_items_text(case), NOT_MONEY])
    return scorecard_summary(scorecard(case_items(case)))
