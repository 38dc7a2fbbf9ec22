"""Tests for roi_kit.views.intangibles: the scorecard table and chart.

Expected scores are worked out by hand from data/sample_case/case.yml in the comments.
"""

from __future__ import annotations

import pytest
import yaml

from roi_kit.case import load_case
from roi_kit.money.intangibles import IntangibleItem, scorecard
from roi_kit.views.intangibles import (
    NOT_MONEY,
    case_items,
    scorecard_figure,
    scorecard_summary,
    scorecard_table_html,
)
from roi_kit.views.style import to_png
from tests.paths import SAMPLE_CASE

EVIL = "<script>alert(1)</script>"


@pytest.fixture
def own_case(case_copy):
    return load_case(case_copy)


def test_sample_items_and_summary_by_hand(sample_case):
    raw = yaml.safe_load((SAMPLE_CASE / "case.yml").read_text(encoding="utf-8"))["intangibles"]
    items = case_items(sample_case)
    assert [(i.name, i.score, i.weight) for i in items] == [
        (e["name"], e["score"], e["weight"]) for e in raw
    ]
    # (4x1 + 4x1 + 3x0.8 + 3x0.8 + 4x1) / (1 + 1 + 0.8 + 0.8 + 1) = 16.8 / 4.6 = 3.6522
    # 0-100: (3.6522 - 1) / 4 x 100 = 66.30; 3 <= 3.65 < 4 -> "moderate"
    assert scorecard_summary(scorecard(items)) == (
        "Weighted score (1-5): 3.65\nIndex (0-100): 66.3\nLabel: moderate\n" + NOT_MONEY
    )


def test_case_without_intangibles_starts_from_the_articles_items(own_case):
    import dataclasses

    bare = dataclasses.replace(own_case, intangibles=())
    items = case_items(bare)
    assert [i.name for i in items][:3] == [
        "customer experience",
        "data insight",
        "stronger sales team",
    ]
    assert len(items) == 5 and {i.score for i in items} == {3}


def test_table_escapes_user_text():
    card = scorecard([IntangibleItem(EVIL, 4, 1.0, '<img src=x onerror="alert(2)"> & co')])
    out = scorecard_table_html(card)
    assert "<script>" not in out and "<img" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&lt;img src=x" in out and "&amp; co" in out
    assert NOT_MONEY in out


def test_chart_shows_user_text_as_plain_text_with_weights_and_title():
    # "$\frac{" would be parsed as (broken) mathtext by matplotlib and fail to draw.
    name = r"costs $\frac{ and $5"
    card = scorecard([IntangibleItem(name, 2, 0.5), IntangibleItem(EVIL, 5, 1.5)])
    fig = scorecard_figure(card)
    ax = fig.axes[0]
    png = to_png(fig)  # draws every text: raises if a label were read as math
    assert png.startswith(b"\x89PNG")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert sorted(labels) == sorted([r"costs \$\frac{ and \$5", EVIL])
    texts = [t.get_text() for t in ax.texts]
    assert "2  (weight 0.5)" in texts and "5  (weight 1.5)" in texts
    # (2x0.5 + 5x1.5) / 2 = 4.25 -> (4.25 - 1) / 4 x 100 = 81.25 -> "81/100", "strong"
    assert "weighted 4.25 (81/100, strong)" in texts
    title = ax.get_title(loc="left")
    assert "not money" in title.lower() and "never added to it" in title


def test_chart_item_order_top_to_bottom():
    card = scorecard([IntangibleItem("first", 1), IntangibleItem("second", 5)])
    ax = scorecard_figure(card).axes[0]
    by_y = sorted(ax.get_yticklabels(), key=lambda t: -t.get_position()[1])
    assert [t.get_text() for t in by_y] == ["first", "second"]
