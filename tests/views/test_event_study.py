"""The event-study figure, the groups table and their sentences (roi_kit.views.event_study)."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from roi_kit.case import load_case
from roi_kit.measure.panel_table import case_event_study, has_panel, panel_rows
from roi_kit.measure.staggered import event_study
from roi_kit.views.event_study import (
    event_study_figure,
    event_study_sentence,
    groups_sentence,
    groups_table,
)
from tests.case.test_case import write_case
from tests.case.test_groups import unit_frame
from tests.measure.test_panel import make_panel

__all__: list[str] = []


def test_figure_draws_every_month_with_its_interval():
    # 12 months, go-live at month 6: months since -6..5, reference -1 has no interval.
    study = event_study(make_panel(4, 4, effect=lambda u, s: 3.0, noise=0.5, seed=2), kpi="y")
    fig = event_study_figure(study, label="Revenue $ (EUR)")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    # two errorbar containers: 5 pre months with intervals + 6 after months
    sizes = sorted(len(c.lines[0].get_xdata()) for c in ax.containers)
    assert sizes == [5, 6]
    assert r"\$" in ax.get_ylabel()  # user text drawn literally, never math text
    assert "95% intervals" in ax.get_title()


def test_sentences_follow_the_pretrend_test():
    study = event_study(make_panel(4, 4, noise=0.5, seed=2), kpi="y")
    flat = replace(study, pretrend_p=0.6)
    apart = replace(study, pretrend_p=0.01)
    assert "scatter around zero" in event_study_sentence(flat)
    assert "already moved apart" in event_study_sentence(apart)
    assert "too few months" in event_study_sentence(replace(study, pretrend_p=math.nan))
    assert event_study_sentence(None) == ""


def test_groups_table_and_panel_rows_of_a_case_with_units(tmp_path):
    # unit_frame: 3 regions x 2 reps, identical every month; East's reps gain 10% revenue
    # from go-live (2023-01) plus a little noise so that intervals are finite.
    kpis = unit_frame()
    rng = np.random.default_rng(0)
    kpis["revenue"] = kpis["revenue"] * (1 + 0.01 * rng.normal(size=len(kpis)))
    after = (kpis["region"] == "East") & (pd.PeriodIndex(kpis["month"], freq="M") >= "2023-01")
    kpis.loc[after, "revenue"] *= 1.10
    case = load_case(
        write_case(
            tmp_path / "c",
            kpis=kpis[["month", "region", "rep", "revenue", "deals_won"]],
            groups={"column": "region", "unit": "rep", "treated": "East"},
            goals=[],
        )
    )
    table = groups_table(case)
    assert table.to_dict("records") == [
        {"group": "Central", "role": "control", "go-live": "-", "units": 2},
        {"group": "East", "role": "treated", "go-live": "2023-01", "units": 2},
        {"group": "West", "role": "control", "go-live": "-", "units": 2},
    ]
    text = groups_sentence(case)
    assert "CRM group(s): East; control group(s): Central, West." in text
    assert "per rep (6 units)" in text
    assert has_panel(case)
    rows = panel_rows(case, kpis=["revenue"])
    row = rows.iloc[0]
    # East's monthly revenue is 8,000 (2 reps); +10% is +800 a month in total.
    assert row["method"] == "panel-did" and row["baseline"] == pytest.approx(8000, rel=0.02)
    assert row["low"] < 800 < row["high"]
    # 6 units, 2 treated: below the cluster counts the kit trusts, so shown but not valid
    assert not row["valid"] and "only 2 treated" in row["validity"]
    study = case_event_study(case, "revenue")
    assert study is not None and study.reference == -1


def test_notebook_panels_show_nothing_without_a_panel_and_parts_with_one(tmp_path, capsys):
    from roi_kit.widgets import event_study as panel_widget

    plain_case = load_case(write_case(tmp_path / "plain"))  # no groups
    panel_widget.event_study_panel(plain_case, report_mode=True)
    panel_widget.groups_panel(plain_case, report_mode=True)
    assert capsys.readouterr().out == ""
    case = load_case(
        write_case(
            tmp_path / "units",
            kpis=unit_frame().assign(revenue=lambda t: t["revenue"] * (1 + 0.01 * (t.index % 7))),
            groups={"column": "region", "unit": "rep", "treated": "East"},
            goals=[],
        )
    )
    parts = panel_widget.event_study_parts(case, "revenue")
    assert any(isinstance(p, Figure) for p in parts)
    assert "Revenue rose" in parts[1] or "Revenue fell" in parts[1]
