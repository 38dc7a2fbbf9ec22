"""Tables, statements and panels of the measurement notebooks.

Expected values come from the sample's files read independently (csv module, yaml), the
data contract's KPI list (data/README.md) and hand arithmetic in comments.
"""

from __future__ import annotations

import csv
import dataclasses
import math
import shutil
from pathlib import Path

import ipywidgets as w
import pandas as pd
import pytest

from roi_kit.case.config import Goal, load_case
from roi_kit.case.kpis import get_kpi
from roi_kit.measure.compare import compare_all
from roi_kit.views import measure_views as mv

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample_case"


@pytest.fixture(scope="module")
def case():
    return load_case(SAMPLE)


@pytest.fixture(scope="module")
def frame(case):
    return compare_all(case)


def _north_baseline(column: str) -> list[float]:
    with open(SAMPLE / "kpis.csv", newline="", encoding="utf-8") as fh:
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
    listed = [k for o in mv.OBJECTIVES for k in o.kpis]
    assert sorted(listed) == sorted(standard)
    assert [o.label for o in mv.OBJECTIVES] == [
        "Sales growth",
        "Customer satisfaction",
        "Operational efficiency",
    ]
    assert mv.objective_of("sales_cycle_days") == "Operational efficiency"
    assert mv.objective_of("opportunities_closed") == "Other"


def test_format_change_and_target():
    assert mv.format_change(0.05, get_kpi("win_rate")) == "+5.0 points"
    assert mv.format_change(-5.49, get_kpi("sales_cycle_days")) == "-5.5 days"
    assert mv.format_change(-1234.0, get_kpi("revenue"), "EUR") == "-EUR 1,234"
    assert mv.format_change(48100.04, get_kpi("revenue"), "EUR") == "+EUR 48,100"
    assert mv.format_change(float("nan"), get_kpi("csat")) == "n/a"
    goal = Goal("sales_cycle_days", -0.2, "relative", "lower")
    assert mv.format_target(goal, get_kpi("sales_cycle_days")) == "-20%"


# --- goals -------------------------------------------------------------------------------


def test_baseline_means_match_the_csv(case):
    values = _north_baseline("win_rate")
    assert len(values) == 24
    assert mv.baseline_means(case)["win_rate"] == pytest.approx(sum(values) / 24)


def test_goals_table_from_case_yml(case):
    table = mv.goals_table(case)
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


def test_goals_table_flags_a_sign_slip(case):
    slip = Goal("sales_cycle_days", 0.2, "relative", "lower")
    text = mv.goals_table(case, [slip]).loc[0, "what meeting it means"]
    assert "sign slip" in text


def test_goals_headline(case):
    assert mv.goals_headline(case).splitlines() == [
        "goals: 4",
        "win_rate: +0.05 (absolute)",
        "sales_cycle_days: -0.2 (relative)",
        "csat: +0.3 (absolute)",
        "churned_customers: -0.1 (relative)",
    ]


def test_save_goals_refuses_the_sample_and_existing_files(case, tmp_path):
    before = sorted(p.name for p in SAMPLE.iterdir())
    ok, message = mv.save_goals(case, SAMPLE / "case_v2.yml", case.goals)
    assert not ok and "sample case" in message
    assert sorted(p.name for p in SAMPLE.iterdir()) == before
    existing = tmp_path / "taken.yml"
    existing.write_text("x")
    ok, message = mv.save_goals(case, existing, case.goals)
    assert not ok and "already exists" in message and existing.read_text() == "x"
    assert mv.save_goals(case, "  ", case.goals)[0] is False


def test_save_goals_writes_a_loadable_case(case, tmp_path):
    folder = tmp_path / "my_case"
    shutil.copytree(SAMPLE, folder)
    goals = [Goal("csat", 0.5, "absolute", "higher"), Goal("revenue", 0.1, "relative", "higher")]
    ok, message = mv.save_goals(case, folder / "case_v2.yml", goals)
    assert ok, message
    loaded = load_case(folder / "case_v2.yml")
    assert [(g.kpi, g.target, g.target_kind) for g in loaded.goals] == [
        ("csat", 0.5, "absolute"),
        ("revenue", 0.1, "relative"),
    ]


def test_save_goals_reports_an_invalid_goal(case, tmp_path):
    ok, message = mv.save_goals(
        case, tmp_path / "bad.yml", [Goal("sales_cycle_days", 0.2, "relative", "lower")]
    )
    assert not ok and message.startswith("Not saved")
    assert not (tmp_path / "bad.yml").exists()


# --- baseline ----------------------------------------------------------------------------


def test_baseline_facts_on_the_sample(case):
    facts = mv.baseline_facts(case)
    assert facts.months == 24 and facts.calendar_months == 12  # 2022-01..2023-12
    assert facts.seasonal and facts.has_control and facts.control == "South"
    assert facts.control_months == 24
    assert facts.quality_score == 100
    assert mv.baseline_headline(case).splitlines()[1] == "baseline months: 24 (2022-01 to 2023-12)"


def test_short_baseline_statement_says_what_it_cannot_do(case):
    short = dataclasses.replace(
        case, baseline=(pd.Period("2023-06", "M"), pd.Period("2023-12", "M"))
    )
    facts = mv.baseline_facts(short)
    assert facts.months == 7 and not facts.seasonal
    text = " ".join(mv.baseline_statement(facts))
    assert "under the 12 months" in text and "trend only" in text


def test_statement_without_control(case):
    alone = dataclasses.replace(case, groups=None, kpis=case.kpis[case.kpis.region == "North"])
    text = " ".join(mv.baseline_statement(mv.baseline_facts(alone)))
    assert "There is no control group" in text


def test_baseline_table_units(case):
    table = mv.baseline_table(case)
    row = table[table["KPI"] == "Revenue"].iloc[0]
    assert row["unit"] == "EUR" and row["North mean"].startswith("EUR ")
    assert row["months"] == "24"
    values = _north_baseline("win_rate")
    win = table[table["KPI"] == "Win rate"].iloc[0]
    assert win["North mean"] == f"{sum(values) / 24 * 100:.1f}%"


# --- tracking ----------------------------------------------------------------------------


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
def test_goal_progress_status(case, target, kind, change, low, high, status):
    direction = "higher" if target > 0 else "lower"
    one = dataclasses.replace(case, goals=(Goal("csat", target, kind, direction),))
    table = mv.goal_progress(one, _frame_row(change, low, high))
    assert table.loc[0, "status"].startswith(status)


def test_goal_progress_share(case):
    one = dataclasses.replace(case, goals=(Goal("csat", 0.3, "absolute", "higher"),))
    table = mv.goal_progress(one, _frame_row(0.15, 0.05, 0.25))
    assert table.loc[0, "share of target"] == "50%"  # 0.15 / 0.30


def test_true_effects_of_the_sample(case, tmp_path):
    effects = mv.load_true_effects(case)
    assert effects["win_rate"] == pytest.approx(0.026939)  # true_effects.yml
    assert effects["revenue"] == pytest.approx(48100.043889)
    copy = tmp_path / "c"
    shutil.copytree(SAMPLE, copy)
    (copy / "true_effects.yml").unlink()
    assert mv.load_true_effects(load_case(copy)) is None


def test_true_effect_check_can_say_no(case):
    frame = pd.DataFrame(
        [
            {"kpi": "win_rate", "method": "counterfactual", "low": 0.03, "high": 0.05},
            {"kpi": "win_rate", "method": "did", "low": 0.01, "high": 0.05},
            {"kpi": "revenue", "method": "naive", "change": 40_000.0},
        ]
    )
    truth = {"win_rate": 0.026939, "revenue": 48100.04}
    text = mv.true_effect_check(frame, case, truth, kpis=["win_rate"])
    assert text.splitlines() == [
        "win_rate: true average effect +2.7 points",
        "  inside the counterfactual 95% interval: no",
        "  inside the DiD 95% interval: yes",
        "revenue: naive estimate exceeds the true effect (trend bias): no",
    ]
    assert "no known true effects" in mv.true_effect_check(frame, case, None)


def test_true_effect_check_on_the_sample(case, frame):
    # The sample README: naive North revenue change +130,256 against a true +48,100.
    text = mv.true_effect_check(frame, case, mv.load_true_effects(case))
    assert text.endswith("(trend bias): yes")


def test_method_table_says_when_zero_is_inside(case, frame):
    table = mv.method_table(frame, case, kpis=["operating_cost"], methods=["counterfactual"])
    assert list(table["method"]) == [
        "Counterfactual (trend + season)",
        "Placebo check of the counterfactual",
    ]
    # operating_cost has a true effect of zero: its interval must be read as such.
    row = table.iloc[0]
    if row["excludes zero"].startswith("no"):
        assert "includes zero" in row["reading"]


def test_tracking_figure_labels(case):
    fig = mv.tracking_figure(case, "revenue", methods=("naive", "counterfactual", "did"))
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "95% prediction band (no CRM)" in labels
    assert "South (control, no CRM)" in labels
    assert "baseline mean (naive comparison)" in labels
    ax = fig.axes[0]
    assert "EUR" in ax.get_ylabel()
    assert any("go-live 2024-01" in t.get_text() for t in ax.texts)


# --- panels: widgets interactive, static output in report mode -----------------------------


def test_goals_panel_interactive_save_flow(case, tmp_path):
    panel = mv.goals_panel(case)
    assert isinstance(panel, w.Widget)
    assert sorted(g.kpi for g in panel.current_goals()) == sorted(g.kpi for g in case.goals)
    panel.rows["win_rate"][0].value = False
    assert len(panel.current_goals()) == 3
    panel.path_text.value = str(SAMPLE / "case_new.yml")
    panel.save_button.click()
    assert "sample case" in panel.status.value and "roi-warn" in panel.status.value
    assert not (SAMPLE / "case_new.yml").exists()
    folder = tmp_path / "mine"
    shutil.copytree(SAMPLE, folder)
    panel.path_text.value = str(folder / "case_v2.yml")
    panel.save_button.click()
    assert "Saved 3 goal(s)" in panel.status.value
    assert len(load_case(folder / "case_v2.yml").goals) == 3


@pytest.mark.parametrize(
    "panel",
    [mv.goals_panel, mv.quality_panel, mv.baseline_panel, mv.rollout_panel, mv.tracking_panel],
    ids=lambda f: f.__name__,
)
def test_panels_widget_and_report_mode(case, frame, panel, capsys):
    extra = {"frame": frame} if panel is mv.tracking_panel else {}
    widget = panel(case, report_mode=False, **extra)
    assert isinstance(widget, w.Widget)
    assert panel(case, report_mode=True, **extra) is None
    out = capsys.readouterr().out
    assert "Traceback" not in out


def test_rollout_panel_warning_reacts_to_the_slider(case):
    panel = mv.rollout_panel(case)
    slider = panel.children[0].children[0].children[0]
    slider.value = 0.75
    html_parts = [c.value for c in panel.children[1].children if isinstance(c, w.HTML)]
    assert any("too low" in h for h in html_parts)


def test_figures_are_figures(case):
    uplift = mv.adopt.uplift_vs_adoption(case, "win_rate")
    for fig in (
        mv.baseline_figure(case),
        mv.adoption_figure(case),
        mv.uplift_adoption_figure(case, uplift),
        mv.kpi_history_figure(case, "csat"),
    ):
        assert fig.axes
    assert not math.isnan(uplift.slope)
