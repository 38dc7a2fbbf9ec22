"""The notebooks' case sentences: computed from the case at hand, never the sample's facts.

The sample case's numbers below are worked by hand from its files (``case.yml``,
``costs.csv``, ``adoption.csv``); they used to be typed into the notebooks' Markdown and are
expected values here. A second, generated case differs from the sample in currency, group
names, months, baseline length, goals, margin, adoption, costs, scenarios and intangibles;
its sentences must state its own facts and none of the sample's.
"""

from __future__ import annotations

import csv
import dataclasses
import re
import shutil

import pytest
import yaml

from roi_kit.case import load_case
from roi_kit.measure import progress
from roi_kit.study import model
from roi_kit.views import benefits as benefit_views
from roi_kit.views import costs as cost_views
from roi_kit.views import narrative
from tests.paths import SAMPLE_CASE
from tests.study.hand_tables import sample_measurement

#: Facts of the sample case that must never reach another case's sentences.
SAMPLE_FACTS = [
    "North",
    "South",
    "EUR",
    "743",
    "41.3",
    "3.65",
    "32%",
    "3.1 times",
    "24 months",
    "2022-01",
    "2023-12",
    "2024-01",
    "2025-06",
    "96,590",
    "460,667",
    "475,637",
    "159,700",
    "4 goals",
    "Win rate",
    "Churned customers",
    "5 items",
]


def _sentences(case) -> dict[str, str]:
    """Every narrative sentence of a case, by function name."""
    inputs = model.model_inputs(case, comparison=sample_measurement())
    view = benefit_views.benefit_view(case, inputs)
    costs = cost_views.cost_view(case)
    return {
        "goals": narrative.goals_markdown(case),
        "baseline": narrative.baseline_markdown(case, progress.baseline_facts(case)),
        "margin": narrative.margin_markdown(view),
        "productivity": narrative.productivity_markdown(case, view),
        "counted": narrative.counted_lines_markdown(view),
        "tco": narrative.tco_sum_markdown(costs),
        "split": narrative.cost_split_markdown(costs),
        "staff": narrative.internal_staff_markdown(case, costs),
        "intangibles": narrative.intangibles_markdown(case),
    }


@pytest.fixture(scope="module")
def sample_text(sample_case) -> dict[str, str]:
    return _sentences(sample_case)


def _shift_month(text: str, years: int = 2) -> str:
    """Every YYYY-MM in ``text`` moved ``years`` later."""
    return re.sub(r"\b(20\d\d)-(\d\d)\b", lambda m: f"{int(m[1]) + years}-{m[2]}", text)


def _rewrite_csv(path, change) -> None:
    """Rewrite a CSV of the copied case row by row (``change`` edits a row dict)."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields, rows = reader.fieldnames, [r for r in reader if change(r)]
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def _kpi_row(row) -> bool:
    row["month"] = _shift_month(row["month"])
    row["region"] = {"North": "Kanto", "South": "Kansai"}[row["region"]]
    return row["month"] >= "2025-01"  # a 12-month baseline: 2025-01 to 2025-12


def _cost_row(row) -> bool:
    for key in ("start", "end"):
        row[key] = _shift_month(row[key])
    for key in ("amount", "hourly_rate"):
        if row[key]:
            row[key] = f"{float(row[key]) * 150:.2f}"  # yen, 150 to the euro
    row["item"] = row["item"].replace("EUR", "JPY")
    return True


def _adoption_row(row) -> bool:
    row["month"] = _shift_month(row["month"])
    row["active_users"] = "20"  # 20 a month: 18 after months = 360 user-months
    row["trained_users"] = "30"
    return True


@pytest.fixture(scope="module")
def other_case(tmp_path_factory):
    """A generated case unlike the sample: JPY, Kanto/Kansai, 12 baseline months, 2026 go-live."""
    folder = tmp_path_factory.mktemp("other") / "sakura"
    shutil.copytree(SAMPLE_CASE, folder)
    (folder / "true_effects.yml").unlink()
    (folder / "README.md").unlink()
    config = yaml.safe_load((folder / "case.yml").read_text(encoding="utf-8"))
    config.update(
        name="Sakura Trading - CRM review",
        currency="JPY",
        go_live="2026-01",
        baseline={"start": "2025-01", "end": "2025-12"},
        after={"start": "2026-01", "end": "2027-06"},
        groups={"column": "region", "treated": "Kanto", "control": "Kansai"},
        goals=[
            {"kpi": "revenue", "target": 0.10, "target_kind": "relative"},
            {"kpi": "acquisition_cost", "target": -0.15, "target_kind": "relative"},
        ],
        intangibles=[
            {"name": "Brand <b>trust</b>", "score": 2, "weight": 2.0},
            {"name": "Kaizen culture", "score": 5, "weight": 1.0},
        ],
    )
    config["assumptions"].update(
        gross_margin={"low": 0.40, "likely": 0.45, "high": 0.50},
        loaded_hourly_rate=9750,
        hours_saved_per_user_week={"low": 1.0, "likely": 2.0, "high": 3.0},
    )
    config.pop("scenarios")
    (folder / "case.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    _rewrite_csv(folder / "kpis.csv", _kpi_row)
    _rewrite_csv(folder / "costs.csv", _cost_row)
    _rewrite_csv(folder / "adoption.csv", _adoption_row)
    return load_case(folder)


@pytest.fixture(scope="module")
def other_text(other_case) -> dict[str, str]:
    return _sentences(other_case)


def test_sample_goals(sample_text):
    # case.yml: win_rate +0.05 absolute = 5.0 points; sales_cycle_days -0.20 relative = -20%;
    # csat +0.3 absolute (1-5 scale, two decimals); churned_customers -0.10 relative = -10%.
    text = sample_text["goals"]
    assert "**4 goals**" in text
    for part in (
        "Win rate +5.0 points (absolute)",
        "Sales cycle -20% (relative)",
        "Customer satisfaction +0.30 (absolute)",
        "Churned customers -10% (relative)",
    ):
        assert part in text


def test_sample_baseline(sample_text):
    # case.yml: baseline 2022-01..2023-12 = 2 years x 12 = 24 months per region, at least 12
    # and at least the 17 of the seasonal model (1 + 1 + 11 + 4); go-live 2024-01; North
    # treated, South control; no quality finding on the sample, so 100 - 0 = 100.
    text = sample_text["baseline"]
    assert "2022-01 to 2023-12 before the 2024-01 go-live" in text
    assert "**24 months** for the CRM group *North*" in text
    assert "at least the 12" in text and "reaches the 17" in text
    # 24 months also reach the 24 from which the seasonal estimate counts (measured limit).
    assert "only with 24 or more baseline months" in text and "which this baseline reaches" in text
    assert "**100/100**" in text
    assert "*South* is the control group" in text


def test_sample_margin(sample_text):
    # gross_margin likely 0.32: the revenue view is 1 / 0.32 = 3.125 -> 3.1 times the margin view.
    text = sample_text["margin"]
    assert "32%" in text and "**3.1 times**" in text


def _sample_user_months() -> float:
    """Active user-months of the sample's after period, read with the csv module."""
    with (SAMPLE_CASE / "adoption.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return sum(float(r["active_users"]) for r in rows if "2024-01" <= r["month"] <= "2025-06")


def test_sample_productivity_by_hand(sample_text):
    # After period 2024-01..2025-06 = 18 months; adoption.csv sums 743 active user-months
    # there (checked with the csv module), 743 / 18 = 41.28 -> 41.3 users. case.yml: 1.5 h a
    # user-week, EUR 65 an hour, recapture 0.5; 48 weeks a year:
    # 1.5 x 743/18 x 48 = 2,972 h; x 65 = EUR 193,180; x 0.5 = EUR 96,590 a year.
    assert _sample_user_months() == 743
    text = sample_text["productivity"]
    assert "743 user-months / 18 = **41.3 users**" in text
    assert "1.5 × 743/18 × 48 = 2,972 hours" in text
    assert "EUR 193,180" in text
    assert "**EUR 96,590 a year**" in text


def test_sample_counted_lines(sample_text):
    # Six lines built; revenue view and retention never count; operating cost's interval
    # includes zero (notebook 04); revenue, sales cycle and productivity count: 3 of 6.
    text = sample_text["counted"]
    assert "6 lines are built" in text and "**3 of 6** count" in text
    assert "- Operating cost saving: not counted" in text


def test_sample_tco_by_hand(sample_text):
    # costs.csv, go-live 2024-01, 3 years (Year 1 = 2024 ...); before 2024-01 is Initial.
    # Initial: 48,000 + 14,500 + 18,000 + 9,600 + 960 h x 65 (62,400) + 7,200 = 159,700.
    # Year 1: licences 4,200 x 12 = 50,400 + refresher 3,200/12 (from 2024-12) = 266.67
    #   + administrator 40 h x 65 x 12 = 31,200 + support 6,000 + enrichment 1,500 x 4 = 6,000
    #   + add-on 9,000/12 x 6 (2024-07..12) = 4,500 -> 98,366.67.
    # Year 2: 50,400 + 3,200 + 31,200 + 6,000 + 6,000 + 9,000 = 105,800.
    # Year 3: 50,400 + 3,200 + 31,200 + 6,000 + 6,000 = 96,800 (the add-on ended 2025-12).
    # TCO = 460,666.67; recurring = 460,666.67 - 159,700 = 300,966.67.
    # Risk: 10% on the costs after the data ends (2025-06): 2025-07..12 = 25,200 + 1,600
    #   + 15,600 + 3,000 + 3,000 + 4,500 = 52,900, plus 2026's 96,800 = 149,700;
    #   460,666.67 + 14,970 = 475,636.67 -> EUR 475,637.
    text = sample_text["tco"]
    for part in (
        "Initial EUR 159,700",
        "Year 1 EUR 98,367",
        "Year 2 EUR 105,800",
        "Year 3 EUR 96,800",
        "**TCO EUR 460,667**",
        "recurring EUR 300,967",
        "**EUR 475,637**",
    ):
        assert part in text


def test_sample_cost_split_and_staff(sample_text):
    # Recurring 300,966.67 / 460,666.67 = 0.653 -> 65%, one-time 35%.
    assert "**65%** of the TCO" in sample_text["split"]
    assert "one-time costs 35%" in sample_text["split"]
    # Internal staff: 960 h x 65 = 62,400 once + 40 h x 65 = 2,600 a month x 36 = 93,600:
    # 156,000; 156,000 / 460,666.67 = 0.339 -> 34%. Time saved is valued at EUR 65 too.
    text = sample_text["staff"]
    assert "960 h per occurrence at EUR 65.00" in text
    assert "EUR 156,000, **34% of the TCO**" in text
    assert "time saved is EUR 65.00" in text


def test_sample_intangibles_by_hand(sample_text):
    # case.yml: (4x1 + 4x1 + 3x0.8 + 3x0.8 + 4x1) / (1 + 1 + 0.8 + 0.8 + 1)
    #   = (4 + 4 + 2.4 + 2.4 + 4) / 4.6 = 16.8 / 4.6 = 3.652 -> 3.65 on the 1-5 scale.
    text = sample_text["intangibles"]
    assert "(4×1 + 4×1 + 3×0.8 + 3×0.8 + 4×1) / (1 + 1 + 0.8 + 0.8 + 1)" in text
    assert "16.8 / 4.6 = **3.65**" in text


def test_other_case_states_its_own_facts(other_text):
    # Goals as configured above: revenue +10% relative, acquisition cost -15% relative.
    goals = other_text["goals"]
    assert "**2 goals**: Revenue +10% (relative); Acquisition cost -15% (relative)." in goals
    # Baseline 2025-01..2025-12 = 12 months: at least 12, fewer than the seasonal model's 17.
    base = other_text["baseline"]
    assert "2025-01 to 2025-12 before the 2026-01 go-live" in base
    assert "**12 months** for the CRM group *Kanto*" in base
    assert "falls short of the 17" in base
    assert "only with 24 or more baseline months" in base
    assert "which this baseline does not reach" in base
    assert "*Kansai* is the control group" in base
    # Margin 0.45: 1 / 0.45 = 2.22 -> 2.2 times.
    assert "45%" in other_text["margin"] and "**2.2 times**" in other_text["margin"]
    # 20 users x 18 months = 360 user-months / 18 = 20; 2 h x 20 x 48 = 1,920 h;
    # x JPY 9,750 = JPY 18,720,000; x 0.5 = JPY 9,360,000 a year.
    prod = other_text["productivity"]
    assert "360 user-months / 18 = **20 users**" in prod
    assert "2 × 360/18 × 48 = 1,920 hours" in prod
    assert "**JPY 9,360,000 a year**" in prod
    # Every cost x 150: TCO 460,666.67 x 150 = 69,100,000; Initial 159,700 x 150 = 23,955,000.
    assert "Initial JPY 23,955,000" in other_text["tco"]
    assert "**TCO JPY 69,100,000**" in other_text["tco"]
    # Staff 156,000 x 150 = 23,400,000; the rate 65 x 150 = 9,750.
    assert "JPY 23,400,000" in other_text["staff"] and "JPY 9,750.00" in other_text["staff"]
    # (2x2 + 5x1) / (2 + 1) = 9 / 3 = 3.00.
    assert "(2×2 + 5×1) / (2 + 1) = 9 / 3 = **3.00**" in other_text["intangibles"]
    assert "(2 items)" in other_text["intangibles"]


def test_other_case_has_none_of_the_sample_facts(sample_text, other_text):
    # Each fact is in the sample's sentences (so the list is about real sentences) ...
    joined_sample = "\n".join(sample_text.values())
    assert [f for f in SAMPLE_FACTS if f not in joined_sample] == []
    # ... and in none of the other case's.
    found = {
        (name, fact) for name, text in other_text.items() for fact in SAMPLE_FACTS if fact in text
    }
    assert found == set()


def test_user_text_is_escaped():
    # Group names and labels are the user's: no Markdown emphasis, link, math or HTML.
    text = narrative.md_escape("Kan_to *1* [x] $5 <b>&")
    assert text == "Kan\\_to \\*1\\* \\[x\\] \\$5 &lt;b&gt;&amp;"
    assert narrative.md_escape("two\nlines") == "two lines"


def test_missing_parts_are_said(other_case):
    # No intangibles, no goals: the sentence says so instead of a formula on nothing.
    bare = dataclasses.replace(other_case, intangibles=(), goals=())
    assert "**no intangibles**" in narrative.intangibles_markdown(bare)
    assert "**no goals**" in narrative.goals_markdown(bare)


def test_projection_without_adoption_or_control(tmp_path):
    # A projection (tests/case/test_case.py's minimal case): 12 baseline months 2022-01..12,
    # go-live 2023-01, no groups, no adoption table, no active_users in case.yml.
    from tests.case.test_case import kpis_frame, write_case

    case = load_case(
        write_case(
            tmp_path / "p",
            kpis=kpis_frame(n=12),
            kind="projection",
            after=None,
            expected_changes={"revenue": {"low": 0.02, "likely": 0.05, "high": 0.1}},
        )
    )
    text = _sentences(case)
    assert "**12 months** for the case" in text["baseline"]
    assert "before the 2023-01 go-live" in text["baseline"]
    assert text["baseline"].endswith("There is no control group.")
    assert "**no active users**" in text["productivity"]
    assert "(1 item)" in text["intangibles"]
