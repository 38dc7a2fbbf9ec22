"""Tests for roi_kit.case.sample: the Northwind Supplies sample case with known true effects.

The files are read back with the csv module and plain Python arithmetic, never with the
generator's own helpers, so each check is independent of the code under test.
"""

from __future__ import annotations

import csv
import math
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from roi_kit.case.sample import SAMPLE_FILES, generate_sample_case, main, true_average_effects
from roi_kit.errors import CaseError
from tests.paths import SAMPLE_CASE

BASELINE = [f"{y}-{m:02d}" for y in (2022, 2023) for m in range(1, 13)]
AFTER = [f"2024-{m:02d}" for m in range(1, 13)] + [f"2025-{m:02d}" for m in range(1, 7)]
KPI_COLUMNS = [
    "revenue",
    "deals_won",
    "avg_deal_size",
    "win_rate",
    "lead_conversion",
    "sales_cycle_days",
    "customers",
    "churned_customers",
    "csat",
    "operating_cost",
    "acquisition_cost",
]


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def mean(values: list[float]) -> float:
    return sum(values) / len(values)


def column(rows, name, region, months) -> list[float]:
    wanted = set(months)
    return [float(r[name]) for r in rows if r["region"] == region and r["month"] in wanted]


@pytest.fixture(scope="module")
def kpis() -> list[dict[str, str]]:
    return read_csv(SAMPLE_CASE / "kpis.csv")


@pytest.fixture(scope="module")
def truth() -> dict:
    return yaml.safe_load((SAMPLE_CASE / "true_effects.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def null_kpis(tmp_path_factory) -> list[dict[str, str]]:
    # The same noise with every effect switched off: the counterfactual world.
    out = generate_sample_case(tmp_path_factory.mktemp("null"), effect_scale=0.0)
    return read_csv(out / "kpis.csv")


# --- determinism ---------------------------------------------------------------------------


def test_regeneration_is_byte_identical_to_committed_files(tmp_path):
    out = generate_sample_case(tmp_path / "case")
    written = sorted(p.name for p in out.iterdir())
    assert written == sorted(SAMPLE_FILES)
    assert sorted(p.name for p in SAMPLE_CASE.iterdir()) == written
    for name in written:
        assert (out / name).read_bytes() == (SAMPLE_CASE / name).read_bytes(), name


def test_files_use_unix_line_endings_and_end_with_newline():
    for name in SAMPLE_FILES:
        data = (SAMPLE_CASE / name).read_bytes()
        assert b"\r" not in data, name
        assert data.endswith(b"\n"), name


def test_same_seed_same_bytes_different_seed_different_bytes(tmp_path):
    a = generate_sample_case(tmp_path / "a", seed=7)
    b = generate_sample_case(tmp_path / "b", seed=7)
    c = generate_sample_case(tmp_path / "c", seed=8)
    for name in SAMPLE_FILES:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    for name in ("kpis.csv", "true_effects.yml"):
        assert (a / name).read_bytes() != (c / name).read_bytes(), name
    # The ledger and the assumptions are not random: they stay put.
    assert (a / "costs.csv").read_bytes() == (c / "costs.csv").read_bytes()


def test_main_writes_the_case_to_the_named_folder(tmp_path, capsys):
    assert main([str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "kpis.csv").read_bytes() == (SAMPLE_CASE / "kpis.csv").read_bytes()
    assert "out" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"seed": -1}, "seed"),
        ({"seed": 1.5}, "seed"),
        ({"seed": True}, "seed"),
        ({"effect_scale": float("nan")}, "effect_scale"),
        ({"effect_scale": -0.5}, "effect_scale"),
        ({"effect_scale": "1"}, "effect_scale"),
    ],
)
def test_bad_arguments_raise_case_error_and_write_nothing(tmp_path, kwargs, match):
    with pytest.raises(CaseError, match=match):
        generate_sample_case(tmp_path / "x", **kwargs)
    assert not (tmp_path / "x").exists()


# --- the story, checked in the files -------------------------------------------------------


def test_each_region_has_24_baseline_and_18_after_months_without_gaps(kpis):
    assert list(kpis[0]) == ["month", "region", *KPI_COLUMNS, "opportunities_closed"]
    for region in ("North", "South"):
        months = [r["month"] for r in kpis if r["region"] == region]
        assert months == BASELINE + AFTER  # in order, no gap, no duplicate
    assert {r["region"] for r in kpis} == {"North", "South"}
    assert len(BASELINE) == 24 and len(AFTER) == 18


def test_revenue_equals_deals_times_deal_size_to_the_cent(kpis):
    for r in kpis:
        product = int(r["deals_won"]) * Decimal(r["avg_deal_size"])
        assert abs(Decimal(r["revenue"]) - product) <= Decimal("0.01"), r["month"]


def test_win_rate_is_deals_won_over_closed_opportunities(kpis):
    for r in kpis:
        ratio = int(r["deals_won"]) / int(r["opportunities_closed"])
        # win_rate is written with 4 decimals: at most half a unit in the last place off.
        assert abs(float(r["win_rate"]) - ratio) <= 0.00005 + 1e-12, r["month"]


def test_customers_evolve_with_new_customers_and_churn(kpis):
    for region in ("North", "South"):
        rows = [r for r in kpis if r["region"] == region]
        for prev, cur in zip(rows, rows[1:], strict=False):
            # customers_t = customers_{t-1} + new_t - churned_t, with new customers a share
            # (about half) of the deals won: so new_t lies in [1, deals_won].
            new = int(cur["customers"]) - int(prev["customers"]) + int(cur["churned_customers"])
            assert 1 <= new <= int(cur["deals_won"]), (region, cur["month"])


def test_kpi_values_are_plausible(kpis):
    for r in kpis:
        assert 0 < float(r["win_rate"]) < 1
        assert 0 < float(r["lead_conversion"]) < 1
        assert 1 <= float(r["csat"]) <= 5
        assert float(r["sales_cycle_days"]) > 0
        assert float(r["operating_cost"]) > float(r["acquisition_cost"]) > 0


def test_seasonality_q4_peak_and_summer_dip_in_closed_opportunities(kpis):
    for region in ("North", "South"):
        by_month: dict[int, list[float]] = {}
        for r in kpis:
            if r["region"] == region and r["month"] in BASELINE:
                by_month.setdefault(int(r["month"][5:]), []).append(
                    float(r["opportunities_closed"])
                )
        level = mean([v for values in by_month.values() for v in values])
        assert mean(by_month[11] + by_month[12]) > level > mean(by_month[7] + by_month[8])


def test_adoption_ramps_and_active_never_exceeds_licensed():
    rows = read_csv(SAMPLE_CASE / "adoption.csv")
    assert [r["month"] for r in rows] == AFTER
    licensed = [int(r["licensed_users"]) for r in rows]
    active = [int(r["active_users"]) for r in rows]
    trained = [int(r["trained_users"]) for r in rows]
    assert set(licensed) == {60}
    assert all(0 < a <= n for a, n in zip(active, licensed, strict=True))
    assert all(b >= a for a, b in zip(trained, trained[1:], strict=False))  # cumulative
    assert all(t >= a for a, t in zip(active, trained, strict=True))
    assert active[0] / licensed[0] == pytest.approx(0.20, abs=0.02)
    assert active[8] / licensed[8] == pytest.approx(0.85, abs=0.02)
    assert min(active[8:]) / 60 >= 0.8


def test_cost_ledger_follows_the_data_contract():
    rows = read_csv(SAMPLE_CASE / "costs.csv")
    categories = {
        "software", "hardware", "implementation", "data_migration", "integration",
        "training", "support", "subscription", "internal_staff", "other",
    }  # fmt: skip
    for r in rows:
        assert r["category"] in categories
        assert r["type"] in {"one_time", "recurring"}
        assert r["frequency"] in {"once", "monthly", "quarterly", "annual"}
        assert (r["type"] == "one_time") == (r["frequency"] == "once"), r["item"]
        if r["category"] == "internal_staff":
            assert r["amount"] == "" and float(r["hours"]) > 0 and float(r["hourly_rate"]) > 0
        else:
            assert float(r["amount"]) > 0
    by_category = {r["category"] for r in rows}
    assert by_category == categories - {"other"}
    licences = [r for r in rows if r["category"] == "software"]
    assert [(r["frequency"], r["start"]) for r in licences] == [("monthly", "2024-01")]
    # 60 seats at EUR 70 per user-month.
    assert float(licences[0]["amount"]) == 60 * 70
    ended = [r for r in rows if r["end"]]
    assert [(r["start"], r["end"]) for r in ended] == [("2024-07", "2025-12")]


def test_case_yml_has_the_documented_settings():
    case = yaml.safe_load((SAMPLE_CASE / "case.yml").read_text(encoding="utf-8"))
    assert case["kind"] == "review" and case["currency"] == "EUR"
    assert case["go_live"] == "2024-01"
    assert case["baseline"] == {"start": "2022-01", "end": "2023-12"}
    assert case["after"] == {"start": "2024-01", "end": "2025-06"}
    assert case["horizon_years"] == 3 and case["discount_rate"] == 0.10
    assert case["groups"] == {"column": "region", "treated": "North", "control": "South"}
    goals = {g["kpi"]: (g["target"], g["target_kind"]) for g in case["goals"]}
    assert goals == {
        "win_rate": (0.05, "absolute"),
        "sales_cycle_days": (-0.20, "relative"),
        "csat": (0.3, "absolute"),
        "churned_customers": (-0.10, "relative"),
    }
    a = case["assumptions"]
    assert a["gross_margin"]["likely"] == 0.32
    assert a["attribution_share"] == {"low": 0.5, "likely": 0.7, "high": 0.9}
    assert a["loaded_hourly_rate"] == 65 and a["recapture_factor"] == 0.5
    assert case["risk"] == {"benefits": 0.10, "costs": 0.10}
    assert len(case["intangibles"]) == 5
    assert all(1 <= i["score"] <= 5 for i in case["intangibles"])
    for name in case["files"].values():
        assert (SAMPLE_CASE / name).is_file()


# --- the truth -----------------------------------------------------------------------------


def test_true_effects_record_the_full_adoption_effects_from_the_story(truth):
    full = {k: v["full_adoption_effect"] for k, v in truth["effects"].items()}
    # The values the story asks for, typed from the brief, not from the module.
    assert full["win_rate"] == 0.04
    assert full["sales_cycle_days"] == -8.0
    assert full["churned_customers"] == -0.15
    assert full["csat"] == 0.3
    assert full["avg_deal_size"] == 0.03
    assert set(truth["effects"]) == {*KPI_COLUMNS, "opportunities_closed"}
    for kpi in truth["zero_effect_kpis"]:
        assert truth["effects"][kpi]["average_effect"] == 0.0


def test_control_region_and_baseline_carry_no_injected_effect(kpis, null_kpis):
    with_crm = {(r["month"], r["region"]): r for r in kpis}
    without = {(r["month"], r["region"]): r for r in null_kpis}
    assert with_crm.keys() == without.keys()
    for key, row in with_crm.items():
        month, region = key
        if region == "South" or month in BASELINE:
            assert row == without[key], key
        else:
            for kpi in ("operating_cost", "opportunities_closed"):
                assert row[kpi] == without[key][kpi], key
    # ...while North's after months do change.
    changed = [m for m in AFTER if with_crm[(m, "North")] != without[(m, "North")]]
    assert changed == AFTER


def test_average_effects_match_the_files_with_and_without_the_crm(kpis, null_kpis, truth):
    for kpi, entry in truth["effects"].items():
        diffs = [
            a - b
            for a, b in zip(
                column(kpis, kpi, "North", AFTER), column(null_kpis, kpi, "North", AFTER),
                strict=True,
            )
        ]  # fmt: skip
        # The yml rounds to 6 decimals.
        assert entry["average_effect"] == pytest.approx(mean(diffs), abs=1e-6), kpi


def test_absolute_effects_equal_full_effect_times_mean_active_share(truth):
    rows = read_csv(SAMPLE_CASE / "adoption.csv")
    share = mean([int(r["active_users"]) / int(r["licensed_users"]) for r in rows])
    # By hand: effect each month = full x active/licensed; the mean over months is full x
    # mean share. Tolerance: half a unit in the last written decimal of the KPI, since the
    # with- and without-CRM values are each rounded (lead_conversion 4 dp, cycle 1 dp,
    # csat 2 dp).
    for kpi, full, half_unit in (
        ("lead_conversion", 0.015, 0.00005),
        ("sales_cycle_days", -8.0, 0.05),
        ("csat", 0.3, 0.005),
    ):
        assert truth["effects"][kpi]["average_effect"] == pytest.approx(
            full * share, abs=2 * half_unit
        ), kpi
    assert truth["mean_active_share"] == pytest.approx(share, abs=1e-6)


def test_naive_before_after_overstates_the_true_revenue_effect(kpis, truth):
    naive = mean(column(kpis, "revenue", "North", AFTER)) - mean(
        column(kpis, "revenue", "North", BASELINE)
    )
    true = truth["effects"]["revenue"]["average_effect"]
    assert true > 0
    # The shared growth trend is ~14% a year over 21 months between the periods' midpoints,
    # far more than the CRM's ~13%: the naive change should be well above the truth.
    assert naive > 1.5 * true
    naive_win = mean(column(kpis, "win_rate", "North", AFTER)) - mean(
        column(kpis, "win_rate", "North", BASELINE)
    )
    assert naive_win > truth["effects"]["win_rate"]["average_effect"]


def test_difference_in_differences_recovers_the_true_win_rate_effect(kpis, truth):
    def change(region: str) -> float:
        return mean(column(kpis, "win_rate", region, AFTER)) - mean(
            column(kpis, "win_rate", region, BASELINE)
        )

    did = change("North") - change("South")
    true = truth["effects"]["win_rate"]["average_effect"]
    # Tolerance from the noise: a month's win rate has noise sd about 0.0064 (0.006 in the
    # latent rate plus deals rounded to whole numbers, 0.5/130/sqrt(3) = 0.0022). The DiD
    # of means has sd 0.0064 * sqrt(2 * (1/24 + 1/18)) = 0.0028; 3 sd = 0.0085. Trend and
    # seasons are additive and shared, so they cancel. Recording the full-adoption effect
    # (0.04) or zero instead of the average (~0.027) would miss by more than that.
    assert did == pytest.approx(true, abs=0.0085)
    assert abs(did - truth["effects"]["win_rate"]["full_adoption_effect"]) > 0.0085


def test_the_readme_table_shows_the_recorded_truth(truth):
    text = (SAMPLE_CASE / "README.md").read_text(encoding="utf-8")
    for kpi, entry in truth["effects"].items():
        line = next(line for line in text.splitlines() if line.startswith(f"| `{kpi}` |"))
        cells = [c.strip() for c in line.strip("|").split("|")]
        shown = float(cells[3])
        assert math.isclose(shown, entry["average_effect"], abs_tol=0.01), kpi


def test_the_kit_loads_the_sample_case(sample_case):
    # The case loader (roi_kit.case.load) accepts every key and table the generator writes.
    case = sample_case
    assert case.kind == "review" and case.currency == "EUR"
    assert (case.groups.column, case.groups.treated, case.groups.control) == (
        "region",
        "North",
        "South",
    )
    assert len(case.kpis) == 2 * (24 + 18)
    assert len(case.costs) == len(read_csv(SAMPLE_CASE / "costs.csv")) == 12
    assert len(case.adoption) == 18
    assert [k.name for k in case.custom_kpis] == ["opportunities_closed"]
    assert len(case.intangibles) == 5


def test_true_average_effects_match_the_recorded_truth(truth):
    # The function and the committed yml come from the same world; both round to 6 decimals.
    effects = true_average_effects()
    assert effects == {k: v["average_effect"] for k, v in truth["effects"].items()}
    assert set(true_average_effects(effect_scale=0.0).values()) == {0.0}


def test_python_m_sample_runs_without_a_warning(tmp_path):
    # The package does not import the generator, so `python -m roi_kit.case.sample` does
    # not warn that the module was already in sys.modules (it did when the package did).
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-W", "error", "-m", "roi_kit.case.sample", str(tmp_path / "s")],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    assert "RuntimeWarning" not in out.stderr
    assert (tmp_path / "s" / "case.yml").is_file()
