"""Tests for roi_kit.views.intangibles_views: the scorecard table, chart and live panel.

Expected scores are worked out by hand from data/sample_case/case.yml in the comments.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import ipywidgets as w
import pytest
import yaml

from roi_kit.case.config import load_case
from roi_kit.money.intangibles import IntangibleItem, scorecard
from roi_kit.views.intangibles_views import (
    NOT_MONEY,
    case_items,
    intangibles_panel,
    save_items,
    scorecard_figure,
    scorecard_summary,
    scorecard_table_html,
    show_intangibles,
)
from roi_kit.views.plots import to_png

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample_case"
EVIL = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def sample():
    return load_case(SAMPLE)


@pytest.fixture
def own_case(tmp_path):
    """A copy of the sample's tables and case.yml in a folder of the test's own."""
    folder = tmp_path / "own_case"
    folder.mkdir()
    for name in ("case.yml", "kpis.csv", "costs.csv", "adoption.csv"):
        shutil.copyfile(SAMPLE / name, folder / name)
    return load_case(folder)


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _quiet_panel(case, capsys):
    # Outside a kernel, the chart's Output widget prints the image repr; drop it.
    panel = intangibles_panel(case)
    capsys.readouterr()
    return panel


def test_sample_items_and_summary_by_hand(sample):
    raw = yaml.safe_load((SAMPLE / "case.yml").read_text(encoding="utf-8"))["intangibles"]
    items = case_items(sample)
    assert [(i.name, i.score, i.weight) for i in items] == [
        (e["name"], e["score"], e["weight"]) for e in raw
    ]
    # (4x1 + 4x1 + 3x0.8 + 3x0.8 + 4x1) / (1 + 1 + 0.8 + 0.8 + 1) = 16.8 / 4.6 = 3.6522
    # 0-100: (3.6522 - 1) / 4 x 100 = 66.30; 3 <= 3.65 < 4 -> "moderate"
    assert scorecard_summary(scorecard(items)) == (
        "Weighted score (1-5): 3.65\nIndex (0-100): 66.3\nLabel: moderate\n" + NOT_MONEY
    )


def test_case_without_intangibles_starts_from_the_articles_items(own_case):
    import dataclasses

    bare = dataclasses.replace(own_case, intangibles=())
    items = case_items(bare)
    assert [i.name for i in items][:3] == [
        "customer experience",
        "data insight",
        "stronger sales team",
    ]
    assert len(items) == 5 and {i.score for i in items} == {3}


def test_table_escapes_user_text():
    card = scorecard([IntangibleItem(EVIL, 4, 1.0, '<img src=x onerror="alert(2)"> & co')])
    out = scorecard_table_html(card)
    assert "<script>" not in out and "<img" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&lt;img src=x" in out and "&amp; co" in out
    assert NOT_MONEY in out


def test_chart_shows_user_text_as_plain_text_with_weights_and_title():
    # "$\frac{" would be parsed as (broken) mathtext by matplotlib and fail to draw.
    name = r"costs $\frac{ and $5"
    card = scorecard([IntangibleItem(name, 2, 0.5), IntangibleItem(EVIL, 5, 1.5)])
    fig = scorecard_figure(card)
    ax = fig.axes[0]
    png = to_png(fig)  # draws every text: raises if a label were read as math
    assert png.startswith(b"\x89PNG")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert sorted(labels) == sorted([r"costs \$\frac{ and \$5", EVIL])
    texts = [t.get_text() for t in ax.texts]
    assert "2  (weight 0.5)" in texts and "5  (weight 1.5)" in texts
    # (2x0.5 + 5x1.5) / 2 = 4.25 -> (4.25 - 1) / 4 x 100 = 81.25 -> "81/100", "strong"
    assert "weighted 4.25 (81/100, strong)" in texts
    title = ax.get_title(loc="left")
    assert "not money" in title.lower() and "never added to it" in title


def test_chart_item_order_top_to_bottom():
    card = scorecard([IntangibleItem("first", 1), IntangibleItem("second", 5)])
    ax = scorecard_figure(card).axes[0]
    by_y = sorted(ax.get_yticklabels(), key=lambda t: -t.get_position()[1])
    assert [t.get_text() for t in by_y] == ["first", "second"]


def test_panel_is_a_widget_and_updates_live(sample, capsys):
    panel = _quiet_panel(sample, capsys)
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


def test_panel_adds_an_item_and_refuses_a_duplicate(sample, capsys):
    panel = _quiet_panel(sample, capsys)
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


def test_panel_remove_button(sample, capsys):
    panel = _quiet_panel(sample, capsys)
    panel.rows[0][4].click()
    capsys.readouterr()
    # without Customer experience: (4 + 2.4 + 2.4 + 4) / 3.6 = 12.8 / 3.6 = 3.5556
    assert abs(float(panel.card.weighted_score) - 12.8 / 3.6) < 1e-12
    assert [i.name for i in panel.items][0] == "Data insight"


@pytest.mark.parametrize("where", ["relative", "absolute"])
def test_save_button_refuses_the_sample_folder(sample, capsys, where):
    before = _digest(SAMPLE)
    panel = _quiet_panel(sample, capsys)
    panel.path_box.value = "case_v2.yml" if where == "relative" else str(SAMPLE / "case_v2.yml")
    panel.save_button.click()
    status = panel.status.value
    assert "Not saved" in status and "sample case" in status
    assert "Traceback" not in status
    assert not (SAMPLE / "case_v2.yml").exists()
    assert _digest(SAMPLE) == before


def test_save_button_with_empty_path_says_what_to_do(sample, capsys):
    panel = _quiet_panel(sample, capsys)
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
    import roi_kit.views.intangibles_views as views

    shown = []
    monkeypatch.setattr(views, "display", shown.append)
    monkeypatch.setattr(views, "show_figure", lambda fig: shown.append(fig))
    show_intangibles(own_case, report_mode=True)
    assert len(shown) == 2
    assert "Customer experience" in shown[0].data and "66.3 of 100" in shown[0].data
    assert shown[1].axes  # a Figure
    shown.clear()
    show_intangibles(own_case, report_mode=False)
    assert isinstance(shown[-1], w.Widget)


def test_report_mode_escapes_user_text_and_handles_no_items(own_case, monkeypatch):
    import dataclasses

    import roi_kit.views.intangibles_views as views
    from roi_kit.case.config import Intangible

    shown = []
    monkeypatch.setattr(views, "display", shown.append)
    monkeypatch.setattr(views, "show_figure", lambda fig: shown.append(fig))
    evil = dataclasses.replace(own_case, intangibles=(Intangible(EVIL, 4.0, 1.0, "<b>x</b>"),))
    show_intangibles(evil, report_mode=True)
    assert "<script>" not in shown[0].data and "&lt;b&gt;x&lt;/b&gt;" in shown[0].data
    shown.clear()
    show_intangibles(dataclasses.replace(own_case, intangibles=()), report_mode=True)
    assert len(shown) == 1 and "scores no intangibles yet" in shown[0].data
