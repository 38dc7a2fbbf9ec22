"""The CRM ROI model on the sample case, checked against independent computations.

Expected values are rebuilt here from the raw CSV files (csv module), from the
comparison module's estimates (tested on its own in test_compare.py), and with
numpy-financial - never from the model's own output.
"""

from __future__ import annotations

import csv
import shutil
from statistics import mean

import numpy as np
import numpy_financial as npf
import pytest
import yaml

from roi_kit.case import load_case
from roi_kit.errors import CaseError
from roi_kit.study import model, scenarios
from tests.paths import SAMPLE_CASE, TEMPLATES
from tests.study.hand_tables import sample_measurement


@pytest.fixture(scope="module")
def case(sample_case):
    return sample_case


@pytest.fixture(scope="module")
def comparison(case):
    # A fixed, hand-written measurement (tests/study/hand_tables.py): the model's arithmetic
    # is checked on it, whatever the comparison methods estimate today.
    return sample_measurement()


@pytest.fixture(scope="module")
def inputs(case, comparison):
    # The rule that picks a method is tested in test_verdict.
    return model.model_inputs(case, method="counterfactual", comparison=comparison)


def _rows(name):
    with open(SAMPLE_CASE / name, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _line(lines, name_start):
    return next(ln for ln in lines if ln.name.startswith(name_start))


def test_productivity_line_by_hand(case, inputs):
    # Active users: mean over the after period 2024-01..2025-06 of adoption.csv (read
    # with csv), the same window as the measured KPI changes.
    adoption = _rows("adoption.csv")
    active = mean(
        float(r["active_users"]) for r in adoption if "2024-01" <= r["month"] <= "2025-06"
    )
    # h x U x 48 weeks x rate x recapture = 1.5 x U x 48 x 65 x 0.5 (case.yml likely values).
    expected = 1.5 * active * 48 * 65 * 0.5
    lines = model.benefit_lines(inputs, model.base_params(case, inputs))
    line = _line(lines, "Productivity")
    assert float(line.annual_value) == pytest.approx(expected)
    assert line.counted


def test_revenue_and_cycle_lines_from_the_counterfactual(case, inputs, comparison):
    cf = comparison[comparison["method"] == "counterfactual"].set_index("kpi")
    lines = model.benefit_lines(inputs, model.base_params(case, inputs))
    # Margin view: monthly revenue change x 12 x gross margin 0.32 x attribution 0.7.
    d_rev = cf.loc["revenue", "change"]
    assert float(_line(lines, "Revenue uplift (margin").annual_value) == pytest.approx(
        d_rev * 12 * 0.32 * 0.7
    )
    # Revenue view (the articles'): the whole revenue change, never counted.
    view = _line(lines, "Revenue uplift (revenue")
    assert float(view.annual_value) == pytest.approx(d_rev * 12 * 0.7)
    assert not view.counted
    # Cycle time: North's baseline revenue x 12 x margin x days saved / 365 x cost of
    # capital (defaults to the 10% discount rate) x attribution.
    north = [r for r in _rows("kpis.csv") if r["region"] == "North" and r["month"] < "2024-01"]
    annual_revenue = mean(float(r["revenue"]) for r in north) * 12
    days = -cf.loc["sales_cycle_days", "change"]
    assert float(_line(lines, "Shorter sales cycle").annual_value) == pytest.approx(
        annual_revenue * 0.32 * days / 365 * 0.10 * 0.7
    )


def test_only_improvements_with_evidence_count(case, inputs, comparison):
    cf = comparison[comparison["method"] == "counterfactual"].set_index("kpi")
    lines = model.benefit_lines(inputs, model.base_params(case, inputs))
    opex = _line(lines, "Operating cost")
    # The sample's operating cost has no true effect; its interval includes zero.
    assert not cf.loc["operating_cost", "excludes_zero"]
    assert not opex.counted and opex.note.startswith("not counted")
    retention = _line(lines, "Retention")
    assert not retention.counted  # shown beside revenue, never added to it


def test_evaluation_matches_numpy_financial(case, inputs):
    res = model.evaluate_case(case, inputs=inputs)
    counted = sum(float(ln.annual_value) for ln in res.lines if ln.counted)
    assert res.annual_benefit == pytest.approx(counted)
    # Independent rebuild: benefits [0, B, B, B] x (1 - 10% risk); costs = the ledger's
    # yearly totals, the 10% cost risk only on what is not yet paid at the end of the data
    # (2025-06): Initial and Year 1 (2024) are actuals, Year 2 (2025) half actual by
    # month, Year 3 all future. Shares rebuilt here from costs.csv by month.
    paid = {0: [0.0, 0.0], 1: [0.0, 0.0], 2: [0.0, 0.0], 3: [0.0, 0.0]}
    monthly = inputs.schedule.monthly.sum(axis=1)
    for month, amount in monthly.items():
        k = 0 if month.year < 2024 else month.year - 2023
        paid[k][0 if str(month) <= "2025-06" else 1] += amount
    future = np.array([paid[k][1] / (paid[k][0] + paid[k][1]) for k in range(4)])
    b = np.array([0.0, counted, counted, counted]) * 0.9
    c = inputs.cost_years * (1 + 0.1 * future)
    assert res.evaluation.npv == pytest.approx(npf.npv(0.10, b) - npf.npv(0.10, c))
    assert res.evaluation.pv_costs == pytest.approx(npf.npv(0.10, c))
    # Every definition is in the table, with the articles' incremental = simple + 1.
    defs = dict(zip(res.definitions["definition"], res.definitions["value"], strict=True))
    assert defs["Incremental ROI (articles)"] == pytest.approx(defs["Simple ROI (articles)"] + 1)
    assert defs["Simple ROI (articles)"] == pytest.approx((b.sum() - c.sum()) / c.sum())
    assert defs["Nucleus annual ROI"] == pytest.approx(b.sum() / 3 / c[0])
    # The revenue-as-gain view overstates the return: revenue is not profit.
    assert defs["Simple ROI, revenue counted as gain"] > defs["Simple ROI (articles)"]


def test_vectorised_model_equals_the_scalar_model(case, inputs):
    fn = model.case_model(case, inputs=inputs)
    margins = np.array([0.25, 0.32, 0.40])
    out = fn({"gross_margin": margins})
    for i, m in enumerate(margins):
        one = model.evaluate_case(case, {"gross_margin": m}, inputs=inputs).evaluation
        assert out["npv"][i] == pytest.approx(one.npv)
        assert out["roi"][i] == pytest.approx(one.roi)
        assert out["payback_months"][i] == pytest.approx(one.payback_months)


def test_unknown_parameter_refused(case, inputs):
    with pytest.raises(CaseError, match="unknown model parameter"):
        model.evaluate_case(case, {"gross_marign": 0.3}, inputs=inputs)


def test_scenarios_apply_their_overrides(case, inputs):
    table = model.evaluate_scenarios(case, inputs).set_index("scenario")
    assert list(table.index) == ["base", "conservative", "optimistic"]
    # Conservative: every cost x 1.15 (case.yml), so PV costs = base PV costs x 1.15.
    assert table.loc["conservative", "pv_costs"] == pytest.approx(
        table.loc["base", "pv_costs"] * 1.15
    )
    # Optimistic: cost risk 5% instead of 10% on the costs still to come (the shares
    # checked by month in test_evaluation_matches_numpy_financial).
    future = inputs.cost_future_share
    assert table.loc["optimistic", "pv_costs"] == pytest.approx(
        npf.npv(0.10, inputs.cost_years * (1 + 0.05 * future))
    )
    assert table.loc["base", "pv_costs"] == pytest.approx(
        npf.npv(0.10, inputs.cost_years * (1 + 0.10 * future))
    )
    assert (
        table.loc["conservative", "npv"] < table.loc["base", "npv"] < table.loc["optimistic", "npv"]
    )


def test_roi_to_date_by_hand(case, inputs):
    res = model.evaluate_case(case, inputs=inputs)
    t = model.roi_to_date(case, res)
    assert list(t["quarter"])[:2] == ["2024Q1", "2024Q2"] and list(t["months"])[-1] == 18
    # First quarter: cost = every ledger amount dated before go-live plus Jan-Mar 2024
    # (actuals: no risk adjustment); benefit = 3 months of the counted annual benefit x 0.9.
    monthly = inputs.schedule.monthly.sum(axis=1)
    q1_cost = monthly[monthly.index <= case.go_live + 2].sum()
    q1_benefit = res.annual_benefit / 12 * 3 * 0.9
    assert t["cumulative_cost"].iloc[0] == pytest.approx(q1_cost)
    assert t["roi_to_date"].iloc[0] == pytest.approx((q1_benefit - q1_cost) / q1_cost)


def test_uncertain_specs_carry_the_measurement_interval(case, inputs, comparison):
    specs = model.uncertain_specs(case, inputs)
    cf = comparison[comparison["method"] == "counterfactual"].set_index("kpi")
    rev = specs["revenue_change"]
    # 95% interval half-width h -> 90% half-width h x 1.6449 / 1.9600.
    half95 = (cf.loc["revenue", "high"] - cf.loc["revenue", "low"]) / 2
    assert rev.kind == "normal"
    assert rev.high - rev.likely == pytest.approx(half95 * 1.644854 / 1.959964, rel=1e-5)
    # Not-counted changes carry no uncertainty into the money.
    assert "opex_change" not in specs and "customer_annual_margin" not in specs


def test_projection_case_is_labelled_projected(tmp_path):
    folder = tmp_path / "proj"
    shutil.copytree(TEMPLATES / "case", folder)
    cfg = yaml.safe_load((folder / "case.yml").read_text(encoding="utf-8"))
    cfg["kind"] = "projection"
    cfg.pop("after")
    cfg["expected_changes"] = {"revenue": {"low": 0.02, "likely": 0.05, "high": 0.10}}
    (folder / "case.yml").write_text(yaml.safe_dump(cfg), encoding="utf-8")
    # Before purchase there is only baseline data: keep the 2023 rows.
    kpis = (folder / "kpis.csv").read_text(encoding="utf-8").splitlines()
    kept = [kpis[0]] + [line for line in kpis[1:] if line < "2024"]
    (folder / "kpis.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    case = load_case(folder)
    res = model.evaluate_case(case)
    rev = _line(res.lines, "Revenue uplift (margin")
    assert rev.is_projected and rev.counted
    # 5% of the baseline monthly revenue (kpis.csv mean, by csv) x 12 x margin 0.30 x
    # attribution 0.5.
    with open(folder / "kpis.csv", newline="", encoding="utf-8") as fh:
        revenue = [float(r["revenue"]) for r in csv.DictReader(fh)]
    assert float(rev.annual_value) == pytest.approx(0.05 * mean(revenue) * 12 * 0.30 * 0.5)
    # A 3-month ramp (month i at i/3 of full: 1/3, 2/3, 1, 1, ...) delivers
    # 1/3 + 2/3 + 10 = 11 months of benefit in year 1: 11 / 12 of a full year.
    assert res.evaluation.benefits[1] == pytest.approx(res.evaluation.benefits[2] * 11 / 12)


def test_model_re_exports_scenarios_plainly():
    # No lazy module __getattr__: scenarios builds on inputs and evaluation, not on model,
    # so model imports it at the top and every name is a plain attribute.
    assert not hasattr(model, "__getattr__")
    for name in scenarios.__all__:
        assert name in model.__all__
        assert getattr(model, name) is getattr(scenarios, name)


# ------------------------------------------- issue 11: active users come from the data


def _shift_adoption(folder, first: str) -> list[dict[str, str]]:
    """Move adoption.csv's 18 months to start at ``first`` (values unchanged); the rows."""
    path = folder / "adoption.csv"
    header, *rows = path.read_text(encoding="utf-8").splitlines()
    year, month = map(int, first.split("-"))
    shifted = []
    for i, row in enumerate(rows):
        y, m = divmod(month - 1 + i, 12)
        shifted.append(f"{year + y}-{m + 1:02d}{row[7:]}")
    path.write_text("\n".join([header, *shifted]) + "\n", encoding="utf-8")
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_review_without_after_period_adoption_is_refused_not_guessed(tmp_path, comparison):
    folder = tmp_path / "case"
    shutil.copytree(SAMPLE_CASE, folder)
    _shift_adoption(folder, "2021-01")  # 2021-01 .. 2022-06: all before go-live (2024-01)
    case = load_case(folder)
    with pytest.raises(CaseError) as info:
        model.model_inputs(case, comparison=comparison)
    message = str(info.value)
    assert str(folder / "adoption.csv") in message
    assert "months 2021-01 to 2022-06, none of the after period 2024-01 to 2025-06" in message
    assert "Fix: add the after-period months" in message
    assert len(message.splitlines()) == 1


def test_review_with_part_of_the_after_period_uses_those_months(tmp_path, comparison):
    folder = tmp_path / "case"
    shutil.copytree(SAMPLE_CASE, folder)
    rows = _shift_adoption(folder, "2023-07")  # 2023-07 .. 2024-12
    # Only 2024-01 .. 2024-12 lie in the after period (2024-01 .. 2025-06): their mean,
    # taken here with the csv module.
    inside = [float(r["active_users"]) for r in rows if "2024-01" <= r["month"] <= "2025-06"]
    assert len(inside) == 12
    inputs = model.model_inputs(load_case(folder), comparison=comparison)
    assert inputs.active_users == pytest.approx(mean(inside))


def test_projection_uses_the_last_three_planned_months(tmp_path):
    folder = tmp_path / "proj"
    shutil.copytree(TEMPLATES / "case", folder)
    cfg = yaml.safe_load((folder / "case.yml").read_text(encoding="utf-8"))
    cfg["kind"] = "projection"
    cfg.pop("after")
    cfg["expected_changes"] = {"revenue": {"low": 0.02, "likely": 0.05, "high": 0.10}}
    (folder / "case.yml").write_text(yaml.safe_dump(cfg), encoding="utf-8")
    kpis = (folder / "kpis.csv").read_text(encoding="utf-8").splitlines()
    kept = [kpis[0]] + [line for line in kpis[1:] if line < "2024"]
    (folder / "kpis.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    # A plan of six months: the last three have 20, 30 and 40 active users -> 30.
    (folder / "adoption.csv").write_text(
        "month,licensed_users,active_users\n"
        "2024-01,50,5\n2024-02,50,10\n2024-03,50,15\n"
        "2024-04,50,20\n2024-05,50,30\n2024-06,50,40\n",
        encoding="utf-8",
    )
    inputs = model.model_inputs(load_case(folder))
    assert inputs.active_users == pytest.approx(30.0)
