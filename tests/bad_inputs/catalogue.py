"""The catalogue of bad inputs, as data: how to build each input and what the kit must do.

Each :class:`Bad` record says where its input comes from (a copy of the sample case, or
nothing), the steps that spoil it, the call, and the outcome: :class:`Loaded` (the values the
kit must read, worked out by hand from the bytes written) or :class:`Refused` (the words the
message must hold: the file, and the row, column or key where there is one). CLI records
expect an :class:`Exit`. ``tests/bad_inputs/test_catalogue.py`` runs them all.

Row numbers are spreadsheet rows (header = row 1). In the sample ``kpis.csv`` the North
rows are 2022-01 .. 2025-06 (42 months, rows 2-43) and the South rows the same months
(rows 44-85); ``costs.csv`` has 12 cost rows (rows 2-13); ``adoption.csv`` 18 months
2024-01 .. 2025-06 (rows 2-19).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Put",
    "Sub",
    "Drop",
    "DropLines",
    "Copy",
    "MakeDir",
    "Recode",
    "Xlsx",
    "Semicolons",
    "Load",
    "ReadTable",
    "ReadYaml",
    "Import",
    "Cli",
    "Value",
    "Loaded",
    "Refused",
    "Exit",
    "Bad",
    "CATEGORIES",
    "CATALOGUE",
]

CATEGORIES = ("tables", "case.yml", "exports", "file system", "cli")


# --- steps that build an input (paths relative to the test's tmp_path) ---------------------


@dataclass(frozen=True)
class Put:
    """Write ``data`` to ``path`` (text is encoded as ``encoding``)."""

    path: str
    data: bytes | str
    encoding: str = "utf-8"


@dataclass(frozen=True)
class Sub:
    """Replace ``old`` by ``new`` in a text file, exactly ``count`` times (checked)."""

    path: str
    old: str
    new: str
    count: int = 1


@dataclass(frozen=True)
class Drop:
    """Remove a file the test copied in."""

    path: str


@dataclass(frozen=True)
class DropLines:
    """Remove every line starting with ``prefix`` (at least one, checked)."""

    path: str
    prefix: str


@dataclass(frozen=True)
class Copy:
    """Copy the file ``path`` to ``to``."""

    path: str
    to: str


@dataclass(frozen=True)
class MakeDir:
    """Create a folder."""

    path: str


@dataclass(frozen=True)
class Recode:
    """Re-encode a UTF-8 text file as ``encoding`` (``utf-8-sig``, ``utf-16``, ``cp1252``...)."""

    path: str
    encoding: str


@dataclass(frozen=True)
class Xlsx:
    """Write a workbook: sheet name -> rows (the first row is the header)."""

    path: str
    sheets: tuple[tuple[str, tuple[tuple[Any, ...], ...]], ...]


@dataclass(frozen=True)
class Semicolons:
    """Rewrite a comma CSV with ``;`` between values and ``,`` as the decimal mark."""

    path: str


# --- calls --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Load:
    """``roi_kit.case.load_case(tmp_path / target)``."""

    target: str = "case"


@dataclass(frozen=True)
class ReadTable:
    """``roi_kit.io.read_table(tmp_path / path, **options)`` (``raw``: ``read_raw``)."""

    path: str
    options: tuple[tuple[str, Any], ...] = ()
    raw: bool = False


@dataclass(frozen=True)
class ReadYaml:
    """``roi_kit.io.read_yaml(tmp_path / path)``."""

    path: str


@dataclass(frozen=True)
class Import:
    """``roi_kit.io.import_opportunities(tmp_path / path, by=..., mapping=...)``."""

    path: str = "export.csv"
    by: str | None = None
    mapping: Any = None


@dataclass(frozen=True)
class Cli:
    """``roi_kit.cli.main(args)``; ``{tmp}`` in an argument is the test's tmp_path."""

    args: tuple[str, ...]


# --- outcomes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    """One value the kit must read.

    ``table`` is ``kpis``/``costs``/``adoption`` of a loaded case, ``monthly`` of an import,
    ``frame`` of a read_table call, or ``attr`` (``column`` is then the Case attribute).
    ``row`` is the spreadsheet row (the index) or a dict of column -> text to find the row.
    """

    table: str
    row: int | dict[str, str] | None
    column: str
    expected: Any


@dataclass(frozen=True)
class Loaded:
    """The input is read; ``values`` hold what it must contain."""

    values: tuple[Value, ...]
    writes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Refused:
    """A ``RoiKitError`` of class ``error`` whose message names ``file`` and holds ``says``."""

    error: str
    file: str
    says: tuple[str, ...] = ()


@dataclass(frozen=True)
class Exit:
    """The CLI exits with ``code``; ``says`` are in stdout+stderr; ``writes`` are new files."""

    code: int
    says: tuple[str, ...] = ()
    writes: tuple[str, ...] = ()
    rows: tuple[tuple[str, dict[str, str]], ...] = ()  # (file, {column: text}) rows expected


@dataclass(frozen=True)
class Bad:
    """One catalogue entry."""

    category: str
    name: str
    steps: tuple[Any, ...]
    call: Any
    expect: Loaded | Refused | Exit
    base: str = "sample"  # "sample": tmp_path/case is a copy of data/sample_case; "none"
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def id(self) -> str:
        return f"{self.category}-{self.name}"


def semicolon_text(text: str) -> str:
    """A comma CSV as ``;``-separated with decimal commas (used by :class:`Semicolons`)."""
    rows = list(csv.reader(io.StringIO(text)))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    for row in rows:
        writer.writerow([cell.replace(".", ",") if cell[:1].isdigit() else cell for cell in row])
    return out.getvalue()


# --- the inputs -----------------------------------------------------------------------------

K, C, A, Y = "case/kpis.csv", "case/costs.csv", "case/adoption.csv", "case/case.yml"
# Sample rows used below (copied from data/sample_case/kpis.csv):
# row 2: 2022-01,North,253638.30,30,8454.61,0.2564,0.1794,64.1,820,14,3.91,209923.35,4498.36,117
# row 4: 2022-03,North,228964.32,26,8806.32,0.2301,0.1678,61.6,821,16,3.97,215282.06,4968.05,113
ROW2 = "2022-01,North,253638.30,30,8454.61,0.2564"
ROW4 = "2022-03,North,228964.32,26,8806.32,0.2301"
LICENCES = "CRM licences (60 seats x EUR 70 per user-month),software,recurring,4200.00,monthly"
ADOPT2 = "2024-01,60,12,24"

SALESFORCE = (
    "Opportunity ID,Opportunity Name,Opportunity Owner,Stage,Amount,Created Date,Close Date\n"
    '006A,Alpha,Ann,Closed Won,"$1,000.00",1/15/2024,2/10/2024\n'
    "006B,Beta,Ann,Closed Lost,500,1/20/2024,2/20/2024\n"
    "006C,Gamma,Bob,Closed Won,3000,2/01/2024,2/28/2024\n"
    "006D,Delta,Bob,Prospecting,2000,2/15/2024,4/30/2024\n"
)
# By hand: Jan 2024 created A, B, nothing closed: left out (no outcome yet, issue 14).
# Feb 2024 created C, D -> new 2; won A (1000) and C (3000), lost B: deals_won 2,
# revenue 4000, win_rate 2/3, avg_deal_size 2000; open at Feb 29: D -> 1. D is open, so its
# close date (April) is only an expectation: the table ends in February.
SF_FEB = {"month": "2024-02"}
DATASET = (
    "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n"
    "1C1I7A6R,Moses Frase,GTX Plus Basic,Cancity,Won,2016-10-20,2017-03-01,1054\n"
    "Z063OYW0,Darcel Schlecht,GTXPro,Isdom,Won,2016-10-25,2017-03-11,4514\n"
    "EC4QE1BX,Darcel Schlecht,MG Special,Cancity,Won,2016-10-25,2017-03-07,50\n"
    "MV1LWRNH,Moses Frase,GTX Basic,Codehow,Lost,2016-10-25,2017-03-09,0\n"
)
# By hand: March 2017 won 3 (1054 + 4514 + 50 = 5618), lost 1 -> win_rate 0.75; all four
# closed by Mar 31 -> open_pipeline 0. The engagements of Oct 2016 come before any close:
# Oct 2016 .. Feb 2017 are left out (issue 14: no outcome there, not zero revenue): 1 row.
EX = "export.csv"
# The one-line spec of a kpis-like table for direct read_table calls.
KPI_OPTS = (
    ("spec", {"month": "month", "revenue": "money", "win_rate": "fraction"}),
    ("required", ("month",)),
    ("key", ("month",)),
)


def _sf(old: str, new: str) -> tuple[Any, ...]:
    """The Salesforce export with one piece of text replaced."""
    return (Put(EX, SALESFORCE), Sub(EX, old, new))


def _yml(old: str, new: str, count: int = 1) -> tuple[Any, ...]:
    return (Sub(Y, old, new, count),)


TABLES = [
    # --- read correctly: the true values, from the bytes written --------------------------
    Bad(
        "tables",
        "thousands in quotes",
        (Sub(K, ROW4, '2022-03,North,"228,964.32",26,8806.32,0.2301'),),
        Load(),
        Loaded((Value("kpis", 4, "revenue", 228964.32),)),
    ),
    Bad(
        "tables",
        "percent fraction",
        (Sub(K, ROW4, "2022-03,North,228964.32,26,8806.32,23.01%"),),
        Load(),
        Loaded((Value("kpis", 4, "win_rate", 0.2301),)),  # 23.01% = 0.2301
    ),
    Bad(
        "tables",
        "semicolons and decimal comma",
        (Semicolons(K), Semicolons(C), Semicolons(A), Sub(Y, 'decimal: "."', 'decimal: ","')),
        Load(),
        # row 2 revenue 253638,30 -> 253638.30; win_rate 0,2564 -> 0.2564
        Loaded((Value("kpis", 2, "revenue", 253638.30), Value("kpis", 2, "win_rate", 0.2564))),
    ),
    Bad(
        "tables",
        "space thousands decimal comma",
        (
            Semicolons(K),
            Semicolons(C),
            Semicolons(A),
            Sub(Y, 'decimal: "."', 'decimal: ","'),
            Sub(K, "2022-03;North;228964,32", "2022-03;North;1 234,50"),
        ),
        Load(),
        Loaded((Value("kpis", 4, "revenue", 1234.5),)),  # "1 234,50" -> 1234.5
    ),
    Bad(
        "tables",
        "utf-8 bom",
        (Recode(K, "utf-8-sig"),),
        Load(),
        Loaded((Value("kpis", 2, "revenue", 253638.30), Value("kpis", 2, "month", "2022-01"))),
    ),
    Bad(
        "tables",
        "utf-16 with bom",
        (Recode(C, "utf-16"),),
        Load(),
        Loaded((Value("costs", 2, "amount", 4200.0),)),
    ),
    Bad(
        "tables",
        "cp1252 euro and accents",
        (Sub(C, "Refresher training,", "Formation de rappel \u20ac café,"), Recode(C, "cp1252")),
        Load(),
        Loaded((Value("costs", 7, "item", "Formation de rappel \u20ac café"),)),
    ),
    Bad(
        "tables",
        "gbk chinese item",
        (Sub(C, "Refresher training,", "复训培训,"), Recode(C, "gbk")),
        Load(),
        Loaded((Value("costs", 7, "item", "复训培训"), Value("costs", 7, "amount", 3200.0))),
    ),
    Bad(
        "tables",
        "currency sign amount",
        (Sub(C, "recurring,4200.00,monthly", 'recurring,"$4,200.00",monthly'),),
        Load(),
        Loaded((Value("costs", 2, "amount", 4200.0),)),
    ),
    Bad(
        "tables",
        "crlf line ends",
        (Sub(K, "\n", "\r\n", count=85),),
        Load(),
        # the last line: 2025-06,South,303389.48,...,3107.92,139
        Loaded((Value("kpis", 85, "opportunities_closed", 139.0),)),
    ),
    Bad(
        "tables",
        "date instead of month",
        (Sub(K, ROW4, ROW4.replace("2022-03,", "2022-03-31,")),),
        Load(),
        Loaded((Value("kpis", 4, "month", "2022-03"),)),
    ),
    Bad(
        "tables",
        "header names loosely written",
        (Sub(K, "month,region,revenue,deals_won", "Month, Region ,Revenue,Deals-Won"),),
        Load(),
        Loaded((Value("kpis", 2, "deals_won", 30.0),)),
    ),
    Bad(
        "tables",
        "day first dates declared",
        (
            Sub(Y, "date_order: auto", "date_order: DMY"),
            Sub(K, ROW4, ROW4.replace("2022-03,", "01/03/2022,")),
        ),
        Load(),
        Loaded((Value("kpis", 4, "month", "2022-03"),)),  # 01/03/2022 day-first: 1 March
    ),
    Bad(
        "tables",
        "xlsx sheet named in files",
        (
            Xlsx(
                "case/book.xlsx",
                (
                    ("Notes", (("nothing here",),)),
                    (
                        "Costs",
                        (
                            ("item", "category", "type", "amount", "frequency", "start"),
                            ("Licences", "software", "recurring", 4200, "monthly", "2024-01"),
                            ("Partner", "implementation", "one_time", 48000.5, "once", "2023-10"),
                        ),
                    ),
                ),
            ),
            Sub(Y, "  costs: costs.csv", "  costs: {path: book.xlsx, sheet: Costs}"),
        ),
        Load(),
        Loaded((Value("costs", 3, "amount", 48000.5), Value("costs", None, "len", 2))),
    ),
    # --- refused, naming file, row and column ------------------------------------------------
    Bad(
        "tables",
        "text in revenue",
        (Sub(K, ROW4, "2022-03,North,n/a,26,8806.32,0.2301"),),
        Load(),
        Refused("BadValueError", "kpis.csv", ("row 4", "'revenue'", "'n/a'")),
    ),
    Bad(
        "tables",
        "ragged row too long",
        (Sub(K, ROW4, ROW4 + ",9"),),
        Load(),
        Refused("DataFileError", "kpis.csv", ("row 4",)),
    ),
    Bad(
        "tables",
        "ragged row too short",
        (Sub(C, "Refresher training,training,recurring,3200.00,annual,2024-12,,,", "Refresher"),),
        Load(),
        Refused("DataFileError", "costs.csv", ("row 7",)),
    ),
    Bad(
        "tables",
        "blank header with values",
        (Sub(K, "month,region,revenue,", "month,region,,"),),
        Load(),
        Refused("DataFileError", "kpis.csv", ("column C",)),
    ),
    Bad(
        "tables",
        "duplicate header",
        (Sub(K, "month,region,revenue,deals_won", "month,region,revenue,revenue"),),
        Load(),
        Refused("DataFileError", "kpis.csv", ("'revenue'", "row 1")),
    ),
    Bad(
        "tables",
        "same column written two ways",
        (Sub(K, "month,region,revenue,deals_won", "month,region,revenue,Revenue"),),
        Load(),
        Refused("AmbiguousFormatError", "kpis.csv", ("'revenue'", "'Revenue'")),
    ),
    Bad(
        "tables",
        "month 13",
        (Sub(K, ROW4, ROW4.replace("2022-03,", "2022-13,")),),
        Load(),
        Refused("BadValueError", "kpis.csv", ("row 4", "'month'", "'2022-13'")),
    ),
    Bad(
        "tables",
        "month as a word",
        (Sub(K, ROW4, ROW4.replace("2022-03,", "March,")),),
        Load(),
        Refused("BadValueError", "kpis.csv", ("row 4", "'month'", "'March'")),
    ),
    Bad(
        "tables",
        "ambiguous slash date",
        (Sub(K, ROW4, ROW4.replace("2022-03,", "03/01/2022,")),),
        Load(),
        Refused("AmbiguousFormatError", "kpis.csv", ("row 4", "'03/01/2022'", "date_order")),
    ),
    Bad(
        "tables",
        "duplicate month",
        (Sub(K, ROW4, ROW4.replace("2022-03,", "2022-01,")),),
        Load(),
        Refused("DuplicateRowError", "kpis.csv", ("row 2 and row 4", "2022-01", "'North'")),
    ),
    Bad(
        "tables",
        "gap in months",
        (DropLines(K, "2022-05,North,"),),
        Load(),
        Refused("GapError", "kpis.csv", ("2022-05", "'North'", "column 'month'")),
    ),
    Bad(
        "tables",
        "negative count",
        (Sub(K, ROW4, "2022-03,North,228964.32,-26,8806.32,0.2301"),),
        Load(),
        Refused("BadValueError", "kpis.csv", ("row 4", "'deals_won'", "'-26'")),
    ),
    Bad(
        "tables",
        "fractional count",
        (Sub(K, ROW4, "2022-03,North,228964.32,26.5,8806.32,0.2301"),),
        Load(),
        Refused("BadValueError", "kpis.csv", ("row 4", "'deals_won'", "'26.5'")),
    ),
    Bad(
        "tables",
        "fraction above one",
        (Sub(K, ROW4, "2022-03,North,228964.32,26,8806.32,1.2301"),),
        Load(),
        Refused("BadValueError", "kpis.csv", ("row 4", "'win_rate'", "'1.2301'")),
    ),
    Bad(
        "tables",
        "percent above 100",
        (Sub(K, ROW4, "2022-03,North,228964.32,26,8806.32,123%"),),
        Load(),
        Refused("BadValueError", "kpis.csv", ("row 4", "'win_rate'", "'123%'")),
    ),
    Bad(
        "tables",
        "excel error value",
        (Sub(K, ROW4, "2022-03,North,228964.32,26,#DIV/0!,0.2301"),),
        Load(),
        Refused("BadValueError", "kpis.csv", ("row 4", "'avg_deal_size'", "'#DIV/0!'")),
    ),
    Bad(
        "tables",
        "overflowing value",
        (Sub(K, ROW4, "2022-03,North,1e999,26,8806.32,0.2301"),),
        Load(),
        Refused("BadValueError", "kpis.csv", ("row 4", "'revenue'", "'1e999'")),
    ),
    Bad(
        "tables",
        "negative active users",
        (Sub(A, ADOPT2, "2024-01,60,-12,24"),),
        Load(),
        Refused("BadValueError", "adoption.csv", ("row 2", "'active_users'", "'-12'")),
    ),
    Bad(
        "tables",
        "adoption duplicate month",
        (Sub(A, "2024-02,60,17,30", "2024-01,60,17,30"),),
        Load(),
        Refused("DuplicateRowError", "adoption.csv", ("row 2 and row 3", "2024-01")),
    ),
    Bad(
        "tables",
        "adoption missing column",
        (Sub(A, "month,licensed_users,active_users", "month,licensed_users,actve_users"),),
        Load(),
        Refused("MissingColumnError", "adoption.csv", ("'active_users'", "'actve_users'")),
    ),
    Bad(
        "tables",
        "cost type misspelt",
        (Sub(C, "software,recurring,4200.00", "software,recurrring,4200.00"),),
        Load(),
        Refused("BadValueError", "costs.csv", ("row 2", "'type'", "'recurrring'")),
    ),
    Bad(
        "tables",
        "one time cost paid monthly",
        (
            Sub(
                C,
                "implementation,one_time,48000.00,once",
                "implementation,one_time,48000.00,monthly",
            ),
        ),
        Load(),
        Refused("DataFileError", "costs.csv", ("row 3", "'frequency'")),
    ),
    Bad(
        "tables",
        "cost ends before it starts",
        (Sub(C, "annual,2024-07,2025-12", "annual,2024-07,2023-12"),),
        Load(),
        Refused("DataFileError", "costs.csv", ("row 13", "'end'")),
    ),
    Bad(
        "tables",
        "cost without amount or hours",
        (Sub(C, "support,recurring,6000.00,annual", "support,recurring,,annual"),),
        Load(),
        Refused("DataFileError", "costs.csv", ("row 10", "'amount'")),
    ),
    Bad(
        "tables",
        "cost amount not a number",
        (Sub(C, "support,recurring,6000.00,annual", "support,recurring,six thousand,annual"),),
        Load(),
        Refused("BadValueError", "costs.csv", ("row 10", "'amount'", "'six thousand'")),
    ),
    Bad(
        "tables",
        "undeclared kpi column",
        (Sub(K, "opportunities_closed\n", "reveune\n"),),
        Load(),
        Refused("DataFileError", "kpis.csv", ("'reveune'", "'revenue'")),
    ),
    Bad(
        "tables",
        "empty kpis file",
        (Put(K, b""),),
        Load(),
        Refused("EmptyFileError", "kpis.csv"),
    ),
    Bad(
        "tables",
        "header only costs",
        (Put(C, "item,category,type,amount,frequency,start,end,hours,hourly_rate\n"),),
        Load(),
        Refused("EmptyFileError", "costs.csv", ("row 1",)),
    ),
    Bad(
        "tables",
        "binary junk",
        (Put(K, bytes(range(256)) * 8),),
        Load(),
        Refused("FileEncodingError", "kpis.csv"),
    ),
    Bad(
        "tables",
        "bom and nothing else",
        (Put(A, b"\xef\xbb\xbf"),),
        Load(),
        Refused("EmptyFileError", "adoption.csv"),
    ),
    Bad(
        "tables",
        "xlsx renamed to csv",
        (Xlsx("case/costs.csv", (("Sheet", (("item",), ("x",))),)),),
        Load(),
        Refused("FileEncodingError", "costs.csv", (".xlsx",)),
    ),
    Bad(
        "tables",
        "xlsx sheet missing",
        (
            Xlsx("case/book.xlsx", (("Sheet1", (("item",), ("x",))),)),
            Sub(Y, "  costs: costs.csv", "  costs: {path: book.xlsx, sheet: Costs}"),
        ),
        Load(),
        Refused("DataFileError", "book.xlsx", ("'Costs'", "'Sheet1'")),
    ),
    Bad(
        "tables",
        "xlsx excel error cell",
        (
            Xlsx(
                "case/book.xlsx",
                (
                    (
                        "Costs",
                        (
                            ("item", "category", "type", "amount", "frequency", "start"),
                            ("Licences", "software", "recurring", "#REF!", "monthly", "2024-01"),
                        ),
                    ),
                ),
            ),
            Sub(Y, "  costs: costs.csv", "  costs: {path: book.xlsx, sheet: Costs}"),
        ),
        Load(),
        Refused("BadValueError", "book.xlsx", ("row 2", "'amount'", "'#REF!'")),
    ),
    Bad(
        "tables",
        "read_table unclosed quote",
        (Put("t.csv", 'month,revenue\n2024-01,"12\n2024-02,5\n'),),
        ReadTable("t.csv", KPI_OPTS),
        Refused("DataFileError", "t.csv", ("row 2", "quote")),
        base="none",
    ),
    Bad(
        "tables",
        "read_raw tab separated",
        (Put("t.tsv", "month\trevenue\n2024-01\t1 234\n"),),
        ReadTable("t.tsv", raw=True),
        Loaded(
            (
                Value("frame", 2, "revenue", "1 234"),
                Value("frame", None, "cols", ["month", "revenue"]),
            )
        ),
        base="none",
    ),
]

YAML = [
    # --- read correctly ---------------------------------------------------------------------
    Bad(
        "case.yml",
        "percent discount rate",
        _yml("discount_rate: 0.10", "discount_rate: 10%"),
        Load(),
        Loaded((Value("attr", None, "discount_rate", 0.10),)),  # 10% = 0.10
    ),
    Bad(
        "case.yml",
        "lower case currency",
        _yml("currency: EUR", "currency: eur"),
        Load(),
        Loaded((Value("attr", None, "currency", "EUR"),)),
    ),
    Bad(
        "case.yml",
        "byte order mark",
        (Recode(Y, "utf-8-sig"),),
        Load(),
        Loaded((Value("attr", None, "name", "Northwind Supplies - CRM review"),)),
    ),
    Bad(
        "case.yml",
        "name missing uses folder",
        _yml("name: Northwind Supplies - CRM review\n", ""),
        Load(),
        Loaded((Value("attr", None, "name", "case"),)),
    ),
    Bad(
        "case.yml",
        "scientific discount rate",
        _yml("discount_rate: 0.10", "discount_rate: 8e-2"),
        Load(),
        Loaded((Value("attr", None, "discount_rate", 0.08),)),
    ),
    # --- refused, naming case.yml and the key ------------------------------------------------
    Bad(
        "case.yml",
        "unknown top-level key",
        _yml("horizon_years: 3", "horizon_year: 3"),
        Load(),
        Refused("CaseError", "case.yml", ("horizon_year", "horizon_years")),
    ),
    Bad(
        "case.yml",
        "unknown assumption",
        _yml("  recapture_factor: 0.5", "  recapture_factr: 0.5"),
        Load(),
        Refused("CaseError", "case.yml", ("assumptions.recapture_factr", "recapture_factor")),
    ),
    Bad(
        "case.yml",
        "unknown key in a goal",
        _yml("target: -0.20, target_kind", "targt: -0.20, target_kind"),
        Load(),
        Refused("CaseError", "case.yml", ("goals[2].targt",)),
    ),
    Bad(
        "case.yml",
        "horizon as a word",
        _yml("horizon_years: 3", "horizon_years: three"),
        Load(),
        Refused("CaseError", "case.yml", ("horizon_years", "'three'")),
    ),
    Bad(
        "case.yml",
        "horizon not whole",
        _yml("horizon_years: 3", "horizon_years: 2.5"),
        Load(),
        Refused("CaseError", "case.yml", ("horizon_years",)),
    ),
    Bad(
        "case.yml",
        "horizon out of range",
        _yml("horizon_years: 3", "horizon_years: 31"),
        Load(),
        Refused("CaseError", "case.yml", ("horizon_years",)),
    ),
    Bad(
        "case.yml",
        "kind missing",
        _yml("kind: review\n", ""),
        Load(),
        Refused("CaseError", "case.yml", ("kind",)),
    ),
    Bad(
        "case.yml",
        "kind misspelt",
        _yml("kind: review", "kind: reviw"),
        Load(),
        Refused("CaseError", "case.yml", ("kind", "'reviw'")),
    ),
    Bad(
        "case.yml",
        "currency missing",
        _yml("currency: EUR\n", ""),
        Load(),
        Refused("CaseError", "case.yml", ("currency",)),
    ),
    Bad(
        "case.yml",
        "currency not iso",
        _yml("currency: EUR", "currency: EURO"),
        Load(),
        Refused("CaseError", "case.yml", ("currency", "'EURO'")),
    ),
    Bad(
        "case.yml",
        "go-live month 13",
        _yml("go_live: 2024-01", "go_live: 2024-13"),
        Load(),
        Refused("CaseError", "case.yml", ("go_live", "2024-13")),
    ),
    Bad(
        "case.yml",
        "go-live as a word",
        _yml("go_live: 2024-01", "go_live: January"),
        Load(),
        Refused("CaseError", "case.yml", ("go_live", "'January'")),
    ),
    Bad(
        "case.yml",
        "baseline end after go-live",
        _yml("end: 2023-12}", "end: 2024-03}"),
        Load(),
        Refused("CaseError", "case.yml", ("baseline",)),
    ),
    Bad(
        "case.yml",
        "baseline without end",
        _yml("baseline: {start: 2022-01, end: 2023-12}", "baseline: {start: 2022-01}"),
        Load(),
        Refused("CaseError", "case.yml", ("baseline",)),
    ),
    Bad(
        "case.yml",
        "baseline start after end",
        _yml(
            "baseline: {start: 2022-01, end: 2023-12}", "baseline: {start: 2023-12, end: 2022-01}"
        ),
        Load(),
        Refused("CaseError", "case.yml", ("baseline", "before start")),
    ),
    Bad(
        "case.yml",
        "after beyond the data",
        _yml("after: {start: 2024-01, end: 2025-06}", "after: {start: 2024-01, end: 2025-09}"),
        Load(),
        Refused("CaseError", "case.yml", ("after", "2025-06")),
    ),
    Bad(
        "case.yml",
        "discount rate above one",
        _yml("discount_rate: 0.10", "discount_rate: 1.5"),
        Load(),
        Refused("CaseError", "case.yml", ("discount_rate",)),
    ),
    Bad(
        "case.yml",
        "low above high",
        _yml("{low: 0.28, likely: 0.32, high: 0.36}", "{low: 0.36, likely: 0.32, high: 0.28}"),
        Load(),
        Refused("CaseError", "case.yml", ("gross_margin",)),
    ),
    Bad(
        "case.yml",
        "fraction assumption above one",
        _yml("  recapture_factor: 0.5", "  recapture_factor: 1.5"),
        Load(),
        Refused("CaseError", "case.yml", ("recapture_factor",)),
    ),
    Bad(
        "case.yml",
        "risk above one",
        _yml("risk: {benefits: 0.10, costs: 0.10}", "risk: {benefits: 1.5, costs: 0.10}"),
        Load(),
        Refused("CaseError", "case.yml", ("risk",)),
    ),
    Bad(
        "case.yml",
        "key written twice",
        _yml("kind: review\n", "kind: review\nkind: projection\n"),
        Load(),
        Refused("CaseError", "case.yml", ("'kind'", "twice", "line 6")),
    ),
    Bad(
        "case.yml",
        "tab indentation",
        _yml("  kpis: kpis.csv", "\tkpis: kpis.csv"),
        Load(),
        Refused("CaseError", "case.yml", ("not valid YAML", "line 15")),
    ),
    Bad(
        "case.yml",
        "unclosed bracket",
        _yml("risk: {benefits: 0.10, costs: 0.10}", "risk: {benefits: 0.10, costs: 0.10"),
        Load(),
        Refused("CaseError", "case.yml", ("not valid YAML", "line")),
    ),
    Bad(
        "case.yml",
        "empty file",
        (Put(Y, b""),),
        Load(),
        Refused("CaseError", "case.yml", ("empty",)),
    ),
    Bad(
        "case.yml",
        "only comments",
        (Put(Y, "# nothing yet\n"),),
        Load(),
        Refused("CaseError", "case.yml", ("empty",)),
    ),
    Bad(
        "case.yml",
        "top level is a list",
        (Put(Y, "- kind: review\n- currency: EUR\n"),),
        Load(),
        Refused("CaseError", "case.yml"),
    ),
    Bad(
        "case.yml",
        "top level is text",
        (Put(Y, "just some words\n"),),
        Load(),
        Refused("CaseError", "case.yml"),
    ),
    Bad(
        "case.yml",
        "not utf-8",
        (Sub(Y, "name: Northwind Supplies", "name: Nörthwind Supplies"), Recode(Y, "cp1252")),
        Load(),
        Refused("CaseError", "case.yml", ("UTF-8",)),
    ),
    Bad(
        "case.yml",
        "treated equals control",
        _yml("  control: South", "  control: North"),
        Load(),
        Refused("CaseError", "case.yml", ("treated", "control", "'North'")),
    ),
    Bad(
        "case.yml",
        "treated not in data",
        _yml("  treated: North", "  treated: West"),
        Load(),
        Refused("CaseError", "kpis.csv", ("groups.treated", "'West'")),
    ),
    Bad(
        "case.yml",
        "group column not in data",
        _yml("  column: region", "  column: territory"),
        Load(),
        Refused("MissingColumnError", "kpis.csv", ("'territory'",)),
    ),
    Bad(
        "case.yml",
        "intangible score 6",
        _yml('score: 3, weight: 0.8, evidence: "New', 'score: 6, weight: 0.8, evidence: "New'),
        Load(),
        Refused("CaseError", "case.yml", ("intangibles[3].score", "1 to 5")),
    ),
    Bad(
        "case.yml",
        "negative cost multiplier",
        _yml("costs: {all: 1.15}", "costs: {all: -1.15}"),
        Load(),
        Refused("CaseError", "case.yml", ("scenarios.conservative.costs.all", "negative")),
    ),
    Bad(
        "case.yml",
        "decimal mark unknown",
        _yml('decimal: "."', 'decimal: ";"'),
        Load(),
        Refused("CaseError", "case.yml", ("decimal", "';'")),
    ),
    Bad(
        "case.yml",
        "date order unknown",
        _yml("date_order: auto", "date_order: DM"),
        Load(),
        Refused("CaseError", "case.yml", ("date_order", "'DM'")),
    ),
    Bad(
        "case.yml",
        "goal against direction",
        _yml("target: -0.20, target_kind: relative", "target: 0.20, target_kind: relative"),
        Load(),
        Refused("CaseError", "case.yml", ("goals[2]", "sales_cycle_days")),
    ),
    Bad(
        "case.yml",
        "goal on unknown kpi",
        _yml("{kpi: csat, target: 0.3", "{kpi: csatt, target: 0.3"),
        Load(),
        Refused("CaseError", "case.yml", ("goals[3]", "'csatt'")),
    ),
    Bad(
        "case.yml",
        "custom kpi declared but absent",
        _yml(
            "direction: higher}\nassumptions:",
            "direction: higher}\n  - {name: meetings_held, direction: higher}\nassumptions:",
        ),
        Load(),
        Refused("CaseError", "kpis.csv", ("'meetings_held'",)),
    ),
    Bad(
        "case.yml",
        "files path outside the folder",
        _yml("  kpis: kpis.csv", "  kpis: ../kpis.csv"),
        Load(),
        Refused("CaseError", "case.yml", ("files.kpis", "'../kpis.csv'", "outside")),
    ),
    Bad(
        "case.yml",
        "files absolute path",
        _yml("  kpis: kpis.csv", "  kpis: /etc/kpis.csv"),
        Load(),
        Refused("CaseError", "case.yml", ("files.kpis", "absolute")),
    ),
    Bad(
        "case.yml",
        "projection with after period",
        _yml("kind: review", "kind: projection"),
        Load(),
        Refused("CaseError", "case.yml", ("after",)),
    ),
    Bad(
        "case.yml",
        "groups as text",
        _yml("groups:\n  column: region\n  treated: North\n  control: South", "groups: North"),
        Load(),
        Refused("CaseError", "case.yml", ("groups", "'North'")),
    ),
    Bad(
        "case.yml",
        "baseline as a list",
        _yml("baseline: {start: 2022-01, end: 2023-12}", "baseline: [2022-01, 2023-12]"),
        Load(),
        Refused("CaseError", "case.yml", ("baseline",)),
    ),
    Bad(
        "case.yml",
        "discount rate not a number",
        _yml("discount_rate: 0.10", "discount_rate: .nan"),
        Load(),
        Refused("CaseError", "case.yml", ("discount_rate", "nan")),
    ),
    Bad(
        "case.yml",
        "yes read as a number",
        _yml("  recapture_factor: 0.5", "  recapture_factor: yes"),
        Load(),
        Refused("CaseError", "case.yml", ("assumptions.recapture_factor", "True")),
    ),
    Bad(
        "case.yml",
        "read_yaml duplicate nested key",
        (Put("x.yml", "a:\n  b: 1\n  b: 2\n"),),
        ReadYaml("x.yml"),
        Refused("CaseError", "x.yml", ("'b'", "line 3")),
        base="none",
    ),
    Bad(
        "case.yml",
        "read_yaml python object tag",
        (Put("x.yml", "a: !!python/object/apply:os.system ['echo hi']\n"),),
        ReadYaml("x.yml"),
        Refused("CaseError", "x.yml", ("not valid YAML",)),
        base="none",
    ),
]

EXPORTS = [
    # --- read correctly ---------------------------------------------------------------------
    Bad(
        "exports",
        "salesforce",
        (Put(EX, SALESFORCE),),
        Import(),
        Loaded(
            (
                Value("monthly", SF_FEB, "revenue", 4000.0),
                Value("monthly", SF_FEB, "win_rate", 2 / 3),
                Value("monthly", SF_FEB, "avg_deal_size", 2000.0),
                Value("monthly", SF_FEB, "open_pipeline", 1.0),
                Value("monthly", None, "len", 1),
            )
        ),
        base="none",
    ),
    Bad(
        "exports",
        "dataset format",
        (Put(EX, DATASET),),
        Import(),
        Loaded(
            (
                Value("monthly", {"month": "2017-03"}, "revenue", 5618.0),
                Value("monthly", {"month": "2017-03"}, "win_rate", 0.75),
                Value("monthly", {"month": "2017-03"}, "open_pipeline", 0.0),
                Value("monthly", None, "len", 1),
            )
        ),
        base="none",
    ),
    Bad(
        "exports",
        "utf-8 bom",
        (Put(EX, SALESFORCE, encoding="utf-8-sig"),),
        Import(),
        Loaded((Value("monthly", SF_FEB, "revenue", 4000.0),)),
        base="none",
    ),
    Bad(
        "exports",
        "utf-16",
        (Put(EX, SALESFORCE, encoding="utf-16"),),
        Import(),
        Loaded((Value("monthly", SF_FEB, "deals_won", 2.0),)),
        base="none",
    ),
    Bad(
        "exports",
        "gbk owners grouped",
        (Put(EX, SALESFORCE.replace(",Ann,", ",王芳,"), encoding="gbk"),),
        Import(by="owner"),
        # 王芳 owns A (won 1000 in Feb) and B (lost in Feb)
        Loaded((Value("monthly", {"month": "2024-02", "owner": "王芳"}, "revenue", 1000.0),)),
        base="none",
    ),
    Bad(
        "exports",
        "semicolon separated",
        (Put(EX, SALESFORCE.replace(",", ";").replace('"$1;000.00"', "1000")),),
        Import(),
        Loaded((Value("monthly", SF_FEB, "revenue", 4000.0),)),
        base="none",
    ),
    # --- refused ----------------------------------------------------------------------------
    Bad(
        "exports",
        "missing amount column",
        _sf("Stage,Amount,Created", "Stage,Value,Created"),
        Import(),
        Refused("MissingColumnError", EX, ("'amount'",)),
        base="none",
    ),
    Bad(
        "exports",
        "unknown stage",
        _sf("Bob,Prospecting,", "Bob,Closed - Duplicate,"),
        Import(),
        Refused("BadValueError", EX, ("'Closed - Duplicate'", "row 5")),
        base="none",
    ),
    Bad(
        "exports",
        "month 13 in a date",
        _sf("2/01/2024,2/28/2024", "2/01/2024,13/13/2024"),
        Import(),
        Refused("BadValueError", EX, ("row 4", "'Close Date'", "13/13/2024")),
        base="none",
    ),
    Bad(
        "exports",
        "date as text",
        _sf("1/20/2024,2/20/2024", "1/20/2024,soon"),
        Import(),
        Refused("BadValueError", EX, ("row 3", "'Close Date'", "soon")),
        base="none",
    ),
    Bad(
        "exports",
        "two digit year",
        _sf("2/01/2024,2/28/2024", "2/01/24,2/28/24"),
        Import(),
        Refused("BadValueError", EX, ("row 4",)),
        base="none",
    ),
    Bad(
        "exports",
        "amount as text",
        _sf("Closed Won,3000,", "Closed Won,three grand,"),
        Import(),
        Refused("BadValueError", EX, ("row 4", "'Amount'", "three grand")),
        base="none",
    ),
    Bad(
        "exports",
        "negative amount",
        _sf("Closed Won,3000,", "Closed Won,-3000,"),
        Import(),
        Refused("BadValueError", EX, ("row 4", "'Amount'")),
        base="none",
    ),
    Bad(
        "exports",
        "won without amount",
        _sf("Closed Won,3000,", "Closed Won,,"),
        Import(),
        Refused("BadValueError", EX, ("row 4", "'Amount'")),
        base="none",
    ),
    Bad(
        "exports",
        "won without close date",
        _sf("2/01/2024,2/28/2024", "2/01/2024,"),
        Import(),
        Refused("BadValueError", EX, ("row 4", "'Close Date'")),
        base="none",
    ),
    Bad(
        "exports",
        "duplicate id",
        _sf("006C,", "006A,"),
        Import(),
        Refused("DuplicateRowError", EX, ("'006A'", "rows [2, 4]", "'Opportunity ID'")),
        base="none",
    ),
    Bad(
        "exports",
        "unknown format",
        (Put(EX, "Ref,Phase,Opened,Closed,Value\n1,Signed,2024-01-02,2024-02-03,5\n"),),
        Import(),
        Refused("DataFileError", EX, ("matches no export format", "'Phase'")),
        base="none",
    ),
    Bad(
        "exports",
        "empty file",
        (Put(EX, b""),),
        Import(),
        Refused("EmptyFileError", EX),
        base="none",
    ),
    Bad(
        "exports",
        "header only",
        (Put(EX, SALESFORCE.splitlines(keepends=True)[0]),),
        Import(),
        Refused("EmptyFileError", EX),
        base="none",
    ),
    Bad(
        "exports",
        "binary junk",
        (Put(EX, bytes(range(256)) * 8),),
        Import(),
        Refused("FileEncodingError", EX),
        base="none",
    ),
    Bad(
        "exports",
        "ragged row",
        _sf("006B,Beta,Ann,Closed Lost,500,", "006B,Beta,Ann,Closed Lost,500,extra,"),
        Import(),
        Refused("DataFileError", EX, ("row 3",)),
        base="none",
    ),
    Bad(
        "exports",
        "group column unknown",
        (Put(EX, SALESFORCE),),
        Import(by="territory"),
        Refused("DataFileError", EX, ("'territory'",)),
        base="none",
    ),
    Bad(
        "exports",
        "workbook export",
        (Xlsx("export.xlsx", (("Sheet", (("Stage", "Amount"), ("Closed Won", 5))),)),),
        Import("export.xlsx"),
        # Workbooks are read (issue 14); this one's header is no known format.
        Refused("DataFileError", "export.xlsx", ("matches no export format",)),
        base="none",
    ),
    Bad(
        "exports",
        "custom mapping column absent",
        (Put(EX, "Ref,Phase,Opened,Closed,Value\n1,Signed,2024-01-02,2024-02-03,5\n"),),
        Import(
            mapping={
                "columns": {
                    "stage": "Phase",
                    "created_date": "Opened",
                    "close_date": "Shut",
                    "amount": "Value",
                },
                "stages": {"Signed": "won"},
            }
        ),
        Refused("MissingColumnError", EX, ("'Shut'", "'close_date'")),
        base="none",
    ),
    Bad(
        "exports",
        "custom mapping stage unmapped",
        (Put(EX, "Ref,Phase,Opened,Closed,Value\n1,Signed,2024-01-02,2024-02-03,5\n"),),
        Import(
            mapping={
                "columns": {
                    "stage": "Phase",
                    "created_date": "Opened",
                    "close_date": "Closed",
                    "amount": "Value",
                },
                "stages": {"Dropped": "lost"},
            }
        ),
        Refused("BadValueError", EX, ("'Signed'", "row 2")),
        base="none",
    ),
]

FILES = [
    Bad(
        "file system",
        "no such case folder",
        (),
        Load("nowhere"),
        Refused("CaseError", "nowhere", ("no such case folder",)),
        base="none",
    ),
    Bad(
        "file system",
        "empty folder",
        (MakeDir("case"),),
        Load(),
        Refused("CaseError", "case.yml", ("roi-kit new",)),
        base="none",
    ),
    Bad(
        "file system",
        "a table file given as the case",
        (),
        Load("case/kpis.csv"),
        Refused("CaseError", "kpis.csv", ("case folder",)),
    ),
    Bad(
        "file system",
        "a file where the folder should be",
        (Put("plain", "not a folder\n"),),
        Load("plain/case.yml"),
        Refused("CaseError", "plain"),
        base="none",
    ),
    Bad(
        "file system",
        "case.yml is a folder",
        (Drop(Y), MakeDir(Y)),
        Load(),
        Refused("CaseError", "case.yml"),
    ),
    Bad(
        "file system",
        "kpis file missing",
        (Drop(K),),
        Load(),
        Refused("CaseError", "kpis.csv", ("not found",)),
    ),
    Bad(
        "file system",
        "costs file missing",
        (Drop(C),),
        Load(),
        Refused("CaseError", "costs.csv", ("not found",)),
    ),
    Bad(
        "file system",
        "named adoption file missing",
        (Drop(A),),
        Load(),
        Refused("CaseError", "adoption.csv", ("not found",)),
    ),
    Bad(
        "file system",
        "kpis file is a folder",
        (Drop(K), MakeDir(K)),
        Load(),
        Refused("DataFileError", "kpis.csv"),
    ),
    Bad(
        "file system",
        "unnamed adoption may be absent",
        (Drop(A), Sub(Y, "  adoption: adoption.csv\n", "")),
        Load(),
        Loaded((Value("attr", None, "adoption", None), Value("costs", 2, "amount", 4200.0))),
    ),
    Bad(
        "file system",
        "unnamed adoption is still read",
        (Sub(Y, "  adoption: adoption.csv\n", ""),),
        Load(),
        Loaded((Value("adoption", 2, "active_users", 12.0),)),  # 2024-01,60,12,24
    ),
    Bad(
        "file system",
        "tables in a sub-folder",
        (
            MakeDir("case/data"),
            Put(
                "case/data/costs.csv",
                "item,category,type,amount,frequency,start\n"
                "Licences,software,recurring,100,monthly,2024-01\n",
            ),
            Sub(Y, "  costs: costs.csv", "  costs: data/costs.csv"),
        ),
        Load(),
        Loaded((Value("costs", 2, "amount", 100.0), Value("costs", None, "len", 1))),
    ),
    Bad(
        "file system",
        "an edited copy of case.yml",
        (
            Copy(Y, "case/case_v2.yml"),
            Sub("case/case_v2.yml", "horizon_years: 3", "horizon_years: 5"),
        ),
        Load("case/case_v2.yml"),
        Loaded((Value("attr", None, "horizon_years", 5), Value("kpis", 2, "revenue", 253638.30))),
    ),
    Bad(
        "file system",
        "missing yml path",
        (),
        Load("case/case_v3.yml"),
        Refused("CaseError", "case_v3.yml", ("roi-kit new",)),
    ),
    Bad(
        "file system",
        "read_table missing file",
        (),
        ReadTable("absent.csv", KPI_OPTS),
        Refused("DataFileError", "absent.csv", ("does not exist",)),
        base="none",
    ),
    Bad(
        "file system",
        "read_table on a folder",
        (MakeDir("folder.csv"),),
        ReadTable("folder.csv", KPI_OPTS),
        Refused("DataFileError", "folder.csv"),
        base="none",
    ),
    Bad(
        "file system",
        "read_yaml missing file",
        (),
        ReadYaml("absent.yml"),
        Refused("CaseError", "absent.yml"),
        base="none",
    ),
    Bad(
        "file system",
        "export missing",
        (),
        Import("absent.csv"),
        Refused("DataFileError", "absent.csv"),
        base="none",
    ),
    Bad(
        "file system",
        "empty workbook file",
        (Put("case/book.xlsx", b""), Sub(Y, "  costs: costs.csv", "  costs: book.xlsx")),
        Load(),
        Refused("DataFileError", "book.xlsx"),
    ),
]

CLI = [
    Bad(
        "cli",
        "validate the sample copy",
        (),
        Cli(("validate", "{tmp}/case")),
        Exit(0, ("Data quality score: 100/100", "0 error(s)")),
    ),
    Bad(
        "cli",
        "validate a missing folder",
        (),
        Cli(("validate", "{tmp}/nowhere")),
        Exit(1, ("could not be loaded", "nowhere")),
        base="none",
    ),
    Bad(
        "cli",
        "validate an empty folder",
        (MakeDir("case"),),
        Cli(("validate", "{tmp}/case")),
        Exit(1, ("could not be loaded", "case.yml")),
        base="none",
    ),
    Bad(
        "cli",
        "validate a bad number",
        (Sub(K, ROW4, "2022-03,North,n/a,26,8806.32,0.2301"),),
        Cli(("validate", "{tmp}/case")),
        Exit(1, ("kpis.csv", "row 4", "'revenue'", "'n/a'")),
    ),
    Bad(
        "cli",
        "validate a gap",
        (DropLines(K, "2023-07,South,"),),
        Cli(("validate", "{tmp}/case")),
        Exit(1, ("kpis.csv", "2023-07", "'South'")),
    ),
    Bad(
        "cli",
        "validate invalid yaml",
        _yml("risk: {benefits: 0.10, costs: 0.10}", "risk: {benefits: 0.10, costs: 0.10"),
        Cli(("validate", "{tmp}/case")),
        Exit(1, ("case.yml", "not valid YAML")),
    ),
    Bad(
        "cli",
        "validate unknown key",
        _yml("horizon_years: 3", "horizon_year: 3"),
        Cli(("validate", "{tmp}/case")),
        Exit(1, ("case.yml", "horizon_year")),
    ),
    Bad(
        "cli",
        "validate an outlier is a warning",
        (Sub(K, ROW4, "2022-03,North,2289643.20,26,8806.32,0.2301"),),
        Cli(("validate", "{tmp}/case")),
        Exit(0, ("outlier", "revenue")),
    ),
    Bad(
        "cli",
        "validate control group without after data",
        tuple(
            DropLines(K, f"{m},South,")
            for m in [f"2024-{i:02d}" for i in range(1, 13)]
            + [f"2025-{i:02d}" for i in range(1, 7)]
        ),
        Cli(("validate", "{tmp}/case")),
        Exit(1, ("control",)),
    ),
    Bad(
        "cli",
        "summary of a missing folder",
        (),
        Cli(("summary", "{tmp}/nowhere", "--draws", "200")),
        Exit(2, ("roi-kit: error:", "nowhere")),
        base="none",
    ),
    Bad(
        "cli",
        "summary of a bad case.yml",
        _yml("currency: EUR", "currency: EURO"),
        Cli(("summary", "{tmp}/case", "--draws", "200")),
        Exit(2, ("roi-kit: error:", "case.yml", "'EURO'")),
    ),
    Bad(
        "cli",
        "summary of a bad cost row",
        (Sub(C, "software,recurring,4200.00", "software,recurrring,4200.00"),),
        Cli(("summary", "{tmp}/case", "--draws", "200")),
        Exit(2, ("costs.csv", "row 2", "'type'")),
    ),
    Bad(
        "cli",
        "summary json of the sample copy",
        (),
        Cli(("summary", "{tmp}/case", "--json", "--draws", "200")),
        Exit(0, ('"schema": "roi-kit-summary/1"', '"currency": "EUR"')),
    ),
    Bad(
        "cli",
        "import-crm writes the monthly table",
        (Put(EX, SALESFORCE),),
        Cli(("import-crm", "{tmp}/export.csv", "-o", "{tmp}/kpis.csv")),
        Exit(
            0,
            ("format: salesforce", "wrote 1 rows", "note: left out 2024-01 .. 2024-01"),
            writes=("kpis.csv",),
            rows=(("kpis.csv", {"month": "2024-02", "deals_won": "2"}),),
        ),
        base="none",
    ),
    Bad(
        "cli",
        "import-crm of a missing export",
        (),
        Cli(("import-crm", "{tmp}/absent.csv", "-o", "{tmp}/kpis.csv")),
        Exit(1, ("error:", "absent.csv")),
        base="none",
    ),
    Bad(
        "cli",
        "import-crm of a folder",
        (MakeDir("export.csv"),),
        Cli(("import-crm", "{tmp}/export.csv", "-o", "{tmp}/kpis.csv")),
        Exit(1, ("error:", "export.csv")),
        base="none",
    ),
    Bad(
        "cli",
        "import-crm unknown stage",
        _sf("Bob,Prospecting,", "Bob,Closed - Duplicate,"),
        Cli(("import-crm", "{tmp}/export.csv", "-o", "{tmp}/kpis.csv")),
        Exit(1, ("error:", "export.csv", "'Closed - Duplicate'")),
        base="none",
    ),
    Bad(
        "cli",
        "import-crm binary junk",
        (Put(EX, bytes(range(256)) * 8),),
        Cli(("import-crm", "{tmp}/export.csv", "-o", "{tmp}/kpis.csv")),
        Exit(1, ("error:", "export.csv")),
        base="none",
    ),
    Bad(
        "cli",
        "import-crm unknown group column",
        (Put(EX, SALESFORCE),),
        Cli(("import-crm", "{tmp}/export.csv", "-o", "{tmp}/kpis.csv", "--by", "territory")),
        Exit(1, ("error:", "'territory'")),
        base="none",
    ),
    Bad(
        "cli",
        "import-crm with a broken case mapping",
        (Put(EX, SALESFORCE), MakeDir("case"), Put(Y, "crm_export: {columns: [1, 2]\n")),
        Cli(("import-crm", "{tmp}/export.csv", "-o", "{tmp}/kpis.csv", "--case", "{tmp}/case")),
        Exit(2, ("case.yml",)),
        base="none",
    ),
    Bad(
        "cli",
        "import-crm with a case without case.yml",
        (Put(EX, SALESFORCE), MakeDir("case")),
        Cli(("import-crm", "{tmp}/export.csv", "-o", "{tmp}/kpis.csv", "--case", "{tmp}/case")),
        Exit(2, ("case.yml",)),
        base="none",
    ),
]

# Issue 11, part E: what the bad-input catalogue and the gate review found.
CRM_NOT_TEXT = "horizon_years: 3\ncrm_export: {columns: {stage: 5}}"
ISSUE_11 = [
    Bad(
        "file system",
        "export is a folder",
        (MakeDir(EX),),
        Import(),
        # The words of read_table for the same mistake ("read_table on a folder").
        Refused("DataFileError", EX, ("this is a folder, not a file", "Fix:")),
        base="none",
    ),
    Bad(
        "exports",
        "30 february slash date",
        _sf("2/01/2024,2/28/2024", "2/01/2024,2/30/2024"),
        Import(),
        # 2024 is a leap year: February has 29 days, so day 30 does not exist.
        Refused(
            "BadValueError",
            EX,
            ("row 4", "'Close Date'", "'2/30/2024'", "day 30 does not exist in February 2024"),
        ),
        base="none",
    ),
    Bad(
        "exports",
        "30 february iso date",
        _sf("2/01/2024,2/28/2024", "2024-02-01,2024-02-30"),
        Import(),
        Refused(
            "BadValueError",
            EX,
            ("row 4", "'Close Date'", "'2024-02-30'", "day 30 does not exist in February 2024"),
        ),
        base="none",
    ),
    Bad(
        "exports",
        "29 february of a common year",
        (Put(EX, DATASET), Sub(EX, "2016-10-20,2017-03-01", "2016-10-20,2017-02-29")),
        Import(),
        # 2017 is not a leap year (not divisible by 4): 28 days in February.
        Refused(
            "BadValueError",
            EX,
            ("row 2", "'close_date'", "day 29 does not exist in February 2017", "has 28 days"),
        ),
        base="none",
    ),
    Bad(
        "exports",
        "31 april day first",
        (
            Put(
                EX,
                "Opportunity ID,Opportunity Name,Stage,Amount,Created Date,Close Date\n"
                "006A,Alpha,Closed Won,100,15/03/2024,20/04/2024\n"
                "006B,Beta,Closed Won,200,16/03/2024,31/04/2024\n",
            ),
        ),
        Import(),
        # 15/03 and 16/03 only read day-first; April has 30 days.
        Refused("BadValueError", EX, ("row 3", "'Close Date'", "day 31 does not exist in April")),
        base="none",
    ),
    Bad(
        "exports",
        "29 february of a leap year is read",
        _sf("2/01/2024,2/28/2024", "2/01/2024,2/29/2024"),
        Import(),
        # The won deal C moves from 28 to 29 February: February still has won A (1000) and
        # C (3000) -> revenue 4000, and the table still ends in February (1 month: January
        # has no close and is left out).
        Loaded((Value("monthly", SF_FEB, "revenue", 4000.0), Value("monthly", None, "len", 1))),
        base="none",
    ),
    Bad(
        "tables",
        "undeclared kpi column wording",
        (Sub(K, "opportunities_closed\n", "reveune\n"),),
        Load(),
        # One sentence, then ". Fix:" - no doubled full stop, no "?." before it.
        Refused(
            "DataFileError",
            "kpis.csv",
            ("is not a standard KPI; the nearest standard name is 'revenue'. Fix: rename it",),
        ),
    ),
    Bad(
        "case.yml",
        "a number as a top-level key",
        _yml("horizon_years: 3", "1: 3"),
        Load(),
        Refused(
            "CaseError",
            "case.yml",
            ("key 1 at the top level is not a name", "(YAML read it as a number); valid keys"),
        ),
    ),
    Bad(
        "case.yml",
        "unknown key without a near match",
        _yml("horizon_years: 3", "zzzz: 3"),
        Load(),
        Refused("CaseError", "case.yml", ("unknown key 'zzzz' at zzzz; valid keys here: name",)),
    ),
    Bad(
        "case.yml",
        "treated not in data names case.yml",
        _yml("  treated: North", "  treated: West"),
        Load(),
        Refused(
            "CaseError",
            "case.yml",
            ("groups.treated is 'West'", "kpis.csv holds only North, South", "set groups"),
        ),
    ),
    Bad(
        "case.yml",
        "control not in data names case.yml",
        _yml("  control: South", "  control: Sud"),
        Load(),
        Refused("CaseError", "case.yml", ("groups.control is 'Sud'", "kpis.csv")),
    ),
    Bad(
        "case.yml",
        "custom kpi declared but absent names case.yml",
        _yml(
            "direction: higher}\nassumptions:",
            "direction: higher}\n  - {name: meetings_held, direction: higher}\nassumptions:",
        ),
        Load(),
        Refused(
            "CaseError",
            "case.yml",
            ("custom_kpis declares 'meetings_held'", "kpis.csv", "remove 'meetings_held'"),
        ),
    ),
    Bad(
        "case.yml",
        "crm_export column name not text",
        _yml("horizon_years: 3", CRM_NOT_TEXT),
        Load(),
        Refused("CaseError", "case.yml", ("crm_export.columns.stage", "(found 5)", "quotes")),
    ),
    Bad(
        "case.yml",
        "crm_export unknown field",
        _yml("horizon_years: 3", "horizon_years: 3\ncrm_export: {columns: {stge: Phase}}"),
        Load(),
        Refused("CaseError", "case.yml", ("crm_export.columns.stge", "did you mean 'stage'")),
    ),
    Bad(
        "case.yml",
        "crm_export column name quoted number is read",
        _yml("horizon_years: 3", "horizon_years: 3\ncrm_export: {columns: {stage: '5'}}"),
        Load(),
        Loaded((Value("attr", None, "crm_export", {"columns": {"stage": "5"}}),)),
    ),
    Bad(
        "cli",
        "import-crm with a case mapping column not text",
        (Put(EX, SALESFORCE), MakeDir("case"), Put(Y, "crm_export: {columns: {stage: 5}}\n")),
        Cli(("import-crm", "{tmp}/export.csv", "-o", "{tmp}/kpis.csv", "--case", "{tmp}/case")),
        Exit(2, ("case.yml", "crm_export.columns.stage", "(found 5)")),
        base="none",
    ),
]

CATALOGUE: list[Bad] = [*TABLES, *YAML, *EXPORTS, *FILES, *CLI, *ISSUE_11]
