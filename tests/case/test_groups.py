"""``groups:`` with several groups, units inside them and staggered go-lives (issue 13, item 1).

Expected values are hand calculations in the comments.
"""

from __future__ import annotations

import pandas as pd
import pytest

from roi_kit.case import GroupSpec, load_case
from roi_kit.case.kpis import CATALOGUE, aggregate_units, unit_rule
from roi_kit.errors import CaseError
from tests.case.test_case import kpis_frame, months, write_case

__all__: list[str] = []

REGIONS = ("East", "Central", "West")


def unit_frame() -> pd.DataFrame:
    """Two reps per region, 24 months from 2022-01.

    Rep ``a`` wins 2 of 4 closed deals a month (win rate 0.5) at 1,000 each; rep ``b`` wins
    3 of 3 (win rate 1.0) at 2,000 each. Group month: 5 won of 7 closed, revenue 8,000.
    """
    rows = []
    for region in REGIONS:
        for month in months("2022-01", 24):
            for rep, won, rate, size in (("a", 2, 0.5, 1000.0), ("b", 3, 1.0, 2000.0)):
                rows.append(
                    {
                        "month": month,
                        "region": region,
                        "rep": f"{region}-{rep}",
                        "revenue": won * size,
                        "deals_won": won,
                        "win_rate": rate,
                        "avg_deal_size": size,
                    }
                )
    return pd.DataFrame(rows)


def test_units_are_summed_and_ratios_weighted_by_their_denominators(tmp_path):
    case = load_case(
        write_case(
            tmp_path / "c",
            kpis=unit_frame(),
            groups={"column": "region", "unit": "rep", "treated": "East"},
        )
    )
    spec = case.groups
    # No control given: every other group, sorted; `control` is the first of them.
    assert spec.control_groups == ("Central", "West") and spec.control == "Central"
    assert spec.treated_groups == ("East",) and spec.unit == "rep"
    assert len(case.unit_kpis) == 3 * 24 * 2 and len(case.kpis) == 3 * 24
    row = case.kpis.iloc[0]
    assert row["revenue"] == 2 * 1000 + 3 * 2000  # 8,000: amounts add up
    assert row["deals_won"] == 5
    # win rate = won / closed = 5 / (4 + 3) = 0.714..., not the mean of 0.5 and 1.0 (0.75)
    assert row["win_rate"] == pytest.approx(5 / 7)
    # average deal size = revenue / deals won = 8,000 / 5 = 1,600, not (1,000 + 2,000) / 2
    assert row["avg_deal_size"] == pytest.approx(1600.0)


def test_aggregate_skips_missing_cells_and_uses_deals_lost_when_present():
    frame = pd.DataFrame(
        {
            "month": ["2024-01"] * 3,
            "rep": ["a", "b", "c"],
            "deals_won": [0, 2, None],
            "deals_lost": [3, 2, 1],
            "win_rate": [0.0, 0.5, 0.4],
        }
    )
    out = aggregate_units(frame, ["month"], [CATALOGUE["deals_won"], CATALOGUE["win_rate"]])
    assert out["deals_won"].iloc[0] == 2  # the missing cell is skipped, not read as 0
    # rep c has no deals_won, so no weight; a: 0 of 3, b: 2 of 4 -> 2 / 7
    assert out["win_rate"].iloc[0] == pytest.approx(2 / 7)
    assert unit_rule(CATALOGUE["csat"]) == "mean"


def test_a_list_of_controls_and_a_staggered_mapping(tmp_path):
    kpis = kpis_frame(groups=("North", "South", "East", "West"))
    case = load_case(
        write_case(
            tmp_path / "c",
            kpis=kpis,
            groups={
                "column": "region",
                "treated": {"North": "2023-01", "South": "2023-04"},
                "control": ["East", "West"],
            },
        )
    )
    spec = case.groups
    assert spec.treated == "North" and spec.control == "East"
    assert spec.treated_groups == ("North", "South")
    assert spec.control_groups == ("East", "West")
    assert spec.go_lives["South"] == pd.Period("2023-04", "M")
    assert spec.staggered and case.unit_kpis is None


def test_quality_checks_every_control_and_ignores_none_of_the_named_groups(tmp_path):
    """With control [East, West] no group is "neither treated nor control"; a fifth group
    is; and a control with no baseline rows is an error naming that control."""
    from roi_kit.case import quality

    kpis = kpis_frame(groups=("North", "East", "West", "Spare"))
    groups = {"column": "region", "treated": "North", "control": ["East", "West"]}
    case = load_case(write_case(tmp_path / "q", kpis=kpis, groups=groups))
    found = {f.check: f.message for f in quality.check_case(case).findings}
    assert "Spare" in found["other_groups"]
    assert "East" not in found["other_groups"] and "West" not in found["other_groups"]
    late = kpis[~((kpis["region"] == "West") & (kpis["month"] < "2023-01"))]
    case = load_case(write_case(tmp_path / "late", kpis=late, groups=groups))
    errors = [f.message for f in quality.check_case(case).findings if f.severity == "error"]
    assert any("'West' has no data in the baseline" in m for m in errors)


def test_old_positional_groupspec_keeps_its_meaning():
    spec = GroupSpec("region", "North", "South")
    assert spec.treated_groups == ("North",) and spec.control_groups == ("South",)
    assert spec.unit is None and not spec.staggered and dict(spec.go_lives) == {}


@pytest.mark.parametrize(
    ("groups", "expected"),
    [
        (
            {"column": "region", "treated": ["North", "South"], "control": ["South"]},
            "'South' is both treated and control; they must differ",
        ),
        ({"column": "region", "treated": ["North", "North"]}, "names 'North' twice"),
        ({"column": "region", "treated": []}, "groups.treated is an empty list"),
        ({"column": "region", "unit": "region", "treated": "North"}, "both 'region'"),
        ({"column": "region", "unit": "revenue", "treated": "North"}, "groups.unit 'revenue'"),
        ({"column": "region", "control": "South"}, "groups needs 'treated'"),
        ({"column": "region", "treated": {"North": "2022-11"}}, "before the case's go_live"),
        ({"column": "region", "treated": {"North": "2023-03"}}, "the earliest go-live is 2023-03"),
        ({"column": "region", "treated": {"North": "2024-03"}}, "after the after period ends"),
        ({"column": "region", "treated": {"North": "soon"}}, "groups.treated.North must be"),
        ({"column": "region", "treated": "North", "untis": "rep"}, "did you mean 'unit'"),
    ],
)
def test_bad_groups_are_refused_naming_the_key(tmp_path, groups, expected):
    folder = write_case(tmp_path / "c", kpis=kpis_frame(groups=("North", "South")), groups=groups)
    with pytest.raises(CaseError, match=None) as info:
        load_case(folder)
    assert expected in str(info.value)


def test_no_control_group_in_the_data_is_refused(tmp_path):
    folder = write_case(
        tmp_path / "c",
        kpis=kpis_frame(groups=("North", "South")),
        groups={"column": "region", "treated": ["North", "South"]},
    )
    with pytest.raises(CaseError, match="no control group.*holds only the treated"):
        load_case(folder)


def test_ratio_without_its_denominator_is_refused(tmp_path):
    kpis = unit_frame().drop(columns=["deals_won", "revenue"])
    folder = write_case(
        tmp_path / "c", kpis=kpis, groups={"column": "region", "unit": "rep", "treated": "East"}
    )
    with pytest.raises(CaseError, match="weighted by deals_won, which the table lacks"):
        load_case(folder)


def test_a_duplicate_unit_month_is_refused(tmp_path):
    kpis = unit_frame()
    kpis = pd.concat([kpis, kpis.iloc[[0]]])
    folder = write_case(
        tmp_path / "c", kpis=kpis, groups={"column": "region", "unit": "rep", "treated": "East"}
    )
    with pytest.raises((CaseError, ValueError), match="kpis.csv"):
        load_case(folder)
