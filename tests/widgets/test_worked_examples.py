"""Tests of the worked examples' slider panels (roi_kit.widgets.worked_examples).

Expected values come from the articles and from hand calculations in the comments.
"""

from __future__ import annotations

import pytest

from roi_kit.widgets import worked_examples as cs

# --- panels ------------------------------------------------------------------------------


def test_b2b_panel_recomputes_on_slider_change():
    panel = cs.b2b_panel()
    assert panel.result.roi == pytest.approx(3.0)
    sliders = {s.description: s for s in panel.children[0].children}
    assert all(not s.continuous_update for s in sliders.values())
    sliders["Gross margin"].value = 0.5
    # 5,000,000 x 20% x 50% + 100,000 = 600,000 a year; (1,800,000 - 300,000) / 300,000 = 5
    assert panel.result.roi == pytest.approx(5.0)


@pytest.mark.slow  # about 3 s: each slider move recomputes two sensitivity curves
def test_healthcare_panel_recomputes_on_slider_change():
    panel = cs.healthcare_panel()
    sliders = {s.description: s for s in panel.children[0].children}
    sliders["Gross margin"].value = 0.5
    # 266,000 -> 380,000 of profit: cost for a 250% simple ROI = 380,000 / 3.5
    assert panel.result.rows[1].cost_for_target == pytest.approx(380_000 / 3.5)


def test_report_mode_shows_static_output(capsys):
    cs.show_b2b(report_mode=True)
    cs.show_healthcare(report_mode=True)
    cs.show_references(3.0, "simple", report_mode=True)
    out = capsys.readouterr().out
    assert "HTML" in out and "Image" in out


def test_references_panel():
    panel = cs.references_panel(3.0, "simple")
    value_w, def_w = panel.children[0].children
    assert "4.00 per 1 spent" in panel.children[1].value
    value_w.value = 4.0
    assert "5.00 per 1 spent" in panel.children[1].value
    assert "Not comparable one to one" in panel.children[1].value
