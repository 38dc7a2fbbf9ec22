"""Tests for roi_kit.widgets.intangibles: the live scorecard panel, saving, report mode.

Expected scores are worked out by hand from data/sample_case/case.yml in the comments.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import ipywidgets as w
import pytest

import roi_kit.widgets.display as display
from roi_kit.case import load_case
from roi_kit.money.intangibles import IntangibleItem
from roi_kit.views.tables import NOTE_STYLE
from roi_kit.widgets.intangibles import intangibles_panel, save_items, show_intangibles
from tests.paths import SAMPLE_CASE

EVIL = "<script>alert(1)</script>"


@pytest.fixture
def own_case(case_copy):
    """A copy of the sample's tables and case.yml in a folder of the test's own."""
    return load_case(case_copy)


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _quiet_panel(case, capsys):
    # Outside a kernel, the chart's Output widget prints the image repr; drop it.
    panel = intangibles_panel(case)
    capsys.readouterr()
    return panel


def _capture(monkeypatch) -> list:
    """What show() displays, without the style block it puts first in report mode."""
    shown: list = []

    def keep(obj) -> None:
        if getattr(obj, "data", None) != NOTE_STYLE:
            shown.append(obj)

    monkeypatch.setattr(display, "display", keep)
    monkeypatch.setattr(display, "show_figure", keep)
    return shown


def test_panel_is_a_widget_and_updates_live(sample_case, capsys):
    panel = _quiet_panel(sample_case, capsys)
    assert isinstance(panel, w.Widget)
    assert len(panel.rows) == 5
    assert abs(float(panel.card.weighted_score) - 16.8 / 4.6) < 1e-12
    # Stronger sales team 3 -> 5: (4 + 4 + 5x0.8 + 3x0.8 + 4) / 4.6 = 18.4 / 4.6 = 4.0
    panel.rows[2][1].value = 5
    capsys.readouterr()
    assert abs(float(panel.card.weighted_score) - 4.0) < 1e-12
    assert panel.card.label == "strong"
    for child in (panel.rows[2][1], panel.rows[2][2], panel.rows[2][3]):
        assert child.continuous_update is False


def test_panel_adds_an_item_and_refuses_a_duplicate(sample_case, capsys):
    panel = _quiet_panel(sample_case, capsys)
    panel.add_name.value = EVIL
    panel.add_score.value = 1
    panel.add_weight.value = 0.4
    panel.add_button.click()
    capsys.readouterr()
    # (16.8 + 1x0.4) / (4.6 + 0.4) = 17.2 / 5 = 3.44
    assert abs(float(panel.card.weighted_score) - 3.44) < 1e-12
    assert panel.items[-1].name == EVIL
    table = panel.children[7].value  # the live table
    assert "<script>" not in table and "&lt;script&gt;" in table
    panel.add_name.value = "data insight"  # already there (case is ignored)
    panel.add_button.click()
    capsys.readouterr()
    assert len(panel.items) == 6
    message = panel.children[5].value
    assert "Not added" in message and "twice" in message


def test_panel_remove_button(sample_case, capsys):
    panel = _quiet_panel(sample_case, capsys)
    panel.rows[0][4].click()
    capsys.readouterr()
    # without Customer experience: (4 + 2.4 + 2.4 + 4) / 3.6 = 12.8 / 3.6 = 3.5556
    assert abs(float(panel.card.weighted_score) - 12.8 / 3.6) < 1e-12
    assert [i.name for i in panel.items][0] == "Data insight"


@pytest.mark.parametrize("where", ["relative", "absolute"])
def test_save_button_refuses_the_sample_folder(sample_case, capsys, where):
    before = _digest(SAMPLE_CASE)
    panel = _quiet_panel(sample_case, capsys)
    panel.path_box.value = (
        "case_v2.yml" if where == "relative" else str(SAMPLE_CASE / "case_v2.yml")
    )
    panel.save_button.click()
    status = panel.status.value
    assert "Not saved" in status and "sample case" in status
    assert "Traceback" not in status
    assert not (SAMPLE_CASE / "case_v2.yml").exists()
    assert _digest(SAMPLE_CASE) == before


def test_save_button_with_empty_path_says_what_to_do(sample_case, capsys):
    panel = _quiet_panel(sample_case, capsys)
    panel.save_button.click()
    assert "Type a new file name" in panel.status.value


def test_save_button_writes_a_loadable_case(own_case, capsys):
    panel = _quiet_panel(own_case, capsys)
    panel.rows[1][1].value = 2  # Data insight 4 -> 2
    panel.rows[1][3].value = "dashboard <unused>"
    panel.add_name.value = "Brand reputation"
    panel.add_score.value = 5
    panel.add_button.click()
    capsys.readouterr()
    target = own_case.path / "case_v2.yml"
    panel.path_box.value = "case_v2.yml"  # relative: inside the case folder
    panel.save_button.click()
    assert "Saved to" in panel.status.value, panel.status.value
    reloaded = load_case(target)
    got = [(i.name, i.score, i.weight, i.evidence) for i in reloaded.intangibles]
    assert got[1] == ("Data insight", 2, 1.0, "dashboard <unused>")
    assert got[-1] == ("Brand reputation", 5, 1.0, "")
    assert len(got) == 6
    # The rest of the case is unchanged.
    assert reloaded.discount_rate == own_case.discount_rate
    assert reloaded.goals == own_case.goals
    # Saving again to the same name is refused, never overwritten.
    text = target.read_text(encoding="utf-8")
    panel.save_button.click()
    assert "Not saved" in panel.status.value and "already exists" in panel.status.value
    assert target.read_text(encoding="utf-8") == text


def test_save_into_a_folder_without_tables_warns(own_case, tmp_path, capsys):
    panel = _quiet_panel(own_case, capsys)
    empty = tmp_path / "elsewhere"
    empty.mkdir()
    panel.path_box.value = str(empty / "case.yml")
    panel.save_button.click()
    assert "does not load there yet" in panel.status.value
    assert (empty / "case.yml").exists()


def test_save_items_function(own_case):
    items = [IntangibleItem("Customer experience", 5, 2.0, "NPS +7")]
    path = save_items(own_case, items, "only_one.yml")
    assert path == own_case.path / "only_one.yml"
    assert [(i.name, i.score, i.weight) for i in load_case(path).intangibles] == [
        ("Customer experience", 5, 2.0)
    ]


def test_show_intangibles_report_mode_displays_escaped_table_and_png(own_case, monkeypatch):
    shown = _capture(monkeypatch)
    show_intangibles(own_case, report_mode=True)
    assert len(shown) == 2
    assert "Customer experience" in shown[0].data and "66.3 of 100" in shown[0].data
    assert shown[1].axes  # a Figure
    shown.clear()
    show_intangibles(own_case, report_mode=False)
    assert isinstance(shown[-1], w.Widget)


def test_report_mode_escapes_user_text_and_handles_no_items(own_case, monkeypatch):
    import dataclasses

    from roi_kit.case import Intangible

    shown = _capture(monkeypatch)
    evil = dataclasses.replace(own_case, intangibles=(Intangible(EVIL, 4.0, 1.0, "<b>x</b>"),))
    show_intangibles(evil, report_mode=True)
    assert "<script>" not in shown[0].data and "&lt;b&gt;x&lt;/b&gt;" in shown[0].data
    shown.clear()
    show_intangibles(dataclasses.replace(own_case, intangibles=()), report_mode=True)
    assert len(shown) == 1 and "scores no intangibles yet" in shown[0].data
