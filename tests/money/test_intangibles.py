"""Tests for roi_kit.money.intangibles: the qualitative scorecard.

Weighted scores are computed by hand in the comments.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from roi_kit.errors import CaseError
from roi_kit.money.intangibles import (
    DEFAULT_ITEMS,
    IntangibleItem,
    Score,
    Scorecard,
    items_from_config,
    items_to_config,
    scorecard,
)

ITEMS = [
    IntangibleItem("customer experience", 4, 2.0, "NPS up from 31 to 38"),
    IntangibleItem("data insight", 5, 1.0, "weekly pipeline review now uses CRM reports"),
    IntangibleItem("stronger sales team", 2, 1.0, ""),
]


def test_default_items_cover_the_articles_intangibles():
    assert list(DEFAULT_ITEMS) == [
        "customer experience",
        "data insight",
        "stronger sales team",
        "team efficiency and collaboration",
        "long-term relationship value",
    ]
    for description in DEFAULT_ITEMS.values():
        assert description and "\n" not in description
    with pytest.raises(TypeError):
        DEFAULT_ITEMS["x"] = "y"  # read-only


def test_weighted_score_by_hand():
    card = scorecard(ITEMS)
    # sum(score * weight) = 4*2 + 5*1 + 2*1 = 15; sum(weight) = 4; 15 / 4 = 3.75
    assert float(card.weighted_score) == 3.75
    # (3.75 - 1) / 4 * 100 = 68.75
    assert float(card.score_0_100) == 68.75
    assert card.label == "moderate"
    assert list(card.table.columns) == ["name", "score", "weight", "weighted", "evidence"]
    assert list(card.table["name"]) == [i.name for i in ITEMS]
    assert list(card.table["weighted"]) == [8.0, 5.0, 2.0]
    assert list(card.table["evidence"])[0] == "NPS up from 31 to 38"


@pytest.mark.parametrize(
    ("scores", "weights", "ws", "index", "label"),
    [
        # (5*1 + 4*3) / 4 = 17/4 = 4.25 -> (3.25/4)*100 = 81.25, strong
        ([5, 4], [1.0, 3.0], 4.25, 81.25, "strong"),
        # exactly 4 -> 75, strong (threshold inclusive)
        ([4, 4], [1.0, 1.0], 4.0, 75.0, "strong"),
        # exactly 3 -> 50, moderate (threshold inclusive)
        ([2, 4], [1.0, 1.0], 3.0, 50.0, "moderate"),
        # (1*3 + 5*1) / 4 = 2 -> 25, weak
        ([1, 5], [3.0, 1.0], 2.0, 25.0, "weak"),
        ([1], [0.5], 1.0, 0.0, "weak"),
        ([5], [7.0], 5.0, 100.0, "strong"),
    ],
)
def test_weighted_score_and_label_table(scores, weights, ws, index, label):
    items = [
        IntangibleItem(f"item {i}", s, w)
        for i, (s, w) in enumerate(zip(scores, weights, strict=True))
    ]
    card = scorecard(items)
    assert float(card.weighted_score) == pytest.approx(ws)
    assert float(card.score_0_100) == pytest.approx(index)
    assert card.label == label


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 5), st.floats(0.01, 100, allow_nan=False)),
        min_size=1,
        max_size=8,
    )
)
def test_weighted_score_is_a_weighted_mean_on_the_scale(pairs):
    card = scorecard([IntangibleItem(f"i{k}", s, w) for k, (s, w) in enumerate(pairs)])
    scores = [s for s, _ in pairs]
    weights = [w for _, w in pairs]
    assert float(card.weighted_score) == pytest.approx(np.average(scores, weights=weights))
    assert min(scores) - 1e-9 <= float(card.weighted_score) <= max(scores) + 1e-9
    assert -1e-9 <= float(card.score_0_100) <= 100 + 1e-9


def test_equal_weights_give_the_plain_mean():
    card = scorecard([IntangibleItem("a", 3), IntangibleItem("b", 4), IntangibleItem("c", 5)])
    assert float(card.weighted_score) == 4.0  # (3 + 4 + 5) / 3


@pytest.mark.parametrize(
    ("kwargs", "fragments"),
    [
        ({"name": "data insight", "score": 6}, ["'data insight'", "1 to 5", "found 6"]),
        ({"name": "data insight", "score": 0}, ["'data insight'", "1 to 5"]),
        ({"name": "data insight", "score": 3.5}, ["'data insight'", "whole number"]),
        ({"name": "data insight", "score": True}, ["'data insight'", "whole number"]),
        ({"name": "data insight", "score": 3, "weight": 0}, ["'data insight'", "weight", "Fix"]),
        ({"name": "data insight", "score": 3, "weight": -1.0}, ["weight", "positive"]),
        ({"name": "data insight", "score": 3, "weight": float("nan")}, ["weight"]),
        ({"name": "", "score": 3}, ["empty name", "Fix"]),
        ({"name": "   ", "score": 3}, ["empty name"]),
        ({"name": "data insight", "score": 3, "evidence": 12}, ["evidence", "text"]),
    ],
)
def test_bad_items_are_refused_with_name_and_fix(kwargs, fragments):
    with pytest.raises(CaseError) as info:
        IntangibleItem(**kwargs)
    for fragment in fragments:
        assert fragment in str(info.value)


def test_duplicates_and_empty_scorecards_are_refused():
    with pytest.raises(CaseError) as info:
        scorecard([IntangibleItem("Data insight", 3), IntangibleItem("data insight ", 4)])
    message = str(info.value)
    assert "listed twice" in message and "items 1 and 2" in message and "Fix" in message
    with pytest.raises(CaseError, match="no items"):
        scorecard([])
    with pytest.raises(CaseError, match="not an IntangibleItem"):
        scorecard([{"name": "x", "score": 3}])


def test_score_cannot_be_added_to_money():
    card = scorecard(ITEMS)
    npv = 125_000.0
    for attempt in (
        lambda: npv + card.weighted_score,
        lambda: card.weighted_score + npv,
        lambda: card.score_0_100 * 1000,
        lambda: npv - card.score_0_100,
        lambda: np.float64(npv) + card.weighted_score,
        lambda: np.array([npv]) + card.weighted_score,
        lambda: sum([card.weighted_score]),
    ):
        with pytest.raises(TypeError, match="not money"):
            attempt()
    with pytest.raises(TypeError):
        card + npv  # the scorecard itself has no arithmetic at all
    # Still readable and comparable, and float() is the deliberate way out.
    assert f"{card.weighted_score:.2f}" == "3.75"
    assert card.weighted_score > 3
    assert float(card.weighted_score) + 1 == 4.75
    # No field of the scorecard is a currency amount.
    fields = {f.name for f in dataclasses.fields(Scorecard)}
    assert fields == {"table", "weighted_score", "score_0_100", "label"}
    assert isinstance(card.weighted_score, Score)


def test_scorecard_is_frozen():
    card = scorecard(ITEMS)
    with pytest.raises(dataclasses.FrozenInstanceError):
        card.label = "strong"


def test_config_round_trip_through_yaml():
    config = items_to_config(ITEMS)
    assert config[0] == {
        "name": "customer experience",
        "score": 4,
        "weight": 2.0,
        "evidence": "NPS up from 31 to 38",
    }
    text = yaml.safe_dump({"intangibles": config}, allow_unicode=True)
    back = items_from_config(yaml.safe_load(text)["intangibles"])
    assert back == tuple(ITEMS)
    assert float(scorecard(back).weighted_score) == 3.75


def test_items_from_config_defaults_and_whole_float_scores():
    items = items_from_config([{"name": "data insight", "score": 4.0}])
    assert items == (IntangibleItem("data insight", 4, 1.0, ""),)
    assert type(items[0].score) is int


@pytest.mark.parametrize(
    ("config", "fragments"),
    [
        ("customer experience", ["list of items"]),
        ({"name": "x", "score": 3}, ["list of items"]),
        ([["x", 3]], ["intangible item 1", "mapping"]),
        ([{"name": "x"}], ["intangible item 1 ('x')", "missing score"]),
        ([{"score": 3}], ["intangible item 1", "missing name"]),
        ([{"name": "x", "score": 3, "colour": "red"}], ["unknown key", "colour"]),
        ([{"name": "x", "score": 3}, {"name": "y", "score": 9}], ["'y'", "1 to 5"]),
        ([{"name": "x", "score": 3}, {"name": "X", "score": 4}], ["listed twice"]),
    ],
)
def test_items_from_config_refuses_bad_entries(config, fragments):
    with pytest.raises(CaseError) as info:
        items_from_config(config)
    for fragment in fragments:
        assert fragment in str(info.value)
