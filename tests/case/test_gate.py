"""`validate` is the gate: a case it passes runs through the summary with finite numbers.

Each broken case is a copy of the sample with one change. For each, either the case is
refused - ``load_case`` raises, or ``check_case`` has an error finding - with a message
naming the file, or ``run_study`` and ``case_summary`` succeed with finite numbers and no
numpy RuntimeWarning. The expected outcome of each case is stated too, so a refusal that
silently became a pass (or the reverse) fails here.
"""

from __future__ import annotations

import math
import shutil
import warnings
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

import roi_kit
from roi_kit.case import check_case, load_case
from roi_kit.errors import RoiKitError
from roi_kit.study import case_summary
from tests.paths import SAMPLE_CASE


def _replace(name: str, old: str, new: str) -> Callable[[Path], None]:
    def change(folder: Path) -> None:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in the sample's {name}: update the test"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return change


def _adoption_from(first: str) -> Callable[[Path], None]:
    """Shift adoption.csv's 18 months to start at ``first`` (values unchanged)."""

    def change(folder: Path) -> None:
        path = folder / "adoption.csv"
        header, *rows = path.read_text(encoding="utf-8").splitlines()
        start = pd.Period(first, "M")
        shifted = [f"{start + i}{row[7:]}" for i, row in enumerate(rows)]
        path.write_text("\n".join([header, *shifted]) + "\n", encoding="utf-8")

    return change


def _notes_column(folder: Path) -> None:
    """A free-text 备注 (notes) column in kpis.csv, saved as GBK like a Chinese Excel."""
    path = folder / "kpis.csv"
    header, *rows = path.read_text(encoding="utf-8").splitlines()
    notes = ["春节促销" if i % 3 == 0 else "" for i in range(len(rows))]
    lines = [header + ",备注", *(f"{r},{n}" for r, n in zip(rows, notes, strict=True))]
    path.write_bytes(("\n".join(lines) + "\n").encode("gbk"))


def _all_zero(folder: Path) -> None:
    # Every amount 0 and no staff hours: the ledger costs nothing.
    path = folder / "costs.csv"
    header, *rows = path.read_text(encoding="utf-8").splitlines()
    path.write_text(
        "\n".join([header, "Licences,software,recurring,0,monthly,2024-01,,,"]) + "\n",
        encoding="utf-8",
    )


# name -> (change, expected outcome, file the refusal names / finding check when it runs)
BROKEN: dict[str, tuple[Callable[[Path], None], str, str]] = {
    "negative cost": (
        _replace("costs.csv", "one_time,7200.00", "one_time,-7200.00"),
        "check",
        "costs.csv",
    ),
    "amount disagrees with hours x rate": (
        _replace(
            "costs.csv", "one_time,,once,2023-10,,960,65.00", "one_time,100,once,2023-10,,960,65.00"
        ),
        "check",
        "costs.csv",
    ),
    "blank cost start": (
        _replace("costs.csv", "one_time,7200.00,once,2023-12", "one_time,7200.00,once,"),
        "check",
        "costs.csv",
    ),
    "all costs zero": (_all_zero, "check", "costs.csv"),
    "huge cost amount": (
        _replace("costs.csv", "one_time,7200.00", "one_time,1e300"),
        "check",
        "costs.csv",
    ),
    "huge hours x rate": (
        _replace("costs.csv", "monthly,2024-01,,40,65.00", "monthly,2024-01,,1e12,1e12"),
        "check",
        "costs.csv",
    ),
    "huge hourly rate": (
        _replace("case.yml", "loaded_hourly_rate: 65", "loaded_hourly_rate: 1e308"),
        "load",
        "case.yml",
    ),
    "huge customer margin": (
        _replace(
            "case.yml",
            "loaded_hourly_rate: 65",
            "loaded_hourly_rate: 65\n  customer_annual_margin: 1e300",
        ),
        "load",
        "case.yml",
    ),
    "huge scenario cost multiplier": (
        _replace("case.yml", "costs: {all: 1.15}", "costs: {all: 1e308}"),
        "load",
        "case.yml",
    ),
    "scenario with no cost": (
        _replace("case.yml", "costs: {all: 1.15}", "costs: {all: 0}"),
        "check",
        "case.yml",
    ),
    "huge intangible weight": (
        _replace("case.yml", 'weight: 1.0, evidence: "CSAT', 'weight: 1e308, evidence: "CSAT'),
        "load",
        "case.yml",
    ),
    "huge revenue": (
        _replace("kpis.csv", "2022-01,North,253638.30", "2022-01,North,1e300"),
        "check",
        "kpis.csv",
    ),
    "adoption outside the after period": (_adoption_from("2021-01"), "check", "adoption.csv"),
    # Cases the kit uses in a documented way: they run, and the report says how.
    "one-time cost after the horizon": (
        _replace("costs.csv", "one_time,7200.00,once,2023-12", "one_time,7200.00,once,2031-12"),
        "runs",
        "cost_dates",
    ),
    "cost before the baseline": (
        _replace("costs.csv", "one_time,7200.00,once,2023-12", "one_time,7200.00,once,2019-12"),
        "runs",
        "cost_dates",
    ),
    "adoption covering part of the after period": (
        _adoption_from("2023-07"),
        "runs",
        "adoption_period",
    ),
    "a notes column in kpis.csv": (_notes_column, "runs", "text_column"),
    "hourly rate at the bound": (
        _replace("case.yml", "loaded_hourly_rate: 65", "loaded_hourly_rate: 1e12"),
        "runs",
        "",
    ),
}


def _finite(value: object) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_finite(v) for v in value.values())
    if isinstance(value, list):
        return all(_finite(v) for v in value)
    return True


def _copy(tmp_path: Path, change: Callable[[Path], None]) -> Path:
    folder = tmp_path / "case"
    shutil.copytree(SAMPLE_CASE, folder)
    change(folder)
    return folder


@pytest.mark.parametrize("name", list(BROKEN))
def test_validate_refuses_or_the_summary_is_finite(tmp_path, name):
    change, expected, detail = BROKEN[name]
    folder = _copy(tmp_path, change)
    try:
        case = load_case(folder)
    except RoiKitError as exc:
        assert expected == "load", f"{name}: refused on load: {exc}"
        assert detail in str(exc), f"{name}: the refusal does not name {detail}: {exc}"
        assert "\n" not in str(exc).strip()
        return
    report = check_case(case)
    errors = [f for f in report.findings if f.severity == "error"]
    if errors:
        assert expected == "check", f"{name}: unexpected errors {errors}"
        assert any(detail in f.message for f in errors), (name, errors)
        return
    assert expected == "runs", f"{name}: validate passed a case it should refuse"
    if detail:
        assert any(f.check == detail for f in report.findings), (name, report.findings)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # an overflow is a failure here
        summary = case_summary(roi_kit.run_study(case, n=200))
    assert _finite(summary)
    for key in ("npv", "pv_benefits", "pv_costs", "tco"):
        assert summary[key] is not None and math.isfinite(summary[key]), key


def test_a_cost_after_the_horizon_is_left_out_and_said(tmp_path):
    # The sample's horizon ends 2026-12 (go-live 2024-01 + 3 years); tablets dated 2031-12
    # fall outside, so the TCO loses exactly their 7,200.
    change = BROKEN["one-time cost after the horizon"][0]
    case = load_case(_copy(tmp_path, change))
    finding = next(f for f in check_case(case).findings if f.check == "cost_dates")
    assert finding.severity == "warning"
    assert finding.rows == (11,)  # the tablets line: header row 1, 10th line
    assert "costs.csv" in finding.message and "left out" in finding.message
    sample = case_summary(roi_kit.run_study(load_case(SAMPLE_CASE), n=200))
    late = case_summary(roi_kit.run_study(case, n=200))
    assert late["tco"] == pytest.approx(sample["tco"] - 7_200.0)


def test_adoption_outside_the_after_period_is_refused_by_name(tmp_path):
    case = load_case(_copy(tmp_path, _adoption_from("2021-01")))
    finding = next(f for f in check_case(case).findings if f.check == "adoption_period")
    assert finding.severity == "error"
    # 18 months from 2021-01 end 2022-06; the after period is 2024-01 to 2025-06.
    assert "2021-01 to 2022-06" in finding.message and "2024-01 to 2025-06" in finding.message


def test_the_notes_column_is_kept_aside_and_the_numbers_do_not_move(tmp_path):
    case = load_case(_copy(tmp_path, _notes_column))
    assert "备注" not in case.kpis.columns
    info = [f for f in check_case(case).findings if f.check == "text_column"]
    assert [f.severity for f in info] == ["info"]
    assert "备注" in info[0].message and "春节促销" in info[0].message
    sample = load_case(SAMPLE_CASE)
    pd.testing.assert_frame_equal(case.kpis, sample.kpis)
