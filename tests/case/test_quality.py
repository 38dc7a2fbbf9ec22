"""Tests of the data-quality report (roi_kit.case.quality)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from roi_kit.case import load_case
from roi_kit.case.quality import (
    SCORE_RULE,
    Finding,
    QualityReport,
    check_case,
    check_periods,
    find_control_gaps,
    find_duplicates,
    find_impossible_values,
    find_missing_months,
    find_missing_values,
    find_outliers,
    format_report,
    quality_score,
    robust_z,
)
from roi_kit.case.quality_checks import MAX_MAGNITUDE, find_cost_problems, find_too_large
from roi_kit.case.quality_periods import find_adoption_coverage, find_cost_dates
from roi_kit.errors import CaseError

P = pd.Period


def monthly(values, start="2022-01", **extra) -> pd.DataFrame:
    """A KPI table with spreadsheet row numbers as index (header = row 1)."""
    n = len(values)
    frame = pd.DataFrame(
        {"month": pd.period_range(start, periods=n, freq="M"), "revenue": values, **extra}
    )
    frame.index = pd.RangeIndex(2, n + 2, name="row")
    return frame


def smooth(n=24):
    # A gentle seasonal wave plus trend: nothing in it is an outlier.
    i = np.arange(n)
    return 100.0 + 0.5 * i + 5 * np.sin(2 * np.pi * i / 12)


# ---------------------------------------------------------------------------- robust z


def test_robust_z_by_hand():
    # [1, 2, 3, 4, 100]: median 3, |x - 3| = [2, 1, 0, 1, 97], MAD = 1.
    # z = dev / 1.4826 -> 100 gives 97 / 1.4826 = 65.426..., 1 gives 2 / 1.4826 = 1.349
    z = robust_z([1, 2, 3, 4, 100])
    assert z[4] == pytest.approx(97 / 1.4826)
    assert z[0] == pytest.approx(2 / 1.4826)
    assert z[2] == 0.0


def test_robust_z_when_mad_is_zero_uses_mean_deviation():
    # Nine 5s and a 50: MAD = 0. Mean = 9.5... no: the median is 5, deviations are nine 0s
    # and 45, mean absolute deviation = 45 / 10 = 4.5, scale = 1.2533 * 4.5 = 5.63985,
    # z(50) = 45 / 5.63985 = 7.979.
    z = robust_z([5] * 9 + [50])
    assert z[-1] == pytest.approx(45 / (1.2533 * 4.5))
    assert np.all(z[:-1] == 0)
    # All equal: nothing deviates, every score is 0 (no division by zero, no warning).
    assert np.all(robust_z([7.0] * 6) == 0)


def test_robust_z_keeps_nan_in_place():
    z = robust_z([1.0, np.nan, 3.0])
    assert np.isnan(z[1])
    assert z[0] == pytest.approx(1 / 1.4826)  # median 2, MAD 1


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.integers(-(10**6), 10**6), min_size=3, max_size=40),
    st.sampled_from([0.25, 0.5, 2.0, 4.0, 1024.0]),
    st.integers(-(10**6), 10**6),
)
def test_robust_z_is_invariant_to_units_and_offsets(values, scale, shift):
    # Integers times powers of two plus an integer shift are exact in floating point, so
    # the scores must agree exactly up to the last bits of the final division.
    x = np.array(values, dtype=float)
    assert np.allclose(robust_z(x), robust_z(x * scale + shift), rtol=1e-12, atol=0)


# ---------------------------------------------------------------------------- outliers


def test_planted_outlier_is_found_and_clean_series_gives_none():
    clean = monthly(smooth())
    assert find_outliers(clean, ["revenue"]) == []
    values = smooth()
    values[7] = 400.0  # row 9 in the sheet, 2022-08
    findings = find_outliers(monthly(values), ["revenue"])
    assert len(findings) == 1
    assert findings[0].severity == "warning"
    assert findings[0].rows == (9,)
    assert "2022-08" in findings[0].message


def test_outliers_are_per_group():
    north = monthly(smooth(), region=["North"] * 24)
    south_values = smooth() * 10
    south_values[3] = 5000.0
    south = monthly(south_values, region=["South"] * 24)
    south.index = pd.RangeIndex(26, 50, name="row")
    both = pd.concat([north, south])
    findings = find_outliers(both, ["revenue"], group="region")
    assert len(findings) == 1
    assert "'South'" in findings[0].message
    assert findings[0].rows == (29,)


def test_outliers_with_mad_zero_and_short_series():
    values = [5.0] * 9 + [50.0]
    found = find_outliers(monthly(values), ["revenue"])
    assert found and found[0].rows == (11,)
    assert find_outliers(monthly([5.0] * 10), ["revenue"]) == []
    assert find_outliers(monthly([1.0, 1.0, 99.0]), ["revenue"]) == []  # too few to judge


# ---------------------------------------------------------------------------- other checks


def test_missing_months_found_per_group():
    frame = monthly([1.0] * 6)
    frame = frame[frame["month"] != P("2022-03", "M")]
    findings = find_missing_months(frame)
    assert len(findings) == 1 and findings[0].severity == "error"
    assert "2022-03" in findings[0].message
    assert find_missing_months(monthly([1.0] * 6)) == []


def test_duplicates_cite_all_rows():
    frame = monthly([1.0, 2.0, 3.0])
    frame.loc[4, "month"] = P("2022-02", "M")  # row 4 now repeats row 3's month
    findings = find_duplicates(frame, ["month"])
    assert len(findings) == 1
    assert findings[0].rows == (3, 4)
    assert find_duplicates(monthly([1.0, 2.0]), ["month"]) == []


def test_impossible_values():
    frame = monthly(
        [1.0, 2.0, 3.0],
        win_rate=[0.2, 1.3, 0.25],
        deals_won=[3.0, -1.0, 2.5],
        active_users=[5.0, 12.0, 8.0],
        licensed_users=[10.0, 10.0, 10.0],
    )
    findings = {(f.column, f.rows) for f in find_impossible_values(frame)}
    assert ("win_rate", (3,)) in findings
    assert ("deals_won", (3,)) in findings  # negative
    assert ("deals_won", (4,)) in findings  # 2.5 deals
    assert ("active_users", (3,)) in findings
    assert len(findings) == 4


def test_missing_values():
    frame = monthly([1.0, np.nan, 3.0], csat=[np.nan] * 3)
    findings = {f.column: f for f in find_missing_values(frame, ["revenue", "csat"])}
    assert findings["revenue"].rows == (3,)
    assert "every value is empty" in findings["csat"].message
    assert find_missing_values(monthly([1.0, 2.0]), ["revenue"]) == []


def test_control_gaps():
    treated = monthly([1.0] * 6, region=["N"] * 6)
    control = monthly([1.0] * 6, region=["S"] * 6)
    control = control[~control["month"].isin([P("2022-02", "M"), P("2022-05", "M")])]
    found = find_control_gaps(
        pd.concat([treated, control]), group="region", treated="N", control="S"
    )
    assert len(found) == 1 and found[0].severity == "warning"
    assert "2022-02, 2022-05" in found[0].message
    later = monthly([1.0] * 3, start="2023-01", region=["S"] * 3)
    found = find_control_gaps(pd.concat([treated, later]), group="region", treated="N", control="S")
    assert found[0].severity == "error"


def test_check_periods():
    data = pd.period_range("2022-01", "2023-12", freq="M")
    base = (P("2022-01", "M"), P("2022-12", "M"))
    assert check_periods(data, go_live=P("2023-01", "M"), baseline=base) == []
    short = check_periods(
        data, go_live=P("2023-01", "M"), baseline=(P("2022-07", "M"), P("2022-12", "M"))
    )
    assert [f.check for f in short] == ["short_baseline"]
    assert "6 month(s)" in short[0].message
    outside = check_periods(data, go_live=P("2024-03", "M"), baseline=base)
    assert outside[0].severity == "error" and outside[0].check == "go_live"
    later = check_periods(
        pd.period_range("2022-01", "2022-12", freq="M"),
        go_live=P("2023-04", "M"),
        baseline=base,
        kind="projection",
    )
    assert [(f.severity, f.check) for f in later] == [("info", "go_live")]
    assert "3 month(s) after" in later[0].message  # 2023-01, 02, 03 lie between


# ---------------------------------------------------------------------------- score & report


def test_score_rule_by_hand():
    def f(severity):
        return Finding(severity, "x", "m")

    # 1 error, 2 warnings, 3 infos: 100 - 25 - 2*5 - 3*1 = 62.
    assert quality_score([f("error"), f("warning"), f("warning")] + [f("info")] * 3) == 62
    # 5 errors: 100 - 125 -> floored at 0.
    assert quality_score([f("error")] * 5) == 0
    assert quality_score([]) == 100
    assert "25 per error" in SCORE_RULE and "floored at 0" in SCORE_RULE


def test_report_frame_and_text():
    findings = (
        Finding("error", "duplicate", "two rows have month 2022-02", "kpis", "month", (3, 4)),
        Finding("info", "no_adoption", "no adoption table", "adoption"),
    )
    report = QualityReport(findings, quality_score(findings), SCORE_RULE)
    frame = report.to_frame()
    assert list(frame.columns) == ["severity", "check", "table", "column", "rows", "message"]
    assert frame["severity"].tolist() == ["error", "info"]
    text = format_report(report)
    assert "Data quality score: 74/100" in text  # 100 - 25 - 1
    assert "ERROR" in text and "kpis.month rows 3, 4" in text
    assert report.has_errors


def test_finding_refuses_unknown_severity():
    with pytest.raises(ValueError, match="severity"):
        Finding("fatal", "x", "m")
    # The kit's error (a ValueError too), naming where and the valid values.
    with pytest.raises(CaseError, match=r"Finding\.severity must be one of error, warning, info"):
        Finding("warn", "x", "m")


def test_check_periods_refuses_unknown_kind():
    data = pd.period_range("2022-01", "2023-12", freq="M")
    base = (P("2022-01", "M"), P("2022-12", "M"))
    with pytest.raises(CaseError, match="kind.*review, projection.*'forecast'"):
        check_periods(data, go_live=P("2023-01", "M"), baseline=base, kind="forecast")


def test_every_name_stays_importable_from_quality_and_the_package():
    import roi_kit.case as package
    import roi_kit.case.quality as quality

    assert set(quality.__all__) <= set(package.__all__)
    for name in quality.__all__:
        assert getattr(package, name) is getattr(quality, name), name


# ---------------------------------------------------------------------------- whole case


def _case(folder: Path, kpis: pd.DataFrame, **config) -> Path:
    folder.mkdir()
    cfg = {
        "kind": "review",
        "currency": "EUR",
        "go_live": "2023-01",
        "baseline": {"start": "2022-01", "end": "2022-12"},
        "after": {"start": "2023-01", "end": "2023-12"},
        **config,
    }
    (folder / "case.yml").write_text(yaml.safe_dump(cfg))
    kpis.to_csv(folder / "kpis.csv", index=False)
    (folder / "costs.csv").write_text(
        "item,category,type,amount,frequency,start\nLicences,software,recurring,100,monthly,2023-01\n"
    )
    return folder


def test_check_case_clean_and_with_planted_outlier(tmp_path):
    frame = pd.DataFrame(
        {
            "month": [str(p) for p in pd.period_range("2022-01", periods=24, freq="M")],
            "revenue": smooth(),
        }
    )
    clean = check_case(load_case(_case(tmp_path / "clean", frame)))
    # Only the note that there is no adoption table: 100 - 1 = 99.
    assert [f.check for f in clean.findings] == ["no_adoption"]
    assert clean.score == 99
    spiky = frame.copy()
    spiky.loc[14, "revenue"] = 10_000.0  # 15th data line = spreadsheet row 16
    report = check_case(load_case(_case(tmp_path / "spiky", spiky)))
    outliers = [f for f in report.findings if f.check == "outlier"]
    assert len(outliers) == 1 and outliers[0].rows == (16,)
    assert report.score == 100 - 5 - 1


def test_check_case_control_without_after_data(tmp_path):
    north = pd.DataFrame(
        {
            "month": [str(p) for p in pd.period_range("2022-01", periods=24, freq="M")],
            "region": "North",
            "revenue": smooth(),
        }
    )
    south = north.iloc[:12].assign(region="South")
    case = load_case(
        _case(
            tmp_path / "c",
            pd.concat([north, south]),
            groups={"column": "region", "treated": "North", "control": "South"},
        )
    )
    report = check_case(case)
    messages = [f.message for f in report.findings if f.severity == "error"]
    assert any("no data in the after period" in m for m in messages)
    assert report.findings[0].severity == "error"  # errors sorted first


def test_sample_case_loads_and_validates(sample_case):
    case = sample_case
    assert case.kind == "review"
    assert (case.groups.treated, case.groups.control) == ("North", "South")
    assert (case.baseline[1] - case.baseline[0]).n + 1 == 24
    report = check_case(case)
    assert not report.has_errors, format_report(report)


# ------------------------------------------------------- the gate: what summary enforces


def ledger_frame(**columns) -> pd.DataFrame:
    """A cost ledger with spreadsheet rows 2.. as index, as load_case reads it."""
    n = len(next(iter(columns.values())))
    base = {
        "item": ["x"] * n,
        "category": ["software"] * n,
        "type": ["one_time"] * n,
        "amount": [100.0] * n,
        "frequency": ["once"] * n,
        "start": [P("2023-01", "M")] * n,
        "end": [None] * n,
        "hours": [np.nan] * n,
        "hourly_rate": [np.nan] * n,
    }
    frame = pd.DataFrame({**base, **columns})
    frame.index = pd.RangeIndex(2, n + 2, name="row")
    return frame


def test_too_large_flags_only_values_above_the_bound():
    df = pd.DataFrame({"revenue": [MAX_MAGNITUDE, -2e12, np.nan]}, index=[2, 3, 4])
    (finding,) = find_too_large(df, ["revenue", "absent"], table="kpis", file="kpis.csv")
    assert finding.severity == "error" and finding.rows == (3,)  # 1e12 itself is allowed
    assert finding.message.startswith("kpis.csv: revenue: 1 value(s)")


def test_cost_problems_name_rows_and_file():
    # Row 2 fine; row 3 negative; row 4 100 != 10 h x 20/h = 200; row 5 no start.
    costs = ledger_frame(
        amount=[100.0, -5.0, 100.0, 100.0],
        hours=[np.nan, np.nan, 10.0, np.nan],
        hourly_rate=[np.nan, np.nan, 20.0, np.nan],
        start=[P("2023-01", "M"), P("2023-01", "M"), P("2023-01", "M"), pd.NaT],
    )
    found = {(f.check, f.column, f.rows) for f in find_cost_problems(costs, file="c.csv")}
    assert found == {
        ("cost_value", "amount", (3,)),
        ("cost_value", "amount", (4,)),
        ("cost_value", "start", (5,)),
    }
    assert all(f.message.startswith("c.csv: ") for f in find_cost_problems(costs, file="c.csv"))


def test_no_cost_inside_the_horizon_or_in_a_scenario_is_an_error():
    costs = ledger_frame(amount=[100.0], start=[P("2030-01", "M")])
    (finding,) = find_cost_problems(costs, last_month=P("2025-12", "M"))
    assert finding.check == "no_costs"
    ok = ledger_frame(amount=[100.0, 50.0], category=["software", "training"])
    # software x 0 and training falls back to all = 0: nothing left. training x 1: fine.
    scenarios = {
        "free": {"costs": {"all": 0, "software": 0}},
        "half": {"costs": {"all": 0, "training": 1}},
    }
    (finding,) = find_cost_problems(ok, scenarios=scenarios)
    assert "scenarios.free.costs" in finding.message


def test_cost_dates_after_the_horizon_and_before_the_baseline():
    # go-live 2024-01, 3 years: the horizon's last month is 2026-12.
    costs = ledger_frame(
        start=[P("2026-12", "M"), P("2027-01", "M"), P("2021-12", "M"), P("2022-01", "M")]
    )
    late, early = find_cost_dates(
        costs, go_live=P("2024-01", "M"), horizon_years=3, baseline_start=P("2022-01", "M")
    )
    assert (late.severity, late.rows) == ("warning", (3,))
    assert "2026-12" in late.message and "left out" in late.message
    assert (early.severity, early.rows) == ("warning", (4,))
    assert "Initial" in early.message


def test_adoption_coverage_error_warning_and_info():
    def table(start, n):
        frame = pd.DataFrame({"month": pd.period_range(start, periods=n, freq="M")})
        frame.index = pd.RangeIndex(2, n + 2, name="row")
        return frame

    after = (P("2024-01", "M"), P("2024-12", "M"))
    (none,) = find_adoption_coverage(table("2022-01", 12), after=after)
    assert none.severity == "error"
    # 2023-10..2024-03: 3 months inside of 12, 3 outside (rows 2-4).
    part, outside = find_adoption_coverage(table("2023-10", 6), after=after)
    assert part.severity == "warning" and "3 of the 12" in part.message
    assert outside.severity == "info" and outside.rows == (2, 3, 4)
    assert find_adoption_coverage(table("2024-01", 12), after=after) == []
    assert find_adoption_coverage(table("2022-01", 3), after=None) == []
