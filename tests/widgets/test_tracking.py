"""Notebook 04's tracking panel: KPI and method selectors, report-mode parts."""

from __future__ import annotations

import ipywidgets as w
import pytest

from roi_kit.measure import compare_all
from roi_kit.widgets import tracking


@pytest.fixture(scope="module")
def frame(sample_case):
    return compare_all(sample_case)


@pytest.mark.slow
def test_tracking_panel_widget_and_report_mode(sample_case, frame, capsys):
    widget = tracking.tracking_widget(sample_case, frame)
    assert isinstance(widget, w.Widget)
    assert tracking.tracking_panel(sample_case, report_mode=False, frame=frame) is None
    assert tracking.tracking_panel(sample_case, report_mode=True, frame=frame) is None
    out = capsys.readouterr().out
    assert "Traceback" not in out


def test_tracking_widget_follows_the_selectors(sample_case, frame):
    panel = tracking.tracking_widget(sample_case, frame)
    assert panel.result.kpi.name == "win_rate"  # the first goal
    panel.kpi_selector.value = "revenue"
    assert panel.result.kpi.name == "revenue"
    panel.method_selector.value = ("naive",)
    assert panel.result.fit is None and panel.result.baseline_mean is not None
