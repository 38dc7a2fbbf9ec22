"""Tests of the case contract (roi_kit.case): loading, validation, scaffolding, saving."""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from roi_kit.case import (
    ASSUMPTIONS,
    Case,
    Goal,
    Intangible,
    assumption_value,
    kpi_columns,
    kpi_direction,
    load_case,
    save_case_config,
    scaffold_case,
)
from roi_kit.case.parse import _parse_config
from roi_kit.cli import validate_command
from roi_kit.errors import CaseError, DataFileError
from tests.paths import SAMPLE_CASE

BASE_CONFIG = {
    "name": "Test case",
    "kind": "review",
    "currency": "eur",
    "go_live": "2023-01",
    "baseline": {"start": "2022-01", "end": "2022-12"},
    "after": {"start": "2023-01", "end": "2023-12"},
    "horizon_years": 3,
    "discount_rate": 0.08,
    "goals": [{"kpi": "win_rate", "target": 0.05, "target_kind": "absolute"}],
    "assumptions": {"attribution_share": {"low": 0.4, "likely": 0.6, "high": 0.8}},
    "intangibles": [{"name": "Customer experience", "score": 4, "evidence": "CSAT comments"}],
}

COSTS = """item,category,type,amount,frequency,start,end,hours,hourly_rate
Licences,subscription,recurring,1000,monthly,2023-01,,,
Implementation,implementation,one_time,20000,once,2022-11,,,
Project team,internal_staff,one_time,,once,2022-12,,100,50
"""


def months(start: str, n: int) -> list[str]:
    return [str(p) for p in pd.period_range(start, periods=n, freq="M")]


def kpis_frame(start: str = "2022-01", n: int = 24, groups: tuple[str, ...] = ()) -> pd.DataFrame:
    # Revenue 100,000 every month, 200 customers: easy to derive margins by hand.
    rows = []
    for group in groups or (None,):
        for i, month in enumerate(months(start, n)):
            row = {"month": month}
            if group is not None:
                row["region"] = group
            row.update(
                revenue=100000,
                deals_won=20 + i % 3,
                win_rate=0.25 + 0.01 * (i % 4),
                sales_cycle_days=40 - i % 5,
                customers=200,
            )
            rows.append(row)
    return pd.DataFrame(rows)


def write_case(
    folder: Path,
    config: dict | None = None,
    kpis: pd.DataFrame | None = None,
    costs: str = COSTS,
    adoption: str | None = None,
    **changes,
) -> Path:
    """Write a case folder; ``changes`` replace top-level config keys (None removes one)."""
    folder.mkdir(parents=True, exist_ok=True)
    cfg = copy.deepcopy(BASE_CONFIG if config is None else config)
    for key, value in changes.items():
        if value is None:
            cfg.pop(key, None)
        else:
            cfg[key] = value
    (folder / "case.yml").write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")
    (kpis_frame() if kpis is None else kpis).to_csv(folder / "kpis.csv", index=False)
    (folder / "costs.csv").write_text(costs, encoding="utf-8")
    if adoption is not None:
        (folder / "adoption.csv").write_text(adoption, encoding="utf-8")
    return folder


# ---------------------------------------------------------------------------- loading


def test_valid_review_loads(tmp_path):
    case = load_case(write_case(tmp_path / "c"))
    assert isinstance(case, Case)
    assert case.kind == "review"
    assert case.currency == "EUR"  # upper-cased
    assert case.go_live == pd.Period("2023-01", "M")
    assert case.baseline == (pd.Period("2022-01", "M"), pd.Period("2022-12", "M"))
    assert case.after == (pd.Period("2023-01", "M"), pd.Period("2023-12", "M"))
    assert case.discount_rate == 0.08
    assert case.groups is None
    assert len(case.kpis) == 24
    assert str(case.kpis["month"].dtype) == "period[M]"
    assert case.goals == (Goal("win_rate", 0.05, "absolute", "higher"),)
    assert case.intangibles == (Intangible("Customer experience", 4.0, 1.0, "CSAT comments"),)
    assert len(case.costs) == 3
    assert case.adoption is None
    assert kpi_columns(case) == [
        "revenue",
        "deals_won",
        "win_rate",
        "sales_cycle_days",
        "customers",
    ]


def test_assumption_defaults_ranges_and_derived_margin(tmp_path):
    case = load_case(write_case(tmp_path / "c"))
    # Set in case.yml as a range; default distribution PERT (as roi_kit.study.uncertainty).
    share = case.assumptions["attribution_share"]
    assert (share.low, share.likely, share.high, share.distribution) == (
        0.4,
        0.6,
        0.8,
        "pert",
    )
    assert assumption_value(case, "attribution_share", "high") == 0.8
    # Defaults from the table.
    assert assumption_value(case, "gross_margin") == 0.30
    assert case.assumptions["gross_margin"].distribution == "fixed"
    assert assumption_value(case, "recapture_factor") == 0.5
    assert assumption_value(case, "loaded_hourly_rate") == 60
    # cost_of_capital defaults to the discount rate.
    assert assumption_value(case, "cost_of_capital") == 0.08
    # Derived: revenue 100,000/month x 12 / 200 customers = 6,000 per customer-year,
    # x gross margin 0.30 = 1,800.
    assert assumption_value(case, "customer_annual_margin") == pytest.approx(1800.0)
    assert case.assumptions["customer_annual_margin"].source == "measured"
    with pytest.raises(CaseError, match="did you mean 'gross_margin'"):
        assumption_value(case, "gros_margin")
    with pytest.raises(CaseError, match="which"):
        assumption_value(case, "gross_margin", "median")


def test_customer_margin_absent_when_not_derivable(tmp_path):
    kpis = kpis_frame().drop(columns=["customers"])
    case = load_case(write_case(tmp_path / "c", kpis=kpis))
    assert "customer_annual_margin" not in case.assumptions
    with pytest.raises(CaseError, match="customer_annual_margin"):
        assumption_value(case, "customer_annual_margin")


def test_groups_and_custom_kpi(tmp_path):
    kpis = kpis_frame(groups=("North", "South"))
    kpis["nps"] = 30.0
    case = load_case(
        write_case(
            tmp_path / "c",
            kpis=kpis,
            groups={"column": "region", "treated": "North", "control": "South"},
            custom_kpis=[{"name": "nps", "label": "NPS", "unit": "points", "direction": "higher"}],
        )
    )
    assert case.groups.treated == "North" and case.groups.control == "South"
    assert len(case.kpis) == 48
    assert kpi_columns(case)[-1] == "nps"
    assert kpi_direction(case, "nps") == "higher"
    assert kpi_direction(case, "sales_cycle_days") == "lower"


def test_projection_loads(tmp_path):
    case = load_case(
        write_case(
            tmp_path / "c",
            kpis=kpis_frame(n=12),
            kind="projection",
            after=None,
            expected_changes={"revenue": {"low": 0.02, "likely": 0.05, "high": 0.1}},
        )
    )
    assert case.kind == "projection" and case.after is None
    assert case.expected_changes["revenue"].likely == 0.05


def test_load_accepts_a_yml_file_path(tmp_path):
    folder = write_case(tmp_path / "c")
    assert load_case(folder / "case.yml").name == "Test case"


def test_config_is_a_read_only_copy(tmp_path):
    case = load_case(write_case(tmp_path / "c"))
    assert case.config["assumptions"]["attribution_share"]["likely"] == 0.6
    with pytest.raises(TypeError):
        case.config["kind"] = "projection"  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        case.kind = "projection"  # type: ignore[misc]


# ---------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"discount_rat": 0.1},
            "unknown key 'discount_rat' at discount_rat; did you mean 'discount_rate'",
        ),
        (
            {"assumptions": {"gros_margin": 0.3}},
            "assumptions.gros_margin; did you mean 'gross_margin'",
        ),
        (
            {"goals": [{"kpi": "win_rate", "targt": 0.05, "target_kind": "absolute"}]},
            "goals[1].targt; did you mean 'target'",
        ),
        ({"baseline": {"start": "2022-01", "ende": "2022-12"}}, "did you mean 'end'"),
        ({"discount_rate": 1.0}, "discount_rate must be a fraction"),
        ({"discount_rate": -0.05}, "discount_rate must be a fraction"),
        ({"assumptions": {"gross_margin": 1.5}}, "outside the valid range 0 to 1"),
        (
            {"assumptions": {"gross_margin": {"low": 0.4, "likely": 0.3, "high": 0.5}}},
            "low <= likely <= high",
        ),
        ({"assumptions": {"gross_margin": {"low": 0.2, "likely": 0.3}}}, "both low and high"),
        (
            {"assumptions": {"gross_margin": {"likely": 0.3, "distribution": "lognormal"}}},
            "distribution must be one of",
        ),
        ({"horizon_years": 2.5}, "whole number of years"),
        ({"currency": "euro"}, "3-letter"),
        ({"kind": "reveiw"}, "did you mean 'review'"),
        ({"baseline": {"start": "2022-01", "end": "2023-01"}}, "baseline must end before go_live"),
        ({"after": {"start": "2022-12", "end": "2023-12"}}, "after must start at or after"),
        ({"after": None}, "a review needs 'after'"),
        (
            {"goals": [{"kpi": "sales_cycle_days", "target": 0.2, "target_kind": "relative"}]},
            "goes the wrong way",
        ),
        (
            {"goals": [{"kpi": "win_rat", "target": 0.2, "target_kind": "absolute"}]},
            "did you mean 'win_rate'",
        ),
        ({"intangibles": [{"name": "X", "score": 7}]}, "score must be from 1 to 5"),
        ({"risk": {"benefit": 0.1}}, "did you mean 'benefits'"),
        ({"groups": {"column": "region", "treated": "North", "control": "North"}}, "must differ"),
        ({"groups": {"column": "region", "treated": False, "control": "South"}}, "in quotes"),
        ({"expected_changes": {"revenue": 0.05}}, "expected_changes is for projections"),
        (
            {"scenarios": {"cautious": {"assumptions": {"attributon_share": 0.3}}}},
            "scenarios.cautious.assumptions.attributon_share",
        ),
        ({"files": {"kpis": "../kpis.csv"}}, "outside the case folder"),
        ({"files": {"kpis": "/etc/passwd"}}, "absolute path"),
        ({"files": {"kpis": "missing.csv"}}, "file not found"),
    ],
)
def test_config_errors_name_the_problem(tmp_path, changes, expected):
    folder = write_case(tmp_path / "c", **changes)
    with pytest.raises(CaseError) as info:
        load_case(folder)
    assert expected in str(info.value)
    assert "case.yml" in str(info.value)


def test_unknown_key_in_real_yaml_text(tmp_path):
    folder = write_case(tmp_path / "c")
    text = (folder / "case.yml").read_text().replace("attribution_share", "atribution_share")
    (folder / "case.yml").write_text(text)
    with pytest.raises(CaseError, match="assumptions.atribution_share; did you mean"):
        load_case(folder)


def test_yaml_syntax_error_names_the_line(tmp_path):
    folder = write_case(tmp_path / "c")
    (folder / "case.yml").write_text("name: x\nkind: review\ngoals: [unclosed\ncurrency: EUR\n")
    with pytest.raises(CaseError, match=r"not valid YAML at line \d+"):
        load_case(folder)


def test_duplicate_yaml_key_is_refused(tmp_path):
    folder = write_case(tmp_path / "c")
    text = (folder / "case.yml").read_text() + "discount_rate: 0.2\n"
    (folder / "case.yml").write_text(text)
    with pytest.raises(CaseError, match=r"line \d+: key 'discount_rate' is written twice"):
        load_case(folder)


def test_missing_case_yml_and_empty_yml(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(CaseError, match="no case.yml"):
        load_case(tmp_path / "empty")
    folder = write_case(tmp_path / "c")
    (folder / "case.yml").write_text("# nothing yet\n")
    with pytest.raises(CaseError, match="case.yml is empty"):
        load_case(folder)


def test_projection_with_after_period_data_is_refused(tmp_path):
    folder = write_case(
        tmp_path / "c",
        kind="projection",
        after=None,
        expected_changes={"revenue": 0.05},
    )  # kpis run to 2023-12, past go-live 2023-01
    with pytest.raises(CaseError, match="must not have after-period data.*12 row"):
        load_case(folder)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"after": {"start": "2023-01", "end": "2024-03"}}, "goes beyond the data"),
        ({"baseline": {"start": "2021-06", "end": "2022-12"}}, "not covered by kpis.csv"),
        ({"kind": "projection", "after": None}, "needs expected_changes"),
        (
            {
                "kind": "projection",
                "after": {"start": "2023-01", "end": "2023-12"},
                "expected_changes": {"revenue": 0.05},
            },
            "a projection has no after-period",
        ),
    ],
)
def test_period_errors(tmp_path, changes, expected):
    with pytest.raises(CaseError, match=expected):
        load_case(write_case(tmp_path / "c", **changes))


def test_go_live_outside_data_for_review(tmp_path):
    folder = write_case(
        tmp_path / "c",
        go_live="2024-02",
        baseline={"start": "2022-01", "end": "2023-12"},
        after={"start": "2024-02", "end": "2024-03"},
    )
    with pytest.raises(CaseError, match="go_live 2024-02 must lie inside the data"):
        load_case(folder)


def test_undeclared_extra_column_suggests_the_standard_name(tmp_path):
    kpis = kpis_frame().rename(columns={"revenue": "reveune"})
    with pytest.raises(DataFileError) as info:
        load_case(write_case(tmp_path / "c", kpis=kpis))
    message = str(info.value)
    assert "'reveune' is not a standard KPI; the nearest standard name is 'revenue'" in message
    assert "Fix: rename it to 'revenue'" in message
    # The sentence ends once, before ". Fix:" (it used to read "KPI.. Fix" / "'revenue'?. Fix").
    assert ".." not in message and "?." not in message


def test_an_undeclared_column_with_no_near_name_has_one_full_stop(tmp_path):
    kpis = kpis_frame()
    kpis["zzzz"] = 1.0
    with pytest.raises(DataFileError) as info:
        load_case(write_case(tmp_path / "c", kpis=kpis))
    message = str(info.value)
    assert "column 'zzzz' is not a standard KPI. Fix: rename it to a standard KPI" in message
    assert ".." not in message


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        (1, "key 1 at the top level is not a name (YAML read it as a number); valid keys here: "),
        (True, "key True at the top level is not a name (YAML read it as a yes/no value)"),
        ("zzzz", "unknown key 'zzzz' at zzzz; valid keys here: name, kind, currency"),
        ("discount_rat", "did you mean 'discount_rate'? Valid keys here: name, kind"),
    ],
)
def test_unknown_key_messages_read_as_sentences(key, expected):
    config = {**copy.deepcopy(BASE_CONFIG), key: 3}
    with pytest.raises(CaseError) as info:
        _parse_config(config, default_name="x")
    assert expected in str(info.value)
    assert "at 1 Valid" not in str(info.value)


def test_groups_and_custom_kpi_refusals_name_case_yml_and_the_table(tmp_path):
    folder = write_case(
        tmp_path / "c",
        kpis=kpis_frame(groups=("North", "South")),
        groups={"column": "region", "treated": "West", "control": "South"},
    )
    with pytest.raises(CaseError) as info:
        load_case(folder)
    message = str(info.value)
    assert message.startswith(f"{folder / 'case.yml'}: groups.treated is 'West'")
    assert "column 'region' of kpis.csv holds only North, South" in message
    assert "set groups.treated to one of those values" in message
    folder = write_case(tmp_path / "d", custom_kpis=[{"name": "nps", "direction": "higher"}])
    with pytest.raises(CaseError) as info:
        load_case(folder)
    message = str(info.value)
    assert message.startswith(f"{folder / 'case.yml'}: custom_kpis declares 'nps'")
    assert "add the column to kpis.csv or remove 'nps' from custom_kpis" in message


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        ({"stage": 5}, "crm_export.columns.stage must be the column name as written"),
        ({"stage": True}, "crm_export.columns.stage must be the column name"),
        ({"stage": None}, "(found None)"),
        ({"stage": ["Phase"]}, "(found ['Phase'])"),
        ({"stge": "Phase"}, "crm_export.columns.stge; did you mean 'stage'"),
    ],
)
def test_crm_export_column_names_must_be_text(tmp_path, columns, expected):
    folder = write_case(tmp_path / "c", crm_export={"columns": columns})
    with pytest.raises(CaseError) as info:
        load_case(folder)
    assert expected in str(info.value)
    assert "case.yml" in str(info.value)


def test_open_ended_money_ranges_say_their_bound():
    from roi_kit.case.quality_checks import MAX_MAGNITUDE

    # parse.py refuses values above MAX_MAGNITUDE (1e12); the documented range says so.
    assert MAX_MAGNITUDE == 1e12
    for name in ("loaded_hourly_rate", "customer_annual_margin"):
        spec = ASSUMPTIONS[name]
        assert spec.range_text() == "0 to 1e+12"
        assert spec.contains(1e12) and not spec.contains(1.000001e12)
    # Every documented range is finite now: "no upper limit" is said of no assumption.
    assert all("no upper limit" not in s.range_text() for s in ASSUMPTIONS.values())


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (-5, "loaded_hourly_rate: the value -5 is outside the valid range 0 to 1e+12"),
        (
            {"low": -1, "likely": 60, "high": 70},
            "loaded_hourly_rate: the low value -1 is outside the valid range 0 to 1e+12",
        ),
        (2e12, "loaded_hourly_rate: the value 2e+12 is above 1e+12"),
    ],
)
def test_hourly_rate_out_of_range_messages(value, expected):
    config = {**copy.deepcopy(BASE_CONFIG), "assumptions": {"loaded_hourly_rate": value}}
    with pytest.raises(CaseError) as info:
        _parse_config(config, default_name="x")
    assert expected in str(info.value)


def test_declared_custom_kpi_missing_from_data(tmp_path):
    folder = write_case(tmp_path / "c", custom_kpis=[{"name": "nps", "direction": "higher"}])
    with pytest.raises(CaseError, match="declares 'nps'"):
        load_case(folder)


def test_group_value_not_in_data(tmp_path):
    folder = write_case(
        tmp_path / "c",
        kpis=kpis_frame(groups=("North", "South")),
        groups={"column": "region", "treated": "North", "control": "West"},
    )
    with pytest.raises(CaseError, match="groups.control is 'West'.*North, South"):
        load_case(folder)


@pytest.mark.parametrize(
    ("line", "row", "expected"),
    [
        ("Training,training,one_time,500,monthly,2023-01,,,", 4, "one_time cost must have"),
        ("Support,support,recurring,500,once,2023-01,,,", 4, "recurring cost needs"),
        ("Staff,internal_staff,one_time,,once,2023-01,,,", 4, "needs an amount"),
        ("Licences,software,recurring,10,annual,2023-05,2023-01,,", 4, "before start"),
    ],
)
def test_cost_ledger_row_errors(tmp_path, line, row, expected):
    folder = write_case(tmp_path / "c", costs=COSTS + line + "\n")
    with pytest.raises(DataFileError, match=expected) as info:
        load_case(folder)
    # Header is row 1, then three valid rows: the planted line is row 5.
    assert info.value.row == row + 1


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0, 1, allow_nan=False), min_size=3, max_size=3))
def test_assumption_ranges_accepted_iff_ordered(values):
    low, likely, high = values
    config = dict(
        BASE_CONFIG, assumptions={"gross_margin": {"low": low, "likely": likely, "high": high}}
    )
    if low <= likely <= high:
        parsed = _parse_config(config, "x")["assumptions"]["gross_margin"]
        assert (parsed.low, parsed.likely, parsed.high) == (low, likely, high)
    else:
        with pytest.raises(CaseError, match="low <= likely <= high"):
            _parse_config(config, "x")


def test_every_assumption_has_unit_range_and_valid_default():
    for name in (
        "gross_margin",
        "attribution_share",
        "recapture_factor",
        "loaded_hourly_rate",
        "hours_saved_per_user_week",
        "customer_annual_margin",
        "ramp_up_months",
        "cost_of_capital",
        "cost_overrun",
    ):
        spec = ASSUMPTIONS[name]
        assert spec.unit
        assert spec.default is None or spec.contains(spec.default)
    assert ASSUMPTIONS["gross_margin"].default == 0.30
    assert ASSUMPTIONS["attribution_share"].default == 0.5


# ---------------------------------------------------------------------------- scaffold


def test_scaffold_then_validate_round_trip(tmp_path, capsys):
    folder = scaffold_case(tmp_path / "acme-crm")
    assert sorted(p.name for p in folder.iterdir()) == [
        "adoption.csv",
        "case.yml",
        "costs.csv",
        "kpis.csv",
    ]
    text = (folder / "case.yml").read_text(encoding="utf-8")
    assert '\nname: "acme-crm"' in "\n" + text
    assert "# " in text  # the comments survive
    case = load_case(folder)
    assert case.name == "acme-crm"
    assert validate_command(folder) == 0
    out = capsys.readouterr().out
    assert "Data quality score:" in out


def test_scaffold_refuses_non_empty_folder_but_accepts_empty(tmp_path):
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine")
    with pytest.raises(CaseError, match="not empty"):
        scaffold_case(busy)
    assert (busy / "notes.txt").read_text() == "mine"
    empty = tmp_path / "empty"
    empty.mkdir()
    assert load_case(scaffold_case(empty)).name == "empty"


# ---------------------------------------------------------------------------- saving


def test_save_case_config_round_trip(tmp_path):
    folder = write_case(tmp_path / "c")
    case = load_case(folder)
    new_goals = [Goal("sales_cycle_days", -0.2, "relative", "lower")]
    out = save_case_config(
        case,
        folder / "case_v2.yml",
        updates={
            "goals": new_goals,
            "assumptions": {"gross_margin": 0.4},
            "intangibles": [Intangible("Data insight", 3, 2, "dashboards used weekly")],
        },
    )
    assert out == folder / "case_v2.yml"
    again = load_case(out)
    assert again.goals == tuple(new_goals)
    assert assumption_value(again, "gross_margin") == 0.4
    # Merged, not replaced: the attribution range from the original file is still there.
    assert assumption_value(again, "attribution_share", "low") == 0.4
    assert again.intangibles == (Intangible("Data insight", 3.0, 2.0, "dashboards used weekly"),)
    # The original file is untouched.
    assert load_case(folder).goals == case.goals


def test_save_case_config_to_another_folder_with_the_tables(tmp_path):
    case = load_case(write_case(tmp_path / "c"))
    other = write_case(tmp_path / "d", config={"kind": "review"})  # tables only matter
    (other / "case.yml").unlink()
    save_case_config(
        case.config,
        other / "case.yml",
        updates={"after": None, "kind": "projection", "expected_changes": {"revenue": 0.05}},
    )
    with pytest.raises(CaseError, match="must not have after-period data"):
        load_case(other)  # the data still has after months: a valid config, refused data
    updated = save_case_config(
        case, other / "case_v3.yml", updates={"name": "Renamed", "discount_rate": 0.12}
    )
    loaded = load_case(updated)
    assert (loaded.name, loaded.discount_rate) == ("Renamed", 0.12)


def test_save_case_config_refuses_overwrite_and_sample_folder(tmp_path):
    folder = write_case(tmp_path / "c")
    case = load_case(folder)
    before = (folder / "case.yml").read_text()
    with pytest.raises(CaseError, match="already exists"):
        save_case_config(case, folder / "case.yml")
    assert (folder / "case.yml").read_text() == before
    with pytest.raises(CaseError, match="sample case"):
        save_case_config(case, SAMPLE_CASE / "case_edit.yml")
    assert not (SAMPLE_CASE / "case_edit.yml").exists()
    with pytest.raises(CaseError, match=".yml or .yaml"):
        save_case_config(case, folder / "case.txt")


def test_save_case_config_refuses_invalid_result_and_writes_nothing(tmp_path):
    case = load_case(write_case(tmp_path / "c"))
    target = tmp_path / "c" / "bad.yml"
    with pytest.raises(CaseError, match="not saved.*gros_margin"):
        save_case_config(case, target, updates={"assumptions": {"gros_margin": 0.4}})
    assert not target.exists()


# ---------------------------------------------------------------------------- validate


def test_validate_command_exit_codes(tmp_path, capsys):
    assert validate_command(write_case(tmp_path / "good")) == 0
    assert validate_command(write_case(tmp_path / "bad", discount_rat=0.1)) == 1
    assert "could not be loaded" in capsys.readouterr().out
    # Loads, but active users exceed seats: an error-severity finding.
    adoption = "month,licensed_users,active_users\n2023-01,10,8\n2023-02,10,12\n"
    assert validate_command(write_case(tmp_path / "odd", adoption=adoption)) == 1
    assert "active_users exceeds licensed_users" in capsys.readouterr().out


def test_crm_export_mapping_is_read_and_validated(tmp_path):
    from roi_kit.case import crm_mapping

    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "case.yml").write_text(
        "crm_export:\n"
        "  columns: {stage: Phase, created_date: Opened, close_date: Closed, amount: Value}\n"
        "  stages: {Signed: won, Dropped: LOST, Talking: open}\n",
        encoding="utf-8",
    )
    m = crm_mapping(folder)
    assert m["columns"]["stage"] == "Phase"
    assert m["stages"] == {"Signed": "won", "Dropped": "lost", "Talking": "open"}
    (folder / "case.yml").write_text("crm_export:\n  stages: {Signed: maybe}\n", encoding="utf-8")
    with pytest.raises(CaseError, match=r"crm_export.stages.Signed: map each stage to won"):
        crm_mapping(folder)
    (folder / "case.yml").write_text("crm_export:\n  colums: {}\n", encoding="utf-8")
    with pytest.raises(CaseError, match="columns"):
        crm_mapping(folder)


# ------------------------------------------------------------- text columns and bounds


def test_a_notes_column_is_kept_aside_not_refused(tmp_path):
    # Two of 24 rows have a note, none a number: a text column, not a KPI.
    kpis = kpis_frame()
    kpis["comment"] = None
    kpis.loc[[0, 5], "comment"] = ["price list changed", "trade fair"]
    case = load_case(write_case(tmp_path / "c", kpis=kpis))
    assert "comment" not in case.kpis.columns
    assert dict(case.kpis.attrs["set_aside"]) == {"comment": "price list changed"}
    assert list(case.kpis["revenue"]) == [100000.0] * 24  # the KPIs are read as before


def test_a_mostly_numeric_undeclared_column_is_still_refused(tmp_path):
    # 23 numbers and one "n/a": an undeclared KPI with a typo, not a notes column.
    kpis = kpis_frame()
    kpis["nps"] = [str(30 + i) for i in range(23)] + ["n/a"]
    with pytest.raises(DataFileError, match="'nps' is not a standard KPI"):
        load_case(write_case(tmp_path / "c", kpis=kpis))


@pytest.mark.parametrize(
    "changes, expected",
    [
        (
            {"assumptions": {"loaded_hourly_rate": 1e308}},
            r"assumptions.loaded_hourly_rate: the value 1e\+308 is above 1e\+12",
        ),
        (
            {"assumptions": {"customer_annual_margin": {"low": 1, "likely": 2, "high": 2e12}}},
            r"assumptions.customer_annual_margin: the high value 2e\+12 is above 1e\+12",
        ),
        (
            {"scenarios": {"dear": {"costs": {"all": 101}}}},
            r"scenarios.dear.costs.all: a cost multiplier of 101 is above 100",
        ),
        (
            {"intangibles": [{"name": "X", "score": 3, "weight": 2e12}]},
            r"intangibles\[1\].weight 2e\+12 is above 1e\+12",
        ),
    ],
)
def test_values_that_would_overflow_are_refused_by_key(tmp_path, changes, expected):
    with pytest.raises(CaseError, match=expected) as info:
        load_case(write_case(tmp_path / "c", **changes))
    assert "case.yml" in str(info.value)


def test_a_huge_expected_change_is_refused():
    config = {
        **copy.deepcopy(BASE_CONFIG),
        "kind": "projection",
        "after": None,
        "expected_changes": {"revenue": 150},
    }
    config.pop("after")
    with pytest.raises(CaseError, match=r"expected_changes.revenue: a relative change of 150"):
        _parse_config(config, default_name="x")
