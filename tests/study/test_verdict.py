"""The method for money, the plain verdict and the caveats (issue 14 items 3-5, issue 12).

Comparison tables are built by hand here (the columns of ``compare_all``), so each test sets
exactly which method is valid and which interval excludes zero; ``run_study`` is made to use
them by replacing its ``compare_all``. Expected values are set by the table (a hand-written
MDE, a hand-written interval) or computed by hand in a comment.
"""

from __future__ import annotations

import dataclasses
import json
import math

import pandas as pd
import pytest
import yaml

import roi_kit as rk
from roi_kit.case.types import Measurement
from roi_kit.errors import CaseError
from roi_kit.study import readout, summary
from roi_kit.study import run as run_module
from roi_kit.study.selection import (
    AUTO_ORDER,
    NAIVE_CAVEAT,
    choose_method,
    selected_changes,
)
from tests.study.hand_tables import COLUMNS, row, table
from tests.study.test_optional_tables import make_case

DRAWS = 400


def noise_table(**extra):
    """Every KPI of the sample's goals and money, no interval excluding zero."""
    rows = []
    for kpi, base in (
        ("revenue", 100_000.0),
        ("sales_cycle_days", 60.0),
        ("operating_cost", 50_000.0),
        ("churned_customers", 10.0),
        ("win_rate", 0.25),
        ("csat", 4.0),
    ):
        # MDE written by hand: 21% of the baseline for every KPI.
        for method in ("counterfactual", "did"):
            rows.append(
                row(kpi, method, base=base, change=0.01 * base, half=0.15 * base, mde=0.21 * base)
            )
        rows.append(row(kpi, "placebo-did", base=base, change=0.0, half=0.2 * base))
    frame = table(*rows)
    for key, value in extra.items():
        frame[key] = value
    return frame


@pytest.fixture(scope="module")
def case_dir(tmp_path_factory):
    return make_case(tmp_path_factory.mktemp("verdict") / "case")


@pytest.fixture
def with_table(monkeypatch):
    """``run_study`` measuring with a hand-built comparison table."""

    def use(frame):
        monkeypatch.setattr(run_module, "compare_all", lambda case, seed=0: frame.copy())

    return use


# --- the rule, on hand-built tables ---------------------------------------------------------


def test_auto_prefers_did_then_counterfactual():
    t = table(
        row("revenue", "counterfactual", base=100.0, change=10.0, half=5.0),
        row("revenue", "did", base=100.0, change=8.0, half=4.0),
    )
    chosen, why = choose_method(t, "auto", "default")
    assert chosen["method"] == "did" and "first valid" in why
    t.loc[t["method"] == "did", ["valid", "validity"]] = [False, "pre-trends diverge"]
    chosen, why = choose_method(t, "auto", "default")
    assert chosen["method"] == "counterfactual"
    assert "pre-trends diverge" in why  # the skipped method is named with its reason


def test_auto_never_picks_naive():
    t = table(
        row("revenue", "naive", base=100.0, change=30.0, half=5.0),
        row("revenue", "counterfactual", base=100.0, change=10.0, half=5.0, valid=False,
            validity="random walk"),
    )  # fmt: skip
    assert "naive" not in AUTO_ORDER
    got = selected_changes(t)["revenue"]
    assert not got.valid and not got.counted
    assert "no valid method" in got.reason and "random walk" in got.reason


def test_all_invalid_counts_nothing():
    t = table(
        *[
            row(k, m, base=100.0, change=20.0, half=5.0, valid=False, validity=f"{m} broken")
            for k in ("revenue", "operating_cost")
            for m in ("counterfactual", "did", "state-space")
        ]
    )
    chosen = selected_changes(t)
    assert all(not c.counted and not c.valid for c in chosen.values())
    assert all("did broken" in c.reason and "counterfactual broken" in c.reason
               for c in chosen.values())  # fmt: skip


def test_explicit_method_invalid_is_not_counted_and_says_so():
    t = table(
        row("revenue", "counterfactual", base=100.0, change=10.0, half=5.0),
        row("revenue", "did", base=100.0, change=10.0, half=5.0, valid=False,
            validity="pre-trends diverge"),
    )  # fmt: skip
    got = selected_changes(t, rule="did", source="case.yml")["revenue"]
    assert got.method == "did" and not got.counted
    assert "not valid here" in got.reason and "pre-trends diverge" in got.reason
    # The counterfactual, valid and excluding zero, is not used instead: the choice holds.
    assert selected_changes(t, rule="counterfactual")["revenue"].counted


def test_explicit_naive_carries_its_caveat():
    t = table(row("revenue", "naive", base=100.0, change=30.0, half=5.0))
    got = selected_changes(t, rule="naive", source="the report parameter method")["revenue"]
    assert got.counted and NAIVE_CAVEAT in got.reason


def test_mde_from_the_interval_when_the_method_gives_none():
    # 95% interval +-19.6 -> se 10; MDE = (1.959964 + 0.841621) x 10 = 28.016 (Bloom 1995).
    t = table(row("revenue", "did", base=200.0, change=0.0, half=19.6))
    got = selected_changes(t)["revenue"]
    assert got.mde == pytest.approx(28.016, abs=0.01)
    assert got.mde_pct == pytest.approx(28.016 / 200.0, abs=1e-4)
    # The relative change and interval are over the baseline mean: 0 / 200, -19.6 / 200.
    assert got.pct_low == pytest.approx(-0.098)


def test_named_method_absent_from_the_table_is_refused(case_dir):
    case = rk.load_case(case_dir)
    t = table(row("revenue", "counterfactual", base=100.0, change=1.0, half=5.0))
    with pytest.raises(CaseError, match="no 'did' comparison"):
        rk.model.measured_changes(case, method="did", comparison=t)


def test_case_yml_measurement_method(tmp_path):
    folder = make_case(tmp_path / "did_case")
    cfg = yaml.safe_load((folder / "case.yml").read_text(encoding="utf-8"))
    cfg["measurement"] = {"method": "counterfactual"}
    (folder / "case.yml").write_text(yaml.safe_dump(cfg), encoding="utf-8")
    case = rk.load_case(folder)
    assert case.measurement.method == "counterfactual" and case.measurement.set_in_case
    t = table(
        row("revenue", "counterfactual", base=100.0, change=10.0, half=5.0),
        row("revenue", "did", base=100.0, change=10.0, half=5.0),
    )
    inputs = rk.model.model_inputs(case, comparison=t)
    assert inputs.changes["revenue"].method == "counterfactual"
    assert inputs.method_source == "measurement.method in case.yml"
    # The notebook parameter overrides case.yml unless it is "auto".
    assert rk.model.model_inputs(case, method="did", comparison=t).changes["revenue"].method == (
        "did"
    )
    assert rk.model.model_inputs(case, method="auto", comparison=t).method_rule == (
        "counterfactual"
    )
    cfg["measurement"] = {"method": "diff"}
    (folder / "case.yml").write_text(yaml.safe_dump(cfg), encoding="utf-8")
    with pytest.raises(CaseError, match="measurement.method must be one of"):
        rk.load_case(folder)


def test_case_yml_parallel_trends_reaches_plain_did(tmp_path):
    folder = make_case(tmp_path / "did_case")
    cfg = yaml.safe_load((folder / "case.yml").read_text(encoding="utf-8"))
    if cfg.get("groups") is None:
        pytest.fail("make_case is expected to write a control group")
    cfg["measurement"] = {"parallel_trends": "  same market and prices  "}
    (folder / "case.yml").write_text(yaml.safe_dump(cfg), encoding="utf-8")
    case = rk.load_case(folder)
    assert case.measurement.parallel_trends == "same market and prices"
    assert case.measurement.method == "auto" and not case.measurement.set_in_case
    frame = rk.compare_all(case, methods=("did",))
    plain = frame[frame.method == "did"]
    # Where the pre-trend rule does not refuse, the statement makes plain DiD valid and the
    # note says what it hides; the rule still refuses where the baseline gap drifts.
    passed = plain[~plain.validity.str.contains("pre-trends differ")]
    assert len(passed) >= len(plain) // 2
    assert passed.note.str.contains("parallel trends assumed").all() and passed.valid.all()
    # Without the statement plain DiD is not valid on this baseline, and says why.
    bare = rk.compare_all(dataclasses.replace(case, measurement=Measurement()), methods=("did",))
    bare = bare[bare.method == "did"]
    assert not bare.valid.any()
    said = bare.validity.str.contains("parallel trends not shown|pre-trends differ")
    assert said.all()
    # An empty statement is refused in one line naming the key.
    for bad in ("", "   ", True):
        cfg["measurement"] = {"parallel_trends": bad}
        (folder / "case.yml").write_text(yaml.safe_dump(cfg), encoding="utf-8")
        with pytest.raises(CaseError, match="measurement.parallel_trends must say in words"):
            rk.load_case(folder)


# --- the verdict on a generated case ---------------------------------------------------------


def test_no_measurable_effect_with_the_mde_sentence(case_dir, with_table):
    with_table(noise_table())
    study = rk.run_study(rk.load_case(case_dir), n=DRAWS)
    v = readout.verdict_of(study)
    assert v.code == "no-measurable-effect" and v.label == "No measurable effect"
    # One MDE sentence per goal KPI (win rate, sales cycle, csat, churn) and money KPI
    # (revenue, operating cost), 21% by the table.
    mde = [r for r in v.reasons if "could only have detected" in r]
    assert len(mde) == 6
    assert mde[0].startswith("The data could only have detected a change of +/-21% in Win")
    assert any("+/-21% in Win rate" in r for r in mde)
    assert all("+/-21%" in r for r in mde)
    # Productivity rests on an assumption (hours set in case.yml): said as such.
    assert any("rests on assumptions only" in r for r in v.reasons)
    assert readout.verdict(study)[0] == "No measurable effect."
    assert "No measurable effect" in readout.headline_html(study)


def test_all_invalid_case_counts_no_measured_line(case_dir, with_table):
    frame = noise_table()
    frame["valid"] = False
    frame["validity"] = "random walk: a fixed trend cannot hold"
    with_table(frame)
    study = rk.run_study(rk.load_case(case_dir), n=DRAWS)
    measured = [ln for ln in study.result.lines if ln.counted and ln.kind != "productivity"]
    assert measured == []
    assert readout.verdict_of(study).code == "no-measurable-effect"
    texts = [c.text for c in readout.caveats(study)]
    assert any("no valid method" in t and "random walk" in t for t in texts)


def test_measured_improvement_pays_or_not_by_npv(case_dir, with_table):
    frame = noise_table()
    # Revenue +30% a month by DiD, interval +20% to +40%: counted through the margin.
    big = row("revenue", "did", base=100_000.0, change=30_000.0, half=10_000.0)
    frame.loc[(frame["kpi"] == "revenue") & (frame["method"] == "did"), COLUMNS] = list(
        big.values()
    )
    with_table(frame)
    study = rk.run_study(rk.load_case(case_dir), n=DRAWS)
    v = readout.verdict_of(study)
    assert v.code == ("pays" if study.result.evaluation.npv > 0 else "does-not-pay")
    assert any(
        r.startswith("Measured and counted: Revenue (+30.0%, 95% interval +20.0% to +40.0%")
        for r in v.reasons
    )
    data = json.loads(summary.summary_json(study))
    assert data["verdict"]["code"] == v.code
    rev = next(k for k in data["measurement"]["kpis"] if k["kpi"] == "revenue")
    assert rev["method"] == "did" and rev["counted"] is True
    assert rev["relative_change"] == pytest.approx(0.30)
    assert (rev["relative_low"], rev["relative_high"]) == pytest.approx((0.20, 0.40))
    assert data["measurement"]["rule"] == "auto"


def test_caveats_gather_notes_placebos_and_quality(case_dir, with_table):
    frame = noise_table()
    is_rev_did = (frame["kpi"] == "revenue") & (frame["method"] == "did")
    frame.loc[is_rev_did, "note"] = "dropped 2 month(s) with missing values: 2024-03, 2024-04"
    is_placebo = (frame["kpi"] == "win_rate") & (frame["method"] == "placebo-did")
    frame.loc[is_placebo, ["change", "note"]] = [
        math.nan,
        "not computed: 5 baseline months are too few for a placebo test",
    ]
    with_table(frame)
    study = rk.run_study(rk.load_case(case_dir), n=DRAWS)
    found = readout.caveats(study)
    texts = [c.text for c in found]
    assert "Revenue: dropped 2 month(s) with missing values: 2024-03, 2024-04" in texts
    assert any(t.startswith("Win rate: the placebo check of difference-in-differences was not "
                            "run: 5 baseline months") for t in texts)  # fmt: skip
    data = summary.case_summary(study)
    assert [c["text"] for c in data["caveats"]] == texts
    assert "caveat" in readout.caveats_html(study)


def test_nothing_uncertain_is_said_not_shown_as_an_interval(tmp_path, with_table):
    # No users (no adoption table, no active_users) and no measured line counted: every
    # counted benefit is 0 and the ranges of margin and attribution move nothing.
    folder = make_case(tmp_path / "flat", adoption=False)
    with_table(noise_table())
    study = rk.run_study(rk.load_case(folder), n=DRAWS)
    mc = study.monte_carlo
    assert not mc.has_spread
    assert mc.roi_p5 == mc.roi_p95  # the zero-width "interval" the text must not present
    text = mc.summary_text()
    assert "Nothing is uncertain" in text and "between" not in text
    sentences = readout.verdict(study)
    assert not any("hinges most" in s for s in sentences)
    assert any("No assumption's range moves the NPV" in s for s in sentences)
    assert "not uncertain" in readout.headline_html(study)
    topics = {c.topic for c in readout.caveats(study)}
    assert "uncertainty" in topics


def test_monte_carlo_names_the_inputs_it_varies():
    from roi_kit.study import Distribution, monte_carlo

    specs = {
        "a": Distribution("a", "uniform", 0.0, 1.0, 2.0),
        "b": Distribution("b", "fixed", 3.0, 3.0, 3.0),
    }
    mc = monte_carlo(lambda p: {"npv": p["a"] + p["b"], "roi": p["a"] - 1.0}, specs, n=200)
    assert mc.varied == ("a",)
    assert mc.summary_text({"a": "Gross margin"}).startswith("Varying Gross margin:")


def test_projection_verdict_is_projected(tmp_path):
    folder = make_case(tmp_path / "proj", control=False)
    cfg = yaml.safe_load((folder / "case.yml").read_text(encoding="utf-8"))
    cfg["kind"] = "projection"
    cfg.pop("after", None)
    cfg["expected_changes"] = {"revenue": {"low": 0.02, "likely": 0.05, "high": 0.08}}
    (folder / "case.yml").write_text(yaml.safe_dump(cfg), encoding="utf-8")
    kpis = pd.read_csv(folder / "kpis.csv", dtype=str)
    kpis[kpis["month"] < str(cfg["go_live"])].to_csv(folder / "kpis.csv", index=False)
    case = rk.load_case(folder)
    study = rk.run_study(case, n=DRAWS)
    v = readout.verdict_of(study)
    assert v.code == "projected" and v.label.startswith("Projected:")
    data = summary.case_summary(study)
    rev = next(k for k in data["measurement"]["kpis"] if k["kpi"] == "revenue")
    assert rev["relative_change"] == pytest.approx(0.05)
    assert (rev["relative_low"], rev["relative_high"]) == pytest.approx((0.02, 0.08))


def test_page_05_check_text_without_users(tmp_path, with_table):
    from roi_kit.views import benefits as benefit_views

    folder = make_case(tmp_path / "nousers", adoption=False)
    with_table(noise_table())
    study = rk.run_study(rk.load_case(folder), n=DRAWS)
    view = benefit_views.benefit_view(study.case, study.inputs)
    text = benefit_views.benefit_check_text(view, study.inputs)
    # Not "Active users ... 0.0": the reason instead.
    assert text.startswith("Active users: none stated (no adoption table and no active_users")
    assert "0.0" not in text.splitlines()[0]
    assert "Productivity (time saved): not counted:" in text


@pytest.mark.slow
def test_sample_verdict_finds_the_known_effect(sample_case):
    # The sample has a known, injected CRM effect (data/sample_case/true_effects.yml): a
    # verdict of "No measurable effect" would be a false negative.
    from roi_kit.case import facts

    study = rk.run_study(sample_case, n=DRAWS)
    v = readout.verdict_of(study)
    assert v.code in ("pays", "does-not-pay")
    assert v.code == ("pays" if study.result.evaluation.npv > 0 else "does-not-pay")
    truth = facts.load_true_effects(sample_case)
    measured = [k for k, c in study.inputs.selection.items() if c.excludes_zero]
    assert measured
    for kpi in measured:  # every change told from noise is a real one, and of its sign
        effect = truth[kpi]
        change = study.inputs.selection[kpi]
        assert effect != 0 and change.low <= effect <= change.high
