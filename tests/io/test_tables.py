"""Tests for roi_kit.io.tables: reading messy tables, refusing bad ones clearly, atomic writes.

Expected values are worked out by hand in comments, or read from the same bytes another
way (the csv module, Python's codecs), never pasted from roi_kit.io.tables's own output.
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roi_kit.errors import (
    AmbiguousFormatError,
    BadValueError,
    CaseError,
    DataFileError,
    DuplicateRowError,
    EmptyFileError,
    FileEncodingError,
    GapError,
    MissingColumnError,
    RoiKitError,
)
from roi_kit.io import tables as rio

KPI_SPEC = {
    "month": "month",
    "revenue": "money",
    "deals_won": "count",
    "win_rate": "fraction",
    "sales_cycle_days": "nonneg",
    "region": "text",
}
KPI = {"spec": KPI_SPEC, "required": ("month",), "key": ("month",)}
KPI_GROUPS = {"spec": KPI_SPEC, "required": ("month", "region"), "key": ("month", "region")}
COST = {
    "spec": {"item": "text", "type": "choice:one_time|recurring", "amount": "money"},
    "required": ("item",),
}


def _snapshot(path: Path) -> tuple[bytes, int] | None:
    return (path.read_bytes(), path.stat().st_mtime_ns) if path.exists() else None


def _xlsx_bytes(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class Bad:
    """One refused input: what is in the file, how it is read, what the error must say."""

    id: str
    content: bytes | str | None  # None: the file does not exist
    options: dict
    error: type[Exception]
    says: tuple[str, ...]
    name: str = "data.csv"
    names_file: bool = True


BAD = [
    # --- empty files -------------------------------------------------------------------
    Bad("no bytes", b"", KPI, EmptyFileError, ("empty",)),
    Bad("blank lines only", "\n\n   \n", KPI, EmptyFileError, ("empty",)),
    Bad("bom only", b"\xef\xbb\xbf", KPI, EmptyFileError, ("empty",)),
    Bad("header only", "month,revenue\n", KPI, EmptyFileError, ("row 1", "no data rows")),
    Bad(
        "header only xlsx",
        _xlsx_bytes([["month", "revenue"]]),
        KPI,
        EmptyFileError,
        ("no data rows",),
        name="data.xlsx",
    ),
    # --- header problems -----------------------------------------------------------------
    Bad(
        "duplicated header",
        "month,revenue,revenue\n2024-01,1,2\n",
        KPI,
        DataFileError,
        ("row 1", "'revenue'", "twice", "columns B and C", "rename"),
    ),
    Bad(
        "nameless column with values",
        "month,,revenue\n2024-01,5,1\n",
        KPI,
        DataFileError,
        ("row 2", "column B", "no name", "B1"),
    ),
    Bad(
        "two names for one spec column",
        "Month,month ,revenue\n2024-01,2024-02,1\n",
        KPI,
        AmbiguousFormatError,
        ("'Month'", "'month'", "both mean", "rename"),
    ),
    Bad(
        "missing column near miss",
        "mnth,revenue\n2024-01,1\n",
        KPI,
        MissingColumnError,
        ("'month'", "is missing", "'mnth'", "'revenue'", "did you mean 'mnth'"),
    ),
    Bad(
        "missing column below blank lines",
        "\n\nmnth,revenue\n2024-01,1\n",
        KPI,
        MissingColumnError,
        ("row 3", "'month'", "did you mean 'mnth'"),
    ),
    Bad(
        "missing column no near miss",
        "period,revenue\n2024-01,1\n",
        KPI,
        MissingColumnError,
        ("'month'", "'period'", "'revenue'", "add a column"),
    ),
    Bad(
        "missing group column",
        "month,revenue\n2024-01,1\n",
        KPI_GROUPS,
        MissingColumnError,
        ("'region'", "'month'"),
    ),
    # --- structure: separators, quotes, ragged rows --------------------------------------
    Bad(
        "unquoted thousands comma",
        "month,revenue\n2024-01,100\n2024-02,1,234.50\n",
        KPI,
        DataFileError,
        ("row 3", "3 values", "2 columns", "quotes"),
    ),
    Bad(
        "row too short",
        "month,revenue,deals_won\n2024-01,1,2\n2024-02,1\n",
        KPI,
        DataFileError,
        ("row 3", "2 values", "3 columns"),
    ),
    Bad(
        "separator mix semicolon header comma row",
        "month;revenue;deals_won\n2024-01;1;2\n2024-02,1,2\n",
        KPI,
        DataFileError,
        ("row 3", "1 values", "';'", "one separator"),
    ),
    Bad(
        "separator tie unresolved",
        "month,revenue;deals_won\n2024-01,1;2\n2024-02;1;2,3,4\n",
        KPI,
        AmbiguousFormatError,
        ("row 1", "separator", "1 ','", "1 ';'"),
    ),
    Bad(
        "unclosed quote",
        'month,revenue\n2024-01,"12\n2024-02,5\n',
        KPI,
        DataFileError,
        ("row 2", "quote"),
    ),
    Bad(
        "row numbers count blank lines",
        "month,revenue\n2024-01,1\n\n2024-02,lots\n",
        KPI,
        BadValueError,
        ("row 4", "'lots'"),
    ),
    # --- numbers ---------------------------------------------------------------------------
    Bad(
        "text in number",
        "month,revenue\n2024-01,100\n2024-02,n/a\n",
        KPI,
        BadValueError,
        ("row 3", "column 'revenue'", "'n/a'", "not a number", "Fix: write a plain number"),
    ),
    Bad(
        "decimal comma when decimal is point",
        "month;revenue\n2024-01;1.234,50\n",
        KPI,
        BadValueError,
        ("row 2", "'revenue'", "'1.234,50'", "decimal comma", "decimal: ','"),
    ),
    Bad(
        "decimal point when decimal is comma",
        "month;revenue\n2024-01;1,234.50\n",
        {**KPI, "decimal": ","},
        BadValueError,
        ("row 2", "'1,234.50'", "decimal point", "decimal: '.'"),
    ),
    Bad(
        "misplaced thousands",
        'month,revenue\n2024-01,"1,23,4"\n',
        KPI,
        BadValueError,
        ("row 2", "'1,23,4'", "thousands separators"),
    ),
    Bad("double percent", "month,revenue\n2024-01,12%%\n", KPI, BadValueError, ("'12%%'", "%")),
    Bad("nan text", "month,revenue\n2024-01,nan\n", KPI, BadValueError, ("row 2", "'nan'")),
    Bad("inf text", "month,revenue\n2024-01,-inf\n", KPI, BadValueError, ("'-inf'",)),
    Bad(
        "excel error value",
        "month,revenue\n2024-01,#DIV/0!\n",
        KPI,
        BadValueError,
        ("'#DIV/0!'", "Excel error", "formula"),
    ),
    Bad(
        "overflowing number",
        "month,revenue\n2024-01,1e999\n",
        KPI,
        BadValueError,
        ("'1e999'", "too large"),
    ),
    Bad(
        "negative count",
        "month,deals_won\n2024-01,4\n2024-02,-3\n",
        KPI,
        BadValueError,
        ("row 3", "'deals_won'", "'-3'", "negative"),
    ),
    Bad(
        "fractional count",
        "month,deals_won\n2024-01,2.5\n",
        KPI,
        BadValueError,
        ("row 2", "'2.5'", "whole number"),
    ),
    Bad(
        "negative days",
        "month,Sales Cycle Days\n2024-01,-4\n",
        KPI,
        BadValueError,
        ("row 2", "'Sales Cycle Days'", "'-4'", "negative"),
    ),
    Bad(
        "fraction 150 percent",
        "month,win_rate\n2024-01,12%\n2024-02,150%\n",
        KPI,
        BadValueError,
        ("row 3", "'win_rate'", "'150%'", "150%", "12% or 0.12"),
    ),
    Bad(
        "fraction above one",
        "month,win_rate\n2024-01,0.1\n2024-02,1.5\n",
        KPI,
        BadValueError,
        ("row 3", "'1.5'", "outside 0 to 1", "12% or 0.12"),
    ),
    Bad(
        "negative fraction",
        "month,win_rate\n2024-01,-0.1\n",
        KPI,
        BadValueError,
        ("row 2", "'-0.1'", "12% or 0.12"),
    ),
    Bad(
        "percent points",
        "month,win_rate\n2024-01,12\n2024-02,15.5\n2024-03,20\n",
        KPI,
        BadValueError,
        ("row 2", "'win_rate'", "'12'", "percent points", "12% or 0.12"),
    ),
    Bad(
        "text in custom kpi",
        "month,revenue,NPS\n2024-01,1,good\n",
        KPI,
        BadValueError,
        ("row 2", "column 'NPS'", "'good'", "custom numeric KPI"),
    ),
    Bad(
        "unknown choice near miss",
        "item,type,amount\nLicences,recurring,10\nTraining,recurrring,5\n",
        COST,
        BadValueError,
        ("row 3", "column 'type'", "'recurrring'", "one_time, recurring", "did you mean"),
    ),
    Bad(
        "unknown choice",
        "item,type,amount\nLicences,monthly,10\n",
        COST,
        BadValueError,
        ("row 2", "'monthly'", "use one of: one_time, recurring"),
    ),
    # --- months, keys, gaps ---------------------------------------------------------------
    Bad(
        "month 13",
        "month,revenue\n2024-01,1\n2024-13,1\n",
        KPI,
        BadValueError,
        ("row 3", "column 'month'", "'2024-13'", "month 13", "YYYY-MM"),
    ),
    Bad("month as word", "month,revenue\nsoon,1\n", KPI, BadValueError, ("'soon'", "YYYY-MM")),
    Bad(
        "day 30 february",
        "month,revenue\n2024-02-30,1\n",
        KPI,
        BadValueError,
        ("'2024-02-30'", "day 30"),
    ),
    Bad(
        "ambiguous date",
        "month,revenue\n01/02/2024,1\n01/03/2024,2\n",
        KPI,
        AmbiguousFormatError,
        ("row 2", "'01/02/2024'", "month/day or day/month", "date_order: MDY or DMY"),
    ),
    Bad(
        "mixed date orders",
        "month,revenue\n31/01/2024,1\n02/13/2024,2\n",
        KPI,
        AmbiguousFormatError,
        ("row 3", "mixes", "'31/01/2024'", "'02/13/2024'"),
    ),
    Bad(
        "day-first date under MDY",
        "month,revenue\n31/01/2024,1\n",
        {**KPI, "date_order": "MDY"},
        BadValueError,
        ("row 2", "'31/01/2024'", "month 31", "date_order"),
    ),
    Bad(
        "year-last date under YMD",
        "month,revenue\n31/01/2024,1\n",
        {**KPI, "date_order": "YMD"},
        BadValueError,
        ("'31/01/2024'", "YMD", "MDY or DMY"),
    ),
    Bad(
        "two digit year",
        "month,revenue\n01/31/24,1\n",
        KPI,
        BadValueError,
        ("'01/31/24'", "two-digit year", "4 digits"),
    ),
    Bad(
        "empty key cell",
        "month,revenue\n2024-01,1\n,2\n",
        KPI,
        BadValueError,
        ("row 3", "month is empty"),
    ),
    Bad(
        "duplicated month",
        "month,revenue\n2024-01,1\n2024-02,2\n2024-01,3\n",
        KPI,
        DuplicateRowError,
        ("row 2 and row 4 both have month 2024-01", "one row per month"),
    ),
    Bad(
        "duplicated month written two ways",
        "month,revenue\nJan 2024,1\n2024-01-31,3\n",
        KPI,
        DuplicateRowError,
        ("row 2 and row 3 both have month 2024-01",),
    ),
    Bad(
        "duplicated month and group",
        "month,region,revenue\n2024-01,North,1\n2024-02,North,2\n2024-01,South,3\n"
        "2024-02, North ,4\n2024-02,South,5\n",
        KPI_GROUPS,
        DuplicateRowError,
        ("row 3 and row 5 both have month 2024-02 and region 'North'",),
    ),
    Bad(
        "gap",
        "month,revenue\n2024-01,1\n2024-02,1\n2024-05,1\n",
        KPI,
        GapError,
        ("2 month(s) missing", "2024-03, 2024-04", "column 'month'", "add a row"),
    ),
    Bad(
        "gap in one group",
        "month,region,revenue\n2024-01,North,1\n2024-02,North,1\n2024-03,North,1\n"
        "2024-01,South,1\n2024-03,South,1\n",
        KPI_GROUPS,
        GapError,
        ("region 'South'", "2024-02"),
    ),
    # --- bytes that are not a text table -------------------------------------------------
    Bad(
        "binary with NUL",
        bytes(range(256)) * 4,
        KPI,
        FileEncodingError,
        ("NUL", "CSV UTF-8"),
    ),
    Bad(
        "control characters",
        b"month,revenue\n2024-01,\x01\x02\x03\n",
        KPI,
        FileEncodingError,
        ("row 2", "control characters"),
    ),
    Bad(
        "undecodable bytes",
        b"month,revenue\n2024-01,1\n2024-02,\x81\x8d\n",
        KPI,
        FileEncodingError,
        ("row 3", "UTF-8, GBK/GB18030 or Windows-1252", "CSV UTF-8"),
    ),
    Bad(
        "workbook renamed to csv",
        _xlsx_bytes([["month"], ["2024-01"]]),
        KPI,
        FileEncodingError,
        ("Excel workbook", ".xlsx"),
    ),
    Bad(
        "old xls renamed to csv",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100),
        KPI,
        FileEncodingError,
        (".xls", "save it as .xlsx"),
    ),
    Bad(
        "garbage named xlsx",
        b"month,revenue\n2024-01,1\n",
        KPI,
        FileEncodingError,
        ("cannot be opened as an Excel workbook",),
        name="data.xlsx",
    ),
    Bad(
        "xls extension",
        b"whatever",
        KPI,
        DataFileError,
        (".xls", "save it as .xlsx"),
        name="data.xls",
    ),
    Bad("no such file", None, KPI, DataFileError, ("does not exist", "check the file name")),
    Bad(
        "xlsx unknown sheet",
        _xlsx_bytes([["month"], ["2024-01"]]),
        {**KPI, "sheet": "KPIs"},
        DataFileError,
        ("no sheet named 'KPIs'", "'Sheet'"),
        name="data.xlsx",
    ),
    Bad(
        "xlsx text in number",
        _xlsx_bytes([["month", "revenue"], [datetime.datetime(2024, 1, 31), 5.0], [45323, "?"]]),
        KPI,
        BadValueError,
        ("row 3", "column 'revenue'", "'?'"),
        name="data.xlsx",
    ),
    # --- options from case.yml ----------------------------------------------------------
    Bad(
        "bad decimal option",
        "month,revenue\n2024-01,1\n",
        {**KPI, "decimal": ";"},
        CaseError,
        ("decimal", "';'"),
        names_file=False,
    ),
    Bad(
        "bad date_order option",
        "month,revenue\n2024-01,1\n",
        {**KPI, "date_order": "DM"},
        CaseError,
        ("date_order", "MDY"),
        names_file=False,
    ),
]


def test_bad_table_has_enough_distinct_cases():
    assert len(BAD) >= 40
    assert len({case.id for case in BAD}) == len(BAD)
    assert len({(case.content, str(case.options)) for case in BAD}) == len(BAD)


@pytest.mark.parametrize("case", BAD, ids=[case.id for case in BAD])
def test_bad_input_is_refused_clearly(case: Bad, tmp_path: Path):
    path = tmp_path / case.name
    if isinstance(case.content, str):
        path.write_bytes(case.content.encode("utf-8"))
    elif case.content is not None:
        path.write_bytes(case.content)
    before = _snapshot(path)
    with pytest.raises(case.error) as info:
        rio.read_table(path, **case.options)
    # Exact class, not just a parent: the class tells the caller what went wrong.
    assert type(info.value) is case.error
    message = str(info.value)
    for text in case.says:
        assert text in message, f"{text!r} not in {message!r}"
    if case.names_file:
        assert case.name in message
    # The input is never modified, not even when it is refused.
    assert _snapshot(path) == before


# --------------------------------------------------------------------------------------
# Good inputs
# --------------------------------------------------------------------------------------


def _csv_module_rows(text: str, delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def test_utf8_bom_header_is_clean(tmp_path: Path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbfmonth,revenue\r\n2024-01,100\r\n2024-02,250.5\r\n")
    df = rio.read_table(path, **KPI)
    assert list(df.columns) == ["month", "revenue"]
    assert list(df["month"]) == [pd.Period("2024-01", "M"), pd.Period("2024-02", "M")]
    assert df["revenue"].tolist() == [100.0, 250.5]
    assert df.attrs["source"] == str(path)
    assert list(df.index) == [2, 3]
    assert list(df.index) == [2, 3]


def test_gbk_chinese_values_load(tmp_path: Path):
    text = "month,region,revenue\n2024-01,华东区,100\n2024-02,华南区,200\n2024-03,北京,300\n"
    path = tmp_path / "gbk.csv"
    path.write_bytes(text.encode("gbk"))
    df = rio.read_table(path, spec=KPI_SPEC, key=("month",))
    # Independent: Python's own decoding of the known encoding, split by the csv module.
    expected = _csv_module_rows(path.read_bytes().decode("gbk"))
    assert df["region"].tolist() == [row[1] for row in expected[1:]]
    assert df["region"].tolist() == ["华东区", "华南区", "北京"]
    assert df["revenue"].tolist() == [100.0, 200.0, 300.0]


def test_cp1252_accents_and_euro_load(tmp_path: Path):
    text = "item;owner;amount\ncafé licences;Müller;€ 1.234,50\nTraining;Zoë;€ 99\n"
    path = tmp_path / "costs.csv"
    path.write_bytes(text.encode("cp1252"))
    # "Müller" in cp1252 also decodes as GB18030 (0xFC 0x6C is a rare ideograph), so this
    # checks that the plausibility rule rejects that reading.
    df = rio.read_table(
        path, spec={"item": "text", "owner": "text", "amount": "money"}, decimal=","
    )
    assert df["item"].tolist() == ["café licences", "Training"]
    assert df["owner"].tolist() == ["Müller", "Zoë"]
    # "€ 1.234,50" with decimal comma: 1234 + 50/100 = 1234.5
    assert df["amount"].tolist() == [1234.5, 99.0]


def test_cp1252_that_also_decodes_as_gb18030(tmp_path: Path):
    text = "month,owner\n2024-01,Müller\n2024-02,Björk\n2024-03,François\n"
    data = text.encode("cp1252")
    # These bytes are valid GB18030 too ("M黮ler": 0xFC 0x6C is a rare ideograph), so only
    # the plausibility rule (common GB2312 characters) keeps them Windows-1252.
    assert data.decode("gb18030") != text
    path = tmp_path / "owners.csv"
    path.write_bytes(data)
    df = rio.read_table(path, spec={"month": "month", "owner": "text"})
    assert df["owner"].tolist() == ["Müller", "Björk", "François"]


def test_semicolon_decimal_comma(tmp_path: Path):
    path = tmp_path / "eu.csv"
    path.write_text(
        "Month;Revenue;Win Rate\n2024-01;1.234,50;12,5%\n2024-02;1 234,50;0,2\n"
        "2024-03;\u00a0-1.000;\n",
        encoding="utf-8",
    )
    df = rio.read_table(path, **KPI, decimal=",")
    assert df["revenue"].tolist() == [1234.5, 1234.5, -1000.0]
    # 12,5% = 0.125; 0,2 = 0.2; empty cell -> NaN
    assert df["win_rate"].tolist()[:2] == [0.125, 0.2]
    assert math.isnan(df["win_rate"].tolist()[2])
    assert df.attrs["columns"] == {"month": "Month", "revenue": "Revenue", "win_rate": "Win Rate"}


def test_tab_separated_with_thousands_and_brackets(tmp_path: Path):
    path = tmp_path / "kpis.tsv"
    path.write_text(
        "month\trevenue\twin_rate\tdeals_won\n"
        "2024-01\t$1,234.50\t12%\t3\n"
        "2024-02\t(1,000)\t0.3\t0\n",
        encoding="utf-8",
    )
    df = rio.read_table(path, **KPI)
    assert df["revenue"].tolist() == [1234.5, -1000.0]
    assert df["win_rate"].tolist() == [0.12, 0.3]
    assert df["deals_won"].tolist() == [3.0, 0.0]


def test_quoted_numbers_with_comma_separator(tmp_path: Path):
    text = 'month,revenue,operating cost\n2024-01,"1,234.50","USD 2,000"\n'
    path = tmp_path / "q.csv"
    path.write_text(text, encoding="utf-8")
    df = rio.read_table(path, **KPI)
    # extra column "operating cost" is read as a number under its normalised name
    assert df["revenue"].tolist() == [1234.5]
    assert df["operating_cost"].tolist() == [2000.0]


def test_utf16_excel_unicode_text(tmp_path: Path):
    path = tmp_path / "unicode.txt"
    path.write_bytes("month\trevenue\n2024-01\t5\n".encode("utf-16"))
    df = rio.read_table(path, **KPI)
    assert df["revenue"].tolist() == [5.0]


def test_excel_sep_line_and_trailing_separators(tmp_path: Path):
    path = tmp_path / "sep.csv"
    path.write_text("sep=;\nmonth;revenue;\n2024-01;7;\n;;\n2024-02;8;\n", encoding="utf-8")
    df = rio.read_table(path, **KPI)
    assert df["revenue"].tolist() == [7.0, 8.0]
    # sep line is hidden by Excel: header row 1, data rows 2 and (after a blank row) 4.
    assert list(df.index) == [2, 4]


def test_xlsx_dates_serials_and_native_numbers(tmp_path: Path):
    rows = [
        ["Month", "Revenue", "Win Rate", "Deals Won", "Region"],
        [datetime.datetime(2024, 1, 31), 1234.5, 0.12, 3, "North"],
        # 45323 days after 1899-12-30 is 2024-02-01 (1899-12-30 + 45292 = 2024-01-01, +31)
        [45323, "$1,000", "15%", 4, "North"],
        ["2024-03", -20, None, 0, "North"],
    ]
    path = tmp_path / "kpis.xlsx"
    path.write_bytes(_xlsx_bytes(rows))
    before = _snapshot(path)
    # decimal="," must not change numbers that Excel stores as numbers.
    df = rio.read_table(path, **KPI_GROUPS, decimal=",")
    assert _snapshot(path) == before
    assert list(df["month"]) == [pd.Period(f"2024-0{m}", "M") for m in (1, 2, 3)]
    assert df["revenue"].tolist()[0] == 1234.5 and df["revenue"].tolist()[2] == -20.0
    # "$1,000" with decimal comma reads 1.0 ("," is the decimal mark, "$" dropped)
    assert df["revenue"].tolist()[1] == 1.0
    assert df["win_rate"].tolist()[:2] == [0.12, 0.15]
    assert df["deals_won"].tolist() == [3.0, 4.0, 0.0]
    assert list(df.index) == [2, 3, 4]


def test_xlsx_sheet_choice_and_offset_header(tmp_path: Path):
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    sheet = book.create_sheet("KPIs")
    sheet["B3"] = "month"
    sheet["C3"] = "revenue"
    sheet["B4"] = "Jan 2024"
    sheet["C4"] = 10
    path = tmp_path / "book.xlsx"
    book.save(path)
    df = rio.read_table(path, **KPI, sheet="kpis")
    assert df["revenue"].tolist() == [10.0]
    # Row numbers are Excel's: the first data row is row 4.
    assert list(df.index) == [4]
    assert df.attrs["sheet"] == "KPIs"
    assert rio.read_table(path, **KPI, sheet=1)["month"].tolist() == [pd.Period("2024-01", "M")]


def test_column_names_match_loosely_and_choices_normalise(tmp_path: Path):
    path = tmp_path / "costs.csv"
    path.write_text(" Item ,TYPE,Amount\nLicences,One-Time,10\nSupport, recurring ,5\n")
    df = rio.read_table(path, **COST)
    assert list(df.columns) == ["item", "type", "amount"]
    assert df["type"].tolist() == ["one_time", "recurring"]


def test_day_first_column_is_inferred(tmp_path: Path):
    path = tmp_path / "dmy.csv"
    # 31/01 settles the column as day/month, so 01/02/2024 is 1 February.
    path.write_text("month,revenue\n31/01/2024,1\n01/02/2024,2\n01/03/2024,3\n")
    df = rio.read_table(path, **KPI)
    assert list(df["month"]) == [pd.Period(f"2024-0{m}", "M") for m in (1, 2, 3)]


def test_extra_columns_keep_and_ignore(tmp_path: Path):
    path = tmp_path / "x.csv"
    path.write_text("month,revenue,Comment\n2024-01,1,fine\n2024-02,2,\n")
    kept = rio.read_table(path, **KPI, extra="keep")
    assert kept["comment"].tolist()[0] == "fine"
    assert pd.isna(kept["comment"].tolist()[1])
    ignored = rio.read_table(path, **KPI, extra="ignore")
    assert list(ignored.columns) == ["month", "revenue"]


def test_groups_without_gaps_pass(tmp_path: Path):
    path = tmp_path / "g.csv"
    path.write_text(
        "month,region,revenue\n2024-01,North,1\n2024-01,South,2\n2024-02,North,3\n2024-02,South,4\n"
    )
    df = rio.read_table(path, **KPI_GROUPS)
    assert df["region"].tolist() == ["North", "South", "North", "South"]
    assert df["revenue"].sum() == 10.0


def test_gap_check_can_be_switched_off(tmp_path: Path):
    path = tmp_path / "gap.csv"
    path.write_text("month,revenue\n2024-01,1\n2024-04,1\n")
    df = rio.read_table(path, **KPI, check_gaps=False)
    assert len(df) == 2


def test_read_raw_returns_strings_and_none(tmp_path: Path):
    path = tmp_path / "raw.csv"
    path.write_text(' a , b \n x ,\n"1,5", 2 \n')
    df = rio.read_raw(path)
    assert list(df.columns) == ["a", "b"]
    assert df.to_numpy().tolist() == [["x", None], ["1,5", "2"]]
    assert list(df.index) == [2, 3]


def test_read_table_refuses_programming_slips():
    with pytest.raises(ValueError, match="unknown kind"):
        rio.read_table("nowhere.csv", spec={"month": "monthly"})
    with pytest.raises(ValueError, match="not in spec"):
        rio.read_table("nowhere.csv", spec={"month": "month"}, key=("region",))


# --------------------------------------------------------------------------------------
# parse_number / parse_month directly
# --------------------------------------------------------------------------------------

GOOD_NUMBERS = [
    ("1234", ".", 1234.0),
    ("1,234.50", ".", 1234.5),
    ("$1,234.50", ".", 1234.5),
    ("€ 1.234,50", ",", 1234.5),
    ("1 234,50", ",", 1234.5),
    ("1\u00a0234,50", ",", 1234.5),
    ("1\u2009234,50", ",", 1234.5),
    ("1.234,50", ",", 1234.5),
    ("12%", ".", 0.12),
    ("(1,000)", ".", -1000.0),
    ("-1,000", ".", -1000.0),
    ("  42  ", ".", 42.0),
    ("USD 1,000", ".", 1000.0),
    ("1,000 EUR", ".", 1000.0),
    ("£5", ".", 5.0),
    ("¥1,000,000", ".", 1_000_000.0),
    ("1e3", ".", 1000.0),
    ("-$5.25", ".", -5.25),
    ("\u22123", ".", -3.0),
    (".5", ".", 0.5),
    (7, ".", 7.0),
    (2.5, ",", 2.5),
]


@pytest.mark.parametrize(("text", "decimal", "expected"), GOOD_NUMBERS)
def test_parse_number_accepts(text, decimal, expected):
    assert rio.parse_number(text, decimal=decimal) == expected


BAD_NUMBERS = [
    ("abc", "."),
    ("1,23,4", "."),
    ("1.234,50", "."),
    ("1,234.50", ","),
    ("12%%", "."),
    ("nan", "."),
    ("inf", "."),
    ("", "."),
    ("   ", "."),
    ("EUR", "."),
    ("-(5)", "."),
    ("1.2.3", "."),
    (float("nan"), "."),
    (True, "."),
    (None, "."),
]


@pytest.mark.parametrize(("text", "decimal"), BAD_NUMBERS)
def test_parse_number_refuses(text, decimal):
    with pytest.raises(ValueError) as info:
        rio.parse_number(text, decimal=decimal)
    assert isinstance(info.value, BadValueError)
    assert str(info.value)


GOOD_MONTHS = [
    ("2024-01", "auto", "2024-01"),
    ("2024/01", "auto", "2024-01"),
    ("2024-01-31", "auto", "2024-01"),
    ("2024-01-31 00:00:00", "auto", "2024-01"),
    ("2024-01-31T13:45", "auto", "2024-01"),
    ("Jan 2024", "auto", "2024-01"),
    ("January 2024", "auto", "2024-01"),
    ("Sept 2024", "auto", "2024-09"),
    ("Mar-24", "auto", "2024-03"),
    ("01/31/2024", "auto", "2024-01"),
    ("31/01/2024", "auto", "2024-01"),
    ("05/05/2024", "auto", "2024-05"),
    ("01/02/2024", "MDY", "2024-01"),
    ("01/02/2024", "DMY", "2024-02"),
    ("2024-01-15", "DMY", "2024-01"),
    ("31.12.2023", "auto", "2023-12"),
    ("2024年3月", "auto", "2024-03"),
    # 1899-12-30 + 45292 days = 2024-01-01 (Excel's serial for 1 Jan 2024)
    ("45292", "auto", "2024-01"),
    (45351, "auto", "2024-02"),  # + 59 days = 2024-02-29
    (datetime.datetime(2024, 6, 30, 12), "auto", "2024-06"),
    (datetime.date(2023, 11, 1), "auto", "2023-11"),
    (pd.Timestamp("2022-07-15"), "auto", "2022-07"),
]


@pytest.mark.parametrize(("text", "order", "expected"), GOOD_MONTHS)
def test_parse_month_accepts(text, order, expected):
    result = rio.parse_month(text, date_order=order)
    assert result == pd.Period(expected, freq="M")
    assert result.freqstr == "M"


def test_excel_serial_matches_date_arithmetic():
    # Independent of the kit: numpy date arithmetic from Excel's 1899-12-30 epoch.
    for serial in (20000, 36526, 45292, 60000, 80000):
        day = np.datetime64("1899-12-30") + np.timedelta64(serial, "D")
        assert rio.parse_month(serial) == pd.Period(str(day)[:7], freq="M")


@pytest.mark.parametrize(
    ("text", "order", "error"),
    [
        ("01/02/2024", "auto", AmbiguousFormatError),
        ("2024-13", "auto", BadValueError),
        ("Jan 31", "auto", BadValueError),
        ("Foo 2024", "auto", BadValueError),
        ("19999", "auto", BadValueError),
        ("15/01/2024", "MDY", BadValueError),
        ("", "auto", BadValueError),
        ("2024-01", "ISO", CaseError),
    ],
)
def test_parse_month_refuses(text, order, error):
    with pytest.raises(error):
        rio.parse_month(text, date_order=order)


# --------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------

money = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(money)
def test_grouped_number_round_trip(x):
    assert rio.parse_number(format(x, ",.2f")) == round(x, 2)
    # The same in European style: swap the marks, read with decimal=",".
    european = format(x, ",.2f").translate(str.maketrans({",": ".", ".": ","}))
    assert rio.parse_number(european, decimal=",") == round(x, 2)
    # Accountants' brackets for negatives.
    assert rio.parse_number(f"({format(abs(x), ',.2f')})") == -round(abs(x), 2)


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=-1000, max_value=1000, allow_nan=False))
def test_percent_round_trip(x):
    written = format(x, ".2f")
    # Expected: the plain decimal divided by 100, computed by Python's float().
    assert rio.parse_number(written + "%") == float(written) / 100
    assert math.isclose(rio.parse_number(written + " %"), x / 100, abs_tol=0.006 / 100)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=20), st.sampled_from([".", ","]))
def test_parse_number_only_floats_or_value_errors(text, decimal):
    try:
        value = rio.parse_number(text, decimal=decimal)
    except BadValueError:
        return
    assert isinstance(value, float) and math.isfinite(value)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=24), st.sampled_from(["auto", "YMD", "MDY", "DMY"]))
def test_parse_month_only_periods_or_value_errors(text, order):
    try:
        value = rio.parse_month(text, date_order=order)
    except (BadValueError, AmbiguousFormatError):
        return
    assert isinstance(value, pd.Period) and value.freqstr == "M"


FUZZ_SPEC = {"spec": {"month": "month", "revenue": "money", "win_rate": "fraction"}}
csv_alphabet = st.sampled_from(list('month,revenue;win_rate\t"\n\r 0123456789-/.%$€eE()abc华\x00'))


def _read_fuzz(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.csv"
        path.write_bytes(data)
        try:
            result = rio.read_table(path, **FUZZ_SPEC, key=("month",))
        except RoiKitError:
            return
        assert isinstance(result, pd.DataFrame)
        assert path.read_bytes() == data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.text(csv_alphabet, max_size=120),
        st.builds(
            lambda rows: "month,revenue,win_rate\n" + "\n".join(rows),
            st.lists(st.text(csv_alphabet, max_size=20), max_size=6),
        ),
    )
)
def test_fuzz_text_is_read_or_refused(text):
    _read_fuzz(text.encode("utf-8"))


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=200))
def test_fuzz_bytes_are_read_or_refused(data):
    _read_fuzz(data)


@settings(max_examples=30, deadline=None)
@given(st.binary(max_size=300))
def test_fuzz_bytes_as_xlsx_are_refused(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.xlsx"
        path.write_bytes(data)
        with pytest.raises(RoiKitError):
            rio.read_table(path, **FUZZ_SPEC)


# --------------------------------------------------------------------------------------
# Input files are never modified
# --------------------------------------------------------------------------------------


def test_successful_read_leaves_file_untouched(tmp_path: Path):
    path = tmp_path / "kpis.csv"
    path.write_bytes(b"month,revenue\n2024-01,1\n2024-02,2\n")
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    before = _snapshot(path)
    rio.read_table(path, **KPI)
    rio.read_raw(path)
    assert _snapshot(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kpis.csv"]


# --------------------------------------------------------------------------------------
# Atomic writes
# --------------------------------------------------------------------------------------


def test_atomic_write_text_creates_parents_and_leaves_no_temp(tmp_path: Path):
    target = tmp_path / "out" / "deep" / "report.txt"
    result = rio.atomic_write_text(target, "héllo\n" * 1000)
    assert result == target
    assert target.read_text(encoding="utf-8") == "héllo\n" * 1000
    assert os.listdir(target.parent) == ["report.txt"]


def test_atomic_write_text_encoding(tmp_path: Path):
    target = tmp_path / "gbk.txt"
    rio.atomic_write_text(target, "华东", encoding="gbk")
    assert target.read_bytes() == "华东".encode("gbk")


def test_atomic_write_bytes_overwrites(tmp_path: Path):
    target = tmp_path / "a.bin"
    target.write_bytes(b"old")
    rio.atomic_write_bytes(target, bytes(range(256)))
    assert target.read_bytes() == bytes(range(256))
    assert os.listdir(tmp_path) == ["a.bin"]


def test_atomic_write_csv_round_trip(tmp_path: Path):
    df = pd.DataFrame({"month": ["2024-01", "2024-02"], "revenue": [1.5, -2.0]})
    target = tmp_path / "sub" / "t.csv"
    rio.atomic_write_csv(df, target)
    with open(target, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows == [["month", "revenue"], ["2024-01", "1.5"], ["2024-02", "-2.0"]]
    assert os.listdir(target.parent) == ["t.csv"]


def test_failed_rename_keeps_old_file_and_removes_temp(tmp_path: Path, monkeypatch):
    target = tmp_path / "keep.txt"
    target.write_text("old content")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(rio.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        rio.atomic_write_text(target, "new content")
    assert target.read_text() == "old content"
    assert os.listdir(tmp_path) == ["keep.txt"]


def test_failure_mid_write_keeps_old_file(tmp_path: Path, monkeypatch):
    target = tmp_path / "keep.bin"
    target.write_bytes(b"old")

    def broken_fsync(fd):
        raise OSError("I/O error")

    monkeypatch.setattr(rio.os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="I/O error"):
        rio.atomic_write_bytes(target, b"new" * 1000)
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["keep.bin"]


def test_failed_csv_render_touches_nothing(tmp_path: Path):
    target = tmp_path / "t.csv"
    target.write_text("old")
    with pytest.raises(TypeError):
        rio.atomic_write_csv(pd.DataFrame({"a": [1]}), target, no_such_option=True)
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["t.csv"]


def test_atomic_write_gives_a_normal_file_mode(tmp_path):
    # mkstemp makes 0600 files; a written output must get 0666 less the umask, like open().
    umask = os.umask(0o022)
    try:
        out = rio.atomic_write_text(tmp_path / "out.csv", "a,b\n")
    finally:
        os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o644
    out.chmod(0o600)  # an existing file keeps its own mode
    rio.atomic_write_text(out, "c,d\n")
    assert out.stat().st_mode & 0o777 == 0o600


def test_a_pipe_in_place_of_a_table_is_named_as_such(tmp_path):
    # A FIFO is neither a file nor a folder: say what it is (reading it would block).
    import os

    fifo = tmp_path / "kpis.csv"
    os.mkfifo(fifo)
    with pytest.raises(DataFileError, match="not a regular file"):
        rio.read_raw(fifo)


def test_a_huge_cell_is_quoted_short():
    # A 100,000-character value is quoted by its first characters, not whole.
    err = DataFileError("not a number", file="x.csv", row=2, column="revenue", found="9" * 100_000)
    assert len(str(err)) < 200
    assert str(err).endswith("...')")
