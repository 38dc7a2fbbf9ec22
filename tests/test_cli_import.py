"""``roi-kit import-crm EXPORT --case DIR``: from a raw export to a case that loads as it is.

Each test builds the case from an export with no hand edit, then loads it with
``roi_kit.load_case`` and runs ``roi-kit validate`` on it. Expected figures are worked out
by hand from the synthetic exports (see their comments) or recomputed from the public
dataset's raw CSV with the csv module.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

import roi_kit as rk
from roi_kit.case import scaffold_case
from roi_kit.case.yaml_edit import append_items, edited, set_child, set_top
from roi_kit.cli import main, validate_command
from roi_kit.errors import CaseError

OWNERS = {"Ann Lee": "East", "Bob Ray": "West", "Cy Dunn": "Central"}


def _salesforce(path: Path) -> Path:
    """A Salesforce report: 2023-01 .. 2023-12, each owner wins one deal and loses one a month.

    Owner i (0, 1, 2 in OWNERS order) wins ``100 * (i + 1) + m + 0.1`` in month m (1-12), so
    East's revenue in 2023-05 is 100 + 5 + 0.1 = 105.10; every win rate is 1/2. One open
    deal with an amount (Dee's pipeline) makes ``open_pipeline_value`` appear.
    """
    rows = ["Opportunity Name,Opportunity Owner,Stage,Amount,Created Date,Close Date"]
    for m in range(1, 13):
        for i, owner in enumerate(OWNERS):
            amount = 100 * (i + 1) + m + 0.1
            rows.append(f"W{m}-{i},{owner},Closed Won,{amount:.2f},{m}/02/2023,{m}/20/2023")
            rows.append(f"L{m}-{i},{owner},Closed Lost,50,{m}/03/2023,{m}/28/2023")
    rows.append("Open,Ann Lee,Negotiation/Review,900,12/01/2023,3/31/2024")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _users(path: Path) -> Path:
    lines = ["Full Name,Role,Region", *(f"{o},AE,{r}" for o, r in OWNERS.items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _import(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["import-crm", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_new_case_from_a_salesforce_report_by_region_loads_and_validates(tmp_path, capsys):
    export, users = _salesforce(tmp_path / "opps.csv"), _users(tmp_path / "users.csv")
    case_dir = tmp_path / "acme"
    code, out, err = _import(
        capsys, str(export), "--teams", str(users), "--by", "Region", "--case", str(case_dir),
        "--go-live", "2023-07", "--treated", "East", "--control", "West",
    )  # fmt: skip
    assert code == 0, err
    assert "created case" in out and "set in case.yml" in out
    assert "currency is the template's EUR" in out
    case = rk.load_case(case_dir)
    assert case.name == "acme" and str(case.go_live) == "2023-07"
    assert case.groups.column == "Region" and case.groups.treated == "East"
    declared = {k.name for k in case.custom_kpis}
    assert {"new_opportunities", "deals_lost", "open_pipeline", "open_pipeline_value"} <= declared
    east = case.kpis[
        (case.kpis["Region"] == "East") & (case.kpis["month"].astype(str) == "2023-05")
    ]
    assert east["revenue"].tolist() == [105.10] and east["win_rate"].tolist() == [0.5]
    assert validate_command(case_dir) == 0
    text = (case_dir / "case.yml").read_text(encoding="utf-8")
    # The template's comments are kept; the periods come from the data and --go-live.
    assert "# ISO 4217 code of every amount" in text
    assert yaml.safe_load(text)["baseline"] == {"start": "2023-01", "end": "2023-06"}
    assert yaml.safe_load(text)["after"] == {"start": "2023-07", "end": "2023-12"}
    # The template's example costs moved with the go-live (the template starts 2024-01).
    costs = (case_dir / "costs.csv").read_text(encoding="utf-8")
    assert "2023-07" in costs and "2024-01" not in costs
    assert not [p for p in tmp_path.iterdir() if "roi-kit" in p.name]


def test_new_case_from_a_hubspot_xlsx_export_without_groups(tmp_path, capsys):
    import xlsxwriter

    # HubSpot headers; Nov 2023 .. Apr 2024, one deal won per month for 1,000 + month
    # number (Nov = 11, Dec = 12, Jan = 1, ...), closed on the 25th: nothing is partial.
    path = tmp_path / "deals.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet, fmt = book.add_worksheet(), book.add_format({"num_format": "yyyy-mm-dd"})
    header = ["Record ID", "Deal Name", "Deal stage", "Amount", "Create date", "Close date"]
    header.append("Deal owner")
    sheet.write_row(0, 0, header)
    months = [(2023, 11), (2023, 12), (2024, 1), (2024, 2), (2024, 3), (2024, 4)]
    for r, (y, m) in enumerate(months, start=1):
        sheet.write_row(r, 0, [r, f"D{r}", "Closed won", 1000 + m])
        sheet.write_datetime(r, 4, dt.datetime(y, m, 2), fmt)
        sheet.write_datetime(r, 5, dt.datetime(y, m, 25), fmt)
        sheet.write(r, 6, "Kim Park")
    book.close()
    case_dir = tmp_path / "hub"
    code, _, err = _import(capsys, str(path), "--case", str(case_dir), "--go-live", "2024-02")
    assert code == 0, err
    case = rk.load_case(case_dir)
    assert case.groups is None
    assert case.kpis["revenue"].tolist() == [1011, 1012, 1001, 1002, 1003, 1004]
    assert validate_command(case_dir) == 0


def test_a_partial_last_month_is_left_out_of_the_after_period(tmp_path, capsys):
    # Deals close on the 20th of 2023-01 .. 2023-08, and the export ends on 2023-08-20: 12
    # days before September, so August looks partial and after ends in July.
    rows = ["Opportunity Name,Opportunity Owner,Stage,Amount,Created Date,Close Date"]
    rows += [f"W{m},Ann,Closed Won,100,{m}/02/2023,{m}/20/2023" for m in range(1, 9)]
    export = tmp_path / "opps.csv"
    export.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, out, err = _import(
        capsys, str(export), "--case", str(tmp_path / "c"), "--go-live", "2023-05"
    )
    assert code == 0, err
    assert "2023-08 looks partial" in out
    case = rk.load_case(tmp_path / "c")
    assert str(case.kpis["month"].max()) == "2023-08"  # the data stay in the table
    text = (tmp_path / "c" / "case.yml").read_text(encoding="utf-8")
    assert yaml.safe_load(text)["after"] == {"start": "2023-05", "end": "2023-07"}


def test_an_existing_case_is_updated_keeping_comments_with_a_backup(tmp_path, capsys):
    case_dir = scaffold_case(tmp_path / "mine")
    yml = case_dir / "case.yml"
    original = yml.read_text(encoding="utf-8").replace("currency: EUR", "currency: USD", 1)
    original += "# my own closing remark\n"
    yml.write_text(original, encoding="utf-8")
    # The user's own adoption table, for the months after their go-live.
    adoption = ["month,licensed_users,active_users", *(f"2023-{m:02d},10,8" for m in range(7, 13))]
    (case_dir / "adoption.csv").write_text("\n".join(adoption) + "\n", encoding="utf-8")
    kpis_before = (case_dir / "kpis.csv").read_bytes()
    export = _salesforce(tmp_path / "opps.csv")
    # The KPI table exists: refused without --force, nothing changed.
    code, _, err = _import(capsys, str(export), "--case", str(case_dir), "--go-live", "2023-07")
    assert code == 1 and "already exists" in err and "--force" in err
    assert yml.read_text(encoding="utf-8") == original
    assert (case_dir / "kpis.csv").read_bytes() == kpis_before
    code, out, err = _import(
        capsys, str(export), "--case", str(case_dir), "--go-live", "2023-07", "--force"
    )
    assert code == 0, err
    assert "updated case" in out
    text = yml.read_text(encoding="utf-8")
    assert "# ISO 4217 code of every amount" in text and "# my own closing remark" in text
    backups = sorted(p.name for p in case_dir.iterdir() if ".bak-" in p.name)
    assert [b.split(".bak-")[0] for b in backups] == ["case.yml", "kpis.csv"]
    backup_yml = next(p for p in case_dir.iterdir() if p.name.startswith("case.yml.bak-"))
    assert backup_yml.read_text(encoding="utf-8") == original
    case = rk.load_case(case_dir)
    assert case.currency == "USD" and str(case.go_live) == "2023-07"
    # All three owners together: Jan revenue = (100 + 1.1) + (200 + 1.1) + (300 + 1.1).
    assert case.kpis["revenue"].iloc[0] == pytest.approx(603.30, abs=0.001)
    assert validate_command(case_dir) == 0


def test_an_update_that_would_not_load_changes_nothing(tmp_path, capsys):
    case_dir = scaffold_case(tmp_path / "mine")
    before = {p.name: p.read_bytes() for p in case_dir.iterdir()}
    export = _salesforce(tmp_path / "opps.csv")
    # No --go-live: the template's periods (2023-01 .. 2024-12) do not fit 2023 data alone.
    code, _, err = _import(capsys, str(export), "--case", str(case_dir), "--force")
    assert code == 1 and "would not load" in err and "nothing was changed" in err
    assert {p.name: p.read_bytes() for p in case_dir.iterdir()} == before
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ([], "needs its go-live month"),
        (["--go-live", "2023-13"], "is not a month"),
        (["--go-live", "2022-05"], "must lie after the first imported month 2023-01"),
        (["--go-live", "2023-07", "--by", "Region"], "add --treated GROUP"),
        (["--go-live", "2023-07", "--by", "Region", "--treated", "Mars"], "'Mars' is not in"),
        (["--go-live", "2023-07", "--unit", "owner"], "add --by COLUMN"),
        (["--go-live", "2023-07", "--teams-owner", "Login", "--by", "Region"], "no column 'Login'"),
    ],
)
def test_refusals_are_one_line_and_change_nothing(tmp_path, capsys, extra, message):
    export, users = _salesforce(tmp_path / "opps.csv"), _users(tmp_path / "users.csv")
    case_dir = tmp_path / "new"
    code, _, err = _import(
        capsys, str(export), "--teams", str(users), "--case", str(case_dir), *extra
    )
    assert code == 1 and message in err, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not case_dir.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["opps.csv", "users.csv"]


def test_an_update_must_keep_the_groups_and_units_case_yml_names(tmp_path, capsys):
    export, users = _salesforce(tmp_path / "opps.csv"), _users(tmp_path / "users.csv")
    case_dir = tmp_path / "acme"
    base = [str(export), "--teams", str(users), "--case", str(case_dir), "--force"]
    code, _, err = _import(
        capsys, *base, "--by", "Region", "--unit", "owner", "--go-live", "2023-07",
        "--treated", "East",
    )  # fmt: skip
    assert code == 0, err
    assert rk.load_case(case_dir).groups.unit == "owner"
    before = {p.name: p.read_bytes() for p in case_dir.iterdir()}
    code, _, err = _import(capsys, *base, "--by", "Region")
    assert code == 1 and f"{case_dir / 'case.yml'}: it sets groups.unit 'owner'" in err
    code, _, err = _import(capsys, *base)
    assert code == 1 and "it groups the KPIs by 'Region'; import with --by Region" in err
    assert {p.name: p.read_bytes() for p in case_dir.iterdir()} == before
    # The same import again is accepted (the old table and case.yml are backed up).
    code, _, err = _import(capsys, *base, "--by", "Region", "--unit", "owner")
    assert code == 0, err
    assert sum(".bak-" in p.name for p in case_dir.iterdir()) == 1  # kpis.csv; case.yml unchanged


def test_neither_output_nor_case_and_a_folder_that_is_no_case(tmp_path, capsys):
    export = _salesforce(tmp_path / "opps.csv")
    code, _, err = _import(capsys, str(export))
    assert code == 1 and "-o kpis.csv, or --case DIR" in err
    code, _, err = _import(
        capsys, str(export), "-o", str(tmp_path / "k.csv"), "--go-live", "2023-07"
    )
    assert code == 1 and "drop -o and give --case DIR" in err
    assert not (tmp_path / "k.csv").exists()
    other = tmp_path / "photos"
    other.mkdir()
    (other / "cat.jpg").write_bytes(b"\xff\xd8")
    code, _, err = _import(capsys, str(export), "--case", str(other), "--go-live", "2023-07")
    assert code == 1 and "not a case folder" in err
    assert [p.name for p in other.iterdir()] == ["cat.jpg"]


def test_yaml_edits_keep_comments_and_refuse_what_they_cannot_do():
    text = (
        "kind: review   # measured\n"
        "groups:        # who got it\n"
        "  column: region   # the column\n"
        "  treated: North\n"
        "custom_kpis:\n"
        "  - name: nps    # from the survey\n"
        "    direction: higher\n"
        "# end\n"
    )
    out = set_child(text, "groups", {"column": "office", "unit": "rep"}, {})
    out = append_items(out, "custom_kpis", [{"name": "deals_lost", "direction": "lower"}], [])
    out = set_top(out, "kind", "projection")
    assert yaml.safe_load(out) == {
        "kind": "projection",
        "groups": {"column": "office", "treated": "North", "unit": "rep"},
        "custom_kpis": [
            {"name": "nps", "direction": "higher"},
            {"name": "deals_lost", "direction": "lower"},
        ],
    }
    for comment in ("# measured", "# who got it", "# the column", "# from the survey", "# end"):
        assert comment in out
    # A quoted top-level key is not found by the text edit: the check refuses the result.
    odd = '"groups": {column: a, treated: b}\n'
    bad = set_child(odd, "groups", {"column": "c"}, {})
    with pytest.raises(CaseError, match="too unusual to edit safely"):
        edited(odd, bad, {"groups": {"column": "c", "treated": "b"}}, "case.yml")


@pytest.mark.dataset
def test_public_dataset_to_a_case_by_region_and_agent(dataset_dir, tmp_path, capsys):
    pipeline, teams = dataset_dir / "sales_pipeline.csv", dataset_dir / "sales_teams.csv"
    case_dir = tmp_path / "maven"
    code, out, err = _import(
        capsys, str(pipeline), "--teams", str(teams), "--by", "regional_office",
        "--unit", "sales_agent", "--case", str(case_dir), "--go-live", "2017-08",
        "--treated", "East", "--currency", "usd",
    )  # fmt: skip
    assert code == 0, err
    assert "left out 2016-10 .. 2017-02" in out
    case = rk.load_case(case_dir)
    assert case.currency == "USD"
    assert (case.groups.column, case.groups.unit, case.groups.treated) == (
        "regional_office",
        "sales_agent",
        "East",
    )
    assert str(case.kpis["month"].min()) == "2017-03"
    # East's won revenue after go-live, from the raw CSV.
    with teams.open(newline="", encoding="utf-8") as handle:
        office = {r["sales_agent"]: r["regional_office"] for r in csv.DictReader(handle)}
    expected: dict[str, float] = defaultdict(float)
    with pipeline.open(newline="", encoding="utf-8") as handle:
        for r in csv.DictReader(handle):
            if r["deal_stage"] == "Won" and office[r["sales_agent"]] == "East":
                expected[r["close_date"][:7]] += float(r["close_value"])
    east = case.kpis[case.kpis["regional_office"] == "East"]
    by_month = east.groupby(east["month"].astype(str))["revenue"].sum()
    for month, value in expected.items():
        assert by_month[month] == pytest.approx(value, abs=0.005)
    assert validate_command(case_dir) == 0
    assert pipeline.stat().st_size == 628972  # the export is only read
