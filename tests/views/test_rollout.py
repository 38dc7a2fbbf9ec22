"""Adoption views (notebook 03): summary table, headline, figures and the gap sentence.

Expected values are the sample README's hand sums over ``adoption.csv`` (743 active of
1,080 seat-months = 68.8%; 80% first reached in 2024-09).
"""

from __future__ import annotations

import math

from matplotlib.figure import Figure

from roi_kit.measure import adoption as adopt
from roi_kit.views import rollout as rollout_view


def test_adoption_headline_matches_the_hand_sums(sample_case):
    assert rollout_view.adoption_headline(sample_case).splitlines() == [
        "mean adoption rate 2024-01 to 2025-06: 68.8%",
        "first month at 80% or more: 2024-09 (8 months after go-live)",
        "training coverage in the last month: 100%",
        "adoption warning (below 60%): none",
    ]


def test_adoption_summary_table(sample_case):
    table = rollout_view.adoption_summary_table(adopt.adoption_summary(sample_case))
    values = dict(zip(table["measure"], table["value"], strict=True))
    assert values["Mean adoption rate"] == "68.8% (2024-01 to 2025-06)"
    assert values["Latest adoption rate"] == "90.0% in 2025-06 (54 of 60 seats)"


def test_figures_are_figures(sample_case):
    uplift = adopt.uplift_vs_adoption(sample_case, "win_rate")
    for fig in (
        rollout_view.adoption_figure(sample_case),
        rollout_view.uplift_adoption_figure(sample_case, uplift),
    ):
        assert isinstance(fig, Figure) and fig.axes
    assert not math.isnan(uplift.slope)
    assert "fitted line gives" in rollout_view.uplift_words(sample_case, uplift)


def test_rollout_parts_note_a_refused_kpi(sample_case):
    summary = adopt.adoption_summary(sample_case)
    parts = rollout_view.rollout_parts(
        sample_case, summary, None, {"nope": adopt.AdoptionError("not a KPI column")}
    )
    assert any(isinstance(p, str) and "nope: not computed" in p for p in parts)
    assert any(isinstance(p, str) and "No adoption warning" in p for p in parts)
