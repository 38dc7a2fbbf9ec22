"""Notebook 02's panels: data quality, baseline KPIs, the baseline statement."""

from __future__ import annotations

import ipywidgets as w
import pytest

from roi_kit.widgets import baseline


def test_quality_panel_widget_and_report_mode(sample_case, capsys):
    widget = baseline.quality_widget(sample_case)
    assert isinstance(widget, w.Widget)
    assert baseline.quality_panel(sample_case, report_mode=False) is None
    assert baseline.quality_panel(sample_case, report_mode=True) is None
    out = capsys.readouterr().out
    assert "Traceback" not in out


@pytest.mark.slow
def test_baseline_panel_widget_and_report_mode(sample_case, capsys):
    widget = baseline.baseline_widget(sample_case)
    assert isinstance(widget, w.Widget)
    assert baseline.baseline_panel(sample_case, report_mode=False) is None
    assert baseline.baseline_panel(sample_case, report_mode=True) is None
    out = capsys.readouterr().out
    assert "Traceback" not in out


def test_display_lines_shows_an_escaped_list(capsys):
    baseline.display_lines(["a < b"])
    assert "Traceback" not in capsys.readouterr().out
