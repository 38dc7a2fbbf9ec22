"""Every output cell of the workbook, recomputed by ``formulas``, equals the kit's result.

Three cases: the sample (a review with a control group, adoption table and scenarios), a
projection built from the case template (a 3-month ramp, a scenario with its own expected
change and a cost multiplier) and the sample without its adoption table (productivity not
counted). The workbook is the kit's model re-written as Excel formulas; an independent
engine evaluates them, and the kit's own study (``run_study``) is the expected value:
money to the cent, IRR to 1e-6, payback to 0.01 month. The hand-worked case is in
test_workbook_hand.py.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import openpyxl
import pytest
import yaml

from roi_kit import load_case
from roi_kit.case import Case
from roi_kit.study.evaluation import evaluate_case
from roi_kit.study.run import Study, run_study
from roi_kit.workbook import SHEETS, write_workbook
from tests.paths import SAMPLE_CASE, TEMPLATES
from tests.study.test_optional_tables import make_case
from tests.workbook.recalc import Recalc, load_model, recalculate
from tests.workbook.test_workbook_names import undefined_names

pytestmark = pytest.mark.slow

CENT = 0.005


@dataclass(frozen=True)
class Built:
    case: Case
    study: Study
    path: Path
    model: object
    rc: Recalc


def _projection(folder: Path) -> Path:
    shutil.copytree(TEMPLATES / "case", folder)
    cfg = yaml.safe_load((folder / "case.yml").read_text(encoding="utf-8"))
    cfg["kind"] = "projection"
    cfg.pop("after")
    cfg["expected_changes"] = {
        "revenue": {"low": 0.02, "likely": 0.05, "high": 0.10},
        "sales_cycle_days": {"low": -0.15, "likely": -0.10, "high": -0.02},
    }
    cfg["scenarios"] = {
        "bold": {
            "description": "More revenue, dearer software",
            "expected_changes": {"revenue": {"low": 0.05, "likely": 0.08, "high": 0.12}},
            "assumptions": {"gross_margin": 0.33},
            "costs": {"software": 1.3},
        }
    }
    (folder / "case.yml").write_text(yaml.safe_dump(cfg), encoding="utf-8")
    kpis = (folder / "kpis.csv").read_text(encoding="utf-8").splitlines()
    kept = [kpis[0]] + [line for line in kpis[1:] if line < "2024"]
    (folder / "kpis.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    return folder


def _folder(kind: str, tmp: Path) -> Path:
    if kind == "sample":
        return SAMPLE_CASE
    if kind == "projection":
        return _projection(tmp / "projection")
    return make_case(tmp / "no_adoption", adoption=False)


@pytest.fixture(scope="module", params=["sample", "projection", "no_adoption"])
def built(request, tmp_path_factory) -> Built:
    tmp = tmp_path_factory.mktemp(request.param)
    case = load_case(_folder(request.param, tmp))
    study = run_study(case, n=500)
    path = write_workbook(case, tmp / f"{request.param}.xlsx", study=study)
    model = load_model(path)
    return Built(case, study, path, model, recalculate(path, model=model))


def _same(got, expected, tol):
    """Equal within ``tol``; a kit None (no IRR, never paid back) is text in the sheet."""
    if expected is None or (isinstance(expected, float) and np.isnan(expected)):
        return isinstance(got, str)
    return not isinstance(got, str) and abs(got - expected) <= tol


def test_the_sheets_are_the_issue_list(built):
    assert openpyxl.load_workbook(built.path, read_only=True).sheetnames == list(SHEETS)


def test_headline_results_equal_the_kit(built):
    ev, rc = built.study.result.evaluation, built.rc
    assert _same(rc.name("base_pv_benefits"), ev.pv_benefits, CENT)
    assert _same(rc.name("base_pv_costs"), ev.pv_costs, CENT)
    assert _same(rc.name("base_npv"), ev.npv, CENT)
    assert _same(rc.name("base_roi"), ev.roi, 1e-9)
    assert _same(rc.name("base_bcr"), ev.bcr, 1e-9)
    assert _same(rc.name("base_irr"), ev.irr, 1e-6)
    assert _same(rc.name("base_payback_months"), ev.payback_months, 0.01)
    assert _same(rc.name("annual_benefit"), built.study.result.annual_benefit, CENT)


def test_irr_cell_is_a_root_of_the_workbook_net_flows(built):
    # The engine's IRR() uses numpy-financial, as the kit does; so check the definition
    # independently: the net flows the sheet computed, discounted at the IRR it shows,
    # sum to zero.
    irr, rc = built.rc.name("base_irr"), built.rc
    if isinstance(irr, str):
        assert built.study.result.evaluation.irr is None
        return
    row = rc.rows("Cash flow")["Net cash flow"]
    n = built.study.case.horizon_years + 1
    net = np.array([rc.cell("Cash flow", f"{'BCDEFGHIJK'[k]}{row}") for k in range(n)])
    assert abs(np.sum(net / (1.0 + irr) ** np.arange(n))) < 1e-6 * np.abs(net).max()


def test_every_roi_definition_equals_the_kit(built):
    rows = built.rc.rows("ROI")
    tol = {"money": CENT, "months": 0.01, "percent": 1e-7}
    definitions = built.study.result.definitions
    assert len(definitions) >= 9  # every definition the kit reports has a row
    for d in definitions.itertuples(index=False):
        got = built.rc.cell("ROI", f"B{rows[d.definition]}")
        limit = 1e-6 if d.definition == "IRR" else tol.get(d.unit, 1e-9)
        assert _same(got, d.value, limit), (d.definition, got, d.value)


def test_cash_flow_rows_equal_the_kit(built):
    ev, rc = built.study.result.evaluation, built.rc
    rows = rc.rows("Cash flow")
    labels = {
        "Benefits, risk-adjusted x (1 - risk_benefits)": ev.benefits,
        "Costs, risk-adjusted, x (1 + cost_overrun)": ev.costs,
        "Net cash flow": ev.net,
    }
    for label, values in labels.items():
        got = [rc.cell("Cash flow", f"{'BCDEFGHIJK'[k]}{rows[label]}") for k in range(len(values))]
        np.testing.assert_allclose(got, values, atol=CENT, rtol=0, err_msg=label)


def test_benefit_lines_and_tco_equal_the_kit(built):
    rc, study = built.rc, built.study
    rows = rc.rows("Benefits")
    for line in study.result.lines:
        got = rc.cell("Benefits", f"C{rows[line.name]}")
        assert _same(got, float(np.mean(line.annual_value)), CENT), line.name
    rows = rc.rows("Costs")
    yearly = study.inputs.schedule.yearly
    for cat in yearly.index:
        r = rows["Total (TCO)" if cat == "Total" else cat]
        got = [rc.cell("Costs", f"{'NOPQRSTUVW'[k]}{r}") for k in range(len(yearly.columns))]
        np.testing.assert_allclose(got, yearly.loc[cat].to_numpy(), atol=CENT, rtol=0)
    r = rows["Cost risk share (after actuals / total; 1 when no cost)"]
    share = [rc.cell("Costs", f"{'NOPQRSTUVW'[k]}{r}") for k in range(study.case.horizon_years + 1)]
    np.testing.assert_allclose(share, study.inputs.cost_future_share, atol=1e-12)


def test_scenarios_equal_the_kit(built):
    rc = built.rc
    rows = rc.rows("Scenarios")
    for sc in built.study.scenarios.itertuples(index=False):
        r = rows[sc.scenario]
        expected = [sc.annual_benefit, sc.pv_benefits, sc.pv_costs, sc.npv, sc.roi, sc.irr]
        tols = [CENT, CENT, CENT, CENT, 1e-9, 1e-6]
        for col, value, tol in zip("CDEFGH", expected, tols, strict=True):
            assert _same(rc.cell("Scenarios", f"{col}{r}"), value, tol), (sc.scenario, col)
        assert _same(rc.cell("Scenarios", f"I{r}"), sc.payback_months, 0.01), sc.scenario


def test_tornado_equals_the_kit(built):
    rc = built.rc
    rows = rc.rows("Tornado")
    assert len(built.study.tornado) > 0
    for t in built.study.tornado.itertuples(index=False):
        r = rows[t.assumption]
        got = [rc.cell("Tornado", f"{col}{r}") for col in "CDEFGH"]
        expected = [t.low_value, t.high_value, t.output_at_low, t.output_at_high, t.swing, t.base]
        tol = [1e-9 * max(1.0, abs(t.low_value))] * 2 + [CENT] * 4
        for g, e, limit in zip(got, expected, tol, strict=True):
            assert abs(g - e) <= limit, (t.assumption, g, e)


def test_changing_the_margin_moves_npv_as_the_kit_computes(built):
    case, study = built.case, built.study
    margin = study.result.params["gross_margin"] + 0.05
    moved = recalculate(built.path, {"gross_margin": margin}, model=built.model)
    kit = evaluate_case(case, {"gross_margin": margin}, inputs=study.inputs).evaluation
    assert moved.name("base_npv") == pytest.approx(kit.npv, abs=CENT)
    assert moved.name("base_pv_benefits") == pytest.approx(kit.pv_benefits, abs=CENT)
    # Every case here counts a line through the margin (revenue or the shorter cycle), so
    # the move is real, not a cent of noise.
    lines = study.result.lines
    assert any(ln.counted and ln.kind in ("revenue_margin", "cycle_time") for ln in lines)
    assert abs(moved.name("base_npv") - built.rc.name("base_npv")) > 100


def test_cached_values_are_what_excel_computes(built):
    """A viewer that does not recalculate shows the same numbers as the engine."""
    formulas_wb = openpyxl.load_workbook(built.path)
    cached_wb = openpyxl.load_workbook(built.path, data_only=True)
    checked = 0
    for ws in formulas_wb.worksheets:
        cached = cached_wb[ws.title]
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                value = cached[cell.coordinate].value
                value = "" if value is None else value  # an empty text result reads as None
                got = built.rc.cell(ws.title, cell.coordinate)
                if isinstance(value, str) or isinstance(got, str):
                    assert value == got, (ws.title, cell.coordinate, value, got)
                else:
                    assert got == pytest.approx(value, rel=1e-9, abs=1e-6), (
                        ws.title,
                        cell.coordinate,
                    )
                checked += 1
    assert checked > 300


def test_every_name_a_formula_uses_is_defined(built):
    assert undefined_names(built.path) == set()


def test_outputs_are_formulas_not_pasted_values(built):
    wb = openpyxl.load_workbook(built.path)
    for title in ("Cash flow", "ROI", "Tornado"):
        numbers = [
            c.coordinate
            for row in wb[title].iter_rows()
            for c in row
            if isinstance(c.value, (int, float)) and c.data_type != "f"
        ]
        assert numbers == [], (title, numbers[:5])


def test_register_sheet_lists_every_tornado_input_by_its_swing(built):
    """The Register sheet holds one row per tornado input, its impact the tornado's swing,
    largest first; the expected swings are taken here from the study's tornado frame (a
    projection's expected change is keyed by its KPI in the register, by its model
    parameter in the tornado, so the swings are compared as sorted lists)."""
    ws = openpyxl.load_workbook(built.path, read_only=True)["Register"]
    rows = list(ws.iter_rows(min_row=5, values_only=True))
    header, body = rows[0], [r for r in rows[1:] if r[2]]
    impact = header.index("Impact: NPV swing")
    swings = sorted(
        (abs(t.swing) for t in built.study.tornado.itertuples(index=False)), reverse=True
    )
    impacts = [r[impact] or 0.0 for r in body]
    assert impacts == sorted(impacts, reverse=True)
    varied = [x for x in impacts if x > 0]
    assert varied == pytest.approx([x for x in swings if x > 0], abs=CENT)
    assert len(body) >= len(swings)
