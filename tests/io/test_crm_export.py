"""Tests for roi_kit.io.crm_export.

Expected figures for the real dataset are computed here from the raw CSV with the csv module
and statistics.median, never taken from the code under test. Synthetic exports have their
expected values worked out by hand in comments.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import os
import statistics
import threading
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from roi_kit.cli import import_crm_command
from roi_kit.errors import (
    AmbiguousFormatError,
    BadValueError,
    DataFileError,
    DuplicateRowError,
    FileEncodingError,
    MissingColumnError,
)
from roi_kit.io import read_raw
from roi_kit.io.crm_export import (
    Mapping,
    detect_mapping,
    import_opportunities,
)


@pytest.fixture(scope="module")
def pipeline_csv(dataset_dir) -> Path:
    return dataset_dir / "sales_pipeline.csv"


@pytest.fixture(scope="module")
def raw_rows(pipeline_csv) -> list[dict[str, str]]:
    with pipeline_csv.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def real(pipeline_csv):
    return import_opportunities(pipeline_csv)


def _month(text: str) -> str:
    return text[:7]


def _row(result, month: str, **group) -> dict:
    df = result.monthly
    mask = df["month"] == month
    for col, value in group.items():
        mask &= df[col] == value
    rows = df[mask]
    assert len(rows) == 1, f"expected one row for {month} {group}, got {len(rows)}"
    return rows.iloc[0].to_dict()


# --- the real dataset ------------------------------------------------------------------------


@pytest.mark.parametrize("month", ["2017-03", "2017-04", "2017-06", "2017-09", "2017-12"])
def test_real_closed_figures_match_csv_module(real, raw_rows, month):
    won = [r for r in raw_rows if r["deal_stage"] == "Won" and _month(r["close_date"]) == month]
    lost = [r for r in raw_rows if r["deal_stage"] == "Lost" and _month(r["close_date"]) == month]
    revenue = sum(float(r["close_value"]) for r in won)
    cycles = [
        (dt.date.fromisoformat(r["close_date"]) - dt.date.fromisoformat(r["engage_date"])).days
        for r in won + lost
    ]
    got = _row(real, month)
    assert got["deals_won"] == len(won)
    assert got["deals_lost"] == len(lost)
    assert got["revenue"] == pytest.approx(revenue, rel=1e-12)
    assert got["win_rate"] == pytest.approx(len(won) / (len(won) + len(lost)), rel=1e-12)
    # Money is written in cents: the mean deal size rounded to 2 decimals.
    assert got["avg_deal_size"] == round(revenue / len(won), 2)
    assert got["sales_cycle_days"] == pytest.approx(statistics.median(cycles))


@pytest.mark.parametrize("month", ["2017-03", "2017-07", "2017-12"])
def test_real_new_opportunities_by_engage_month(real, raw_rows, month):
    expected = sum(1 for r in raw_rows if _month(r["engage_date"]) == month)
    assert _row(real, month)["new_opportunities"] == expected


@pytest.mark.parametrize("month", ["2017-03", "2017-08", "2017-12"])
def test_real_open_pipeline_at_month_end(real, raw_rows, month):
    # Independent definition: engaged on/before the last day of the month and either still
    # open (no close) or closed after that day.
    year, mon = map(int, month.split("-"))
    first_next = dt.date(year + mon // 12, mon % 12 + 1, 1)
    end = first_next - dt.timedelta(days=1)
    expected = 0
    for r in raw_rows:
        if not r["engage_date"] or dt.date.fromisoformat(r["engage_date"]) > end:
            continue
        if r["deal_stage"] in ("Won", "Lost") and dt.date.fromisoformat(r["close_date"]) <= end:
            continue
        expected += 1
    assert _row(real, month)["open_pipeline"] == expected


def test_real_months_run_without_gaps_over_the_data(real, raw_rows):
    months = [m for r in raw_rows for m in (_month(r["engage_date"]), _month(r["close_date"])) if m]
    closes = [_month(r["close_date"]) for r in raw_rows if r["deal_stage"] in ("Won", "Lost")]
    got = list(real.monthly["month"])
    # Engagements start in 2016-10, but nothing closes before 2017-03: those five months
    # have no outcome, so they are left out (not zero revenue), with a note.
    assert min(months) == "2016-10" and got[0] == min(closes) == "2017-03"
    assert got[-1] == max(months) == "2017-12"
    assert len(got) == 10  # Mar .. Dec 2017, no gaps
    assert any("left out 2016-10 .. 2017-02" in n for n in real.notes)
    # The last close is on 2017-12-31: December is complete.
    assert real.partial_month is None


def test_real_counts_match_csv_module(real, raw_rows):
    stages = Counter(r["deal_stage"] for r in raw_rows)
    assert real.rows_read == len(raw_rows) == 8800
    assert real.won_deals == stages["Won"]
    assert real.lost_deals == stages["Lost"]
    assert real.open_deals == stages["Engaging"] + stages["Prospecting"]
    assert real.monthly["deals_won"].sum() == stages["Won"]
    # Prospecting deals have no engage date: counted, warned, left out of new_opportunities.
    no_date = sum(1 for r in raw_rows if not r["engage_date"])
    # new_opportunities of the months kept (engaged from 2017-03 on).
    kept = sum(1 for r in raw_rows if r["engage_date"] and r["engage_date"] >= "2017-03")
    assert real.monthly["new_opportunities"].sum() == kept
    assert any(f"{no_date} deal(s) have no engage_date" in w for w in real.warnings)


def test_real_mapping_and_stage_mapping(real):
    assert real.mapping.name == "crm-sales-opportunities"
    assert real.mapping.columns["created_date"] == "engage_date"
    assert real.mapping.columns["amount"] == "close_value"
    assert real.stage_mapping == {
        "Won": "won",
        "Lost": "lost",
        "Engaging": "open",
        "Prospecting": "open",
    }


@pytest.mark.parametrize("by", ["sales_agent", "regional_office", "manager"])
def test_real_groups_sum_to_totals(real, pipeline_csv, by):
    grouped = import_opportunities(pipeline_csv, by=by).monthly
    assert by in grouped.columns
    summed = grouped.groupby("month", sort=True)[
        ["new_opportunities", "deals_won", "deals_lost", "revenue", "open_pipeline"]
    ].sum()
    total = real.monthly.set_index("month")
    for col in summed.columns:
        assert list(summed[col]) == pytest.approx(list(total[col])), col


def test_real_regional_office_join_matches_csv_module(pipeline_csv, raw_rows):
    with (pipeline_csv.parent / "sales_teams.csv").open(newline="", encoding="utf-8") as handle:
        office = {r["sales_agent"]: r["regional_office"] for r in csv.DictReader(handle)}
    revenue: dict[str, float] = defaultdict(float)
    for r in raw_rows:
        if r["deal_stage"] == "Won" and _month(r["close_date"]) == "2017-06":
            revenue[office[r["sales_agent"]]] += float(r["close_value"])
    result = import_opportunities(pipeline_csv, by="regional_office")
    assert sorted(set(result.monthly["regional_office"])) == sorted(set(office.values()))
    for region, expected in revenue.items():
        got = _row(result, "2017-06", regional_office=region)["revenue"]
        assert got == pytest.approx(expected, rel=1e-12)


def test_real_input_unchanged(pipeline_csv, tmp_path):
    before = pipeline_csv.read_bytes()
    out = tmp_path / "kpis.csv"
    assert import_crm_command(str(pipeline_csv), str(out), by="regional_office") == 0
    assert pipeline_csv.read_bytes() == before


# --- synthetic Salesforce and HubSpot exports ------------------------------------------------

SALESFORCE = (
    "Opportunity Name,Account Name,Opportunity Owner,Stage,Amount,Created Date,Close Date\n"
    'A,Acme,Ann,Closed Won,"$1,000.00",1/15/2024,2/10/2024\n'
    "B,Acme,Ann,Closed Lost,500,1/20/2024,2/20/2024\n"
    "C,Bolt,Bob,Closed Won,3000,2/01/2024,2/28/2024\n"
    "D,Bolt,Bob,Negotiation/Review,2000,2/15/2024,4/30/2024\n"
    "E,Core,Bob,Closed Won,2000,1/05/2024,3/25/2024\n"
    "\n"
    '"Copyright (c) 2000-2024 salesforce.com, inc. All rights reserved."\n'
    '"Generated By: Ann"\n'
)
# Hand-computed (month = calendar month; cycle = close - created in days):
#  Jan 2024: created A, B, E -> new 3; nothing closed; open at Jan 31: A, B, E -> 3
#  Feb 2024: created C, D -> new 2; won A (1000, 26 d), C (3000, 27 d); lost B (31 d)
#            deals_won 2, revenue 4000, win_rate 2/3, avg 2000, median cycle 27
#            open at Feb 29: D (open), E (closes in March) -> 2
#  Mar 2024: won E (2000, cycle Jan 5 -> Mar 25 = 80 d); win_rate 1; open at Mar 31: D -> 1
#  D is open: its close date (Apr 30) is the expected close, so April is not in the table.


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_salesforce_export_detected_and_aggregated(tmp_path):
    path = _write(tmp_path, "opps.csv", SALESFORCE)
    before = path.read_bytes()
    result = import_opportunities(path)
    assert path.read_bytes() == before
    assert result.mapping.name == "salesforce"
    assert result.mapping.columns["created_date"] == "Created Date"
    assert result.stage_mapping == {
        "Closed Won": "won",
        "Closed Lost": "lost",
        "Negotiation/Review": "open",
    }
    # January has no close: left out (its deals still count in February's pipeline).
    assert list(result.monthly["month"]) == ["2024-02", "2024-03"]
    feb, mar = (result.monthly.iloc[i].to_dict() for i in range(2))
    assert any("left out 2024-01 .. 2024-01" in n for n in result.notes)
    assert (feb["new_opportunities"], feb["deals_won"], feb["deals_lost"]) == (2, 2, 1)
    assert feb["revenue"] == 4000
    assert feb["win_rate"] == pytest.approx(2 / 3)
    assert feb["avg_deal_size"] == 2000
    assert feb["sales_cycle_days"] == 27
    assert feb["open_pipeline"] == 2
    assert (mar["deals_won"], mar["revenue"], mar["sales_cycle_days"]) == (1, 2000, 80)
    assert mar["win_rate"] == 1 and mar["open_pipeline"] == 1
    # The open deal carries an amount, so the pipeline value is shown: D (2000) + E (2000)
    # at end of Feb, D alone at end of Mar.
    assert list(result.monthly["open_pipeline_value"]) == [4000, 2000]
    assert result.open_deals == 1 and result.won_deals == 3 and result.lost_deals == 1
    assert any("footer" in w for w in result.warnings)
    assert any("expected close" in w for w in result.warnings)


def test_salesforce_group_by_owner_field(tmp_path):
    path = _write(tmp_path, "opps.csv", SALESFORCE)
    monthly = import_opportunities(path, by="owner").monthly
    # Ann: A won Feb (1000); Bob: C won Feb (3000), E won Mar (2000).
    assert list(monthly["owner"].unique()) == ["Ann", "Bob"]
    ann_feb = monthly[(monthly["owner"] == "Ann") & (monthly["month"] == "2024-02")].iloc[0]
    assert (ann_feb["deals_won"], ann_feb["deals_lost"], ann_feb["revenue"]) == (1, 1, 1000)
    bob_mar = monthly[(monthly["owner"] == "Bob") & (monthly["month"] == "2024-03")].iloc[0]
    assert (bob_mar["deals_won"], bob_mar["revenue"]) == (1, 2000)


def test_salesforce_won_closed_flags_decide_custom_stages(tmp_path):
    text = (
        "Opportunity Name,Stage,Amount,Created Date,Close Date,Won,Closed\n"
        "A,Signed,100,2024-01-02,2024-01-20,1,1\n"
        "B,Dropped,50,2024-01-03,2024-02-01,0,1\n"
        "C,Talking,70,2024-01-04,2024-03-01,0,0\n"
    )
    result = import_opportunities(_write(tmp_path, "f.csv", text))
    # Stage names unknown to the kit, but the flags say: A won, B lost, C open.
    assert result.stage_mapping == {"Signed": "won", "Dropped": "lost", "Talking": "open"}
    assert (result.won_deals, result.lost_deals, result.open_deals) == (1, 1, 1)
    assert list(result.monthly["deals_lost"]) == [0, 1]


HUBSPOT = (
    "Record ID,Deal Name,Deal Stage,Amount,Create Date,Close Date,Deal owner,Pipeline\n"
    "11,X,closedwon,1200,2023-11-03 09:15,2023-12-01 17:00,Kim,Sales Pipeline\n"
    "12,Y,Closed Lost (Sales Pipeline),800,2023-11-20 10:00,2023-12-15 11:00,Kim,Sales Pipeline\n"
    "13,Z,Closed won,600,2023-12-02 08:00,2023-12-22 12:30,Lee,Sales Pipeline\n"
    "14,W,appointmentscheduled,,2023-12-05 08:00,,Lee,Sales Pipeline\n"
)
# Hand-computed: Nov 2023: created X, Y -> new 2, open at Nov 30: 2.
#  Dec 2023: created Z, W -> new 2; won X (1200, 28 d), Z (600, 20 d); lost Y (25 d)
#  deals_won 2, revenue 1800, win_rate 2/3, avg 900, median cycle 25; open at Dec 31: W -> 1.


def test_hubspot_export_detected_and_aggregated(tmp_path):
    path = _write(tmp_path, "deals.csv", HUBSPOT)
    result = import_opportunities(path)
    assert result.mapping.name == "hubspot"
    assert result.mapping.columns["owner"] == "Deal owner"
    assert result.stage_mapping["Closed Lost (Sales Pipeline)"] == "lost"
    assert result.stage_mapping["closedwon"] == "won"
    # November has no close: left out.
    assert list(result.monthly["month"]) == ["2023-12"]
    dec = result.monthly.iloc[0].to_dict()
    assert (dec["new_opportunities"], dec["deals_won"], dec["deals_lost"]) == (2, 2, 1)
    assert dec["revenue"] == 1800 and dec["avg_deal_size"] == 900
    assert dec["win_rate"] == pytest.approx(2 / 3)
    assert dec["sales_cycle_days"] == 25
    assert dec["open_pipeline"] == 1
    # No open deal has an amount: no pipeline value column.
    assert "open_pipeline_value" not in result.monthly.columns


def test_detect_mapping_for_each_format():
    assert detect_mapping(["Record ID", "Deal Name", "Deal Stage", "Amount"]).name == "hubspot"
    assert detect_mapping(["Opportunity Owner", "Stage", "Amount"]).name == "salesforce"
    with pytest.raises(DataFileError, match="matches no export format"):
        detect_mapping(["when", "what", "how much"])


# --- refusals --------------------------------------------------------------------------------


def test_unknown_stage_is_refused_naming_it(tmp_path):
    text = SALESFORCE.replace("Negotiation/Review", "Closed - Duplicate")
    path = _write(tmp_path, "opps.csv", text)
    with pytest.raises(BadValueError) as info:
        import_opportunities(path)
    assert "Closed - Duplicate" in str(info.value)
    assert info.value.row == 5  # header row 1, deal D is the fourth data row
    assert "stages" in str(info.value)  # says how to map it
    # ... and a mapping that covers it is accepted.
    ok = import_opportunities(path, mapping={"stages": {"Closed - Duplicate": "lost"}})
    assert ok.stage_mapping["Closed - Duplicate"] == "lost"
    assert ok.lost_deals == 2


def test_missing_column_is_refused_naming_it(tmp_path):
    text = SALESFORCE.replace(",Created Date", ",Created On")
    path = _write(tmp_path, "opps.csv", text)
    with pytest.raises(MissingColumnError) as info:
        import_opportunities(path)
    message = str(info.value)
    assert "created_date" in message and str(path) in message and "salesforce" in message


def test_custom_mapping_reads_any_header(tmp_path):
    text = (
        "Ref;Status;Value;Opened;Closed\n".replace(";", ",")
        + "1,Signed,10,2024-05-01,2024-05-03\n"
        + "2,Dropped,0,2024-05-02,2024-06-10\n"
    )
    mapping = {
        "columns": {
            "id": "Ref",
            "stage": "Status",
            "amount": "Value",
            "created_date": "Opened",
            "close_date": "Closed",
        },
        "stages": {"Signed": "won", "Dropped": "lost"},
    }
    text += "3,Dropped,0,2024-06-01,2024-06-06\n"
    result = import_opportunities(_write(tmp_path, "x.csv", text), mapping=mapping)
    assert result.mapping.name == "custom"
    # May: new 2, won 1 (10, 2 days). June: lost 2 -> win_rate 0; cycles 39 days (May 2 ->
    # Jun 10) and 5 days (Jun 1 -> Jun 6): an even count, median (39 + 5) / 2 = 22.
    assert list(result.monthly["deals_won"]) == [1, 0]
    assert list(result.monthly["win_rate"]) == [1.0, 0.0]
    assert list(result.monthly["sales_cycle_days"]) == [2, 22]


def test_unparseable_date_is_refused_with_row(tmp_path):
    text = SALESFORCE.replace("2/20/2024", "20 Feb")
    with pytest.raises(BadValueError) as info:
        import_opportunities(_write(tmp_path, "opps.csv", text))
    assert info.value.row == 3 and info.value.column == "Close Date"
    assert info.value.found == "20 Feb"


def test_two_digit_year_is_refused(tmp_path):
    text = SALESFORCE.replace("1/20/2024", "1/20/24")
    with pytest.raises(BadValueError, match="four digits") as info:
        import_opportunities(_write(tmp_path, "opps.csv", text))
    assert info.value.row == 3


def test_day_first_dates_detected_or_refused(tmp_path):
    text = (
        "opportunity_id,deal_stage,engage_date,close_date,close_value\n"
        "a,Won,15/01/2024,03/02/2024,10\n"
    )
    path = _write(tmp_path, "p.csv", text)
    result = import_opportunities(path)
    # 15/01 only reads day-first: 15 Jan -> 3 Feb.
    assert list(result.monthly["month"]) == ["2024-02"]  # January: no close, left out
    assert result.monthly["sales_cycle_days"].iloc[0] == 19
    assert any("day-first" in w for w in result.warnings)
    with pytest.raises(AmbiguousFormatError):
        import_opportunities(path, mapping={"date_order": "MDY"})


def test_won_without_close_date_or_amount_is_refused(tmp_path):
    no_date = SALESFORCE.replace("2/28/2024", "")
    with pytest.raises(BadValueError, match="no close date") as info:
        import_opportunities(_write(tmp_path, "a.csv", no_date))
    assert info.value.row == 4
    no_value = SALESFORCE.replace("Closed Won,3000", "Closed Won,")
    with pytest.raises(BadValueError, match="no amount") as info:
        import_opportunities(_write(tmp_path, "b.csv", no_value))
    assert info.value.row == 4


def test_close_before_created_is_a_warning(tmp_path):
    # B now closes on 1/10, before it was created on 1/20: still lost in January, no cycle.
    text = SALESFORCE.replace("1/20/2024,2/20/2024", "1/20/2024,1/10/2024")
    result = import_opportunities(_write(tmp_path, "opps.csv", text))
    assert any("close before they were created (rows [3])" in w for w in result.warnings)
    jan = result.monthly.iloc[0]
    assert jan["deals_lost"] == 1 and math.isnan(jan["sales_cycle_days"])
    assert jan["open_pipeline"] == 2  # A and E; B is never open


def test_duplicate_id_is_refused(tmp_path):
    text = HUBSPOT.replace("13,Z", "11,Z")
    with pytest.raises(DuplicateRowError) as info:
        import_opportunities(_write(tmp_path, "d.csv", text))
    assert info.value.row == 2 and "[2, 4]" in str(info.value)


# --- the command -----------------------------------------------------------------------------


def test_command_writes_output_and_prints_mapping(tmp_path, capsys):
    path = _write(tmp_path, "opps.csv", SALESFORCE)
    before = path.read_bytes()
    out = tmp_path / "out" / "kpis.csv"
    assert import_crm_command(str(path), str(out)) == 0
    assert path.read_bytes() == before
    printed = capsys.readouterr().out
    assert "salesforce" in printed and "'Closed Won'" in printed and "won: 3" in printed
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["month"] for r in rows] == ["2024-02", "2024-03"]
    assert float(rows[0]["revenue"]) == 4000 and float(rows[1]["win_rate"]) == 1
    assert "note: left out 2024-01 .. 2024-01" in printed
    assert not [p for p in out.parent.iterdir() if p.name.endswith(".tmp")]


def test_command_refuses_to_overwrite_input(tmp_path, capsys):
    path = _write(tmp_path, "opps.csv", SALESFORCE)
    before = path.read_bytes()
    same = tmp_path / "." / "opps.csv"
    assert import_crm_command(str(path), str(same)) == 1
    err = capsys.readouterr().err
    assert err.startswith("error:") and "never overwrites its input" in err
    assert err.count("\n") == 1  # one clear line, no traceback
    assert path.read_bytes() == before


def test_command_reports_refusal_as_one_line(tmp_path, capsys):
    path = _write(tmp_path, "opps.csv", SALESFORCE.replace("Negotiation/Review", "Zombie"))
    out = tmp_path / "kpis.csv"
    assert import_crm_command(str(path), str(out)) == 1
    err = capsys.readouterr().err
    assert "Zombie" in err and err.count("\n") == 1
    assert not out.exists()


def test_mapping_object_is_accepted(tmp_path):
    path = _write(tmp_path, "deals.csv", HUBSPOT)
    detected = detect_mapping(HUBSPOT.splitlines()[0].split(","))
    given = Mapping(name="mine", columns=detected.columns, stages=detected.stages)
    assert import_opportunities(path, mapping=given).mapping.name == "mine"


def test_decimal_comma_amount_is_refused_with_row(tmp_path):
    # "1.234,50" must not become 1.23450 or 123450: refused, row 3 (second data row).
    text = SALESFORCE.replace("Closed Lost,500", 'Closed Lost,"1.234,50"')
    with pytest.raises(BadValueError, match="not an amount") as info:
        import_opportunities(_write(tmp_path, "opps.csv", text))
    assert info.value.row == 3 and info.value.found == "1.234,50"


def test_windows_1252_export_is_read_with_a_warning(tmp_path):
    path = tmp_path / "opps.csv"
    path.write_bytes(SALESFORCE.replace("Ann", "Zoë").encode("cp1252"))
    result = import_opportunities(path, by="owner")
    assert "Zoë" in set(result.monthly["owner"])
    assert any("Windows-1252" in w for w in result.warnings)


def test_malformed_line_is_refused_with_row(tmp_path):
    text = SALESFORCE.replace("C,Bolt,Bob,Closed Won,3000", "C,Bolt,Bob,Closed Won,3,000")
    with pytest.raises(BadValueError, match="as many fields") as info:
        import_opportunities(_write(tmp_path, "opps.csv", text))
    assert info.value.row == 4


def test_quoted_line_break_keeps_rows_and_figures(tmp_path):
    # A multi-line opportunity name still makes one deal; the error row counts records.
    text = SALESFORCE.replace("A,Acme", '"A\nsecond line",Acme')
    result = import_opportunities(_write(tmp_path, "opps.csv", text))
    assert result.rows_read == 5 and result.monthly["revenue"].iloc[0] == 4000
    bad = text.replace("2/20/2024", "someday")
    with pytest.raises(BadValueError) as info:
        import_opportunities(_write(tmp_path, "bad.csv", bad))
    assert info.value.row == 3


def test_teams_file_join_and_unknown_owner(tmp_path):
    export = tmp_path / "sales_pipeline.csv"
    export.write_text(
        "opportunity_id,sales_agent,deal_stage,engage_date,close_date,close_value\n"
        "1,Ann,Won,2024-01-01,2024-01-10,100\n"
        "2,Bob,Won,2024-01-02,2024-01-12,50\n"
        "3,Cyd,Lost,2024-01-03,2024-01-14,0\n",
        encoding="utf-8",
    )
    (tmp_path / "sales_teams.csv").write_text(
        "sales_agent,manager,regional_office\nAnn,M1,East\nBob,M2,East\n", encoding="utf-8"
    )
    result = import_opportunities(export, by="regional_office")
    rows = result.monthly.set_index("regional_office")
    # East = Ann + Bob: 2 won, revenue 150; Cyd is not in the teams file.
    assert rows.loc["East", "deals_won"] == 2 and rows.loc["East", "revenue"] == 150
    assert rows.loc["(no team)", "deals_lost"] == 1
    assert any("Cyd" in w for w in result.warnings)
    with pytest.raises(MissingColumnError, match="cannot group by 'country'"):
        import_opportunities(export, by="country")


def test_empty_and_header_only_files_are_refused(tmp_path):
    from roi_kit.errors import EmptyFileError

    with pytest.raises(EmptyFileError):
        import_opportunities(_write(tmp_path, "empty.csv", ""))
    with pytest.raises(EmptyFileError):
        import_opportunities(_write(tmp_path, "head.csv", SALESFORCE.splitlines()[0] + "\n"))


@pytest.mark.parametrize(
    "ids",
    [
        [f"{i:08X}" for i in range(300)],  # fixed 8 characters (the dataset)
        [f"006{i:015d}" for i in range(300)],  # fixed 18 characters (Salesforce)
        [str(i) for i in range(300)],  # varying length (HubSpot record IDs)
    ],
)
@pytest.mark.parametrize("repeat", [False, True])
def test_repeated_ids_found_for_any_id_shape(tmp_path, ids, repeat):
    ids = list(ids)
    if repeat:
        ids[200] = ids[17]
    lines = ["opportunity_id,deal_stage,engage_date,close_date,close_value"]
    lines += [f"{i},Won,2024-01-02,2024-01-05,1" for i in ids]
    path = _write(tmp_path, "p.csv", "\n".join(lines) + "\n")
    has_repeat = max(Counter(ids).values()) > 1
    assert has_repeat == repeat
    if has_repeat:
        with pytest.raises(DuplicateRowError) as info:
            import_opportunities(path)
        assert info.value.row == 17 + 2 and f"[{17 + 2}, {200 + 2}]" in str(info.value)
    else:
        assert import_opportunities(path).won_deals == len(ids)


def test_semicolon_export_with_padded_header_names(tmp_path):
    # Excel in a comma-decimal locale saves with ';'; a header cell may carry a space.
    text = HUBSPOT.replace(",", ";").replace("Deal Stage;", "Deal Stage ;")
    result = import_opportunities(_write(tmp_path, "deals.csv", text))
    assert result.mapping.columns["stage"] == "Deal Stage "
    # Same deals as test_hubspot_export_detected_and_aggregated: Dec revenue 1800.
    assert list(result.monthly["revenue"]) == [1800]


def test_binary_export_is_refused(tmp_path):
    # Was test_utf16_export_is_refused: UTF-16 is read now (the kit's one decoder); what
    # no encoding reads is still refused with the same fix.
    from roi_kit.errors import FileEncodingError

    path = tmp_path / "bin.csv"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(FileEncodingError, match="CSV UTF-8"):
        import_opportunities(path)


# --- encodings: the importer decodes as the case-table reader does ---------------------------

# Owner names in Chinese; amounts and dates as in the other exports. Expected names are
# the literals below, never the kit's output.
CHINESE_OWNERS = ("王伟", "李娜")
CHINESE_EXPORT = (
    "Opportunity ID,Opportunity Name,Stage,Created Date,Close Date,Amount,Opportunity Owner\n"
    "A,华东项目,Closed Won,2024-01-05,2024-02-10,1000,王伟\n"
    "B,华南项目,Closed Lost,2024-01-06,2024-02-11,500,李娜\n"
    "C,华北项目,Prospecting,2024-02-01,,,王伟\n"
)


@pytest.mark.parametrize("codec", ["gbk", "utf-16", "utf-16-le"])
def test_chinese_owner_names_import_in_every_encoding(tmp_path, codec):
    # "utf-16" writes a byte order mark (little-endian here); "utf-16-le" writes none.
    path = tmp_path / f"{codec}.csv"
    path.write_bytes(CHINESE_EXPORT.encode(codec))
    result = import_opportunities(path, by="owner")
    assert set(result.monthly["owner"]) == set(CHINESE_OWNERS)
    assert result.won_deals == 1 and result.lost_deals == 1 and result.open_deals == 1


def test_utf16_le_with_bom_is_read(tmp_path):
    path = tmp_path / "u16.csv"
    path.write_bytes(b"\xff\xfe" + CHINESE_EXPORT.encode("utf-16-le"))
    result = import_opportunities(path, by="owner")
    assert sorted(result.monthly["owner"].unique()) == sorted(CHINESE_OWNERS)
    monthly = result.monthly.set_index(["owner", "month"])
    assert monthly.loc[("王伟", "2024-02"), "revenue"] == 1000
    assert monthly["revenue"].sum() == 1000


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "gbk", "utf-16", "cp1252"])
def test_case_reader_and_importer_decode_the_same_bytes_alike(tmp_path, codec):
    text = CHINESE_EXPORT
    if codec == "cp1252":
        # Western names (cp1252 has no Chinese); "Müller" in cp1252 is also valid GB18030.
        for chinese, latin in zip(CHINESE_OWNERS, ("Zoë", "Müller"), strict=True):
            text = text.replace(chinese, latin)
        text = text.replace("华东项目", "East").replace("华南项目", "South")
        text = text.replace("华北项目", "North")
    path = tmp_path / "same.csv"
    path.write_bytes(text.encode(codec))
    table_owners = set(read_raw(path)["Opportunity Owner"])
    imported = set(import_opportunities(path, by="owner").monthly["owner"])
    assert imported == table_owners


def test_bad_custom_mapping_is_refused(tmp_path):
    from roi_kit.errors import CaseError

    path = _write(tmp_path, "deals.csv", HUBSPOT)
    with pytest.raises(CaseError, match="won, lost|'won', 'lost', 'open'"):
        import_opportunities(path, mapping={"stages": {"closedwon": "maybe"}})
    with pytest.raises(CaseError, match="stagez"):
        import_opportunities(path, mapping={"stagez": {}})
    with pytest.raises(MissingColumnError, match="'Status'"):
        import_opportunities(
            path,
            mapping={
                "columns": {
                    "stage": "Status",
                    "created_date": "Create Date",
                    "close_date": "Close Date",
                    "amount": "Amount",
                }
            },
        )


def test_ambiguous_slash_dates_read_month_first_with_warning(tmp_path):
    text = (
        "opportunity_id,deal_stage,engage_date,close_date,close_value\n"
        "a,Won,01/02/2024,03/04/2024,10\n"
    )
    path = _write(tmp_path, "p.csv", text)
    us = import_opportunities(path)
    # Month-first: Jan 2 -> Mar 4 = 29 + 31 + 2 = 62 days (2024 is a leap year).
    assert list(us.monthly["month"]) == ["2024-03"]  # no close before March: left out
    assert us.monthly["sales_cycle_days"].iloc[0] == 62
    assert any("fit both month-first and day-first" in w for w in us.warnings)
    # Declared day-first: 1 Feb -> 3 Apr = 29 + 31 + 2 = 62 days as well, other months.
    eu = import_opportunities(path, mapping={"date_order": "DMY"})
    assert list(eu.monthly["month"]) == ["2024-04"]
    assert not any("month-first" in w for w in eu.warnings)


def test_a_close_date_in_2099_is_left_out_with_a_warning(tmp_path):
    # E (row 6, won 2000 in March) now closes in 2099: more than a year after the file was
    # written (today), so it is dropped. Left: Jan new A, B -> 2; Feb as before (won A, C,
    # lost B, new C, D); no March row, since nothing else happens after February; January
    # has no close and is left out.
    text = SALESFORCE.replace("1/05/2024,3/25/2024", "1/05/2024,3/25/2099")
    result = import_opportunities(_write(tmp_path, "opps.csv", text))
    assert list(result.monthly["month"]) == ["2024-02"]
    assert result.monthly.iloc[0]["new_opportunities"] == 2
    assert result.monthly.iloc[0]["revenue"] == 4000
    assert result.won_deals == 2 and result.lost_deals == 1 and result.open_deals == 1
    warning = next(w for w in result.warnings if "more than a year after" in w)
    assert "1 deal(s)" in warning and "(rows [6])" in warning and "left out" in warning


def test_row_numbers_in_warnings_skip_nothing_after_a_drop(tmp_path):
    # A (row 2) is dated 2099 and dropped; B (row 3) closes before it was created. The
    # warning must still name B's own row, 3, not its position among the kept deals.
    text = SALESFORCE.replace("1/15/2024,2/10/2024", "1/15/2099,2/10/2099").replace(
        "1/20/2024,2/20/2024", "1/20/2024,1/10/2024"
    )
    result = import_opportunities(_write(tmp_path, "opps.csv", text))
    assert any("(rows [2])" in w and "more than a year" in w for w in result.warnings)
    assert any("close before they were created (rows [3])" in w for w in result.warnings)


# ------------------------------------------------- issue 11: the path and impossible days


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
def test_a_pipe_is_refused_without_being_opened(tmp_path):
    fifo = tmp_path / "export.csv"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []

    def call() -> None:
        try:
            import_opportunities(fifo)
        except BaseException as exc:  # whatever it is, the test thread judges it
            outcome.append(exc)

    # Opening a pipe with no writer blocks for ever: run it aside, so a regression fails
    # here after 10 s instead of hanging the suite.
    worker = threading.Thread(target=call, daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive(), "import_opportunities blocked on a named pipe"
    assert outcome, "a named pipe was read as an export"
    assert isinstance(outcome[0], DataFileError), repr(outcome[0])
    message = str(outcome[0])
    assert str(fifo) in message and "not a regular file" in message and "Fix:" in message


def test_a_folder_is_refused_as_read_table_refuses_it(tmp_path):
    folder = tmp_path / "export.csv"
    folder.mkdir()
    with pytest.raises(DataFileError) as mine:
        import_opportunities(folder)
    with pytest.raises(DataFileError) as tables:
        read_raw(folder)
    # The same words for the same mistake, whichever reader meets it.
    assert "this is a folder, not a file" in str(mine.value)
    assert "this is a folder, not a file" in str(tables.value)


# Days per month, typed from the calendar (not computed): 2023 is a common year, 2024 a
# leap year (divisible by 4, not by 100).
DAYS_2023 = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
DAYS_2024 = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


@pytest.mark.parametrize(
    ("layout", "order"),
    [("{y}-{m:02d}-{d:02d}", None), ("{m}/{d}/{y}", None), ("{d:02d}/{m:02d}/{y}", "DMY")],
)
def test_every_real_day_is_read_and_counted_in_its_month(tmp_path, layout, order):
    # One won deal closing on each day of 2023 and 2024, created on 1 January 2023: each
    # month's deals_won must be its number of days, so no real day (29 February 2024,
    # the 31st of each long month) is refused or moved.
    lines = ["opportunity_id,deal_stage,engage_date,close_date,close_value"]
    for y, days in ((2023, DAYS_2023), (2024, DAYS_2024)):
        for m, n in enumerate(days, start=1):
            for d in range(1, n + 1):
                opened = layout.format(y=2023, m=1, d=1)
                lines.append(f"{y}{m:02d}{d:02d},Won,{opened},{layout.format(y=y, m=m, d=d)},1")
    path = _write(tmp_path, "p.csv", "\n".join(lines) + "\n")
    mapping = None if order is None else {"date_order": order}
    result = import_opportunities(path, mapping=mapping)
    assert list(result.monthly["deals_won"]) == DAYS_2023 + DAYS_2024
    assert result.won_deals == 365 + 366


@pytest.mark.parametrize(
    ("close", "order", "expected"),
    [
        ("2/29/2023", None, "day 29 does not exist in February 2023"),
        ("2023-02-29", None, "day 29 does not exist in February 2023"),
        ("2023/02/30", None, "day 30 does not exist in February 2023"),
        ("4/31/2024 10:30 AM", None, "day 31 does not exist in April 2024"),
        ("31/06/2024", "DMY", "day 31 does not exist in June 2024"),
        ("2024-09-31T08:00:00Z", None, "day 31 does not exist in September 2024"),
        ("11/31/2024", None, "day 31 does not exist in November 2024"),
    ],
)
def test_an_impossible_day_is_refused_naming_row_and_column(tmp_path, close, order, expected):
    # Row 3 (the second deal) closes on a day its month does not have; row 2 is fine.
    text = (
        "opportunity_id,deal_stage,engage_date,close_date,close_value\n"
        "a,Won,2023-01-05,2023-01-20,10\n"
        f"b,Won,2023-01-06,{close},20\n"
    )
    mapping = None if order is None else {"date_order": order}
    with pytest.raises(BadValueError) as info:
        import_opportunities(_write(tmp_path, "p.csv", text), mapping=mapping)
    message = str(info.value)
    assert expected in message
    assert "row 3" in message and "column 'close_date'" in message and repr(close) in message
    assert "Fix: correct the date" in message and len(message.splitlines()) == 1


def test_impossible_days_are_counted_and_the_first_row_named(tmp_path):
    # Rows 3 and 5 hold impossible created dates (31 April, 30 February); row 4 is real.
    text = (
        "opportunity_id,deal_stage,engage_date,close_date,close_value\n"
        "a,Won,2024-01-05,2024-05-20,10\n"
        "b,Won,2024-04-31,2024-05-20,10\n"
        "c,Won,2024-04-30,2024-05-20,10\n"
        "d,Won,2024-02-30,2024-05-20,10\n"
    )
    with pytest.raises(BadValueError) as info:
        import_opportunities(_write(tmp_path, "p.csv", text))
    message = str(info.value)
    assert "row 3, column 'engage_date'" in message
    assert "day 31 does not exist in April 2024 (2 such dates in the column)" in message
    assert "April 2024 has 30 days" in message


# --- --encoding: the user names what detection cannot decide ---------------------------

# Latin-1 bytes 0x81 and 0x8D are control codes in Latin-1 but undefined in cp1252, and not
# plausible Chinese: detection cannot read them; with --encoding latin-1 they are text.
LATIN1_EXPORT = (
    CHINESE_EXPORT.replace("王伟", "Ren\x81e")
    .replace("李娜", "Jo\x8dy")
    .replace("华东项目", "Est")
    .replace("华南项目", "Sud")
    .replace("华北项目", "Nord")
)


def test_an_undecidable_encoding_is_refused_with_the_option_to_name_it(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(LATIN1_EXPORT.encode("latin-1"))
    with pytest.raises(FileEncodingError) as err:
        import_opportunities(path)
    message = str(err.value)
    assert str(path) in message and "row 2" in message and "--encoding" in message


def test_encoding_named_by_the_user_is_used(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(LATIN1_EXPORT.encode("latin-1"))
    result = import_opportunities(path, by="owner", encoding="latin-1")
    assert set(result.monthly["owner"]) == {"Ren\x81e", "Jo\x8dy"}
    # Chosen by the user: no "the file is not UTF-8" warning.
    assert not any("not UTF-8" in w for w in result.warnings)


def test_a_wrong_or_unknown_encoding_is_refused_by_name(tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes(CHINESE_EXPORT.encode("gbk"))
    with pytest.raises(FileEncodingError, match=r"row 2.*not valid utf-8 text"):
        import_opportunities(path, encoding="utf-8")
    with pytest.raises(FileEncodingError, match="unknown encoding 'klingon'"):
        import_opportunities(path, encoding="klingon")


def test_cli_import_crm_takes_encoding(tmp_path, capsys):
    from roi_kit.cli import main

    path = tmp_path / "latin1.csv"
    path.write_bytes(LATIN1_EXPORT.encode("latin-1"))
    out = tmp_path / "kpis.csv"
    assert main(["import-crm", str(path), "-o", str(out), "--encoding", "latin-1"]) == 0
    assert out.is_file()
    assert main(["import-crm", str(path), "-o", str(tmp_path / "k2.csv")]) != 0
    assert "--encoding" in capsys.readouterr().err
    assert not (tmp_path / "k2.csv").exists()
