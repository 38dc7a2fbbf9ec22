"""The machine-readable summary: documented, stable keys; reproducible numbers."""

from __future__ import annotations

import json
import subprocess

import numpy_financial as npf
import pytest

from roi_kit.case import get_kpi
from roi_kit.study import summary
from roi_kit.study.caveats import caveats, relevant_kpis
from tests.paths import ROI_KIT, SAMPLE_CASE


@pytest.fixture(scope="module")
def study(sample_case):
    return summary.run_study(sample_case, n=5_000, seed=7)


def test_json_keys_are_exactly_the_documented_ones(study):
    data = json.loads(summary.summary_json(study))
    assert list(data) == list(summary.JSON_KEYS)
    assert data["schema"] == "roi-kit-summary/1"
    assert set(data["roi"]) == {
        "simple",
        "percent",
        "incremental",
        "tei",
        "nucleus",
        "revenue_view",
    }
    assert set(data["monte_carlo"]) == {
        "n",
        "seed",
        "npv_p5",
        "npv_p50",
        "npv_p95",
        "roi_p5",
        "roi_p50",
        "roi_p95",
        "prob_roi_positive",
        "prob_payback_within_horizon",
    }
    row = data["comparison"][0]
    assert set(row) == {
        "kpi",
        "method",
        "change",
        "low",
        "high",
        "excludes_zero",
        "improvement",
        "reading",
        "pct_change",
        "mde",
        "mde_pct",
        "valid",
        "validity",
    }
    assert set(data["verdict"]) == {"code", "label", "reasons"}
    assert set(data["measurement"]) == {"rule", "source", "kpis"}
    assert all(set(c) == {"topic", "text"} for c in data["caveats"])


def test_headline_numbers_are_consistent(study):
    data = summary.case_summary(study)
    ev = study.result.evaluation
    # NPV recomputed from the risk-adjusted net flows with numpy-financial at 10%.
    assert data["npv"] == pytest.approx(npf.npv(0.10, ev.net))
    assert data["npv"] == pytest.approx(data["pv_benefits"] - data["pv_costs"])
    assert data["roi"]["percent"] == pytest.approx(data["roi"]["simple"] * 100)
    assert data["roi"]["incremental"] == pytest.approx(data["roi"]["simple"] + 1)
    # TCO = the sum of the per-category totals.
    assert data["tco"] == pytest.approx(sum(c["total"] for c in data["cost_lines"]))
    # The intangible score of the sample, by hand from case.yml:
    # (4x1 + 4x1 + 3x0.8 + 3x0.8 + 4x1) / (1 + 1 + 0.8 + 0.8 + 1) = 16.8 / 4.6 = 3.652.
    assert data["intangibles"]["weighted_score"] == pytest.approx(16.8 / 4.6)
    mc = data["monte_carlo"]
    assert mc["roi_p5"] <= mc["roi_p50"] <= mc["roi_p95"]
    assert 0.0 <= mc["prob_roi_positive"] <= 1.0


def test_same_seed_same_numbers_other_seed_other_numbers(study, sample_case):
    again = summary.run_study(sample_case, n=5_000, seed=7)
    other = summary.run_study(sample_case, n=5_000, seed=8)
    a, b, c = (summary.case_summary(s)["monte_carlo"] for s in (study, again, other))
    assert a == b
    assert a["npv_p50"] != c["npv_p50"]


@pytest.mark.slow
def test_cli_summary_json_parses():
    res = subprocess.run(
        [ROI_KIT, "summary", str(SAMPLE_CASE), "--json", "--draws", "2000"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["case"]["name"] == "Northwind Supplies - CRM review"
    assert data["case"]["currency"] == "EUR"


@pytest.mark.slow
def test_cli_new_then_validate(tmp_path):
    target = tmp_path / "my_case"
    res = subprocess.run([ROI_KIT, "new", str(target)], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert (target / "case.yml").exists()
    res = subprocess.run(
        [ROI_KIT, "validate", str(target)], capture_output=True, text=True, timeout=120
    )
    assert res.returncode == 0, res.stdout + res.stderr
    assert "quality score" in res.stdout.lower()
    # A second `new` into the same, now non-empty, folder is refused with a clear line.
    res = subprocess.run([ROI_KIT, "new", str(target)], capture_output=True, text=True, timeout=120)
    assert res.returncode == 2 and "Traceback" not in res.stderr


def test_monte_carlo_draws_without_the_tei_haircut(study):
    # The Monte Carlo draws the uncertain inputs themselves; the fixed TEI risk haircut on
    # top would count that risk twice. With symmetric ranges (sample case.yml) its median
    # NPV sits near the unadjusted point estimate, rebuilt here with numpy-financial from
    # the counted benefit lines and the ledger's yearly costs, no risk adjustment.
    res = study.result
    b = [0.0] + [res.annual_benefit] * 3
    unadjusted = npf.npv(0.10, b) - npf.npv(0.10, study.inputs.cost_years)
    mc = study.monte_carlo
    assert abs(mc.npv_p50 - unadjusted) < 0.05 * abs(unadjusted)
    assert mc.npv_p50 > res.evaluation.npv  # the headline is risk-adjusted, lower


def test_plain_did_resting_on_stated_parallel_trends_is_a_caveat(study):
    # The sample states why North and South move in parallel (case.yml); the plain DiD
    # estimates chosen for money rest on that, and the caveat names those KPIs only.
    reason = study.case.measurement.parallel_trends
    assert reason
    plain = [k for k, c in study.inputs.selection.items() if c.method == "did" and c.valid]
    texts = [c.text for c in caveats(study) if "rests on parallel trends" in c.text]
    assert len(texts) == 1 and f'"{reason}"' in texts[0]
    labels = texts[0].split(":")[0].split(", ")
    assert sorted(labels) == sorted(
        get_kpi(k, study.case.custom_kpis).label
        for k in plain
        if k in relevant_kpis(study.case, study.inputs.selection)
    )
