"""Goals: objectives, goal text, the goals table and saving goals (notebook 01).

Expected values come from the sample's files read independently (csv module), the data
contract's KPI list (data/README.md) and hand arithmetic in comments.
"""

from __future__ import annotations

import csv

import pytest

from roi_kit.case import Goal, get_kpi, load_case
from roi_kit.case import goals as case_goals
from roi_kit.measure import progress
from roi_kit.views import goals as goals_view
from tests.paths import SAMPLE_CASE


def _north_baseline(column: str) -> list[float]:
    with open(SAMPLE_CASE / "kpis.csv", newline="", encoding="utf-8") as fh:
        return [
            float(r[column])
            for r in csv.DictReader(fh)
            if r["region"] == "North" and "2022-01" <= r["month"] <= "2023-12"
        ]


# --- objectives and formatting ---------------------------------------------------------


def test_objectives_cover_each_standard_kpi_once():
    # data/README.md lists eleven standard KPI columns.
    standard = {
        "revenue",
        "deals_won",
        "avg_deal_size",
        "win_rate",
        "lead_conversion",
        "sales_cycle_days",
        "customers",
        "churned_customers",
        "csat",
        "operating_cost",
        "acquisition_cost",
    }
    listed = [k for o in case_goals.OBJECTIVES for k in o.kpis]
    assert sorted(listed) == sorted(standard)
    assert [o.label for o in case_goals.OBJECTIVES] == [
        "Sales growth",
        "Customer satisfaction",
        "Operational efficiency",
    ]
    assert case_goals.objective_of("sales_cycle_days") == "Operational efficiency"
    assert case_goals.objective_of("opportunities_closed") == "Other"


def test_format_change_and_target():
    change = case_goals.format_change
    assert change(0.05, get_kpi("win_rate")) == "+5.0 points"
    assert change(-5.49, get_kpi("sales_cycle_days")) == "-5.5 days"
    assert change(-1234.0, get_kpi("revenue"), "EUR") == "-EUR 1,234"
    assert change(48100.04, get_kpi("revenue"), "EUR") == "+EUR 48,100"
    assert change(float("nan"), get_kpi("csat")) == "n/a"
    goal = Goal("sales_cycle_days", -0.2, "relative", "lower")
    assert case_goals.format_target(goal, get_kpi("sales_cycle_days")) == "-20%"


# --- goals -------------------------------------------------------------------------------


def test_baseline_means_match_the_csv(sample_case):
    values = _north_baseline("win_rate")
    assert len(values) == 24
    assert progress.baseline_means(sample_case)["win_rate"] == pytest.approx(sum(values) / 24)


def test_goals_table_from_case_yml(sample_case):
    table = progress.goals_table(sample_case)
    # case.yml: win_rate +0.05 absolute, sales_cycle_days -0.20 relative, csat +0.3
    # absolute, churned_customers -0.10 relative.
    assert list(table["KPI"]) == ["win_rate", "sales_cycle_days", "csat", "churned_customers"]
    assert list(table["target"]) == [
        "+5.0 points (absolute)",
        "-20% (relative)",
        "+0.30 (absolute)",
        "-10% (relative)",
    ]
    cycle = _north_baseline("sales_cycle_days")
    base = sum(cycle) / len(cycle)
    meaning = table.loc[1, "what meeting it means"]
    assert meaning.startswith(f"Sales cycle at most {0.8 * base:,.1f} days")
    assert table.loc[0, "objective"] == "Sales growth"


def test_goals_table_flags_a_sign_slip(sample_case):
    slip = Goal("sales_cycle_days", 0.2, "relative", "lower")
    text = progress.goals_table(sample_case, [slip]).loc[0, "what meeting it means"]
    assert "sign slip" in text


def test_goals_html_escapes_and_notes_an_empty_list(sample_case):
    assert "<table" in goals_view.goals_html(sample_case)
    empty = goals_view.goals_html(sample_case, [])
    assert "roi-note" in empty and "no goals yet" in empty


def test_goals_headline(sample_case):
    assert case_goals.goals_headline(sample_case).splitlines() == [
        "goals: 4",
        "win_rate: +0.05 (absolute)",
        "sales_cycle_days: -0.2 (relative)",
        "csat: +0.3 (absolute)",
        "churned_customers: -0.1 (relative)",
    ]


def test_save_goals_refuses_the_sample_and_existing_files(sample_case, tmp_path):
    before = sorted(p.name for p in SAMPLE_CASE.iterdir())
    ok, message = case_goals.save_goals(sample_case, SAMPLE_CASE / "case_v2.yml", sample_case.goals)
    assert not ok and "sample case" in message
    assert sorted(p.name for p in SAMPLE_CASE.iterdir()) == before
    existing = tmp_path / "taken.yml"
    existing.write_text("x")
    ok, message = case_goals.save_goals(sample_case, existing, sample_case.goals)
    assert not ok and "already exists" in message and existing.read_text() == "x"
    assert case_goals.save_goals(sample_case, "  ", sample_case.goals)[0] is False


def test_save_goals_writes_a_loadable_case(sample_case, case_copy):
    goals = [Goal("csat", 0.5, "absolute", "higher"), Goal("revenue", 0.1, "relative", "higher")]
    ok, message = case_goals.save_goals(sample_case, case_copy / "case_v2.yml", goals)
    assert ok, message
    loaded = load_case(case_copy / "case_v2.yml")
    assert [(g.kpi, g.target, g.target_kind) for g in loaded.goals] == [
        ("csat", 0.5, "absolute"),
        ("revenue", 0.1, "relative"),
    ]


def test_save_goals_reports_an_invalid_goal(sample_case, tmp_path):
    ok, message = case_goals.save_goals(
        sample_case, tmp_path / "bad.yml", [Goal("sales_cycle_days", 0.2, "relative", "lower")]
    )
    assert not ok and message.startswith("Not saved")
    assert not (tmp_path / "bad.yml").exists()
