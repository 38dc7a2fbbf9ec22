"""Optional tables are optional (issue 14, item 2): no adoption table, no control group, no
scenarios, no intangibles, no goals - the study, the summary and the step views still work,
and the productivity line is counted only from users and hours the case states.

The generated cases are copies of the sample with parts removed (:func:`make_case`); the
report test (tests/report/test_optional_report.py) builds reports on the same cases.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

import roi_kit as rk
from roi_kit import cli
from roi_kit.case import quality
from roi_kit.study import readout
from roi_kit.study import run as run_module
from roi_kit.study.inputs import HOURS_NOT_SET, NO_USERS
from roi_kit.views import goals as goals_view
from roi_kit.views import intangibles as intangible_views
from roi_kit.views import rollout as rollout_view
from tests.paths import SAMPLE_CASE
from tests.study.hand_tables import sample_measurement

__all__ = ["make_case"]

DRAWS = 500


def make_case(
    folder: Path,
    *,
    adoption: bool = True,
    control: bool = True,
    scenarios: bool = True,
    intangibles: bool = True,
    goals: bool = True,
    assumptions: dict | None = None,
    drop_assumptions: tuple[str, ...] = (),
) -> Path:
    """A copy of the sample case with the named parts removed (or assumptions changed).

    ``control=False`` keeps only the treated (North) rows and drops the group column and
    ``groups``; ``adoption=False`` leaves out adoption.csv and its ``files:`` entry.
    """
    folder.mkdir(parents=True)
    cfg = yaml.safe_load((SAMPLE_CASE / "case.yml").read_text(encoding="utf-8"))
    shutil.copy(SAMPLE_CASE / "costs.csv", folder / "costs.csv")
    kpis = pd.read_csv(SAMPLE_CASE / "kpis.csv", dtype=str)
    if not control:
        kpis = kpis[kpis["region"] == "North"].drop(columns="region")
        del cfg["groups"]
    kpis.to_csv(folder / "kpis.csv", index=False)
    if adoption:
        shutil.copy(SAMPLE_CASE / "adoption.csv", folder / "adoption.csv")
    else:
        del cfg["files"]["adoption"]
    for key, keep in (("scenarios", scenarios), ("intangibles", intangibles), ("goals", goals)):
        if not keep:
            del cfg[key]
    cfg["assumptions"].update(assumptions or {})
    for name in drop_assumptions:
        cfg["assumptions"].pop(name)
        for scenario in (cfg.get("scenarios") or {}).values():
            scenario.get("assumptions", {}).pop(name, None)
    (folder / "case.yml").write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")
    return folder


def _study_on(case, comparison):
    """``run_study`` measuring with a hand-built comparison table."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(run_module, "compare_all", lambda case, seed=0: comparison.copy())
        return rk.run_study(case, n=DRAWS)


def _line(study, kind):
    return next(ln for ln in study.result.lines if ln.kind == kind)


@pytest.fixture(scope="module")
def bare(tmp_path_factory):
    """No adoption table, no scenarios, no intangibles, no goals."""
    folder = tmp_path_factory.mktemp("optional") / "bare"
    make_case(folder, adoption=False, scenarios=False, intangibles=False, goals=False)
    return rk.load_case(folder)


@pytest.fixture(scope="module")
def bare_study(bare):
    # A fixed measurement in which revenue counts: the comparison with the sample's lines
    # below needs a counted line besides productivity.
    return _study_on(bare, sample_measurement())


@pytest.fixture(scope="module")
def sample_study(sample_case):
    return _study_on(sample_case, sample_measurement())


def test_bare_case_passes_the_gate(bare):
    report = quality.check_case(bare)
    assert not [f for f in report.findings if f.severity == "error"]
    assert "no_adoption" in {f.check for f in report.findings}


def test_productivity_not_counted_without_users(bare_study):
    line = _line(bare_study, "productivity")
    assert line.counted is False
    assert NO_USERS == "no adoption table and no active_users set"
    assert NO_USERS in line.note and "assumptions.active_users" in line.note
    assert float(line.annual_value) == 0.0
    assert bare_study.inputs.active_users == 0.0
    # The front-page verdict says so in words.
    assert any("Productivity (time saved) is not counted" in t for t in readout.verdict(bare_study))


def test_bare_roi_is_what_the_other_lines_give(bare_study, sample_study):
    # Same data and assumptions as the sample: the counted annual benefit must be the
    # sample's less its productivity line, not zero (the -100% TEI ROI of issue 14).
    sample_lines = sample_study.result.lines
    others = sum(
        float(ln.annual_value) for ln in sample_lines if ln.counted and ln.kind != "productivity"
    )
    bare_counted = [ln for ln in bare_study.result.lines if ln.counted]
    assert others > 0
    assert sum(float(ln.annual_value) for ln in bare_counted) == pytest.approx(others)
    assert "productivity" not in {ln.kind for ln in bare_counted}
    assert bare_study.result.evaluation.roi > -0.5
    # Drawing the productivity assumptions would move nothing: they are not varied.
    assert "hours_saved_per_user_week" not in bare_study.specs
    assert "hours_saved_per_user_week" in sample_study.specs


def test_active_users_assumption_counts_productivity(tmp_path):
    folder = make_case(tmp_path / "users", adoption=False, assumptions={"active_users": 40})
    study = rk.run_study(rk.load_case(folder), n=DRAWS)
    line = _line(study, "productivity")
    assert line.counted is True
    # By hand: 1.5 h/user/week x 40 users x 48 weeks x EUR 65/h x recapture 0.5 = 93,600.
    assert float(line.annual_value) == pytest.approx(93_600.0)
    assert dict((i.name, i.source) for i in line.inputs)["users"] == "assumed"


def test_adoption_table_wins_over_active_users(tmp_path, sample_study):
    folder = make_case(tmp_path / "both", assumptions={"active_users": 5})
    study = rk.run_study(rk.load_case(folder), n=DRAWS)
    # By hand (sample adoption.csv, 2024-01..2025-06): 743 active user-months / 18.
    assert study.inputs.active_users == pytest.approx(743 / 18)


def test_hours_left_at_the_kit_default_are_not_counted(tmp_path):
    folder = make_case(tmp_path / "nohours", drop_assumptions=("hours_saved_per_user_week",))
    study = rk.run_study(rk.load_case(folder), n=DRAWS)
    line = _line(study, "productivity")
    assert line.counted is False
    assert HOURS_NOT_SET in line.note
    assert "productivity" not in {ln.kind for ln in study.result.lines if ln.counted}


def test_a_scenario_that_states_the_hours_counts_productivity(tmp_path):
    """The base leaves hours at the kit default (not counted); a scenario that states its
    own hours counts the line in that scenario only."""
    from roi_kit.study.scenarios import scenario_inputs

    folder = make_case(tmp_path / "scenhours", drop_assumptions=("hours_saved_per_user_week",))
    cfg = yaml.safe_load((folder / "case.yml").read_text(encoding="utf-8"))
    cfg["scenarios"] = {"timed": {"description": "hours measured", "assumptions": {
        "hours_saved_per_user_week": 2.0}}}  # fmt: skip
    (folder / "case.yml").write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")
    case = rk.load_case(folder)
    base = rk.model.model_inputs(case)
    assert base.productivity_reason == HOURS_NOT_SET
    scen, overrides = scenario_inputs(case, base, "timed")
    assert overrides["hours_saved_per_user_week"] == 2.0
    assert scen.productivity_reason == ""
    # and an unrelated scenario leaves the base's reason as it is
    cfg["scenarios"] = {"other": {"description": "margin", "assumptions": {"gross_margin": 0.4}}}
    (folder / "case.yml").write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")
    case = rk.load_case(folder)
    scen, _ = scenario_inputs(case, rk.model.model_inputs(case), "other")
    assert scen.productivity_reason == HOURS_NOT_SET


def test_no_control_group_case(tmp_path):
    folder = make_case(tmp_path / "noctrl", control=False)
    case = rk.load_case(folder)
    assert case.groups is None
    report = quality.check_case(case)
    assert not [f for f in report.findings if f.severity == "error"]
    study = rk.run_study(case, n=DRAWS)
    assert "did" not in set(study.comparison["method"])
    assert _line(study, "productivity").counted is True


def test_summary_json_on_the_bare_case(bare, capsys):
    code = cli.main(["summary", str(bare.path), "--json", "--draws", str(DRAWS)])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    prod = next(b for b in out["benefit_lines"] if b["name"] == "Productivity (time saved)")
    assert prod["counted"] is False and NO_USERS in prod["note"]
    # Not the -100% of issue 14: the lines counted without productivity give benefits.
    counted = [b for b in out["benefit_lines"] if b["counted"]]
    assert counted and out["pv_benefits"] > 0
    assert out["roi"]["tei"] > -1.0
    assert out["scenarios"] == [] or len(out["scenarios"]) <= 1


def test_template_leaves_hours_unset(tmp_path, capsys):
    folder = tmp_path / "new"
    assert cli.main(["new", str(folder)]) == 0
    text = (folder / "case.yml").read_text(encoding="utf-8")
    assert "\n  hours_saved_per_user_week:" not in text
    assert "# hours_saved_per_user_week:" in text
    assert cli.main(["validate", str(folder)]) == 0
    assert cli.main(["summary", str(folder), "--draws", str(DRAWS)]) == 0
    study = rk.run_study(rk.load_case(folder), n=DRAWS)
    line = _line(study, "productivity")
    assert line.counted is False and HOURS_NOT_SET in line.note


def test_rollout_without_adoption_says_what_is_missing(bare):
    text = rollout_view.adoption_headline(bare)
    assert "no adoption table" in text
    # Computed from the case: its own after period, not the sample's typed in.
    start, end = bare.after
    assert f"{start} to {end}" in text
    assert "Productivity (time saved) is not counted" in text
    html = rollout_view.no_adoption_html(bare)
    assert "roi-warn" in html and "What it would add" in html


def test_rollout_headline_on_the_sample(sample_case):
    # By hand from adoption.csv: 743 active of 18 x 60 = 1,080 seat-months = 68.8%; first
    # month >= 80% is 2024-09 (51 / 60 = 85%), 8 months after the 2024-01 go-live; all 60
    # trained by the last month (100%); nothing below 60%, so no warning.
    assert rollout_view.adoption_headline(sample_case).splitlines() == [
        "mean adoption rate 2024-01 to 2025-06: 68.8%",
        "first month at 80% or more: 2024-09 (8 months after go-live)",
        "training coverage in the last month: 100%",
        "adoption warning (below 60%): none",
    ]


def test_intangibles_headline(bare, sample_case):
    text = intangible_views.intangibles_headline(bare)
    assert "scores no intangibles" in text and "What it would add" in text
    assert "Weighted score" not in text  # default items at 3 would be a judgement nobody made
    # By hand (sample case.yml): (4x1 + 4x1 + 3x0.8 + 3x0.8 + 4x1) / 4.6 = 16.8 / 4.6 = 3.65;
    # index (3.6522 - 1) / 4 x 100 = 66.3; at least 3 and below 4: moderate.
    assert intangible_views.intangibles_headline(sample_case).splitlines()[:3] == [
        "Weighted score (1-5): 3.65",
        "Index (0-100): 66.3",
        "Label: moderate",
    ]


def test_no_goals_note_says_what_goals_add(bare):
    html = goals_view.goals_html(bare)
    assert "no goals yet" in html and "target change" in html
