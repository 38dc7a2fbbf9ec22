"""Notebook 01's goal editor: ticking KPIs, the preview, saving to a new case file."""

from __future__ import annotations

import ipywidgets as w

from roi_kit.case import load_case
from roi_kit.widgets import goals
from tests.paths import SAMPLE_CASE


def test_goals_panel_interactive_save_flow(sample_case, case_copy):
    panel = goals.goals_widget(sample_case)
    assert isinstance(panel, w.Widget)
    assert sorted(g.kpi for g in panel.current_goals()) == sorted(g.kpi for g in sample_case.goals)
    panel.rows["win_rate"][0].value = False
    assert len(panel.current_goals()) == 3
    panel.path_text.value = str(SAMPLE_CASE / "case_new.yml")
    panel.save_button.click()
    assert "sample case" in panel.status.value and "roi-warn" in panel.status.value
    assert not (SAMPLE_CASE / "case_new.yml").exists()
    panel.path_text.value = str(case_copy / "case_v2.yml")
    panel.save_button.click()
    assert "Saved 3 goal(s)" in panel.status.value
    assert len(load_case(case_copy / "case_v2.yml").goals) == 3


def test_goals_preview_says_when_nothing_is_ticked(sample_case):
    panel = goals.goals_widget(sample_case)
    for tick, _target, _kind in panel.rows.values():
        tick.value = False
    preview = panel.children[3].value
    assert "No KPI ticked." in preview and "<table" not in preview


def test_goals_panel_widget_and_report_mode(sample_case, capsys):
    widget = goals.goals_widget(sample_case)
    assert isinstance(widget, w.Widget)
    assert goals.goals_panel(sample_case, report_mode=False) is None
    assert goals.goals_panel(sample_case, report_mode=True) is None
    out = capsys.readouterr().out
    assert "Traceback" not in out
