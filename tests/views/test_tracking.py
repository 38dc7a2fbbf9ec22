"""Tracking (notebook 04): goal progress, the true-effect check, the method table, charts.

Expected values: hand-built comparison rows (arithmetic in comments) and the sample's
``true_effects.yml`` numbers, copied here rather than read through the code under test.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from roi_kit.case import Goal, load_case
from roi_kit.case import facts as case_facts
from roi_kit.measure import compare_all, progress
from roi_kit.views import tracking as tracking_view


@pytest.fixture(scope="module")
def frame(sample_case):
    return compare_all(sample_case)


def _frame_row(change, low, high, baseline=10.0):
    return pd.DataFrame(
        [
            {
                "kpi": "csat",
                "method": "counterfactual",
                "baseline": baseline,
                "change": change,
                "low": low,
                "high": high,
            }
        ]
    )


@pytest.mark.parametrize(
    ("target", "kind", "change", "low", "high", "status"),
    [
        (0.3, "absolute", 0.5, 0.35, 0.65, "met ("),
        (0.3, "absolute", 0.35, 0.1, 0.6, "met by the estimate only"),
        (0.3, "absolute", 0.2, 0.1, 0.3, "not yet met"),
        (0.3, "absolute", 0.2, -0.1, 0.5, "no evidence"),
        (0.3, "absolute", -0.2, -0.3, -0.1, "moved the wrong way"),
        # relative: -10% of a baseline of 10 is a change of -1.
        (-0.1, "relative", -1.5, -2.0, -1.1, "met ("),
        (-0.1, "relative", -0.5, -0.9, -0.2, "not yet met"),
    ],
)
def test_goal_progress_status(sample_case, target, kind, change, low, high, status):
    direction = "higher" if target > 0 else "lower"
    one = dataclasses.replace(sample_case, goals=(Goal("csat", target, kind, direction),))
    table = progress.goal_progress(one, _frame_row(change, low, high))
    assert table.loc[0, "status"].startswith(status)


def test_goal_progress_share(sample_case):
    one = dataclasses.replace(sample_case, goals=(Goal("csat", 0.3, "absolute", "higher"),))
    table = progress.goal_progress(one, _frame_row(0.15, 0.05, 0.25))
    assert table.loc[0, "share of target"] == "50%"  # 0.15 / 0.30


def test_true_effects_of_the_sample(sample_case, case_copy):
    effects = case_facts.load_true_effects(sample_case)
    assert effects["win_rate"] == pytest.approx(0.026939)  # true_effects.yml
    assert effects["revenue"] == pytest.approx(48100.043889)
    (case_copy / "true_effects.yml").unlink()
    assert case_facts.load_true_effects(load_case(case_copy)) is None


def test_true_effect_check_can_say_no(sample_case):
    frame = pd.DataFrame(
        [
            {"kpi": "win_rate", "method": "counterfactual", "low": 0.03, "high": 0.05},
            {"kpi": "win_rate", "method": "did", "low": 0.01, "high": 0.05},
            {"kpi": "revenue", "method": "naive", "change": 40_000.0},
        ]
    )
    truth = {"win_rate": 0.026939, "revenue": 48100.04}
    text = progress.true_effect_check(frame, sample_case, truth, kpis=["win_rate"])
    assert text.splitlines() == [
        "win_rate: true average effect +2.7 points",
        "  inside the counterfactual 95% interval: no",
        "  inside the DiD 95% interval: yes",
        "revenue: naive estimate exceeds the true effect (trend bias): no",
    ]
    assert "no known true effects" in progress.true_effect_check(frame, sample_case, None)


def test_true_effect_check_on_the_sample(sample_case, frame):
    # The sample README: naive North revenue change +130,256 against a true +48,100.
    truth = case_facts.load_true_effects(sample_case)
    text = progress.true_effect_check(frame, sample_case, truth)
    assert text.endswith("(trend bias): yes")


def test_method_table_says_when_zero_is_inside(sample_case, frame):
    table = tracking_view.method_table(
        frame, sample_case, kpis=["operating_cost"], methods=["counterfactual"]
    )
    assert list(table["method"]) == [
        "Counterfactual (trend + season)",
        "Placebo check of the counterfactual",
    ]
    # operating_cost has a true effect of zero: its interval must be read as such.
    row = table.iloc[0]
    if row["excludes zero"].startswith("no"):
        assert "includes zero" in row["reading"]


def test_tracking_figure_labels(sample_case):
    lines = progress.tracking_lines(
        sample_case, "revenue", methods=("naive", "counterfactual", "did")
    )
    assert lines.fit is not None and lines.did_line is not None
    fig = tracking_view.tracking_figure(sample_case, lines)
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "95% prediction band (no CRM)" in labels
    assert "South (control, no CRM)" in labels
    assert "baseline mean (naive comparison)" in labels
    ax = fig.axes[0]
    assert "EUR" in ax.get_ylabel()
    assert any("go-live 2024-01" in t.get_text() for t in ax.texts)


def test_tracking_lines_leave_out_methods_not_asked_for(sample_case):
    lines = progress.tracking_lines(sample_case, "win_rate", methods=("naive",))
    assert lines.baseline_mean is not None
    assert lines.fit is None and lines.control is None and lines.did_line is None
