"""The owner -> team -> region join (``--teams``), units, XLSX exports, cents and the months.

Synthetic Salesforce and HubSpot exports use the CRMs' real header names; every expected
figure is worked out by hand in the comments. The public dataset's figures are recomputed
from its raw CSV with the csv module.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from pathlib import Path

import pytest

from roi_kit.errors import (
    BadValueError,
    CaseError,
    DataFileError,
    EmptyFileError,
    MissingColumnError,
)
from roi_kit.io import import_opportunities
from roi_kit.io.crm_teams import read_teams

# A Salesforce opportunity report (header names as Salesforce writes them).
SALESFORCE = (
    "Opportunity Name,Opportunity Owner,Stage,Amount,Created Date,Close Date\n"
    "A,Ann Lee,Closed Won,1000.10,1/03/2024,1/20/2024\n"
    "B,Bob Ray,Closed Won,2000.20,1/04/2024,1/21/2024\n"
    "C,Cy Dunn,Closed Lost,500,1/05/2024,1/22/2024\n"
    "D,Ann Lee,Closed Won,0.10,2/03/2024,2/20/2024\n"
    "E,Ann Lee,Closed Won,0.20,2/04/2024,2/21/2024\n"
    "F,Cy Dunn,Closed Won,300,2/05/2024,2/26/2024\n"
    "G,Dee Fox,Prospecting,700,2/06/2024,4/30/2024\n"
)
# A Salesforce user report as the teams file: owner column "Full Name", groups Role, Region.
SALESFORCE_USERS = (
    "Full Name,Role,Region\nAnn Lee,AE East,East\nBob Ray,AE West,West\nCy Dunn,AE West,West\n"
)
# Hand-computed, by Region (Dee Fox is not in the user report: "(no team)"):
#  Jan: East won A 1000.10; West won B 2000.20, lost C -> win rate 1/2
#  Feb: East won D 0.10 + E 0.20 = 0.30 (exactly, in cents; float sum 0.30000000000000004);
#       West won F 300
#  "(no team)": G open, never closes -> every month blank won/lost/revenue (no close yet).
#  The latest date is 2024-02-26 (G's expected close is ignored): February is not partial
#  (2024-03-01 - 2024-02-26 = 4 days < 7).


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _cell(monthly, month: str, **keys):
    mask = monthly["month"] == month
    for column, value in keys.items():
        mask &= monthly[column] == value
    rows = monthly[mask]
    assert len(rows) == 1, (month, keys, len(rows))
    return rows.iloc[0]


def test_salesforce_report_joined_to_a_user_report_by_region(tmp_path):
    export = _write(tmp_path, "opps.csv", SALESFORCE)
    teams = _write(tmp_path, "users.csv", SALESFORCE_USERS)
    result = import_opportunities(export, by="Region", teams=teams)
    m = result.monthly
    assert sorted(set(m["Region"])) == ["(no team)", "East", "West"]
    assert _cell(m, "2024-01", Region="East")["revenue"] == 1000.10
    west = _cell(m, "2024-01", Region="West")
    assert (west["deals_won"], west["deals_lost"], west["revenue"]) == (1, 1, 2000.20)
    assert west["win_rate"] == 0.5
    # Cents: 0.1 + 0.2 is written as 0.3, not 0.30000000000000004.
    assert _cell(m, "2024-02", Region="East")["revenue"] == 0.3
    assert _cell(m, "2024-02", Region="West")["revenue"] == 300
    none = _cell(m, "2024-02", Region="(no team)")
    assert math.isnan(none["revenue"]) and none["deals_won"] is not None
    assert any("Dee Fox" in w and "(no team)" in w for w in result.warnings)
    assert result.teams == teams and result.partial_month is None


def test_salesforce_units_inside_groups_one_row_per_month_group_unit(tmp_path):
    export = _write(tmp_path, "opps.csv", SALESFORCE)
    teams = _write(tmp_path, "users.csv", SALESFORCE_USERS)
    result = import_opportunities(export, by="Region", unit="owner", teams=teams)
    m = result.monthly
    # 4 owners, each in one region, 2 months: 8 rows; the unit column is named as given.
    assert len(m) == 8 and list(m.columns[:3]) == ["month", "Region", "owner"]
    assert not m.duplicated(["month", "Region", "owner"]).any()
    assert _cell(m, "2024-01", Region="West", owner="Cy Dunn")["deals_lost"] == 1
    # Ann's February: D + E = 0.30; Bob closes nothing in February: 0 won, a real zero
    # (he closed in January), not blank.
    assert _cell(m, "2024-02", Region="East", owner="Ann Lee")["revenue"] == 0.3
    bob = _cell(m, "2024-02", Region="West", owner="Bob Ray")
    assert bob["deals_won"] == 0 and bob["revenue"] == 0
    # Cy's first close is January, so nothing is blank for him.
    assert _cell(m, "2024-02", Region="West", owner="Cy Dunn")["revenue"] == 300


def test_a_unit_before_its_first_close_is_blank_not_zero(tmp_path):
    # Bob joins in February: his January is unknown (blank), while Ann's January is real.
    text = (
        "Opportunity Name,Opportunity Owner,Stage,Amount,Created Date,Close Date\n"
        "A,Ann,Closed Won,100,2024-01-02,2024-01-10\n"
        "B,Bob,Closed Won,50,2024-01-28,2024-02-10\n"
        "C,Ann,Closed Won,70,2024-02-01,2024-02-27\n"
    )
    result = import_opportunities(_write(tmp_path, "o.csv", text), by="owner")
    m = result.monthly
    bob_jan = _cell(m, "2024-01", owner="Bob")
    assert math.isnan(bob_jan["revenue"]) and bob_jan["deals_won"] is not None
    assert str(bob_jan["deals_won"]) == "<NA>"
    assert bob_jan["new_opportunities"] == 1  # created in January: known
    assert _cell(m, "2024-02", owner="Bob")["revenue"] == 50
    assert any("1 group-month(s)" in n for n in result.notes)


# A HubSpot deals export (headers as HubSpot writes them) and a HubSpot users export with
# the owner under "Name" and the team under "Team".
HUBSPOT = (
    "Record ID,Deal Name,Deal stage,Amount,Create date,Close date,Deal owner\n"
    "1,X,Closed won,1200,2023-11-03,2023-11-20,Kim Park\n"
    "2,Y,Closed lost,800,2023-11-05,2023-11-25,Lee Wu\n"
    "3,Z,Closed won,600,2023-12-02,2023-12-10,kim  park\n"
    "4,W,Appointment scheduled,,2023-12-05,,Lee Wu\n"
)
HUBSPOT_USERS = "Email,Name,Team\nkim@x.com,Kim Park,North\nlee@x.com,Lee Wu,South\n"
# Hand-computed by Team: Nov North won X 1200, South lost Y; Dec North won Z 600 ("kim  park"
# matches "Kim Park": case and repeated spaces do not matter), South nothing (0, known).
# The latest date is 2023-12-10: 2024-01-01 - 2023-12-10 = 22 days, so December is partial.


def test_hubspot_export_joined_on_a_detected_owner_column(tmp_path):
    export = _write(tmp_path, "deals.csv", HUBSPOT)
    teams = _write(tmp_path, "users.csv", HUBSPOT_USERS)
    result = import_opportunities(export, by="Team", teams=teams)
    m = result.monthly
    assert result.mapping.name == "hubspot"
    assert _cell(m, "2023-11", Team="North")["revenue"] == 1200
    assert _cell(m, "2023-11", Team="South")["deals_lost"] == 1
    assert _cell(m, "2023-12", Team="North")["revenue"] == 600
    assert _cell(m, "2023-12", Team="South")["deals_won"] == 0
    assert not any("(no team)" in w for w in result.warnings)
    assert result.partial_month == "2023-12"
    assert any("2023-12 looks partial" in n and "2023-12-10" in n for n in result.notes)


def test_teams_owner_column_named_or_refused(tmp_path):
    export = _write(tmp_path, "deals.csv", HUBSPOT)
    teams = _write(tmp_path, "users.csv", HUBSPOT_USERS)
    named = import_opportunities(export, by="Team", teams=teams, teams_owner="name")
    assert _cell(named.monthly, "2023-11", Team="North")["revenue"] == 1200
    with pytest.raises(MissingColumnError, match="no column 'Owner'") as info:
        import_opportunities(export, by="Team", teams=teams, teams_owner="Owner")
    assert info.value.file == str(teams) and "--teams-owner" in str(info.value)


def test_dataset_style_teams_file_given_by_path_anywhere(tmp_path):
    # The dataset's layout, with the teams file in another folder and named with --teams.
    export = _write(
        tmp_path,
        "pipeline.csv",
        "opportunity_id,sales_agent,deal_stage,engage_date,close_date,close_value\n"
        "1,Ann,Won,2024-01-01,2024-01-10,100\n"
        "2,Bob,Won,2024-01-02,2024-01-30,50\n",
    )
    (tmp_path / "ref").mkdir()
    teams = _write(
        tmp_path / "ref", "teams.csv", "sales_agent,manager,regional_office\nAnn,M1,East\n"
    )
    result = import_opportunities(export, by="regional_office", unit="manager", teams=teams)
    m = result.monthly
    assert _cell(m, "2024-01", regional_office="East", manager="M1")["revenue"] == 100
    assert _cell(m, "2024-01", regional_office="(no team)", manager="(no team)")["revenue"] == 50
    # A teams column is found as case headers are: ignoring case, spaces, "_" and "-"; the
    # output column keeps the name as given.
    spaced = import_opportunities(export, by="Regional Office", teams=teams).monthly
    assert _cell(spaced, "2024-01", **{"Regional Office": "East"})["revenue"] == 100


def test_teams_file_refusals_name_file_row_and_fix(tmp_path):
    export = _write(tmp_path, "opps.csv", SALESFORCE)
    twice = _write(tmp_path, "twice.csv", SALESFORCE_USERS + "Ann Lee,AE,West\n")
    with pytest.raises(BadValueError, match="listed twice") as info:
        import_opportunities(export, by="Region", teams=twice)
    assert info.value.row == 5 and info.value.column == "Full Name"
    strangers = _write(tmp_path, "strangers.csv", "Full Name,Region\nZed,North\n")
    with pytest.raises(MissingColumnError, match="holds the export's owner names"):
        import_opportunities(export, by="Region", teams=strangers)
    with pytest.raises(MissingColumnError, match="cannot group by 'Country'") as info:
        import_opportunities(
            export, by="Country", teams=_write(tmp_path, "u.csv", SALESFORCE_USERS)
        )
    assert "teams file u.csv" in str(info.value)
    with pytest.raises(DataFileError, match="does not exist"):
        import_opportunities(export, by="Region", teams=tmp_path / "missing.csv")
    with pytest.raises(CaseError, match="by and unit are both"):
        import_opportunities(export, by="owner", unit="Owner")


def test_read_teams_matches_owners_ignoring_case_and_spaces(tmp_path):
    teams = read_teams(_write(tmp_path, "t.csv", HUBSPOT_USERS), ["KIM PARK", "lee wu"])
    assert teams.owner == "Name"
    assert teams.value("kim   Park", "Team") == "North" and teams.value("Nobody", "Team") == (
        "(no team)"
    )


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Deals")
    dates = book.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if hasattr(value, "year"):
                sheet.write_datetime(r, c, value, dates)
            elif value is not None:
                sheet.write(r, c, value)
    book.close()
    return path


def test_xlsx_export_with_excel_dates_is_read_like_its_csv(tmp_path):
    import datetime as dt

    d = dt.datetime
    rows = [
        ["Opportunity Name", "Opportunity Owner", "Stage", "Amount", "Created Date", "Close Date"],
        ["A", "Ann Lee", "Closed Won", 1000.1, d(2024, 1, 3), d(2024, 1, 20, 15, 30)],
        ["B", "Bob Ray", "Closed Lost", 0, d(2024, 1, 4), d(2024, 2, 27)],
        ["C", "Bob Ray", "Closed Won", 250, d(2024, 2, 1), d(2024, 2, 28)],
    ]
    result = import_opportunities(_xlsx(tmp_path / "opps.xlsx", rows))
    # Jan: A won 1000.10 (17 days; the time of day is dropped); Feb: C won 250, B lost.
    assert list(result.monthly["month"]) == ["2024-01", "2024-02"]
    jan, feb = result.monthly.iloc[0], result.monthly.iloc[1]
    assert (jan["revenue"], jan["sales_cycle_days"]) == (1000.1, 17)
    assert (feb["deals_won"], feb["deals_lost"], feb["revenue"]) == (1, 1, 250)
    assert feb["win_rate"] == 0.5


def test_a_teams_workbook_is_read_like_a_teams_csv(tmp_path):
    export = _write(tmp_path, "opps.csv", SALESFORCE)
    users = [line.split(",") for line in SALESFORCE_USERS.splitlines()]
    teams = _xlsx(tmp_path / "users.xlsx", users)
    result = import_opportunities(export, by="Region", teams=teams)
    # The same figures as from users.csv (test_salesforce_report_joined_...).
    assert _cell(result.monthly, "2024-01", Region="East")["revenue"] == 1000.10
    assert _cell(result.monthly, "2024-02", Region="West")["revenue"] == 300


def test_xlsx_sheet_by_name_and_a_workbook_named_csv(tmp_path):
    rows = [["opportunity_id", "deal_stage", "engage_date", "close_date", "close_value"]]
    rows.append(["a", "Won", "2024-03-01", "2024-03-29", 10])
    book = _xlsx(tmp_path / "p.xlsx", rows)
    assert import_opportunities(book, sheet="deals").monthly["revenue"].tolist() == [10]
    with pytest.raises(DataFileError, match="no sheet named 'Other'"):
        import_opportunities(book, sheet="Other")
    renamed = tmp_path / "p.csv"
    renamed.write_bytes(book.read_bytes())
    with pytest.raises(DataFileError, match="Excel workbook") as info:
        import_opportunities(renamed)
    assert ".xlsx" in str(info.value)


def test_only_open_deals_are_refused(tmp_path):
    text = "Opportunity Name,Stage,Amount,Created Date,Close Date\nA,Prospecting,5,2024-01-02,\n"
    with pytest.raises(EmptyFileError, match="no deal is won or lost"):
        import_opportunities(_write(tmp_path, "o.csv", text))


@pytest.mark.dataset
def test_public_dataset_by_region_and_agent_matches_csv_module(dataset_dir):
    pipeline, teams = dataset_dir / "sales_pipeline.csv", dataset_dir / "sales_teams.csv"
    with teams.open(newline="", encoding="utf-8") as handle:
        office = {r["sales_agent"]: r["regional_office"] for r in csv.DictReader(handle)}
    revenue: dict[tuple[str, str], float] = defaultdict(float)
    with pipeline.open(newline="", encoding="utf-8") as handle:
        for r in csv.DictReader(handle):
            if r["deal_stage"] == "Won" and r["close_date"][:7] == "2017-09":
                revenue[office[r["sales_agent"]], r["sales_agent"]] += float(r["close_value"])
    result = import_opportunities(pipeline, by="regional_office", unit="sales_agent", teams=teams)
    m = result.monthly
    assert result.teams == teams
    assert set(m["regional_office"]) == {"Central", "East", "West"}
    for (region, agent), expected in revenue.items():
        got = _cell(m, "2017-09", regional_office=region, sales_agent=agent)["revenue"]
        assert got == round(expected, 2)
    # Every agent with a deal sits in exactly one office: rows = agents x 10 months.
    assert len(m) == m["sales_agent"].nunique() * 10
