"""Notebook 03's rollout panel: sliders over adoption, the warning, gap against adoption."""

from __future__ import annotations

import ipywidgets as w
import pytest

from roi_kit.widgets import rollout


@pytest.mark.slow
def test_rollout_panel_widget_and_report_mode(sample_case, capsys):
    widget = rollout.rollout_widget(sample_case)
    assert isinstance(widget, w.Widget)
    assert rollout.rollout_panel(sample_case, report_mode=False) is None
    assert rollout.rollout_panel(sample_case, report_mode=True) is None
    out = capsys.readouterr().out
    assert "Traceback" not in out


@pytest.mark.slow
def test_rollout_panel_warning_reacts_to_the_slider(sample_case):
    panel = rollout.rollout_widget(sample_case)
    assert panel.result.warning is None  # the sample: no warning at 60%
    slider = panel.children[0].children[0]
    slider.value = 0.75
    # 68.8% mean adoption is below 75%: the warning says so.
    assert panel.result.warning is not None and "too low" in panel.result.warning
