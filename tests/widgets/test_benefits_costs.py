"""Tests for roi_kit.widgets.benefits and roi_kit.widgets.costs: live panels, static twins.

Expected values are worked out by hand from the sample case's costs.csv (see
tests/views/test_costs.py for the sums), never taken from the code under test.
"""

from __future__ import annotations

import ipywidgets as w
import pytest

import roi_kit.widgets.display as display
from roi_kit.study import model
from roi_kit.views.benefits import benefit_view, benefit_waterfall
from roi_kit.views.costs import cost_view
from roi_kit.views.tables import NOTE_STYLE
from roi_kit.widgets.benefits import benefits_panel, show_benefits_panel, show_revenue_views
from roi_kit.widgets.costs import costs_panel, show_costs_overview, show_costs_panel

TCO = 159_700.0 + 98_366.0 + 2.0 / 3.0 + 105_800.0 + 96_800.0  # tests/views/test_costs.py
FUTURE = 52_900 + 96_800  # costs dated after the data ends (2025-06), from costs.csv


@pytest.fixture(scope="module")
def inputs(sample_case):
    return model.model_inputs(sample_case)


@pytest.fixture(scope="module")
def view(sample_case, inputs):
    return benefit_view(sample_case, inputs)


def test_benefits_panel_is_a_widget_and_recomputes(sample_case, inputs, view):
    panel = benefits_panel(sample_case, inputs)
    assert isinstance(panel, w.Widget)
    for slider in panel.sliders.values():
        assert slider.continuous_update is False
    assert panel.result.risk_adjusted == pytest.approx(view.risk_adjusted)
    panel.sliders["risk_benefits"].value = 0.0
    assert panel.result.risk_adjusted == pytest.approx(view.annual_benefit)


def test_costs_panel_is_a_widget_and_recomputes(sample_case):
    panel = costs_panel(sample_case)
    assert isinstance(panel, w.Widget)
    overrun, risk = panel.children[0].children
    assert overrun.continuous_update is False and risk.continuous_update is False
    overrun.value = 0.2
    assert panel.result.risk_adjusted_tco == pytest.approx(1.2 * (TCO + 0.1 * FUTURE))


def test_report_mode_renders_static_output(sample_case, inputs, view, monkeypatch):
    shown = []
    monkeypatch.setattr(display, "display", shown.append)
    monkeypatch.setattr(display, "show_figure", shown.append)
    show_benefits_panel(sample_case, inputs, report_mode=True)
    show_costs_panel(sample_case, report_mode=True)
    show_revenue_views(view)
    display.show_figure(benefit_waterfall(view))
    show_costs_overview(cost_view(sample_case))
    assert shown
    assert not any(isinstance(obj, w.Widget) for obj in shown)
    assert any(getattr(obj, "data", None) == NOTE_STYLE for obj in shown)  # via show()
    html = "".join(obj.data for obj in shown if hasattr(obj, "data") and isinstance(obj.data, str))
    assert "Risk-adjusted TCO" in html and "Hours saved / user-week" in html
