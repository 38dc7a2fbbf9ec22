"""Baseline facts, statement, table and charts (notebook 02).

Expected values come from the sample's ``kpis.csv`` read with the csv module and from the
baseline window in ``case.yml`` (2022-01 to 2023-12, South the control).
"""

from __future__ import annotations

import csv
import dataclasses

import pandas as pd

from roi_kit.case import check_case
from roi_kit.measure import progress
from roi_kit.views import baseline as baseline_view
from tests.paths import SAMPLE_CASE


def _north_baseline(column: str) -> list[float]:
    with open(SAMPLE_CASE / "kpis.csv", newline="", encoding="utf-8") as fh:
        return [
            float(r[column])
            for r in csv.DictReader(fh)
            if r["region"] == "North" and "2022-01" <= r["month"] <= "2023-12"
        ]


def test_baseline_facts_on_the_sample(sample_case):
    facts = progress.baseline_facts(sample_case)
    assert facts.months == 24 and facts.calendar_months == 12  # 2022-01..2023-12
    assert facts.seasonal and facts.has_control and facts.control == "South"
    assert facts.control_months == 24
    assert facts.quality_score == 100
    assert (
        progress.baseline_headline(sample_case).splitlines()[1]
        == "baseline months: 24 (2022-01 to 2023-12)"
    )


def test_short_baseline_statement_says_what_it_cannot_do(sample_case):
    short = dataclasses.replace(
        sample_case, baseline=(pd.Period("2023-06", "M"), pd.Period("2023-12", "M"))
    )
    facts = progress.baseline_facts(short)
    assert facts.months == 7 and not facts.seasonal
    text = " ".join(progress.baseline_statement(facts))
    assert "under the 12 months" in text and "trend only" in text


def test_a_seasonal_fit_short_of_the_valid_minimum_says_only_did_counts(sample_case):
    # 2022-03..2023-12 = 22 months: all 12 calendar months and over the 17 a seasonal fit
    # needs, but under the 24 from which its estimate counts (measure.minimum_baseline).
    mid = dataclasses.replace(
        sample_case, baseline=(pd.Period("2022-03", "M"), pd.Period("2023-12", "M"))
    )
    facts = progress.baseline_facts(mid)
    assert facts.months == 22 and facts.seasonal
    text = " ".join(progress.baseline_statement(facts))
    assert "only from 24 months" in text and "only DiD against the control group" in text
    full = " ".join(progress.baseline_statement(progress.baseline_facts(sample_case)))
    assert "at 24 months it also reaches the 24" in full


def test_statement_without_control(sample_case):
    alone = dataclasses.replace(
        sample_case, groups=None, kpis=sample_case.kpis[sample_case.kpis.region == "North"]
    )
    text = " ".join(progress.baseline_statement(progress.baseline_facts(alone)))
    assert "There is no control group" in text


def test_statement_html_escapes_each_line():
    assert baseline_view.statement_html(["<b>", "x"]) == "<ul><li>&lt;b&gt;</li><li>x</li></ul>"


def test_baseline_table_units(sample_case):
    table = baseline_view.baseline_table(sample_case)
    row = table[table["KPI"] == "Revenue"].iloc[0]
    assert row["unit"] == "EUR" and row["North mean"].startswith("EUR ")
    assert row["months"] == "24"
    values = _north_baseline("win_rate")
    win = table[table["KPI"] == "Win rate"].iloc[0]
    assert win["North mean"] == f"{sum(values) / 24 * 100:.1f}%"


def test_quality_parts_give_the_score(sample_case):
    head, body = baseline_view.quality_parts(check_case(sample_case))
    assert "Data-quality score: 100/100" in head
    assert "No problems found" in body


def test_history_figures(sample_case):
    fig = baseline_view.kpi_history_figure(sample_case, "csat")
    ax = fig.axes[0]
    assert any("go-live 2024-01" in t.get_text() for t in ax.texts)
    labels = ax.get_legend_handles_labels()[1]
    assert labels == ["North (CRM)", "South (control, no CRM)", "baseline"]
    grid = baseline_view.baseline_figure(sample_case)
    assert grid.axes and grid.legends


def test_figures_draw_into_a_given_axes(sample_case):
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.add_subplot()
    assert baseline_view.kpi_history_figure(sample_case, "revenue", ax=ax) is fig
    assert "EUR" in ax.get_ylabel()
